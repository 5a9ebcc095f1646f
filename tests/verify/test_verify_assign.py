"""The checker on part A: each hard rule caught alone, each objective term exact."""

from __future__ import annotations

import pytest
from builders import ENSCHEDE, HENGELO, part_a, plan_of, scenario_of

from wtmatch.plan import ObjectiveParts
from wtmatch.verify import verify

# (rule, scenario changes, plan breaking only that rule, the same plan mended)
CASES = [
    # B's robotics level 2 is below D1's min_level 3.
    ("H1", {}, [("B", "D1", "mon:morning")], [("A", "D1", "mon:morning")]),
    # tue:morning is not a slot of D1.
    ("H2", {}, [("A", "D1", "tue:morning")], [("A", "D1", "mon:morning")]),
    # B is not available on monday afternoon (D1's slot); D1 lowered so only H2 can bind.
    ("H2", {"schools__0__demands__0__min_level": 2},
     [("B", "D1", "mon:afternoon")], [("B", "D1", "mon:morning")]),
    # A covers two seats on monday morning.
    ("H3", {}, [("A", "D1", "mon:morning"), ("A", "D3", "mon:morning")],
     [("A", "D1", "mon:morning")]),
    # Four dayparts for an instructor capped at three.
    ("H4", {"instructors__0__max_schools": None},
     [("A", "D1", "mon:morning"), ("A", "D1", "mon:afternoon"), ("A", "D2", "tue:morning"),
      ("A", "D4", "tue:afternoon")],
     [("A", "D1", "mon:morning"), ("A", "D1", "mon:afternoon"), ("A", "D2", "tue:morning")]),
    # D3 requires a qualified instructor and A is not (here).
    ("H5", {"instructors__0__qualified": False}, [("A", "D3", "mon:morning")],
     [("A", "D1", "mon:morning")]),
    # Almelo is about 22 km from A's home in Enschede.
    ("H6", {"instructors__0__max_travel_km": 10}, [("A", "D4", "tue:afternoon")],
     [("A", "D1", "mon:morning")]),
    # B only works in Hengelo and Enschede; D4 is in Almelo.
    ("H6", {"instructors__1__available": ["mon:morning", "tue:morning", "tue:afternoon"]},
     [("B", "D4", "tue:afternoon")], [("B", "D2", "tue:morning")]),
    # Two schools for an instructor allowed one.
    ("H7", {"instructors__0__max_schools": 1},
     [("A", "D1", "mon:morning"), ("A", "D2", "tue:morning")],
     [("A", "D1", "mon:morning"), ("A", "D1", "mon:afternoon")]),
    # Enschede and Hengelo on one monday, about 8 km apart, over the 5 km allowed.
    ("H8", {"settings__same_day_max_km": 5},
     [("A", "D3", "mon:morning"), ("A", "D1", "mon:afternoon")],
     [("A", "D3", "mon:morning"), ("A", "D2", "tue:morning")]),
    # Two E1 instructors away on monday morning, cap 1.
    ("H9", {"schools__0__demands__0__instructors_needed": 2,
            "schools__0__demands__0__min_level": 2},
     [("A", "D1", "mon:morning"), ("B", "D1", "mon:morning")],
     [("A", "D1", "mon:morning"), ("B", "D2", "tue:morning")]),
    # The pin (A, D1, mon:morning) is missing.
    ("H10", {"pinned": [{"instructor": "A", "demand": "D1", "slot": "mon:morning"}]},
     [("A", "D2", "tue:morning")], [("A", "D2", "tue:morning"), ("A", "D1", "mon:morning")]),
    # A hard-continuity demand covered in one of its two slots only.
    ("H11", {"schools__2__demands__0__slots": ["mon:afternoon", "tue:afternoon"]},
     [("A", "D4", "mon:afternoon")], [("A", "D4", "mon:afternoon"), ("A", "D4", "tue:afternoon")]),
    # Two instructors on a seat for one.
    ("H12", {"schools__1__demands__0__instructors_needed": 1,
             "employers__0__max_absent_per_slot": 2},
     [("A", "D2", "tue:morning"), ("B", "D2", "tue:morning")], [("A", "D2", "tue:morning")]),
]


