"""The compiled knapsacks against brute force: optimum, the pairs taken, forced in and out."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gapcore import knapsack_kernel as kernel


@st.composite
def agents(draw, float_profit: bool):
    """A few agents, each with up to 7 pairs (some too large to fit, some not paying)."""
    n = draw(st.integers(1, 4))
    capacity = np.array(draw(st.lists(st.integers(0, 12), min_size=n, max_size=n)), dtype=np.int64)
    counts = draw(st.lists(st.integers(0, 7), min_size=n, max_size=n))
    size = sum(counts)
    use = np.array(draw(st.lists(st.integers(0, 14), min_size=size, max_size=size)), dtype=np.int64)
    values = st.floats(-5, 9, allow_nan=False) if float_profit else st.integers(-5, 9)
    profit = np.array(draw(st.lists(values, min_size=size, max_size=size)),
                      dtype=np.float64 if float_profit else np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return capacity, starts, use, profit


def _brute(cap, use, profit, force_in=None, force_out=None):
    """The best total profit of a subset within ``cap`` (None if forcing makes it impossible)."""
    best = None
    for mask in itertools.product([False, True], repeat=len(use)):
        mask = np.array(mask, dtype=bool)
        if force_in is not None and not mask[force_in]:
            continue
        if force_out is not None and mask[force_out]:
            continue
        if use[mask].sum() <= cap:
            v = profit[mask].sum()
            best = v if best is None else max(best, v)
    return best


@settings(deadline=None, max_examples=150)
@given(st.booleans().flatmap(agents))
def test_best_and_picks_is_the_optimum_and_a_solution_reaching_it(data):
    capacity, starts, use, profit = data
    best, taken = kernel.best_and_picks(capacity, starts, use, profit)
    for a, cap in enumerate(capacity):
        own = slice(starts[a], starts[a + 1])
        expected = _brute(cap, use[own], profit[own])
        assert np.isclose(best[a], expected), f"agent {a}: {best[a]} != brute force {expected}"
        chosen = taken[own]
        assert use[own][chosen].sum() <= cap, f"agent {a}'s pairs overfill its capacity"
        assert np.isclose(profit[own][chosen].sum(), best[a]), f"agent {a}'s pairs do not add to its best"
        assert (profit[own][chosen] > 0).all(), "a pair that does not pay was taken"


@settings(deadline=None, max_examples=150)
@given(agents(float_profit=False))
def test_with_and_without_is_each_pair_forced_in_and_out(data):
    capacity, starts, use, profit = data
    best_in, best_out, best = kernel.with_and_without(capacity, starts, use, profit)
    for a, cap in enumerate(capacity):
        lo, hi = starts[a], starts[a + 1]
        assert best[a] == _brute(cap, use[lo:hi], profit[lo:hi])
        for i in range(lo, hi):
            forced_in = _brute(cap, use[lo:hi], profit[lo:hi], force_in=i - lo)
            assert best_in[i] == (kernel.NONE if forced_in is None else forced_in), f"pair {i} forced in"
            assert best_out[i] == _brute(cap, use[lo:hi], profit[lo:hi], force_out=i - lo), \
                f"pair {i} forced out"
