"""Part A's search: candidates, a verified greedy start, then CP-SAT and neighbourhoods.

:func:`solve_assign` takes a scenario and gives a :class:`~wtmatch.result.Result`.
Which search runs is decided by size (:mod:`wtmatch.solver.assign.strategy`);
every plan it returns is valued exactly (:func:`wtmatch.assign.evaluate.assign_terms`),
never taken from CP-SAT's objective.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from wtmatch.assign.candidates import MODE_HARD, Candidates, Pool, build_candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.greedy import greedy, greedy_by_school
from wtmatch.assign.reasons import ineligible_pin_reasons, rules_between
from wtmatch.assign.slot_bound import slot_bound
from wtmatch.assign.unfold import fold_result, unfold, unfold_rows
from wtmatch.budget import Budget
from wtmatch.plan import Assignment, Reason
from wtmatch.progress import Improving, Progress
from wtmatch.result import Result, Status
from wtmatch.scenario import Scenario
from wtmatch.settings import Settings
from wtmatch.solver.assign import conflicts
from wtmatch.solver.assign import strategy as plan_of
from wtmatch.solver.assign.by_period import solve_by_period, splits
from wtmatch.solver.assign.lns import improve, improve_plan
from wtmatch.solver.assign.lp_bound import LpBound
from wtmatch.solver.assign.model import AssignModel, build_assign_model
from wtmatch.solver.assign.outcome import (
    given_result,
    greedy_result,
    infeasible_result,
    no_plan_in_time,
    plan_result,
)
from wtmatch.solver.cpsat.hints import complete_hint
from wtmatch.solver.cpsat.lanes import lanes_for
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.params import lp_portfolio
from wtmatch.solver.cpsat.params import workers as cp_workers
from wtmatch.solver.cpsat.run import CpResult, run, version


def solve_assign(scenario: Scenario, settings: Settings, budget: Budget,
                 progress: Callable[[Progress], None] | None = None,
                 start: list[Assignment] = ()) -> Result:
    """Part A within ``budget``: candidates, greedy warm start, CP-SAT, reasons.

    ``start`` rows (a warm start) are kept where they fit; ``progress``
    hears of every better plan the search holds.
    """
    if scenario.periods and scenario.period_copies is None:
        # §8: one problem of per-period copies, folded back into rows with periods;
        # a large year period by period, then joined
        unfolded = unfold(scenario)
        year = build_candidates(Pool.of(unfolded))
        if splits(year) and not settings.reproducible:
            return solve_by_period(scenario, unfolded, year, settings, budget, solve_assign,
                                   progress, unfold_rows(list(start)))
        return fold_result(scenario, unfolded, solve_assign(
            unfolded, settings, budget, progress, unfold_rows(list(start))))
    t0 = time.perf_counter()
    options = CpOptions.of(settings)
    tuning = settings.assign_tuning
    pool = Pool.of(scenario)
    cands = build_candidates(pool)
    pins, bad_pins = _pins(scenario, pool, cands)
    if bad_pins:
        return infeasible_result(scenario, bad_pins, time.perf_counter() - t0, 0.0, options)

    n = len(cands)
    bundled = plan_of.bundles_pay(n, budget.seconds)
    first = _best_start(cands, list(pins.values()), start, by_school=bundled)
    greedy_value = sum(assign_terms(cands, first).values())
    report = Improving(progress, t0, part="assign")
    complete = _complete(first, pins)
    if complete:
        report.plan(greedy_value)
    path = plan_of.path_for(n, settings)
    if path == plan_of.Path.BIG and complete:
        return _solve_big(scenario, cands, pins, first, greedy_value, report, options, budget, t0)
    if plan_of.build_overruns(n, bundled, budget.seconds) and complete:
        return greedy_result(scenario, cands, first, greedy_value, time.perf_counter() - t0,
                             options, "building the model would overrun the time limit")
    lns_workers = 0 if n < plan_of.LNS_FROM else 1
    need_mb = plan_of.search_memory_mb(n, cp_workers(lp_portfolio(options, lns_workers)))
    allowed_mb = settings.memory_limit_mb or plan_of.memory_cap_mb()
    if allowed_mb is not None and need_mb > allowed_mb and complete:
        # CP-SAT would swap or be killed for want of memory (decided by size and the
        # machine, never by its load, so runs on one machine agree).
        return greedy_result(scenario, cands, first, greedy_value, time.perf_counter() - t0,
                             options, f"the search would need about {plan_of.size_words(need_mb)}, "
                             f"more than the {plan_of.size_words(allowed_mb)} allowed "
                             "(Settings.memory_limit_mb)")
    model = build_assign_model(cands, pins, symmetry=tuning.symmetry, names=n <= 20_000)
    if tuning.hint:
        _hint_plan(model, first)
    build_time = time.perf_counter() - t0

    if not budget.deterministic:
        # the plan's rows and reasons come after the search, within the same limit
        budget = budget.within(budget.left() - plan_of.FINISH_US * n * 1e-6)
    left = budget.search_limit()
    chosen_lns, lns_stats = first, {}
    t_search = time.perf_counter()
    lp = None
    if path == plan_of.Path.MID and complete:
        # The full search after it keeps at least BOUND_S: less and CP-SAT reports no bound.
        lns_time = max(0.0, min(left * tuning.lns_share, left - plan_of.BOUND_S))
        if plan_of.lp_pays(n, lns_time):
            # The LP relaxation's bound from GLOP, beside the search: once it is known, the
            # full search is not needed for a bound, and the search keeps all the time.
            lp = LpBound(model.builder.model, budget.wall(0.9 * lns_time))
        chosen_lns, lns_stats = improve(
            model, first, options, budget.wall(lns_time),
            bound=None if lp is None else lp.value,
            extra_seconds=max(0.0, left - lns_time - 0.3),
            guide=lp if tuning.lp_guide else None,
            on_improve=lambda v: report.plan(v, _or_inf(lp)))
    lp_bound = None if lp is None else lp.value()
    if lp is not None:
        lp.stop()
    if lp_bound is not None:
        lns_stats["bound_from"] = "LP relaxation (GLOP)"
    elif tuning.hint and plan_of.LNS_FROM <= n <= plan_of.COMPLETE_UP_TO and \
            not lns_stats.get("interrupted"):
        # A complete hint is CP-SAT's first solution at once; the LP subsolvers
        # would not complete a partial one on a model this size.
        _hint_plan(model, chosen_lns, budget.within(min(plan_of.COMPLETE_HINT_S,
                                                        plan_of.COMPLETE_HINT_SHARE * left)))
    probe = time.perf_counter() - t_search
    if lns_stats.get("interrupted") or lp_bound is not None:
        # Interrupted, or the search had all the time and the bound is the LP's.
        out = CpResult("feasible", None, None, lp_bound, probe,
                       bool(lns_stats.get("interrupted")), {}, [], version())
    else:
        # Below LNS_FROM the two LP subsolvers prove the model; above, one more
        # worker keeps improving the plan while they work on the bound.
        out = run(model.builder.model, lp_portfolio(options, lns_workers), budget,
                  report if report.wanted else None)
        out = replace(out, wall_time=out.wall_time + probe)
    if out.status == "infeasible":
        core = conflicts.minimal_pin_conflict(cands, pins, options, budget)
        reasons = [Reason(code="pins_conflict", items=[f"pinned[{r}]" for r in core],
                          message=_conflict_words(scenario, cands, pins, core))]
        return infeasible_result(scenario, reasons, build_time, out.wall_time, options)

    if out.values is not None:
        chosen, status = model.chosen(out.values), Status(out.status)
    elif complete:
        chosen, status = first, Status.FEASIBLE
    else:
        return no_plan_in_time(scenario, build_time, out.wall_time, options)
    if lns_stats and sum(assign_terms(cands, chosen_lns).values()) > \
            sum(assign_terms(cands, chosen).values()):
        # The full search was cut short before reaching the neighbourhoods' plan, or
        # did not run (the LP gave the bound).
        chosen = chosen_lns
    terms = assign_terms(cands, chosen)
    # The warm start can only be better when the search was cut short.
    if complete and greedy_value > sum(terms.values()):
        chosen, terms = first, assign_terms(cands, first)
    objective = sum(terms.values())
    bound = None if out.bound is None else max(objective, math.floor(out.bound + 1e-6))
    interrupted = out.interrupted or bool(lns_stats.get("interrupted"))
    if bound is None and interrupted:
        bound = _bound_after_a_stop(cands, objective)
    if status == Status.OPTIMAL or (bound is not None and objective >= bound):
        status, bound = Status.OPTIMAL, objective
    # CP-SAT's objective of a plan can sit below its exact value (a penalty variable
    # not yet at its lowest); the stream ends with the plan returned.
    report.plan(objective, math.inf if bound is None else bound)
    return plan_result(scenario, cands, chosen, terms, status, bound, build_time,
                       out.wall_time, options,
                       {**model.stats, **out.stats, **lns_stats, "interrupted": interrupted,
                        "greedy_objective": int(greedy_value)}, out.workers, out.version)


def given_assign(scenario: Scenario, rows: list[Assignment]) -> Result:
    """Part A taken from an earlier plan's ``rows``, valued exactly."""
    if scenario.periods and scenario.period_copies is None:
        unfolded = unfold(scenario)
        return fold_result(scenario, unfolded, given_result(
            unfolded, build_candidates(Pool.of(unfolded)), unfold_rows(rows)))
    return given_result(scenario, build_candidates(Pool.of(scenario)), rows)


