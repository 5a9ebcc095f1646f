"""The bulk proto writer: rows and variables as written equal the arrays given."""

from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wtmatch.solver.cpsat import proto
from wtmatch.solver.cpsat.proto import ProtoBuilder


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_linear_groups_write_each_row_exactly(data):
    _check_rows(data)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_rows_whose_hashes_collide_keep_their_own_coefficients(data):
    # With a zero base the hash of a row is its first coefficient: rows alike in
    # length, bounds and first coefficient all collide and only the term-by-term
    # check keeps them apart.
    with patch.object(proto, "HASH_BASE", np.uint64(0)):
        _check_rows(data)


def _check_rows(data) -> None:
    n_terms = data.draw(st.integers(1, 60))
    group = np.array(data.draw(st.lists(st.integers(0, 8), min_size=n_terms, max_size=n_terms)))
    var = np.array(data.draw(st.lists(st.integers(0, 19), min_size=n_terms, max_size=n_terms)))
    # A small alphabet makes rows alike in all but one detail (length, a bound, one
    # coefficient) common; those must not share a prototype.
    alphabet = data.draw(st.sampled_from([[1], [1, -8], [-1, 1, 2], [-9, -8, 0, 7, 8, 10**6]]))
    coef = np.array(data.draw(st.lists(st.sampled_from(alphabet), min_size=n_terms,
                                       max_size=n_terms)))
    groups = np.unique(group)
    lo = np.array(data.draw(st.lists(st.integers(-1, 0), min_size=len(groups), max_size=len(groups))))
    hi = lo + np.array(data.draw(st.lists(st.integers(0, 1), min_size=len(groups),
                                          max_size=len(groups))))
    enforce = data.draw(st.booleans())
    b = ProtoBuilder()
    b.new_vars(20, 0, 1)
    enf = np.arange(len(groups)) if enforce else None
    assert b.linear_groups(group, var, coef, lo, hi, enforcement=enf) == len(groups)
    for k, g in enumerate(groups.tolist()):
        expected: dict[int, int] = {}
        for v, c in zip(var[group == g].tolist(), coef[group == g].tolist(), strict=True):
            expected[v] = expected.get(v, 0) + c      # repeated terms are merged
        ct = b.proto.constraints[k]
        written = dict(zip(ct.linear.vars, ct.linear.coeffs, strict=True))
        assert written == expected
        assert list(ct.linear.vars) == sorted(expected)
        assert list(ct.linear.domain) == [lo[k], hi[k]]
        assert list(ct.enforcement_literal) == ([k] if enforce else [])


def test_new_vars_give_each_variable_its_domain():
    b = ProtoBuilder()
    first = b.new_vars(3, 0, 1)
    second = b.new_vars(4, np.array([0, 2, 0, 2]), np.array([5, 5, 5, 9]))
    b.fix(int(first[1]), 1)
    assert first.tolist() == [0, 1, 2] and second.tolist() == [3, 4, 5, 6]
    assert [list(v.domain) for v in b.proto.variables] == [
        [0, 1], [1, 1], [0, 1], [0, 5], [2, 5], [0, 5], [2, 9]]




@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.integers(1, 9), min_size=2, max_size=8), offset=st.integers(-20, 20))
def test_a_search_told_where_to_stop_stops_at_the_first_plan_worth_it(values, offset):
    """``run(stop_at=v)``: the hinted plan is worth ``v``, so the search ends there, short of the best."""
    from wtmatch.budget import Budget
    from wtmatch.settings import Settings
    from wtmatch.solver.cpsat.options import CpOptions
    from wtmatch.solver.cpsat.run import run

    b = ProtoBuilder()
    x = b.new_vars(len(values), 0, 1)
    b.maximize(x, np.array(values), offset)
    best = offset + sum(values)
    hint = np.ones(len(values), dtype=np.int64)
    hint[0] = 0
    b.hint(x, hint)
    worth = best - values[0]
    # no presolve: it would solve this model outright, before any solution is reported
    quiet = Settings(time_limit=5, workers=1, cpsat={"cp_model_presolve": False})
    res = run(b.model, CpOptions.of(quiet), Budget.start(5), stop_at=worth)
    assert res.status == "feasible" and round(res.objective) == worth
    assert offset + int(np.dot(values, res.values[x])) == worth
    # told nothing, the same search goes on to the optimum
    res = run(b.model, CpOptions.of(quiet), Budget.start(5))
    assert res.status == "optimal" and round(res.objective) == best
