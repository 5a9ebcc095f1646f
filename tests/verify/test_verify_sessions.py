"""The checker on part B: each hard rule caught alone, each objective term exact."""

from __future__ import annotations

import copy

import pytest
from builders import good_meetings, good_sessions, part_b, plan_of, scenario_of

from wtmatch.verify import verify

TEACHING = [("A", "D1", "thu:afternoon")]


def _with(sessions=None, meetings=None, **edits):
    """The good plan with session/meeting rows replaced by index: ``s0={...}``, ``m1=None``."""
    ses = copy.deepcopy(good_sessions()) if sessions is None else sessions
    mee = copy.deepcopy(good_meetings()) if meetings is None else meetings
    for key, value in edits.items():
        rows = ses if key[0] == "s" else mee
        idx = int(key[1:])
        if value is None:
            rows[idx] = None
        else:
            rows[idx] = {**rows[idx], **value}
    return [r for r in ses if r], [r for r in mee if r]


def _plan(scenario, sessions, meetings):
    return plan_of(TEACHING, scenario, sessions=sessions, meetings=meetings)


# (rule, scenario changes, (sessions, meetings) breaking only that rule)
CASES = [
    # s1 scheduled twice.
    ("H20", {}, ([*good_sessions(), {**good_sessions()[0], "slots": ["2026-09-09:evening"]}],
                 good_meetings())),
    # G1 meets only twice.
    ("H20", {}, _with(meetings=[*good_meetings(),
                                {"group": "G1", "index": 3, "slot": "2026-10-29:evening"}])),
    # s2 only 3 days after s1, at least 7 needed.
    ("H21", {}, _with(s1={"slots": ["2026-09-11:evening"]})),
    # s2 without s1.
    ("H21", {}, _with(s0=None)),
    # s3 on the day of s2 but starting before s2 ends.
    ("H21", {}, _with(s1={"slots": ["2026-09-16:evening"]})),
    # U1 is in s1 and in the G1 meeting at once.
    ("H22", {}, _with(m0={"slot": "2026-09-08:afternoon"})),
    # A teaches on thursday afternoons and would meet G1 then.
    ("H22", {}, _with(m0={"slot": "2026-09-10:afternoon"})),
    # s1 allows afternoon and evening only.
    ("H23", {}, _with(s0={"slots": ["2026-09-08:morning"]})),
    # U3 cannot come on that afternoon.
    ("H23", {"participants__2__unavailable": ["2026-09-08:afternoon"]}, _with()),
    # T3 is never available on wednesday afternoons.
    ("H23", {}, _with(s2={"trainers": ["T3", "T2"]})),
    # V2 is closed on 24 September.
    ("H23", {}, _with(m1={"slot": "2026-09-24:evening"})),
    # The autumn holiday is blocked.
    ("H23", {}, _with(m1={"slot": "2026-10-20:evening"})),
    # A saturday.
    ("H23", {}, _with(m1={"slot": "2026-10-03:evening"})),
    # A trainee alone.
    ("H24", {}, _with(s0={"trainers": ["T2"]})),
    # s3 needs two trainers.
    ("H24", {}, _with(s2={"trainers": ["T1"]})),
    # The same trainer twice is not two trainers.
    ("H24", {}, _with(s2={"trainers": ["T1", "T1"]})),
    # Four people in a room for three.
    ("H25", {}, _with(s0={"venue": "V2"})),
    # A physical session without a venue.
    ("H25", {}, _with(s0={"venue": None})),
    # An online session in a venue.
    ("H25", {}, _with(s1={"venue": "V1"})),
    # V1 hosts s3 and a G1 meeting at once (G1 then has only A, who is free).
    ("H25", {"groups__0__members": ["A"]}, _with(m0={"slot": "2026-09-16:afternoon",
                                                     "venue": "V1"})),
    # T1 delivers 8 hours with a budget of 5.
    ("H26", {"trainers__0__max_hours": 5}, _with()),
    # The merged person: U1 also a trainer with a 10-hour budget (min of 40 and 10).
    ("H26", {"trainers": part_b()["trainers"] + [{"id": "U1", "max_hours": 10}]}, _with()),
    # G1 meetings 7 days apart, 14 required.
    ("H27", {}, _with(m1={"slot": "2026-09-17:evening"})),
]


@pytest.mark.parametrize(("rule", "changes", "rows"), CASES,
                         ids=[f"{c[0]}-{k}" for k, c in enumerate(CASES)])
def test_each_rule_is_caught_alone(rule, changes, rows):
    scenario = scenario_of(part_b(), **changes)
    verdict = verify(scenario, _plan(scenario, *rows))
    assert verdict.rules() == {rule}, verdict.summary()


def test_the_good_plan_breaks_nothing():
    scenario = scenario_of(part_b())
    verdict = verify(scenario, _plan(scenario, good_sessions(), good_meetings()))
    assert verdict.feasible, verdict.summary()


def test_each_term_by_hand():
    scenario = scenario_of(part_b())
    t = verify(scenario, _plan(scenario, good_sessions(), good_meetings())).terms
    assert t["S20"] == 1000 * 2 * 3 + 500 * 2      # three sessions of a priority-2 cohort
    assert t["S21"] == 20                           # s3 is physical on the study day
    assert t["S22"] == 50                           # s3 has trainee T2
    assert t["S23"] == -(0 + 0 + 9)                 # T1→V1 twice 0 km, T2→V1 9 km (override)
    ideal = (53 // 2)                               # 7 Sept–30 Oct is 53 days, 2 meetings
    assert t["S24"] == -(ideal - 21)                # meetings 21 days apart
    verdict = verify(scenario, _plan(scenario, good_sessions(), good_meetings()))
    assert verdict.sessions == 7000 + 20 + 50 - 9 - 5
    assert verdict.assign == 1000                   # A teaches D1, 0 km from home


def test_an_online_session_on_a_study_day_earns_nothing_extra():
    scenario = scenario_of(part_b())
    ses, mee = _with(s1={"slots": ["2026-09-16:evening"]}, s2=None)
    assert verify(scenario, _plan(scenario, ses, mee)).terms["S21"] == 0


def test_a_trainer_both_certified_and_trainee_counts_as_certified():
    scenario = scenario_of(part_b(), trainers__1__certified=["P"])
    t = verify(scenario, _plan(scenario, good_sessions(), good_meetings())).terms
    assert t["S22"] == 0


def test_part_b_weights_are_used():
    scenario = scenario_of(part_b(), settings={"weights": {
        "session": 10, "meeting": 3, "study_day": 7, "trainee": 2, "trainer_km": 4, "spread": 6}})
    t = verify(scenario, _plan(scenario, good_sessions(), good_meetings())).terms
    assert (t["S20"], t["S21"], t["S22"], t["S23"], t["S24"]) == (66, 7, 2, -36, -30)


def test_rows_of_unknown_cohorts_or_groups_are_plan_problems():
    scenario = scenario_of(part_b())
    ses = [{"cohort": "C9", "session": "s1", "slots": ["2026-09-08:afternoon"],
            "trainers": ["T1"], "venue": "V1"}]
    mee = [{"group": "G9", "index": 1, "slot": "2026-09-10:evening"}]
    assert verify(scenario, _plan(scenario, ses, mee)).rules() == {"PLAN"}


def test_a_two_daypart_session_needs_one_full_day():
    scenario = scenario_of(part_b())
    ses, mee = _with(s2={"slots": ["2026-09-16:morning", "2026-09-17:afternoon"]})
    assert verify(scenario, _plan(scenario, ses, mee)).rules() == {"PLAN"}
