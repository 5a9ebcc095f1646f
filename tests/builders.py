"""Tiny hand-made scenarios and plan builders shared by the tests."""

from __future__ import annotations

import copy
from typing import Any

from wtmatch.plan import Assignment, Plan, ScheduledMeeting, ScheduledSession
from wtmatch.scenario import Scenario, from_data

ENSCHEDE = {"lat": 52.2215, "lon": 6.8937}
HENGELO = {"lat": 52.2656, "lon": 6.7931}
ALMELO = {"lat": 52.3567, "lon": 6.6625}


def part_a() -> dict[str, Any]:
    """Two instructors of one employer, three schools in three towns.

    Every rule H1–H12 can be broken here by a one-line change of a plan.
    """
    return {
        "settings": {"same_day_max_km": 25},
        "employers": [{"id": "E1", "max_absent_per_slot": 1}],
        "instructors": [
            {"id": "A", "employer": "E1", "location": ENSCHEDE, "qualified": True,
             "skills": {"robotics": 3, "programming": 2},
             "available": ["mon:morning", "mon:afternoon", "tue:morning", "tue:afternoon"],
             "max_dayparts": 3, "max_schools": 2, "max_travel_km": 30},
            {"id": "B", "employer": "E1", "location": HENGELO, "skills": {"robotics": 2},
             "available": ["mon:morning", "tue:morning"], "regions": ["hengelo", "enschede"]},
        ],
        "schools": [
            {"id": "S1", "region": "enschede", "location": ENSCHEDE, "demands": [
                {"id": "D1", "skill": "robotics", "min_level": 3,
                 "slots": ["mon:morning", "mon:afternoon"]}]},
            {"id": "S2", "region": "hengelo", "location": HENGELO, "demands": [
                {"id": "D2", "skill": "robotics", "slots": ["tue:morning"],
                 "instructors_needed": 2},
                {"id": "D3", "skill": "programming", "min_level": 2, "slots": ["mon:morning"],
                 "requires_qualified": True}]},
            {"id": "S3", "region": "almelo", "location": ALMELO, "demands": [
                {"id": "D4", "skill": "robotics", "slots": ["tue:afternoon"],
                 "same_instructor": "hard"}]},
        ],
    }


def part_b() -> dict[str, Any]:
    """A seven-week autumn with one three-session programme, one cohort, one group."""
    return {
        "instructors": [{"id": "A", "location": ENSCHEDE, "skills": {"robotics": 3},
                         "available": ["mon:morning", "thu:afternoon"]}],
        "schools": [{"id": "S1", "location": ENSCHEDE, "demands": [
            {"id": "D1", "skill": "robotics", "slots": ["thu:afternoon"]}]}],
        "calendar": {"start": "2026-09-07", "end": "2026-10-30",
                     "blocked": [{"from": "2026-10-19", "to": "2026-10-23", "name": "herfst"}],
                     "study_days": ["2026-09-16"]},
        "trainers": [
            {"id": "T1", "location": ENSCHEDE, "certified": ["P"], "max_hours": 20},
            {"id": "T2", "location": HENGELO, "trainee": ["P"]},
            {"id": "T3", "location": ENSCHEDE, "certified": ["P"],
             "weekly_unavailable": ["wed:afternoon"]},
        ],
        "participants": [{"id": "U1", "max_hours": 40}, {"id": "U2", "max_hours": 40},
                         {"id": "U3", "unavailable": ["2026-09-09"]}],
        "venues": [{"id": "V1", "capacity": 10, "location": ENSCHEDE},
                   {"id": "V2", "capacity": 3, "location": HENGELO,
                    "unavailable": ["2026-09-24"]}],
        "travel_km": [{"from": "T2", "to": "V1", "km": 9}],
        "programmes": [{"id": "P", "sessions": [
            {"id": "s1", "parts": ["afternoon", "evening"]},
            {"id": "s2", "mode": "online", "after": "s1", "min_gap_days": 7, "max_gap_days": 14},
            {"id": "s3", "dayparts": 2, "trainers": 2, "after": "s2"}]}],
        "cohorts": [{"id": "C1", "programme": "P", "participants": ["U1", "U2", "U3"],
                     "priority": 2}],
        "groups": [{"id": "G1", "members": ["U1", "A"], "meetings": 2,
                    "parts": ["afternoon", "evening"], "min_spacing_days": 14}],
    }


def good_sessions() -> list[dict[str, Any]]:
    """A plan of part B that breaks no rule (S-terms computed by hand in the tests)."""
    return [
        {"cohort": "C1", "session": "s1", "slots": ["2026-09-08:afternoon"], "trainers": ["T1"],
         "venue": "V1"},
        {"cohort": "C1", "session": "s2", "slots": ["2026-09-15:evening"], "trainers": ["T1"]},
        {"cohort": "C1", "session": "s3", "slots": ["2026-09-16:morning", "2026-09-16:afternoon"],
         "trainers": ["T1", "T2"], "venue": "V1"},
    ]


def good_meetings() -> list[dict[str, Any]]:
    return [{"group": "G1", "index": 1, "slot": "2026-09-10:evening", "venue": "V2"},
            {"group": "G1", "index": 2, "slot": "2026-10-01:evening", "venue": "V2"}]


def scenario_of(data: dict[str, Any], **changes: Any) -> Scenario:
    """Validate a deep copy of ``data`` after applying dotted-path ``changes``.

    ``changes`` keys use ``__`` for path separators and digits for list
    indices: ``instructors__0__max_schools=1``.
    """
    data = copy.deepcopy(data)
    for key, value in changes.items():
        parts = [int(p) if p.isdigit() else p for p in key.split("__")]
        target = data
        for p in parts[:-1]:
            target = target[p]
        target[parts[-1]] = value
    return from_data(data)


def plan_of(rows: list[tuple[str, str, str]] = (), scenario: Scenario | None = None,
            sessions: list[dict] = (), meetings: list[dict] = (),
            objective: int | None = None, status: str = "feasible") -> Plan:
    """A plan with the given (instructor, demand, slot) rows, sessions and meetings."""
    school_of = scenario.school_of_demand if scenario else {}
    return Plan(
        status=status, objective=objective,
        assignments=[Assignment(instructor=i, demand=d,
                                school=school_of[d].id if d in school_of else "?", slot=s)
                     for i, d, s in rows],
        sessions=[ScheduledSession.model_validate(s) for s in sessions],
        meetings=[ScheduledMeeting.model_validate(m) for m in meetings],
    )
