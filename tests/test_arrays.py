"""Sort-based distinct values agree with np.unique."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from wtmatch.arrays import distinct, distinct_first_inverse

ints = st.lists(st.integers(-5, 40), max_size=80).map(lambda v: np.array(v, dtype=np.int64))


@given(ints)
def test_distinct_is_np_unique(a):
    assert distinct(a).tolist() == np.unique(a).tolist()


@given(ints)
def test_distinct_first_inverse_is_np_unique_with_index_and_inverse(a):
    values, first, inverse = distinct_first_inverse(a)
    want_values, want_first, want_inverse = np.unique(a, return_index=True, return_inverse=True)
    assert values.tolist() == want_values.tolist()
    assert first.tolist() == want_first.tolist()     # the first occurrence, not any
    assert inverse.tolist() == want_inverse.reshape(-1).tolist()
