"""``solve``: scenario in, plan out.

Part A (the weekly assignment) is built from solver-free candidates, warm
started with a greedy plan and solved with CP-SAT; infeasible pins are
explained with a minimal conflicting set. Infeasible and time-out are
statuses of the result, never exceptions.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from wtmatch.assign.candidates import MODE_HARD, Candidates, Pool, build_candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.greedy import greedy, greedy_by_school
from wtmatch.assign.plan_rows import assign_kpis, assignment_rows, feasible_plan, uncovered_seats
from wtmatch.assign.reasons import ineligible_pin_reasons, rules_between
from wtmatch.assign.slot_bound import slot_bound
from wtmatch.plan import (
    Assignment,
    Kpis,
    ObjectiveParts,
    Plan,
    Reason,
    ScheduledMeeting,
    ScheduledSession,
    SolverInfo,
    UncoveredSeat,
    UnscheduledItem,
)
from wtmatch.scenario import Scenario
from wtmatch.sessions.evaluate import session_terms
from wtmatch.sessions.greedy import greedy_schedule
from wtmatch.sessions.items import build_items, build_year
from wtmatch.sessions.reasons import unscheduled_reasons
from wtmatch.settings import Settings
from wtmatch.solver import conflicts
from wtmatch.solver.assign_model import build_assign_model
from wtmatch.solver.hints import complete_hint
from wtmatch.solver.lanes import lanes_for
from wtmatch.solver.lns import improve, improve_plan
from wtmatch.solver.lp_bound import LpBound
from wtmatch.solver.params import lp_portfolio
from wtmatch.solver.params import workers as cp_workers
from wtmatch.solver.run import CpResult, Progress, arm_ctrl_c, run
from wtmatch.solver.run import _version as cp_version
from wtmatch.solver.sessions_model import Placed, build_sessions_model, extract
from wtmatch.solver.sessions_model import hint as sessions_hint

__all__ = ["Progress", "Result", "solve"]


@dataclass(frozen=True)
class Result:
    """What a solve gives.

    Attributes
    ----------
    status : str
        ``optimal``, ``feasible``, ``infeasible`` or ``unknown``.
    objective, bound : int or None
        The plan's objective (exact, as DOMAIN.md defines it) and an upper
        bound on any plan's; None when there is no plan.
    gap : float or None
        (bound − objective) / max(1, |objective|).
    terms : dict of str to int
        Each objective term, signed.
    build_time, solve_time : float
        Seconds spent building the model(s) and searching.
    plan : Plan
    scenario : Scenario
        The scenario solved (with any weight overrides of the settings).
    """

    status: str
    objective: int | None
    bound: int | None
    gap: float | None
    terms: dict[str, int]
    build_time: float
    solve_time: float
    plan: Plan
    scenario: Scenario = field(repr=False)


def solve(scenario: Scenario, settings: Settings | None = None, *,
          progress: Callable[[Progress], None] | None = None,
          assignments: list[Assignment] | None = None,
          start: list[Assignment] | None = None) -> Result:
    """Solve a scenario: the weekly assignment (A), then the school year (B).

    Parameters
    ----------
    scenario : Scenario
    settings : Settings, optional
        Defaults to ``Settings()``; ``settings.part`` says which parts to solve
        (``all`` by default: A, then B with A's teaching blocking its slots).
    progress : callable, optional
        Called with a :class:`Progress` (time, objective, bound) at each
        improving solution CP-SAT finds.
    assignments : list of Assignment, optional
        With ``part="sessions"``: the weekly teaching (e.g. of an earlier
        plan) that blocks instructors' slots. It is part of the plan returned,
        and of its objective.
    start : list of Assignment, optional
        Part A rows to start the search from (a warm start, e.g. a plan of a
        similar scenario): each row that is eligible and fits is kept, the
        rest is filled greedily; the search may change any of it.

    Returns
    -------
    Result
        Ctrl-C during the search returns the best plan found so far.
    """
    settings = settings or Settings()
    if settings.weights:
        weights = scenario.settings.weights.model_copy(update=settings.weights)
        scenario = scenario.model_copy(update={
            "settings": scenario.settings.model_copy(update={"weights": weights})})
    negative = [k for k, v in scenario.settings.weights.model_dump().items() if v < 0]
    if negative:
        from wtmatch.errors import WtmatchError

        # Penalties are modelled as one-sided bounds, exact for non-negative weights only;
        # the checker accepts any integer weight, the solver refuses rather than mislead.
        raise WtmatchError(f"the solver needs non-negative weights; negative: "
                           f"{', '.join(negative)}")
    has_b = bool(scenario.cohorts or scenario.groups)
    arm_ctrl_c()
    if settings.part == "sessions":
        a = _given_assignments(scenario, assignments or [], settings)
    else:
        a = _solve_assign(scenario, settings, progress, start or [])
        if settings.stable and a.objective is not None:
            a = _stable(scenario, settings, a)
    if settings.part == "assign" or not has_b or a.status in ("infeasible", "unknown"):
        return a
    b = _solve_sessions(scenario, settings, a.plan.assignments, progress)
    return _merge(scenario, a, b)


def _solve_assign(scenario: Scenario, settings: Settings,
                  progress: Callable[[Progress], None] | None,
                  seed_rows: list[Assignment] = ()) -> Result:
    """Part A: candidates, greedy warm start, CP-SAT, reasons."""
    t0 = time.perf_counter()
    pool = Pool.of(scenario)
    cands = build_candidates(pool)
    pins: dict[int, int] = {}
    bad_pins: list[Reason] = []
    for row, pin in enumerate(scenario.pinned):
        pos = cands.find(pin.instructor, pin.demand, pin.slot)
        if pos is None:
            why = ineligible_pin_reasons(pool, pin.instructor, pin.demand, pin.slot)
            bad_pins.append(Reason(code="pin_ineligible", items=[f"pinned[{row}]"],
                                   message=f"pinned[{row}] ({pin.instructor}, {pin.demand}, "
                                           f"{pin.slot}) cannot hold: {'; '.join(why)}"))
        else:
            pins[row] = pos
    if bad_pins:
        return _infeasible(scenario, cands, bad_pins, time.perf_counter() - t0, 0.0, settings)

    n = len(cands)
    bundled = _BUNDLE_US * n * 1e-6 < 0.3 * settings.time_limit
    start = _best_start(cands, list(pins.values()), seed_rows, by_school=bundled)
    greedy_value = sum(assign_terms(cands, start).values())
    report = _Improving(progress, t0)
    if _complete(start, pins):
        report.plan(greedy_value)
    if n > _LNS_UP_TO and settings.lns and not settings.reproducible and _complete(start, pins):
        return _solve_big(scenario, cands, pins, start, greedy_value, report, settings, t0)
    before_search = (_BUILD_US + _LOAD_US + (_BUNDLE_US if bundled else 0.0)) * n * 1e-6
    if before_search > 0.8 * settings.time_limit and _complete(start, pins):
        # Building the CP-SAT model and loading it into CP-SAT would overrun the time
        # limit: the verified greedy plan is the answer (decided by size, so
        # reproducible runs agree).
        return _greedy_only(scenario, cands, start, greedy_value, time.perf_counter() - t0,
                            settings, "building the model would overrun the time limit")
    need_mb = search_memory_mb(n, cp_workers(lp_portfolio(
        settings, lns_workers=0 if n < _LNS_FROM else 1)))
    allowed_mb = settings.memory_limit_mb or memory_cap_mb()
    if allowed_mb is not None and need_mb > allowed_mb and _complete(start, pins):
        # CP-SAT would swap or be killed for want of memory (decided by size and the
        # machine, never by its load, so runs on one machine agree).
        return _greedy_only(scenario, cands, start, greedy_value, time.perf_counter() - t0,
                            settings, f"the search would need about {_size(need_mb)}, more "
                                      f"than the {_size(allowed_mb)} allowed "
                                      "(Settings.memory_limit_mb)")
    model = build_assign_model(cands, pins, symmetry=settings.symmetry,
                               names=n <= 20_000)
    if settings.hint:
        _hint_plan(model, start)
    build_time = time.perf_counter() - t0

    use_lns = (settings.lns and not settings.reproducible
               and _LNS_FROM <= n <= _LNS_UP_TO)
    # The time limit covers the whole part, model building included.
    left = settings.time_limit if settings.reproducible else max(
        0.5, settings.time_limit - build_time)
    # Small models: CP-SAT alone proves them. Larger ones: neighbourhood search from the
    # greedy plan first, then one full search from its plan (improvement and bound),
    # unless the LP relaxation gave the bound by then.
    chosen = chosen_lns = start
    lns_stats: dict = {}
    t_search = time.perf_counter()
    lp = None
    if use_lns and _complete(start, pins):
        # The full search after it keeps at least _BOUND_S: less and CP-SAT reports no bound.
        lns_time = max(0.0, min(left * settings.lns_share, left - _BOUND_S))
        if _LP_BOUND_FROM <= n <= _LP_BOUND_UP_TO and _GLOP_US * n * 1e-6 < 0.9 * lns_time:
            # The LP relaxation's bound from GLOP, beside the search: once it is known, the
            # full search is not needed for a bound, and the search keeps all the time.
            lp = LpBound(model.builder.model, seconds=0.9 * lns_time)
        chosen_lns, lns_stats = improve(
            model, start, settings, lns_time, bound=None if lp is None else lp.value,
            extra_seconds=max(0.0, left - lns_time - 0.3),
            guide=lp if settings.lp_guide else None,
            on_improve=lambda v: report.plan(v, _or_inf(lp)))
    lp_bound = None if lp is None else lp.value()
    if lp is not None:
        lp.stop()
    if lp_bound is not None:
        lns_stats["bound_from"] = "LP relaxation (GLOP)"
    elif settings.hint and _LNS_FROM <= n <= _COMPLETE_UP_TO and \
            not lns_stats.get("interrupted"):
        # A complete hint is CP-SAT's first solution at once; the LP subsolvers
        # would not complete a partial one on a model this size (at 1000 × 600, 60 s,
        # without it CP-SAT found nothing better than the warm start). Above, copying
        # the model to complete it costs more than the hint gains: 7.8 s at 1.25 M.
        _hint_plan(model, chosen_lns, complete_within=min(2.0, 0.1 * left))
    probe = time.perf_counter() - t_search
    if lns_stats.get("interrupted") or lp_bound is not None:
        # Interrupted, or the search had all the time and the bound is the LP's.
        out = CpResult("feasible", None, None, lp_bound, probe,
                       bool(lns_stats.get("interrupted")), {}, [], cp_version())
    else:
        run_settings = settings.model_copy(update={"time_limit": max(0.5, left - probe)})
        # Below _LNS_FROM the two LP subsolvers prove the model; above, one more
        # worker keeps improving the plan while they work on the bound.
        run_settings = lp_portfolio(run_settings, lns_workers=0 if n < _LNS_FROM else 1)
        out = run(model.builder.model, run_settings, None if progress is None else report)
        out = replace(out, wall_time=out.wall_time + probe)
    if out.status == "infeasible":
        core = conflicts.minimal_pin_conflict(cands, pins, settings)
        reasons = [Reason(code="pins_conflict", items=[f"pinned[{r}]" for r in core],
                          message=_conflict_words(scenario, cands, pins, core))]
        return _infeasible(scenario, cands, reasons, build_time, out.wall_time, settings)

    greedy_ok = all(p in set(start.tolist()) for p in pins.values())
    if out.values is not None:
        chosen = model.chosen(out.values)
        status = out.status
    elif greedy_ok:
        chosen, status = start, "feasible"
    else:
        return _no_plan(scenario, cands, build_time, out, settings)
    if lns_stats and sum(assign_terms(cands, chosen_lns).values()) > \
            sum(assign_terms(cands, chosen).values()):
        # The full search was cut short before reaching the LNS plan, or did not run
        # (the LP gave the bound).
        chosen = chosen_lns
    terms = assign_terms(cands, chosen)
    # The warm start can only be better when the search was cut short.
    if greedy_ok and greedy_value > sum(terms.values()):
        chosen, terms = start, assign_terms(cands, start)
    objective = sum(terms.values())
    bound = None
    if out.bound is not None:
        bound = max(objective, math.floor(out.bound + 1e-6))
    if status == "optimal" or (bound is not None and objective >= bound):
        status, bound = "optimal", objective
    # CP-SAT's objective of a plan can sit below its exact value (a penalty variable
    # not yet at its lowest); the stream ends with the plan returned.
    report.plan(objective, math.inf if bound is None else bound)
    return _assign_result(scenario, cands, chosen, terms, status, bound, build_time,
                          out.wall_time, settings, out.version,
                          {**model.stats, **out.stats, **lns_stats,
                           "interrupted": out.interrupted or bool(lns_stats.get("interrupted")),
                           "greedy_objective": int(greedy_value)}, out.workers)


def _assign_result(scenario: Scenario, cands: Candidates, chosen: np.ndarray,
                   terms: dict[str, int], status: str, bound: int | None, build: float,
                   wall: float, settings: Settings, version: str, details: dict,
                   used_workers: int = 0) -> Result:
    """Part A's result for the plan ``chosen`` (of S1–S7 ``terms``)."""
    objective = sum(terms.values())
    gap = None if bound is None else (bound - objective) / max(1, abs(objective))
    plan = Plan(
        scenario=scenario.name, status=status, objective=objective,
        objective_parts=ObjectiveParts(assign=objective, sessions=0),
        objective_terms=terms, bound=bound,
        assignments=assignment_rows(cands, chosen),
        uncovered=uncovered_seats(cands, chosen, status == "optimal"),
        kpis=Kpis(**assign_kpis(cands, chosen)),
        solver=_info(build, wall, settings, version, gap, details, used_workers),
    )
    return Result(status, objective, bound, gap, terms, build, wall, plan, scenario)


def _solve_big(scenario: Scenario, cands: Candidates, pins: dict[int, int], start: np.ndarray,
               greedy_value: int, report: _Improving, settings: Settings, t0: float) -> Result:
    """Part A above the full model's reach: the slot bound, then neighbourhoods, no full model.

    Above _LNS_UP_TO candidates CP-SAT on the full model barely moves the
    greedy plan and its bound comes late or never (1000 × 600 at 60 s:
    6,166,328 with a bound of 6,433,241; 3000 × 2000: 17 GB and no first
    solution in 100 s), while neighbourhoods of a few instructors, each its
    own small model, keep improving it and the slot bound
    (:mod:`wtmatch.assign.slot_bound`) bounds it in a second or two
    (benchmarks/RESULTS.md, session 18).
    """
    build = time.perf_counter() - t0
    found = slot_bound(cands, greedy_value,
                       deadline=time.perf_counter() + _SLOT_BOUND_SHARE * settings.time_limit,
                       iterations=_SLOT_BOUND_STEPS)
    bound = max(found.bound, greedy_value)
    report.plan(greedy_value, bound)
    t_search = time.perf_counter()
    # the plan's rows and reasons, and a last round's overrun, come after the search
    left = t0 + settings.time_limit - t_search - _FINISH_US * len(cands) * 1e-6
    chosen, stats = improve_plan(cands, pins, start, settings, left,
                                 on_improve=lambda v: report.plan(v, bound), bound=lambda: bound)
    terms = assign_terms(cands, chosen)
    if greedy_value > sum(terms.values()):
        chosen, terms = start, assign_terms(cands, start)
    objective = sum(terms.values())
    status = "optimal" if objective >= bound else "feasible"
    bound = max(bound, objective)
    report.plan(objective, bound)
    return _assign_result(scenario, cands, chosen, terms, status, bound, build,
                          time.perf_counter() - t_search, settings, cp_version(),
                          {**stats, "candidates": len(cands), "bound_from": "slot bound",
                           "slot_bound_steps": found.steps,
                           "slot_bound_s": round(found.seconds, 3),
                           "interrupted": bool(stats.get("interrupted")),
                           "greedy_objective": int(greedy_value)},
                          lanes_for(settings))


def _stable(scenario: Scenario, settings: Settings, best: Result) -> Result:
    """Part A without blocking pairs among the plans of best coverage (``settings.stable``)."""
    from wtmatch.analysis.stability import stable_plan

    found = stable_plan(scenario, settings, best=best)
    details = {"stability_rounds": found.rounds, "stability_best_objective": best.objective,
               "blocking_pairs_left": len(found.blocking_left)}
    if found.plan is None:
        details["stability"] = "no plan of best coverage is free of blocking pairs"
        plan = best.plan
    else:
        details["stability_cost"] = found.cost
        plan = found.plan
    status = best.status if found.rounds == 0 else "feasible"
    objective = plan.objective
    bound = None if best.bound is None else max(best.bound, objective)
    gap = None if bound is None else (bound - objective) / max(1, abs(objective))
    solver = best.plan.solver.model_copy(update={"details": {**best.plan.solver.details,
                                                             **details}})
    plan = plan.model_copy(update={"status": status, "bound": bound, "solver": solver})
    return Result(status, objective, bound, gap, dict(plan.objective_terms), best.build_time,
                  best.solve_time, plan, scenario)


# Measured costs per candidate triple (benchmarks/RESULTS.md), to plan the time limit.
_BUILD_US = 15.0     # CP-SAT model of part A (6–12 at ≤ 1000 × 600, 17–19 at 3000 × 2000)
_LOAD_US = 20.0      # CP-SAT loading it, outside its own time limit (18 at 3000 × 2000)
_BUNDLE_US = 8.0     # greedy by school
_LNS_FROM = 3000     # candidates; below, CP-SAT alone proves optimality in seconds
# Up to this, neighbourhoods then CP-SAT on the full model (its bound, or the LP's).
# Above, the full model needs all the time for CP-SAT to reach a bound at all: the
# neighbourhoods take all of it, and the slot bound bounds (_solve_big; 1000 × 600 at
# 60 s: 6,338,312 and 1.71 %, where the full model gave 6,166,328 and 4.33 %).
_LNS_UP_TO = 50_000
_BOUND_S = 8.0       # seconds kept for the full search after LNS
# Above _LNS_UP_TO: the slot bound's share of the time limit, and its most steps
# (1000 × 600: 2,000 steps in 1.3 s, 6,446,860; 200 steps: 6,880,626).
_SLOT_BOUND_SHARE = 0.1
_SLOT_BOUND_STEPS = 2000
# Time per candidate kept after the neighbourhoods: the result (0.64 s at 1.25 M
# candidates) and the last round's overrun of its deadline (1.4–2.5 s there: a sub-model
# takes about a second to build at that size).
_FINISH_US = 3.0
_COMPLETE_UP_TO = 200_000   # candidates; the hint is completed up to here
# Candidates between which GLOP's LP bound is tried and the neighbourhood search keeps
# all the time once it is known. Above: GLOP is too slow (7 s at 11,500, > 400 s at
# 40,000). Below: CP-SAT's full search after the LNS finds better plans than more LNS
# (200 × 130, 4,926 candidates, 30 s: 0.05 % against 0.32 %; at 300 × 200, 60 s, the
# LNS keeping all the time ends 0.15 points lower: benchmarks/RESULTS.md).
_LP_BOUND_FROM = 8_000
_LP_BOUND_UP_TO = 20_000
# GLOP's time per candidate triple (4.8–10 s at 11,500–17,400): the LP is not tried when
# it would not be solved within its time, where it would only cost the search a lane.
_GLOP_US = 600.0


# CP-SAT's memory for the full model of part A, per candidate triple: its presolve
# (the same-day travel rows, H8, become millions of at-most-ones), then each worker's
# copy with its LP. 3000 × 2000 (1.25 M candidates, 2 cores, 3 workers): 7.9 GB at the
# end of presolve, 17.4 GB once the workers ran, beside 1.4 GB of Python
# (benchmarks/RESULTS.md, session 18).
_PRESOLVE_KB = 6.5
_WORKER_KB = 3.5


def search_memory_mb(candidates: int, workers: int) -> float:
    """Memory (MB) CP-SAT's search of part A's full model is expected to take."""
    return candidates * (_PRESOLVE_KB + _WORKER_KB * workers) / 1024


def _size(mb: float) -> str:
    """Megabytes as people read them: GB from 1 GB on."""
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def memory_cap_mb() -> float | None:
    """Three quarters of the machine's physical memory (MB), or None where it cannot be read."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return None
    return 0.75 * total / 2**20 if total > 0 else None


def _or_inf(lp: LpBound | None) -> float:
    """The LP bound if known, else inf (no bound yet)."""
    value = None if lp is None else lp.value()
    return math.inf if value is None else value


class _Improving:
    """Passes each better plan of part A on to ``progress``, timed from the part's start.

    The verified warm start and every improvement of the neighbourhood search
    are reported as well as CP-SAT's solutions (with no bound yet: ``inf``),
    and the plan returned last, and only plans better than all before: a
    progress display sees the plan the solve holds at each moment.
    """

    def __init__(self, progress: Callable[[Progress], None] | None, t0: float) -> None:
        self.progress, self.t0 = progress, t0
        self.best = -math.inf

    def plan(self, objective: float, bound: float = math.inf) -> None:
        """A plan found outside CP-SAT (or valued exactly after it)."""
        self(Progress(0.0, float(objective), float(bound)))

    def __call__(self, p: Progress) -> None:
        if self.progress is not None and p.objective > self.best:
            self.best = p.objective
            self.progress(replace(p, time=time.perf_counter() - self.t0))


def _complete(chosen: np.ndarray, pins: dict[int, int]) -> bool:
    return set(pins.values()) <= set(chosen.tolist())


def _greedy_only(scenario: Scenario, cands: Candidates, chosen: np.ndarray, objective: int,
                 build: float, settings: Settings, why: str) -> Result:
    """The greedy plan (of value ``objective``) as the result, when CP-SAT cannot search (``why``)."""
    plan = feasible_plan(cands, chosen, _info(
        build, 0.0, settings, cp_version(), None,
        {"cpsat_skipped": f"{why}; this is the greedy plan",
         "candidates": len(cands), "interrupted": False, "greedy_objective": objective}))
    return Result("feasible", objective, None, None, plan.objective_terms, build, 0.0, plan,
                  scenario)


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


def _hint_plan(model, chosen: np.ndarray, complete_within: float = 0.0) -> None:
    """Hint the plan ``chosen`` to CP-SAT, replacing any earlier hint.

    Its assignment variables only; with ``complete_within`` seconds, every
    variable of ``model`` (the assignment part alone if completing fails).
    """
    hint = np.zeros(model.builder.n_vars, dtype=np.int64)
    hint[model.x_of[chosen]] = 1
    xs = np.unique(model.x_of)
    full = complete_hint(model.builder.model, xs, hint[xs], complete_within) \
        if complete_within > 0 else None
    model.builder.proto.solution_hint.vars.clear()
    model.builder.proto.solution_hint.values.clear()
    if full is None:
        model.builder.hint(xs, hint[xs])
    else:
        model.builder.hint(np.arange(model.builder.n_vars), full)


def _info(build: float, wall: float, settings: Settings, version: str, gap: float | None,
          details: dict, used_workers: int = 0) -> SolverInfo:
    """The plan's solver record; ``used_workers`` when the run chose its own number."""
    from wtmatch.solver.params import workers

    return SolverInfo(wall_time=round(build + wall, 4), build_time=round(build, 4),
                      workers=used_workers or workers(settings),
                      seed=settings.seed, cpsat_version=version,
                      gap=None if gap is None else round(gap, 6),
                      details={k: v for k, v in details.items() if not isinstance(v, dict)})


def _infeasible(scenario: Scenario, cands: Candidates, reasons: list[Reason], build: float,
                wall: float, settings: Settings) -> Result:
    """No plan can keep every hard rule: say which pins (and rules) conflict."""
    seats = [UncoveredSeat(demand=d.id, school=scenario.school_of_demand[d.id].id, slot=s,
                           seat=k, reasons=reasons)
             for d in scenario.demand_by_id.values() for s in d.slots
             for k in range(1, d.instructors_needed + 1)]
    plan = Plan(scenario=scenario.name, status="infeasible", uncovered=seats,
                kpis=Kpis(seats=len(seats)),
                solver=_info(build, wall, settings, cp_version(), None,
                             {"conflict": next(r.message for r in reasons)}))
    return Result("infeasible", None, None, None, {}, build, wall, plan, scenario)


def _no_plan(scenario: Scenario, cands: Candidates, build: float, out, settings: Settings
             ) -> Result:
    reason = Reason(code="no_plan_in_time", message="the time limit ran out before any plan "
                    "keeping every pin was found")
    res = _infeasible(scenario, cands, [reason], build, out.wall_time, settings)
    plan = res.plan.model_copy(update={"status": "unknown"})
    return Result("unknown", None, None, None, {}, build, out.wall_time, plan, scenario)


def _conflict_words(scenario: Scenario, cands: Candidates, pins: dict[int, int],
                    core: list[int]) -> str:
    rows = [f"pinned[{r}] ({p.instructor}, {p.demand}, {p.slot})"
            for r in core for p in [scenario.pinned[r]]]
    rules = rules_between(cands, [pins[r] for r in core])
    because = f" — {'; '.join(dict.fromkeys(rules))}" if rules else ""
    return f"these pins cannot all hold: {', '.join(rows)}{because}"


# ---- part B --------------------------------------------------------------------
def _solve_sessions(scenario: Scenario, settings: Settings, teaching: list[Assignment],
                    progress: Callable[[Progress], None] | None) -> Result:
    """Part B: pruned items, CP-SAT over optional intervals, reasons for what is left out."""
    t0 = time.perf_counter()
    year = build_year(scenario, teaching)
    items = build_items(scenario, year)
    sm = build_sessions_model(year, items)
    start = greedy_schedule(year, items)
    if settings.hint:
        sessions_hint(sm, start)
    build_time = time.perf_counter() - t0
    run_settings = settings if settings.reproducible else settings.model_copy(
        update={"time_limit": max(0.5, settings.time_limit - build_time)})
    if len(items) > 150:
        # Probing a model of many optional intervals takes minutes of wall time while
        # its deterministic-time estimate stays small; the warm start carries the search.
        run_settings = run_settings.model_copy(update={
            "cpsat": {"cp_model_probing_level": 0, **settings.cpsat}})
    # When the search first schedules every item: the benchmark figure
    # "time to all-scheduled", and a count on each progress report.
    all_scheduled = build_time if len(start) == len(items) else None

    def watch(p: Progress) -> None:
        nonlocal all_scheduled
        if all_scheduled is None and p.scheduled == len(items):
            all_scheduled = build_time + p.time
        if progress is not None:
            progress(p)

    out = run(sm.model, run_settings, watch, count=sm.present)

    greedy_placed = {k: Placed(q, tuple(t), v) for k, (q, t, v) in start.items()}
    placed = extract(sm, out.values) if out.values is not None else greedy_placed
    # Part B has no pins: a schedule (the greedy one, at worst empty) always exists.
    status = out.status if out.values is not None else "feasible"
    sessions, meetings = _schedule_rows(year, items, placed)
    if status != "optimal":
        # The warm start can only be better when the search was cut short.
        g_rows = _schedule_rows(year, items, greedy_placed)
        if sum(session_terms(scenario, *g_rows).values()) > \
                sum(session_terms(scenario, sessions, meetings).values()):
            placed, (sessions, meetings) = greedy_placed, g_rows
    unscheduled = []
    for k, it in enumerate(items):
        if k in placed:
            continue
        reasons = unscheduled_reasons(year, items, placed, k, status == "optimal")
        if it.kind == "session":
            unscheduled.append(UnscheduledItem(kind="session", cohort=it.key[0],
                                               session=it.key[1], reasons=reasons))
        else:
            unscheduled.append(UnscheduledItem(kind="meeting", group=it.key[0], index=it.key[1],
                                               reasons=reasons))
    terms = session_terms(scenario, sessions, meetings)
    objective = sum(terms.values())
    bound = objective if status == "optimal" else (
        max(objective, math.floor(out.bound + 1e-6)) if out.bound is not None else None)
    gap = None if bound is None else (bound - objective) / max(1, abs(objective))
    n_ses = sum(1 for it in items if it.kind == "session")
    kpis = Kpis(sessions=n_ses, sessions_scheduled=len(sessions),
                meetings=len(items) - n_ses, meetings_scheduled=len(meetings))
    plan = Plan(scenario=scenario.name, status=status, objective=objective,
                objective_parts=ObjectiveParts(assign=0, sessions=objective),
                objective_terms=terms, bound=bound, sessions=sessions, meetings=meetings,
                unscheduled=unscheduled, kpis=kpis,
                solver=_info(build_time, out.wall_time, settings, out.version, gap,
                             {"items": len(items), "interrupted": out.interrupted,
                              "all_scheduled_s": None if all_scheduled is None
                              else round(all_scheduled, 3), **out.stats}, out.workers))
    return Result(status, objective, bound, gap, terms, build_time, out.wall_time, plan,
                  scenario)


def _schedule_rows(year, items, placed) -> tuple[list[ScheduledSession], list[ScheduledMeeting]]:
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


def _given_assignments(scenario: Scenario, rows: list[Assignment], settings: Settings
                       ) -> Result:
    """Part A taken from an earlier plan: its rows and their exact objective."""
    from wtmatch.errors import WtmatchError

    pool = Pool.of(scenario)
    cands = build_candidates(pool)
    chosen = []
    for k, r in enumerate(rows):
        pos = cands.find(r.instructor, r.demand, r.slot)
        if pos is None:
            raise WtmatchError(f"assignments[{k}] ({r.instructor}, {r.demand}, {r.slot}) is not "
                               "an eligible assignment of this scenario")
        chosen.append(pos)
    chosen_arr = np.array(sorted(set(chosen)), dtype=np.int64)
    terms = assign_terms(cands, chosen_arr)
    objective = sum(terms.values())
    # Part A is given, not optimised: its value is fixed, so its bound is its value and
    # the plan is as good as part B's search makes it.
    plan = Plan(scenario=scenario.name, status="optimal", objective=objective,
                objective_parts=ObjectiveParts(assign=objective), objective_terms=terms,
                bound=objective, assignments=assignment_rows(cands, chosen_arr),
                uncovered=uncovered_seats(cands, chosen_arr, False),
                kpis=Kpis(**assign_kpis(cands, chosen_arr)),
                solver=SolverInfo(details={"given": True}))
    return Result("optimal", objective, objective, 0.0, terms, 0.0, 0.0, plan, scenario)


_RANK = {"optimal": 0, "feasible": 1, "unknown": 2, "infeasible": 3}


def _merge(scenario: Scenario, a: Result, b: Result) -> Result:
    """One plan of both parts: A's rows and B's schedule, objective A + B."""
    status = max(a.status, b.status, key=_RANK.__getitem__)
    objective = a.objective + b.objective
    bound = None if a.bound is None or b.bound is None else a.bound + b.bound
    gap = None if bound is None else (bound - objective) / max(1, abs(objective))
    terms = {**a.terms, **b.terms}
    kpis = a.plan.kpis.model_copy(update={
        k: getattr(b.plan.kpis, k) for k in ("sessions", "sessions_scheduled", "meetings",
                                              "meetings_scheduled")})
    sa, sb = a.plan.solver, b.plan.solver
    solver = sa.model_copy(update={
        "wall_time": round(sa.wall_time + sb.wall_time, 4),
        "build_time": round(sa.build_time + sb.build_time, 4),
        "gap": None if gap is None else round(gap, 6),
        "details": {**{f"assign_{k}": v for k, v in sa.details.items()},
                    **{f"sessions_{k}": v for k, v in sb.details.items()}}})
    plan = a.plan.model_copy(update={
        "status": status, "objective": objective,
        "objective_parts": ObjectiveParts(assign=a.objective, sessions=b.objective),
        "objective_terms": terms, "bound": bound, "sessions": b.plan.sessions,
        "meetings": b.plan.meetings, "unscheduled": b.plan.unscheduled, "kpis": kpis,
        "solver": solver})
    return Result(status, objective, bound, gap, terms, a.build_time + b.build_time,
                  a.solve_time + b.solve_time, plan, scenario)