def _pins(scenario: Scenario, pool: Pool, cands: Candidates
          ) -> tuple[dict[int, int], list[Reason]]:
    """Pin row → candidate position, and a reason for each pin that no candidate holds."""
    pins: dict[int, int] = {}
    bad: list[Reason] = []
    for row, pin in enumerate(scenario.pinned):
        pos = cands.find(pin.instructor, pin.demand, pin.slot)
        if pos is None:
            why = ineligible_pin_reasons(pool, pin.instructor, pin.demand, pin.slot)
            bad.append(Reason(code="pin_ineligible", items=[f"pinned[{row}]"],
                              message=f"pinned[{row}] ({pin.instructor}, {pin.demand}, "
                                      f"{pin.slot}) cannot hold: {'; '.join(why)}"))
        else:
            pins[row] = pos
    return pins, bad


def _solve_big(scenario: Scenario, cands: Candidates, pins: dict[int, int], first: np.ndarray,
               greedy_value: int, report: Improving, options: CpOptions, budget: Budget,
               t0: float) -> Result:
    """Part A above the full model's reach: the slot bound, then neighbourhoods, no full model.

    CP-SAT on a full model this size barely moves the greedy plan and its
    bound comes late or never, while neighbourhoods of a few instructors,
    each its own small model, keep improving it, and the slot bound
    (:mod:`wtmatch.assign.slot_bound`) bounds it in a second or two.
    """
    build = time.perf_counter() - t0
    found = slot_bound(cands, greedy_value,
                       deadline=budget.within(plan_of.SLOT_BOUND_SHARE * budget.seconds).end,
                       iterations=plan_of.SLOT_BOUND_STEPS)
    bound = max(found.bound, greedy_value)
    report.plan(greedy_value, bound)
    t_search = time.perf_counter()
    # the plan's rows and reasons, and a last round's overrun, come after the search
    search = budget.within(budget.left() - plan_of.FINISH_US * len(cands) * 1e-6)
    chosen, stats = improve_plan(cands, pins, first, options, search,
                                 on_improve=lambda v: report.plan(v, bound), bound=lambda: bound)
    terms = assign_terms(cands, chosen)
    if greedy_value > sum(terms.values()):
        chosen, terms = first, assign_terms(cands, first)
    objective = sum(terms.values())
    status = Status.OPTIMAL if objective >= bound else Status.FEASIBLE
    bound = max(bound, objective)
    report.plan(objective, bound)
    return plan_result(scenario, cands, chosen, terms, status, bound, build,
                       time.perf_counter() - t_search, options,
                       {**stats, "candidates": len(cands), "bound_from": "slot bound",
                        "slot_bound_steps": found.steps,
                        "slot_bound_s": round(found.seconds, 3),
                        "interrupted": bool(stats.get("interrupted")),
                        "greedy_objective": int(greedy_value)},
                       lanes_for(options))


