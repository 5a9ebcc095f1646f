"""Why a session or meeting stays unscheduled: solver-free analysis of items and plan."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from wtmatch.plan import Reason
from wtmatch.sessions.items import Item, Year, allowed_starts


def unscheduled_reasons(year: Year, items: list[Item], placed: dict, k: int,
                        proven_optimal: bool) -> list[Reason]:
    """Reasons why item ``k`` is not in the schedule."""
    it = items[k]
    sc = year.scenario
    out: list[Reason] = []
    if it.why_empty:
        out.append(Reason(code="no_common_time", message="; ".join(it.why_empty),
                          items=list(it.attendees)[:20]))
    if it.kind == "session":
        free_cert = [t for t in it.certified
                     if allowed_starts(it.domain, it.size, year.blocked.get(t, set()))]
        if it.domain and not free_cert:
            out.append(Reason(code="no_certified_trainer",
                              message="no certified trainer is free on any date in its window"
                                      + ("" if it.certified else
                                         " (nobody is certified for the programme)"),
                              items=list(it.certified)))
        elif len(it.certified) + len(it.trainees) < it.trainers_needed:
            out.append(Reason(code="too_few_trainers",
                              message=f"it needs {it.trainers_needed} trainers; only "
                                      f"{len(it.certified) + len(it.trainees)} may deliver it"))
    if it.physical and not it.venues:
        biggest = max((v.capacity for v in sc.venues), default=0)
        out.append(Reason(code="no_venue", message=f"no venue holds {it.headcount} people "
                          f"(the largest holds {biggest})"))
    before = it.after if it.after is not None else it.previous_meeting
    if before is not None:
        if before not in placed:
            out.append(Reason(code="predecessor_unscheduled",
                              message=f"it follows {items[before].label}, which is not "
                                      "scheduled"))
        elif it.after is not None:
            d0 = placed[before].q // 3
            hi = d0 + it.max_gap if it.max_gap is not None else None
            window = [q for q in it.domain if q // 3 - d0 >= it.min_gap
                      and (hi is None or q // 3 <= hi)]
            if not window:
                first = year.start.toordinal() + d0 + it.min_gap
                a = dt.date.fromordinal(first)
                b = "" if hi is None else f" to {dt.date.fromordinal(year.start.toordinal() + hi)}"
                out.append(Reason(code="window_closed",
                                  message=f"the window after {items[before].label} ({a}{b}) "
                                          "has no school day where its people are free "
                                          "(holidays, blocked dates or unavailability)"))
    used = _hours_used(year, items, placed)
    for person in it.attendees:
        p = sc.persons.get(person)
        if p is None or p.max_hours is None:
            continue
        over = used.get(person, Fraction(0)) + it.hours > Fraction(str(p.max_hours))
        if over and person in it.attendees:
            out.append(Reason(code="budget_exhausted", items=[person],
                              message=f"{person}'s budget is used up: "
                                      f"{float(used.get(person, 0)):g} of {p.max_hours:g} h "
                                      f"spent, {float(it.hours):g} h more needed"))
    if not out:
        out.append(Reason(code="no_free_slot" if proven_optimal else "search_stopped",
                          message="no date is left where its people, trainers and a venue are "
                                  "all free together" if proven_optimal else
                                  "the search stopped before placing it; a longer time limit "
                                  "may schedule it"))
    return out


def _hours_used(year: Year, items: list[Item], placed: dict) -> dict[str, Fraction]:
    used: dict[str, Fraction] = {}
    for k, pl in placed.items():
        it = items[k]
        for person in (*it.attendees, *pl.trainers):
            used[person] = used.get(person, Fraction(0)) + it.hours
    return used
