"""Part B solving: plans pass the checker, optima equal enumeration, each rule binds."""

from __future__ import annotations

import copy
import itertools

import pytest
from builders import part_b
from hypothesis import given, settings
from hypothesis import strategies as st

from wtmatch.generate import generate
from wtmatch.plan import Assignment, Plan, ScheduledMeeting, ScheduledSession
from wtmatch.scenario import WeeklySlot, from_data
from wtmatch.sessions.items import build_items, build_year
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.verify import verify

FAST = Settings(time_limit=10)


def _checked(scenario, s: Settings = FAST, **kw):
    result = solve(scenario, s, **kw)
    verdict = verify(result.scenario, result.plan)
    assert verdict.ok, verdict.summary()
    assert result.plan.objective == verdict.objective
    assert result.plan.objective_parts.sessions == verdict.sessions
    assert result.bound is None or result.bound >= result.objective
    return result


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 8), st.integers(1, 5), st.integers(0, 3), st.integers(0, 3),
       st.integers(0, 10**6))
def test_every_plan_passes_the_checker(n_ins, n_sch, n_coh, n_grp, seed):
    scenario = generate(n_ins, n_sch, n_coh, n_grp, seed=seed)
    result = _checked(scenario)
    done = {(s.cohort, s.session) for s in result.plan.sessions}
    done |= {(m.group, m.index) for m in result.plan.meetings}
    left = {(u.cohort, u.session) if u.kind == "session" else (u.group, u.index)
            for u in result.plan.unscheduled}
    assert not done & left
    assert len(done) + len(left) == result.plan.kpis.sessions + result.plan.kpis.meetings
    assert all(u.reasons for u in result.plan.unscheduled)


def _small(**changes):
    data = part_b()
    data["calendar"] = {"start": "2026-09-07", "end": "2026-09-11"}   # one week
    data.update(changes)
    return data


def test_a_full_small_year_is_scheduled():
    result = _checked(from_data(part_b()))
    assert result.status == "optimal"
    assert not result.plan.unscheduled


def _by_enumeration(scenario):
    """Best S20–S24 over every placement of a one-session, one-meeting year (checker only)."""
    year = build_year(scenario, [])
    items = build_items(scenario, year)
    options = []
    for it in items:
        choices = [None]
        for q in it.domain:
            slots = [year.slot_of(q + j) for j in range(it.size)]
            trainer_sets = [()] if it.kind == "meeting" else itertools.combinations(
                (*it.certified, *it.trainees), it.trainers_needed)
            for trainers in trainer_sets:
                for venue in (it.venues if it.physical else (None,)):
                    choices.append((slots, trainers, venue))
        options.append(choices)
    best = None
    for combo in itertools.product(*options):
        sessions, meetings = [], []
        for it, ch in zip(items, combo, strict=True):
            if ch is None:
                continue
            slots, trainers, venue = ch
            if it.kind == "session":
                sessions.append(ScheduledSession(cohort=it.key[0], session=it.key[1],
                                                 slots=slots, trainers=list(trainers),
                                                 venue=venue))
            else:
                meetings.append(ScheduledMeeting(group=it.key[0], index=it.key[1],
                                                 slot=slots[0], venue=venue))
        v = verify(scenario, Plan(status="feasible", sessions=sessions, meetings=meetings))
        if v.feasible and (best is None or v.objective > best):
            best = v.objective
    return best


@pytest.mark.parametrize("variant", range(4))
def test_tiny_optimum_equals_enumeration(variant):
    data = {
        "calendar": {"start": "2026-09-07", "end": "2026-09-09", "study_days": ["2026-09-08"]},
        "trainers": [{"id": "T1", "certified": ["P"], "location": {"lat": 52.2, "lon": 6.8}},
                     {"id": "T2", "trainee": ["P"], "location": {"lat": 52.3, "lon": 6.7}}],
        "participants": [{"id": "U1"}, {"id": "U2", "unavailable": ["2026-09-07"]}],
        "venues": [{"id": "V1", "capacity": 3 + variant % 2,
                    "location": {"lat": 52.25, "lon": 6.75}}],
        "programmes": [{"id": "P", "sessions": [{"id": "s1", "trainers": 1 + variant // 2,
                                                 "parts": ["afternoon", "evening"]}]}],
        "cohorts": [{"id": "C", "programme": "P", "participants": ["U1", "U2"]}],
        "groups": [{"id": "G", "members": ["U1"], "meetings": 2, "parts": ["evening"],
                    "mode": "online", "min_spacing_days": 1}],
    }
    scenario = from_data(data)
    result = _checked(scenario)
    assert result.status == "optimal"
    assert result.plan.objective_parts.sessions == _by_enumeration(scenario)