def _bound_after_a_stop(cands: Candidates, objective: int) -> int | None:
    """A quick slot bound for a search stopped before CP-SAT had one (None if stopped again)."""
    try:
        found = slot_bound(cands, objective, iterations=plan_of.STOP_BOUND_STEPS)
    except KeyboardInterrupt:
        return None
    return max(objective, found.bound)


def _or_inf(lp: LpBound | None) -> float:
    """The LP bound if known, else inf (no bound yet)."""
    value = None if lp is None else lp.value()
    return math.inf if value is None else value


def _complete(chosen: np.ndarray, pins: dict[int, int]) -> bool:
    """Whether the plan ``chosen`` holds every pin."""
    return set(pins.values()) <= set(chosen.tolist())


def _best_start(cands: Candidates, pins: list[int], seed_rows: list = (),
                by_school: bool = True) -> np.ndarray:
    """The best of the greedy plans (by seat, by school, from the previous plan) keeping every pin.

    With a ``previous_plan`` (re-planning) or ``seed_rows`` (a warm start), one
    start each keeps the rows that still fit and fills the rest greedily. Rows of
    hard-continuity demands are left to the greedy, which places whole teams.
    """
    pool = cands.pool
    hard = pool.d_mode == MODE_HARD

    def positions(rows) -> list[int]:
        return [p for p in cands.find_rows(rows)
                if p is not None and not hard[cands.d[p]] and p not in pins]

    makers = [greedy, greedy_by_school] if by_school else [greedy]
    for rows in (pool.scenario.previous_plan, seed_rows):
        if seeded := positions(rows):
            makers.append(lambda c, p, seeded=seeded: greedy(c, list(p) + seeded))
    best, best_value = None, None
    for make in makers:
        chosen = make(cands, pins)
        if not set(pins) <= set(chosen.tolist()):
            continue
        value = sum(assign_terms(cands, chosen).values())
        if best_value is None or value > best_value:
            best, best_value = chosen, value
    return best if best is not None else greedy(cands, pins)


