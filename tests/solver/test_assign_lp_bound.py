"""The LP relaxation's bound, solved by GLOP in a background thread."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from wtmatch.assign.candidates import Pool, build_candidates
from wtmatch.budget import Budget
from wtmatch.generate import generate
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.solver.assign.lp_bound import LpBound, _binding
from wtmatch.solver.assign.model import build_assign_model


@settings(max_examples=6, deadline=None)
@given(st.integers(3, 25), st.integers(2, 12), st.integers(0, 10**6))
def test_the_lp_bound_is_at_least_the_proven_optimum(n_ins, n_sch, seed):
    scenario = generate(n_ins, n_sch, seed=seed)          # enforced H8 rows: big-M in the LP
    optimum = solve(scenario, Settings(time_limit=10, part="assign"))
    assert optimum.status == "optimal"
    model = build_assign_model(build_candidates(Pool.of(scenario)), symmetry=True)
    bound = LpBound(model.builder.model, Budget.start(30)).wait()
    assert bound is not None and bound >= optimum.objective
    if importlib.util.find_spec("highspy") is not None:
        from benchmarks.baselines.highs import solve_highs

        # The same relaxation as HiGHS solves it (bound = floor, loosened by 1e-6).
        lp = solve_highs(model.builder.model, 30, relax=True).objective
        assert lp - 1 <= bound <= lp + 1e-6 * abs(lp) + 1


def test_no_bound_for_a_minimisation_a_stopped_or_a_timed_out_solve():
    m = cp_model.CpModel()
    x = m.new_int_var(0, 5, "x")
    m.minimize(x)
    assert LpBound(m, Budget.start(5)).wait() is None
    m.maximize(x)
    assert LpBound(m, Budget.start(5)).wait() == 5
    big = build_assign_model(build_candidates(Pool.of(generate(300, 200, seed=1))))
    stopped = LpBound(big.builder.model, Budget.start(60))
    stopped.stop()
    assert stopped.wait(60) is None
    assert LpBound(big.builder.model, Budget.start(0.001)).wait(60) is None


def test_the_lp_solution_keeps_the_rows_and_reaches_the_bound():
    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{k}") for k in range(3)]
    m.add(x[0] + x[1] <= 1)
    m.add(x[1] + x[2] <= 1)
    m.add(x[0] + x[2] <= 1)
    m.add(2 * x[0] + x[1] + x[2] <= 10**9)     # the model's "no bound"
    m.maximize(2 * x[0] + 2 * x[1] + 2 * x[2])
    lp = LpBound(m, Budget.start(5))
    assert lp.wait() == 3                      # x = ½ each: the LP, not the optimum (2)
    values = lp.solution()
    assert values is not None and np.allclose(values, 0.5)
    assert not lp.running()


def test_bounds_no_value_can_reach_become_infinite():
    # Rows: x0 + x1 in [-1e9, 1]; 2·x0 − x1 in [-5, 1e9]; x1 in [0, 1] (x in [0, 1]).
    lo, hi = np.zeros(2), np.ones(2)
    data, indices = np.array([1.0, 1.0, 2.0, -1.0, 1.0]), np.array([0, 1, 0, 1, 1])
    indptr = np.array([0, 2, 4, 5])
    rlo, rhi = np.array([-1e9, -5.0, 0.0]), np.array([1.0, 1e9, 1.0])
    low, high = _binding(lo, hi, data, indices, indptr, rlo, rhi, np.inf)
    # x0 + x1 ranges over [0, 2]: its upper bound binds, its lower one cannot; 2·x0 − x1
    # ranges over [−1, 2]: neither binds; x1's own bounds are exactly reachable.
    assert low.tolist() == [-np.inf, -np.inf, -np.inf]
    assert high.tolist() == [1.0, np.inf, np.inf]


@pytest.mark.slow
def test_glop_solves_the_relaxation_that_stopped_it_with_finite_no_bounds():
    # Seed 2 at 300 × 200: with ±1e9 row bounds GLOP's primal simplex stopped abnormally.
    model = build_assign_model(build_candidates(Pool.of(generate(300, 200, seed=2))))
    lp = LpBound(model.builder.model, Budget.start(120))
    assert lp.wait() is not None
    assert lp.solution()[model.x_of].sum() > 0


def test_reduced_costs_drop_the_variables_no_better_plan_uses():
    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{k}") for k in range(3)]
    m.add(x[0] + x[1] + x[2] <= 1)
    m.maximize(3 * x[0] + 2 * x[1] + x[2])
    lp = LpBound(m, Budget.start(5))
    assert lp.wait() == 3
    # Forcing x1 up costs the LP 1 (value 2), x2 costs 2 (value 1); x0 is the LP's own.
    assert lp.dropped(incumbent=2).tolist() == [False, True, True]
    assert lp.dropped(incumbent=1).tolist() == [False, False, True]
    assert lp.dropped(incumbent=0).tolist() == [False, False, False]
