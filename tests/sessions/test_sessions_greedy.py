"""The greedy school-year schedule (part B's warm start) breaks no rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wtmatch.generate import generate
from wtmatch.plan import Plan, ScheduledMeeting, ScheduledSession
from wtmatch.sessions.greedy import greedy_schedule
from wtmatch.sessions.items import build_items, build_year
from wtmatch.verify import verify


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 6), st.integers(0, 5), st.integers(0, 10**6))
def test_greedy_schedule_passes_the_checker(n_coh, n_grp, seed):
    scenario = generate(8, 4, n_coh, n_grp, seed=seed)
    year = build_year(scenario, [])
    items = build_items(scenario, year)
    placed = greedy_schedule(year, items)
    sessions, meetings = [], []
    for k, (q, trainers, venue) in placed.items():
        it = items[k]
        slots = [year.slot_of(q + j) for j in range(it.size)]
        if it.kind == "session":
            sessions.append(ScheduledSession(cohort=it.key[0], session=it.key[1], slots=slots,
                                             trainers=list(trainers), venue=venue))
        else:
            meetings.append(ScheduledMeeting(group=it.key[0], index=it.key[1], slot=slots[0],
                                             venue=venue))
    verdict = verify(scenario, Plan(status="feasible", sessions=sessions, meetings=meetings))
    assert verdict.feasible, verdict.summary()
    assert placed or not items