def _hint_plan(model: AssignModel, chosen: np.ndarray, complete_within: Budget | None = None
               ) -> None:
    """Hint the plan ``chosen`` to CP-SAT, replacing any earlier hint.

    Its assignment variables only; with ``complete_within``, every variable of
    ``model`` (the assignment part alone if completing fails in that time).
    """
    hint = np.zeros(model.builder.n_vars, dtype=np.int64)
    hint[model.x_of[chosen]] = 1
    xs = np.unique(model.x_of)
    full = None if complete_within is None else \
        complete_hint(model.builder.model, xs, hint[xs], complete_within)
    model.builder.proto.solution_hint.vars.clear()
    model.builder.proto.solution_hint.values.clear()
    if full is None:
        model.builder.hint(xs, hint[xs])
    else:
        model.builder.hint(np.arange(model.builder.n_vars), full)


def _conflict_words(scenario: Scenario, cands: Candidates, pins: dict[int, int],
                    core: list[int]) -> str:
    """The conflicting pins ``core`` and the rules between them, in words."""
    rows = [f"pinned[{r}] ({p.instructor}, {p.demand}, {p.slot})"
            for r in core for p in [scenario.pinned[r]]]
    rules = rules_between(cands, [pins[r] for r in core])
    because = f" — {'; '.join(dict.fromkeys(rules))}" if rules else ""
    return f"these pins cannot all hold: {', '.join(rows)}{because}"
