"""Plans on generated scenarios agree with a checker written from DOMAIN.md alone.

:mod:`domain_oracle` shares no code with wtmatch. The scenarios are the
generator's, shaken so that every rule has a chance to bind: hard and
no-continuity demands, several seats, preferences both ways, minimum
dayparts, region lists, employer release caps, a previous plan, reweighted
objectives, people and venues away on weekly slots, dates and dated slots,
tight budgets, gaps of zero days, trainees, study days and group rhythms.
"""

from __future__ import annotations

import json

import pytest
from domain_oracle import check, check_assignments
from hypothesis import given, settings
from hypothesis import strategies as st
from shaken import shaken as _shaken

import wtmatch


def _solved(data: dict) -> tuple[dict, wtmatch.Result]:
    scenario = wtmatch.from_data(json.loads(json.dumps(data)))
    result = wtmatch.solve(scenario, wtmatch.Settings(time_limit=2, workers=2, seed=0))
    return json.loads(result.plan.dumps()), result


@settings(max_examples=12)
@given(st.integers(0, 10**6), st.booleans())
def test_plans_pass_the_domain_checker_and_report_its_objective(seed, sessions):
    data = _shaken(seed, sessions)
    plan, result = _solved(data)
    assert plan["status"] in ("optimal", "feasible"), plan["status"]
    errors, parts = check(data, plan)
    assert errors == []
    assert plan["objective_parts"]["assign"] == parts["assign"]
    assert plan["objective_parts"]["sessions"] == parts["sessions"]
    assert plan["objective"] == parts["assign"] + parts["sessions"] <= plan["bound"]
    verdict = wtmatch.verify(wtmatch.from_data(data), result.plan)
    assert verdict.feasible and verdict.objective_ok
    assert (verdict.assign, verdict.sessions) == (parts["assign"], parts["sessions"])


@pytest.mark.parametrize("seed", [3, 5])
def test_the_domain_checker_sees_a_tampered_plan(seed):
    """The oracle is not blind: a dropped row changes the objective, a doubled row is caught."""
    data = _shaken(seed, sessions=False)
    plan, _ = _solved(data)
    rows = plan["assignments"]
    assert rows, "the scenario should give some assignments"
    errors, value = check_assignments(data, plan)
    assert errors == []
    fewer = {**plan, "assignments": rows[1:]}
    assert check_assignments(data, fewer)[1] != value
    twice = {**plan, "assignments": [*rows, rows[0]]}
    assert "duplicate rows" in check_assignments(data, twice)[0]
