"""Part B's search: pruned items, a greedy schedule, CP-SAT over optional intervals.

:func:`solve_sessions` schedules the school year around the weekly teaching
of part A and gives a :class:`~wtmatch.result.Result`; every item left out
comes with its reasons. Part B has no pins, so a schedule (the greedy one,
at worst empty) always exists.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from wtmatch.budget import Budget
from wtmatch.plan import (
    Assignment,
    Kpis,
    ObjectiveParts,
    Plan,
    ScheduledMeeting,
    ScheduledSession,
    UnscheduledItem,
)
from wtmatch.progress import Improving, Progress
from wtmatch.result import Result, Status, relative_gap
from wtmatch.scenario import Scenario
from wtmatch.sessions.evaluate import session_terms
from wtmatch.sessions.greedy import greedy_schedule
from wtmatch.sessions.items import Item, Year, build_items, build_year
from wtmatch.sessions.keep import YearInForce, hold
from wtmatch.sessions.reasons import unscheduled_reasons
from wtmatch.settings import Settings
from wtmatch.solver.cpsat.info import solver_info
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.run import run
from wtmatch.solver.sessions import strategy
from wtmatch.solver.sessions.model import Placed, build_sessions_model, extract, hint


def solve_sessions(scenario: Scenario, settings: Settings, budget: Budget,
                   teaching: list[Assignment],
                   progress: Callable[[Progress], None] | None = None,
                   keep: YearInForce | None = None) -> Result:
    """Part B within ``budget``, with ``teaching`` (part A's rows) blocking instructors.

    With ``keep`` (the year of a plan in force), each of its items stays where
    it was when that still holds (:func:`wtmatch.sessions.keep.hold`).
    """
    t0 = time.perf_counter()
    options = CpOptions.of(settings)
    year = build_year(scenario, teaching)
    items = build_items(scenario, year)
    held = hold(year, items, keep) if keep is not None else None
    sm = build_sessions_model(year, items)
    start = greedy_schedule(year, items)
    if settings.sessions_tuning.hint:
        hint(sm, start)
    build_time = time.perf_counter() - t0
    options = options.with_defaults(**strategy.cpsat_params(len(items)))
    # When the search first schedules every item: the benchmark figure
    # "time to all-scheduled", and a count on each progress report.
    all_scheduled = build_time if len(start) == len(items) else None

    report = Improving(progress, t0, part="sessions")

    def watch(p: Progress) -> None:
        nonlocal all_scheduled
        if all_scheduled is None and p.scheduled == len(items):
            all_scheduled = build_time + p.time
        report(p)

    out = run(sm.model, options, budget, watch, count=sm.present)

    greedy_placed = {k: Placed(q, tuple(t), v) for k, (q, t, v) in start.items()}
    placed = extract(sm, out.values) if out.values is not None else greedy_placed
    status = Status(out.status) if out.values is not None else Status.FEASIBLE
    sessions, meetings = schedule_rows(year, items, placed)
    if status != Status.OPTIMAL:
        # The warm start can only be better when the search was cut short.
        g_rows = schedule_rows(year, items, greedy_placed)
        if sum(session_terms(scenario, *g_rows).values()) > \
                sum(session_terms(scenario, sessions, meetings).values()):
            placed, (sessions, meetings) = greedy_placed, g_rows
    unscheduled = _unscheduled(year, items, placed, status == Status.OPTIMAL)
    terms = session_terms(scenario, sessions, meetings)
    objective = sum(terms.values())
    bound = objective if status == Status.OPTIMAL else (
        max(objective, math.floor(out.bound + 1e-6)) if out.bound is not None else None)
    report.plan(objective, math.inf if bound is None else bound)
    n_ses = sum(1 for it in items if it.kind == "session")
    kpis = Kpis(sessions=n_ses, sessions_scheduled=len(sessions),
                meetings=len(items) - n_ses, meetings_scheduled=len(meetings))
    plan = Plan(scenario=scenario.name, status=status.value, objective=objective,
                objective_parts=ObjectiveParts(assign=0, sessions=objective),
                objective_terms=terms, bound=bound, sessions=sessions, meetings=meetings,
                unscheduled=unscheduled, kpis=kpis,
                solver=solver_info(build_time, out.wall_time, options,
                                   relative_gap(objective, bound),
                                   {"items": len(items), "interrupted": out.interrupted,
                                    **({} if held is None else {
                                        "items_held": len(held.held),
                                        "items_to_move": len(held.broken)}),
                                    "all_scheduled_s": None if all_scheduled is None
                                    else round(all_scheduled, 3), **out.stats},
                                   out.workers, out.version))
    return Result(status, objective, bound, terms, build_time, out.wall_time, plan, scenario)


def schedule_rows(year: Year, items: list[Item], placed: dict[int, Placed]
                  ) -> tuple[list[ScheduledSession], list[ScheduledMeeting]]:
    """Plan rows of the placed items, in date order."""
    sessions, meetings = [], []
    for k, pl in sorted(placed.items(), key=lambda kv: (kv[1].q, kv[0])):
        it = items[k]
        slots = [year.slot_of(pl.q + j) for j in range(it.size)]
        if it.kind == "session":
            sessions.append(ScheduledSession(cohort=it.key[0], session=it.key[1], slots=slots,
                                             trainers=list(pl.trainers), venue=pl.venue))
        else:
            meetings.append(ScheduledMeeting(group=it.key[0], index=it.key[1], slot=slots[0],
                                             venue=pl.venue))
    return sessions, meetings


def _unscheduled(year: Year, items: list[Item], placed: dict[int, Placed], optimal: bool
                 ) -> list[UnscheduledItem]:
    """Every item not placed, with its reasons."""
    out = []
    for k, it in enumerate(items):
        if k in placed:
            continue
        reasons = unscheduled_reasons(year, items, placed, k, optimal)
        if it.kind == "session":
            out.append(UnscheduledItem(kind="session", cohort=it.key[0], session=it.key[1],
                                       reasons=reasons))
        else:
            out.append(UnscheduledItem(kind="meeting", group=it.key[0], index=it.key[1],
                                       reasons=reasons))
    return out