@pytest.mark.parametrize(("rule", "changes", "bad", "good"), CASES,
                         ids=[f"{c[0]}-{k}" for k, c in enumerate(CASES)])
def test_each_rule_is_caught_alone_and_mended(rule, changes, bad, good):
    scenario = scenario_of(part_a(), **changes)
    verdict = verify(scenario, plan_of(bad, scenario))
    assert verdict.rules() == {rule}, verdict.summary()
    assert all(v.items for v in verdict.violations)
    mended = verify(scenario, plan_of(good, scenario))
    assert mended.feasible, mended.summary()


def test_hard_continuity_demand_left_empty_is_fine():
    scenario = scenario_of(part_a(), schools__2__demands__0__slots=["mon:afternoon",
                                                                    "tue:afternoon"])
    assert verify(scenario, plan_of([], scenario)).feasible


def test_hard_continuity_needs_the_same_instructors_in_every_slot():
    scenario = scenario_of(
        part_a(),
        schools__2__demands__0__slots=["mon:morning", "tue:morning"],
        instructors__1__regions=None,
    )
    verdict = verify(scenario, plan_of([("A", "D4", "mon:morning"), ("B", "D4", "tue:morning")],
                                       scenario))
    assert "H11" in verdict.rules()


def test_malformed_rows_are_reported_as_plan_problems(base_a):
    scenario = scenario_of(base_a)
    plan = plan_of([("A", "D1", "mon:morning"), ("A", "D1", "mon:morning"), ("Z", "D1",
                    "mon:morning"), ("A", "D9", "mon:morning")], scenario)
    verdict = verify(scenario, plan)
    assert verdict.rules() == {"PLAN"}
    assert len(verdict.violations) == 3


def test_a_row_with_the_wrong_school_is_a_plan_problem(base_a):
    scenario = scenario_of(base_a)
    plan = plan_of([("A", "D1", "mon:morning")], scenario)
    plan = plan.model_copy(update={"assignments": [plan.assignments[0].model_copy(
        update={"school": "S2"})]})
    assert verify(scenario, plan).rules() == {"PLAN"}


def terms_scenario(**weights):
    """Three instructors, two schools; every term S1–S7 is non-zero for TERMS_PLAN."""
    return scenario_of({
        "settings": {"weights": weights},
        "instructors": [
            {"id": "A", "location": ENSCHEDE, "skills": {"robotics": 3}, "min_dayparts": 4,
             "available": ["mon:morning", "tue:morning"], "preferences": {"S1": 2}},
            {"id": "B", "location": HENGELO, "skills": {"robotics": 3},
             "available": ["mon:afternoon", "tue:morning"]},
            {"id": "C", "skills": {"robotics": 3}, "min_dayparts": 2,
             "available": ["tue:morning"]},
        ],
        "schools": [
            {"id": "S1", "preferences": {"A": 1}, "demands": [
                {"id": "D1", "skill": "robotics", "priority": 3, "instructors_needed": 2,
                 "slots": ["mon:morning", "mon:afternoon", "tue:morning"]}]},
            {"id": "S2", "demands": [{"id": "D2", "skill": "robotics",
                                      "slots": ["tue:morning"]}]},
        ],
        "travel_km": [{"from": "A", "to": "S1", "km": 4}, {"from": "S1", "to": "B", "km": 7},
                      {"from": "A", "to": "S2", "km": 11}],
        "previous_plan": [{"instructor": "A", "demand": "D1", "slot": "mon:morning"},
                          {"instructor": "C", "demand": "D2", "slot": "tue:morning"}],
    })


TERMS_ROWS = [("A", "D1", "mon:morning"), ("B", "D1", "mon:afternoon"),
              ("A", "D2", "tue:morning"), ("B", "D1", "tue:morning")]


