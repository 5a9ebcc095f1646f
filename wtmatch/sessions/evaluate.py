"""The part B objective (S20–S24) of scheduled rows, as the plan reports it."""

from __future__ import annotations

import itertools
from collections import defaultdict

from wtmatch.plan import ScheduledMeeting, ScheduledSession
from wtmatch.scenario import Scenario


def session_terms(scenario: Scenario, sessions: list[ScheduledSession],
                  meetings: list[ScheduledMeeting]) -> dict[str, int]:
    """S20 … S24 of a schedule, each signed as it enters the maximised objective."""
    w = scenario.settings.weights
    t = {"S20": 0, "S21": 0, "S22": 0, "S23": 0, "S24": 0}
    study = set(scenario.calendar.study_days) if scenario.calendar else set()
    for row in sessions:
        coh = scenario.cohort_by_id[row.cohort]
        ses = scenario.session_of(row.cohort, row.session)
        t["S20"] += w.session * coh.priority
        physical = ses.mode == "physical"
        if physical and row.slots[0].date in study:
            t["S21"] += w.study_day
        trainers = [scenario.trainer_by_id[x] for x in row.trainers]
        if any(coh.programme in tr.trainee and coh.programme not in tr.certified
               for tr in trainers):
            t["S22"] += w.trainee
        if physical and row.venue is not None:
            venue = scenario.venue_by_id[row.venue]
            t["S23"] -= w.trainer_km * sum(scenario.km_trainer_venue(tr, venue)
                                           for tr in trainers)
    dates: dict[str, list] = defaultdict(list)
    for m in meetings:
        t["S20"] += w.meeting
        dates[m.group].append(m.slot)
    cal = scenario.calendar
    for gid, slots in dates.items():
        grp = scenario.group_by_id[gid]
        ideal = (cal.end - cal.start).days // grp.meetings
        slots.sort()
        for a, b in itertools.pairwise(slots):
            t["S24"] -= w.spread * max(0, ideal - (b.date - a.date).days)
    return t
