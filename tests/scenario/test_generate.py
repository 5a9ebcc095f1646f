"""The synthetic-scenario generator."""

from __future__ import annotations

import collections
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from wtmatch.generate import HOLIDAYS, REGIONS, SKILLS, generate, generate_data
from wtmatch.scenario import dumps, from_data
from wtmatch.scenario.time import DAYS


def test_same_arguments_same_scenario():
    assert dumps(generate(30, 20, 3, 3, seed=5)) == dumps(generate(30, 20, 3, 3, seed=5))
    assert dumps(generate(30, 20, seed=5)) != dumps(generate(30, 20, seed=6))


def test_a_realistic_pool():
    s = generate(120, 80, 6, 6, seed=1)
    assert len(s.instructors) == 120 and len(s.schools) == 80
    assert {s.region for s in s.schools} == set(REGIONS)
    assert {t for sch in s.schools for t in [sch.type]} == {"PO", "VO", "MBO", "KO"}
    assert all(1 <= len(sch.demands) <= 4 for sch in s.schools)
    assert all(2 <= len(i.available) <= 8 for i in s.instructors)
    skills = {k for i in s.instructors for k in i.skills}
    assert skills <= set(SKILLS) and len(skills) >= 10
    assert any(e.max_absent_per_slot is not None for e in s.employers)
    assert all(8 <= len(c.participants) <= 20 for c in s.cohorts)
    assert any(t.trainee for t in s.trainers) and all(t.certified for t in s.trainers)
    members = [m for g in s.groups for m in g.members]
    assert len(members) > len(set(members))           # people belong to several groups
    assert len(s.calendar.blocked) == len(HOLIDAYS) and s.calendar.study_days
    assert 180 <= len(s.calendar.school_days()) <= 200


def test_tight_has_fewer_instructor_slots_and_more_demand():
    loose, tight = generate(100, 60, seed=3), generate(100, 60, seed=3, tight=True)

    def slots(sc):
        return sum(len(i.available) for i in sc.instructors)

    def seats(sc):
        return sum(len(d.slots) * d.instructors_needed for s in sc.schools for d in s.demands)

    assert slots(tight) < slots(loose) and seats(tight) > seats(loose)


@given(st.integers(0, 25), st.integers(0, 20), st.integers(0, 4), st.integers(0, 4),
       st.integers(0, 2**31), st.booleans())
def test_generated_scenarios_always_validate(n_ins, n_sch, n_coh, n_grp, seed, tight):
    data = generate_data(n_ins, n_sch, n_coh, n_grp, seed, tight)
    scenario = from_data(json.loads(json.dumps(data)))
    assert len(scenario.instructors) == n_ins and len(scenario.cohorts) == n_coh


def test_editing_generated_data_does_not_leak_into_the_next():
    first = generate_data(2, 2, 1, 0, seed=1)
    first["programmes"][0]["sessions"].clear()
    assert generate_data(2, 2, 1, 0, seed=1)["programmes"][0]["sessions"]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 2**31))
def test_nobody_is_enrolled_beyond_their_budget(n_coh, n_grp, seed):
    # H26 must be satisfiable by scheduling everything: enrolment respects budgets.
    data = generate_data(12, 6, n_coh, n_grp, seed)
    hours = {p["id"]: sum(s["hours"] for s in p["sessions"]) for p in data.get("programmes", [])}
    enrolled: collections.Counter = collections.Counter()
    for c in data.get("cohorts", []):
        for pid in c["participants"]:
            enrolled[pid] += hours[c["programme"]]
    for g in data.get("groups", []):
        for pid in g["members"]:
            enrolled[pid] += g["meetings"] * g["hours"]
    budget = {p["id"]: p["max_hours"] for p in data.get("participants", [])}
    assert all(enrolled[pid] <= cap for pid, cap in budget.items())


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 30), st.integers(0, 2**31))
def test_every_cohort_has_a_weekday_its_participants_keep_free(n_coh, seed):
    data = generate_data(0, 4, n_coh, 0, seed)
    busy = {p["id"]: {s.split(":")[0] for s in p.get("weekly_unavailable", [])}
            for p in data["participants"]}
    for c in data["cohorts"]:
        taken = set().union(*(busy[pid] for pid in c["participants"]))
        assert set(DAYS) - taken, c["id"]