BINDING = [
    # H20/H27: a group that must meet 28 days apart fits once into one week.
    ("H27", {"groups": [{"id": "G1", "members": ["U1"], "meetings": 3, "min_spacing_days": 28}]},
     lambda p: len(p.meetings) == 1),
    # H21: s2 comes 7–14 days after s1; one week leaves no room.
    ("H21", {}, lambda p: {s.session for s in p.sessions} == {"s1"}),
    # H23: U3 is away all week, so the cohort cannot meet.
    ("H23", {"participants": [{"id": "U1"}, {"id": "U2"},
                              {"id": "U3", "weekly_unavailable": [
                                  f"{d}:{x}" for d in ("mon", "tue", "wed", "thu", "fri")
                                  for x in ("morning", "afternoon", "evening")]}]},
     lambda p: not p.sessions),
    # H24: nobody certified, only a trainee.
    ("H24", {"trainers": [{"id": "T2", "trainee": ["P"]}]}, lambda p: not p.sessions),
    # H25: no venue holds the cohort (3 + 1 trainer); the two-member group still fits.
    ("H25", {"venues": [{"id": "V1", "capacity": 2}]},
     lambda p: not p.sessions and p.meetings),
    # H26: U1 has 3 hours; s1 takes 2, a meeting 2 more: only one fits.
    ("H26", {"participants": [{"id": "U1", "max_hours": 3}, {"id": "U2"}, {"id": "U3"}]},
     lambda p: len(p.sessions) + len(p.meetings) == 1),
]


@pytest.mark.parametrize(("rule", "changes", "check"), BINDING, ids=[b[0] for b in BINDING])
def test_each_rule_binds(rule, changes, check):
    data = _small(**copy.deepcopy(changes))
    result = _checked(from_data(data))
    assert check(result.plan), result.plan.sessions
    assert result.plan.unscheduled and all(u.reasons for u in result.plan.unscheduled)


def test_h22_people_are_in_one_place_at_a_time():
    # G1 (members U1, A) and the cohort (U1) may only meet on monday evening: one of them.
    data = _small(calendar={"start": "2026-09-07", "end": "2026-09-07"})
    data["programmes"][0]["sessions"] = [{"id": "s1", "parts": ["evening"]}]
    data["groups"][0]["parts"] = ["evening"]
    data["groups"][0]["meetings"] = 1
    result = _checked(from_data(data))
    assert len(result.plan.sessions) + len(result.plan.meetings) == 1


def test_weekly_teaching_blocks_part_b():
    # A teaches on thursday afternoons (part A), and G1's only slots are thursday afternoons.
    data = _small(calendar={"start": "2026-09-07", "end": "2026-09-18"})
    data["groups"][0].update(parts=["afternoon"], meetings=1, mode="online")
    data["participants"][0]["weekly_unavailable"] = [f"{d}:afternoon" for d in
                                                     ("mon", "tue", "wed", "fri")]
    scenario = from_data(data)
    with_a = _checked(scenario)
    assert any(a.slot == WeeklySlot.parse("thu:afternoon") for a in with_a.plan.assignments)
    assert not with_a.plan.meetings
    only_b = _checked(scenario, Settings(time_limit=10, part="sessions"))
    assert only_b.plan.meetings and not only_b.plan.assignments


def test_sessions_part_with_given_assignments():
    scenario = from_data(part_b())
    teaching = [Assignment(instructor="A", demand="D1", school="S1", slot="thu:afternoon")]
    result = _checked(scenario, Settings(time_limit=10, part="sessions"), assignments=teaching)
    assert result.plan.assignments == teaching
    assert result.plan.objective_parts.assign == 1000