def test_each_term_by_hand():
    scenario = terms_scenario()
    verdict = verify(scenario, plan_of(TERMS_ROWS, scenario))
    assert verdict.feasible, verdict.summary()
    assert verdict.terms["S1"] == 1000 * (3 + 3 + 1 + 3)
    # visits (A,S1,mon) 4 km, (B,S1,mon) 7, (A,S2,tue) 11, (B,S1,tue) 7: once per weekday.
    assert verdict.terms["S2"] == -(4 + 7 + 11 + 7)
    # D1 has 2 distinct instructors, needs 2: no penalty; add a third to see one.
    assert verdict.terms["S3"] == 0
    # A at S1: A likes S1 (2) and S1 likes A (1), one row.
    assert verdict.terms["S4"] == 20 * 3
    # A: 4 wanted, 2 slots; C: 2 wanted, 0 slots.
    assert verdict.terms["S5"] == -50 * (2 + 2)
    # A works at two schools.
    assert verdict.terms["S6"] == -30 * 1
    # (C, D2, tue:morning) of the previous plan is gone.
    assert verdict.terms["S7"] == -200
    assert verdict.assign == 10000 - 29 + 0 + 60 - 200 - 30 - 200
    assert verdict.sessions == 0


def test_soft_continuity_counts_extra_instructors():
    scenario = scenario_of(terms_scenario().model_dump(mode="json", by_alias=True),
                           schools__0__demands__0__instructors_needed=1)
    rows = [("A", "D1", "mon:morning"), ("B", "D1", "mon:afternoon")]
    assert verify(scenario, plan_of(rows, scenario)).terms["S3"] == -100 * (2 - 1)
    none = scenario_of(scenario.model_dump(mode="json", by_alias=True),
                       schools__0__demands__0__same_instructor="none")
    assert verify(none, plan_of(rows, none)).terms["S3"] == 0


def test_weights_of_the_scenario_are_used():
    scenario = terms_scenario(coverage=7, travel_km=3, preference=0, underuse=1,
                              fragmentation=2, change=5)
    t = verify(scenario, plan_of(TERMS_ROWS, scenario)).terms
    assert (t["S1"], t["S2"], t["S4"], t["S5"], t["S6"], t["S7"]) == (70, -87, 0, -4, -2, -5)


def test_objective_is_compared_with_the_plan():
    scenario = terms_scenario()
    right = 10000 - 29 + 60 - 200 - 30 - 200
    good = plan_of(TERMS_ROWS, scenario, objective=right).model_copy(
        update={"objective_parts": ObjectiveParts(assign=right, sessions=0),
                "objective_terms": {"S1": 10000, "S7": -200}})
    assert verify(scenario, good).ok
    wrong = good.model_copy(update={"objective": right + 1})
    assert not verify(scenario, wrong).objective_ok
    wrong_term = good.model_copy(update={"objective_terms": {"S1": 9999}})
    assert verify(scenario, wrong_term).objective_problems == [
        "term S1: plan says 9999, recomputed 10000"]


def test_a_bound_below_the_objective_is_a_plan_problem():
    scenario = terms_scenario()
    plan = plan_of([], scenario, objective=-300).model_copy(
        update={"bound": -400, "objective_parts": ObjectiveParts(assign=-300)})
    assert verify(scenario, plan).rules() == {"PLAN"}


def test_a_found_plan_must_state_its_objective():
    scenario = terms_scenario()
    assert not verify(scenario, plan_of([], scenario, status="optimal")).objective_ok
    assert verify(scenario, plan_of([], scenario, status="infeasible")).objective_ok


def test_pins_are_owed_only_by_plans_that_claim_a_solution(base_a):
    scenario = scenario_of(base_a, pinned=[{"instructor": "A", "demand": "D1",
                                            "slot": "mon:morning"}])
    assert verify(scenario, plan_of([], scenario, status="infeasible")).feasible
    assert verify(scenario, plan_of([], scenario, status="feasible")).rules() == {"H10"}
