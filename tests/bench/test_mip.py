"""The LP/MIP export of part A's model, solved by HiGHS in a child process."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.baselines.highs import solve_highs
from wtmatch.assign.candidates import Pool, build_candidates
from wtmatch.generate import generate
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.solver.assign.model import build_assign_model

# Not imported here: HiGHS and OR-Tools cannot share a process (the solver runs it in a child).
pytestmark = pytest.mark.skipif(importlib.util.find_spec("highspy") is None,
                                reason="highspy is not installed")


@settings(max_examples=5, deadline=None)
@given(st.integers(3, 12), st.integers(2, 8), st.integers(0, 10**6))
def test_highs_agrees_with_cp_sat_on_small_scenarios(n_ins, n_sch, seed):
    scenario = generate(n_ins, n_sch, seed=seed)          # same_day_max_km: enforced H8 rows
    optimum = solve(scenario, Settings(time_limit=10)).objective
    model = build_assign_model(build_candidates(Pool.of(scenario)), symmetry=False)
    lp = solve_highs(model.builder.model, 30, relax=True)
    mip = solve_highs(model.builder.model, 30)
    assert lp.objective >= optimum - 1e-6
    assert mip.status == "Optimal" and round(mip.objective) == optimum
