"""The LP relaxation's bound, solved by GLOP in a background thread."""

from __future__ import annotations

import importlib.util

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from wtmatch.assign.candidates import Pool, build_candidates
from wtmatch.generate import generate
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.solver.assign_model import build_assign_model
from wtmatch.solver.lp_bound import LpBound


@settings(max_examples=6, deadline=None)
@given(st.integers(3, 25), st.integers(2, 12), st.integers(0, 10**6))
def test_the_lp_bound_is_at_least_the_proven_optimum(n_ins, n_sch, seed):
    scenario = generate(n_ins, n_sch, seed=seed)          # enforced H8 rows: big-M in the LP
    optimum = solve(scenario, Settings(time_limit=10, part="assign"))
    assert optimum.status == "optimal"
    model = build_assign_model(build_candidates(Pool.of(scenario)), symmetry=True)
    bound = LpBound(model.builder.model, seconds=30).wait()
    assert bound is not None and bound >= optimum.objective
    if importlib.util.find_spec("highspy") is not None:
        from wtmatch.solver.mip import solve_highs

        # The same relaxation as HiGHS solves it (bound = floor, loosened by 1e-6).
        lp = solve_highs(model.builder.model, 30, relax=True).objective
        assert lp - 1 <= bound <= lp + 1e-6 * abs(lp) + 1


def test_no_bound_for_a_minimisation_a_stopped_or_a_timed_out_solve():
    m = cp_model.CpModel()
    x = m.new_int_var(0, 5, "x")
    m.minimize(x)
    assert LpBound(m, seconds=5).wait() is None
    m.maximize(x)
    assert LpBound(m, seconds=5).wait() == 5
    big = build_assign_model(build_candidates(Pool.of(generate(300, 200, seed=1))))
    stopped = LpBound(big.builder.model, seconds=60)
    stopped.stop()
    assert stopped.wait(60) is None
    assert LpBound(big.builder.model, seconds=0.001).wait(60) is None
