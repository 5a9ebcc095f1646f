"""The plan file: written and read back without loss."""

from __future__ import annotations

import pytest
from builders import good_meetings, good_sessions, plan_of
from hypothesis import given
from hypothesis import strategies as st

from wtmatch.errors import ScenarioError
from wtmatch.plan import (
    Kpis,
    ObjectiveParts,
    Plan,
    Reason,
    SolverInfo,
    UncoveredSeat,
    UnscheduledItem,
)


def full_plan(**kpis) -> Plan:
    base = plan_of([("A", "D1", "thu:afternoon")], None, sessions=good_sessions(),
                   meetings=good_meetings(), objective=8056, status="optimal")
    return base.model_copy(update={
        "scenario": "tiny", "bound": 8060,
        "objective_parts": ObjectiveParts(assign=1000, sessions=7056),
        "objective_terms": {"S1": 1000, "S20": 7000, "S23": -9},
        "uncovered": [UncoveredSeat(demand="D2", school="S1", slot="mon:morning", seat=2,
                                    reasons=[Reason(code="used_elsewhere",
                                                    message="B teaches D4 then",
                                                    items=["B", "D4"])])],
        "unscheduled": [UnscheduledItem(kind="meeting", group="G2", index=4,
                                        reasons=[Reason(code="no_venue", message="none")])],
        "kpis": Kpis(seats=2, seats_filled=1, coverage_pct=50.0,
                     coverage_by_region={"enschede": 50.0}, **kpis),
        "solver": SolverInfo(wall_time=1.25, build_time=0.1, workers=2, seed=7,
                             cpsat_version="9.15", gap=0.0005, details={"branches": 12}),
    })


def test_round_trip_is_lossless(tmp_path):
    plan = full_plan(utilisation={"A": 33.33333333333333})
    text = plan.dumps()
    again = Plan.loads(text)
    assert again == plan and again.dumps() == text
    plan.save(tmp_path / "p.json")
    assert Plan.load(tmp_path / "p.json") == plan


@given(st.floats(allow_nan=False, allow_infinity=False),
       st.dictionaries(st.text(min_size=1, max_size=5), st.floats(allow_nan=False,
                                                                    allow_infinity=False)))
def test_round_trip_of_any_figures(pct, per_instructor):
    plan = full_plan(utilisation_pct=pct, utilisation=per_instructor)
    again = Plan.loads(plan.dumps())
    assert again == plan and again.dumps() == plan.dumps()


def test_a_broken_plan_file_names_its_problems(tmp_path):
    (tmp_path / "p.json").write_text('{"status": "great", "assignments": [{"instructor": "A"}]}')
    with pytest.raises(ScenarioError) as exc:
        Plan.load(tmp_path / "p.json")
    paths = {p.path for p in exc.value.problems}
    assert {"status", "assignments[0].demand", "assignments[0].slot"} <= paths