@pytest.mark.slow
def test_reproducible_schedules():
    scenario = generate(20, 10, 3, 3, seed=4)
    s = Settings(time_limit=2, reproducible=True)
    a, b = solve(scenario, s).plan, solve(scenario, s).plan
    strip = {"solver": None}
    assert a.model_copy(update=strip).dumps() == b.model_copy(update=strip).dumps()


def test_a_two_daypart_session_without_both_parts_is_left_out_with_the_reason():
    data = part_b()
    data["programmes"][0]["sessions"][2]["parts"] = ["afternoon", "evening"]
    result = _checked(from_data(data))
    left = [u for u in result.plan.unscheduled if u.session == "s3"]
    assert left and "morning and afternoon" in left[0].reasons[0].message


def test_progress_counts_scheduled_items_and_the_plan_says_when_all_were():
    seen = []
    result = _checked(from_data(part_b()), progress=seen.append)
    items = result.plan.kpis.sessions + result.plan.kpis.meetings
    assert not result.plan.unscheduled
    counts = [p.scheduled for p in seen if p.scheduled is not None]
    assert counts and all(0 <= c <= items for c in counts)
    when = result.plan.solver.details["sessions_all_scheduled_s"]
    assert when is not None and 0 <= when <= result.build_time + result.solve_time + 0.5


def test_no_all_scheduled_time_when_an_item_cannot_be_scheduled():
    data = part_b()
    data["programmes"][0]["sessions"][2]["parts"] = ["afternoon", "evening"]
    result = _checked(from_data(data))
    assert result.plan.unscheduled
    assert result.plan.solver.details["sessions_all_scheduled_s"] is None


_ALL_WEEK = [f"{d}:{x}" for d in ("mon", "tue", "wed", "thu", "fri")
             for x in ("morning", "afternoon", "evening")]
REASONS = [
    # The only certified trainer is away all week; the trainee may not deliver alone.
    ("no_certified_trainer", {"trainers": [{"id": "T1", "certified": ["P"],
                                            "weekly_unavailable": _ALL_WEEK},
                                           {"id": "T2", "trainee": ["P"]}]},
     ("C1", "s1"), "T1"),
    # The cohort and its trainer are four people; the one venue holds two.
    ("no_venue", {"venues": [{"id": "V1", "capacity": 2}]}, ("C1", "s1"), "holds 4 people"),
    # U1 has three hours: s1 (2 h) fits, the group's meeting (2 h more) does not.
    ("budget_exhausted", {"participants": [{"id": "U1", "max_hours": 3}, {"id": "U2"},
                                           {"id": "U3"}],
                          "groups": [{"id": "G1", "members": ["U1"], "meetings": 1}]},
     ("G1", 1), "U1"),
    # After s1 in the first week, the 7–14 day window of s2 lies in the holidays.
    ("window_closed", {"calendar": {"start": "2026-09-07", "end": "2026-09-25",
                                    "blocked": [{"from": "2026-09-14", "to": "2026-09-25"}]}},
     ("C1", "s2"), "2026-09-14"),
    # U3 is away all week: the cohort's calendars never meet.
    ("no_common_time", {"participants": [{"id": "U1"}, {"id": "U2"},
                                         {"id": "U3", "weekly_unavailable": _ALL_WEEK}]},
     ("C1", "s1"), "U3"),
]


@pytest.mark.parametrize(("code", "changes", "item", "named"), REASONS,
                         ids=[r[0] for r in REASONS])
def test_each_unscheduled_reason_arises_and_names_its_cause(code, changes, item, named):
    data = part_b()
    data.update(copy.deepcopy(changes))
    if "calendar" not in changes:
        data["calendar"] = {"start": "2026-09-07", "end": "2026-09-11"}   # one week
    result = _checked(from_data(data))
    left = {(u.cohort, u.session) if u.kind == "session" else (u.group, u.index): u
            for u in result.plan.unscheduled}
    assert item in left, sorted(left)
    reasons = [r for r in left[item].reasons if r.code == code]
    assert reasons, left[item].reasons
    assert any(named in r.message or named in r.items for r in reasons), reasons
