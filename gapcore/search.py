"""Solving the assignment core on its own: construction, LNS over agents, then CP-SAT.

1. Lagrangian prices and an upper bound, a regret construction and a shift/swap
   descent (:mod:`wtmatch.core`), all without the solver. Then the tasks are
   priced and every agent's knapsack solved exactly: a tighter bound (often a
   proof on its own) and the pairs no better plan can use or leave out. A
   descent then looks for a plan worth the bound, one unit lower at a time,
   each step exact: a branch and bound on the knapsacks over the pairs left,
   or on small cores, when few enough, one of each agent's near-optimal pair
   sets (the knapsack face) per agent. A tree step with time enough first
   re-tunes the prices towards its target. The tree's nodes also make plans
   of their knapsacks' picks, which improve the incumbent as it searches.
2. On cores too big for CP-SAT to finish alone, large-neighbourhood search:
   free all pairs of a few agents, solve that small core exactly with CP-SAT,
   keep the result when it is better. Neighbourhoods mix random agents with
   agents that could take the freed tasks cheaply; their size adapts to how
   fast the sub-models are solved.
   Beside it GLOP solves the LP relaxation; once it has, one round solves
   the core restricted to the pairs the LP uses, each task's best pairs by
   reduced cost and the incumbent's, on every core (RINS-like: the LP of
   d801600 uses 1,680 of 128,000 pairs, and its value is the best known).
   On cores small enough for the full model, when the bound has not proven
   the plan, the kernel comes first instead: each task's few pairs the
   knapsack prices rate best, solved by CP-SAT and then by neighbourhoods
   (d20200 at 60 s: 0.8 % → 0.36–0.47 % above the best known in five runs).
3. The full model with the incumbent as a hint, for the rest of the time, for
   a better plan and a bound (or a proof).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from gapcore.knapsack_bound import (
    ForcedBounds,
    agent_cuts,
    forced_bounds,
    start_prices,
    subgradient,
    usable_pairs,
)
from gapcore.knapsack_bound import applicable as knapsack_applicable
from gapcore.knapsack_branch import TargetSearch
from gapcore.knapsack_face import Selections, near_optimal_selections
from gapcore.knapsack_kernel import compile_kernels
from gapcore.model import build_core_model
from gapcore.settings import GapSettings
from wtmatch.arrays import distinct
from wtmatch.budget import Budget
from wtmatch.core import (
    AssignmentCore,
    construct,
    lagrangian_costs,
    local_search,
    promising,
    reduced_costs,
    task_ranks,
)
from wtmatch.progress import Progress
from wtmatch.solver.assign.lp_bound import LpBound
from wtmatch.solver.cpsat.lanes import room_beside, run_lanes
from wtmatch.solver.cpsat.params import apply as apply_params
from wtmatch.solver.cpsat.proto import ProtoBuilder
from wtmatch.solver.cpsat.run import run

#: Cores with at most this many pairs go straight to the full CP-SAT model.
DIRECT_LIMIT = 6_000
# A pure core small enough to search directly is proven sooner on 2 cores by
# two chosen subsolvers than by the 8-worker portfolio: ``max_lp`` for the
# bound, ``reduced_costs`` to fix pairs and dive (docs/benchmarks.md).
SMALL_CORE_SUBSOLVERS = ("max_lp", "reduced_costs")
SMALL_CORE_PAIRS = 6_000
# The LP-guided round: GLOP gets this share of the time limit; the round may take this
# share of the neighbourhood search's time left, over the pairs the LP uses, each
# task's GUIDE_RANKS best pairs by reduced cost and the incumbent's.
LP_TIME_SHARE = 0.4
# GLOP's time per pair on a GAP core (5.6 s for d801600's 128,000): the LP is not
# tried when it would not be solved within its share (it would only cost a lane).
GLOP_US_PER_PAIR = 45.0
LP_ROUND_SHARE = 0.4
GUIDE_RANKS = 2
# The knapsack (task-priced) relaxation may take this share of the time limit for its
# prices; its bound and pair fixing are exact (gapcore.knapsack_bound).
KNAPSACK_TIME_SHARE = 0.15
# Smaller cores are proven by CP-SAT in a fraction of a second (gap1–12: ≤ 600 pairs);
# pricing them first only delays that.
KNAPSACK_MIN_PAIRS = 3_000
# The first search for plans worth the bound, one unit lower at a time (see
# _descend), may take this share of the time limit (at least DESCENT_MIN_S) from
# when it starts; the closing phase takes up what it leaves open. A share of the
# whole time from the start cost the primal side on type E, whose first targets
# each fall at the tree's root: e801600 at 10 s spent 3 s raising the bound and
# ended 1.78 % above the best known, against 0.67 % before.
DESCENT_TIME_SHARE = 0.1
DESCENT_MIN_S = 0.5
# A descent step searches the pairs by the branch and bound on the knapsacks
# (gapcore.knapsack_branch). Within a descent step's seconds it settles the
# first targets of most of the literature's types C and E (c30900 at 60 s: proven
# in 6 s, where CP-SAT on the same pairs settled nothing in 60 s; c40400 in 0.6 s,
# where CP-SAT over its knapsack face of 6,449 sets did not in 60 s). On the small
# cores of the face path only, a step whose face (each agent's sets a plan worth
# the target allows) has at most this many sets lets CP-SAT choose one per agent:
# gap1–12 in 0.33 s at most (c10200's face of 7,859 sets took 3 s for nothing,
# where the tree settles it in 0.3 s).
FACE_LIMIT = 2_000
# When the first descent left a tree search open, or the bound is still within
# this fraction of the incumbent after the neighbourhood searches (type C:
# 0.02–0.1 %; types D and E, whose last units no search proves in time,
# 0.3–0.6 %), the descent goes on for up to CLOSING_SHARE of the time limit
# before the final CP-SAT search, taking up that open tree where it stopped (its
# targets do not depend on the incumbent, and the first plan it finds is
# optimal). On types D and E the final search rarely improves the plan
# (e801600, d801600 at 60 s: best plan found by 42 s, when the neighbourhoods end).
CLOSING_GAP = 0.001
CLOSING_SHARE = 0.3
# Within CLOSING_GAP only the tree settles the last units (type C), so there the
# neighbourhoods stop once they have not improved the plan for LNS_STALL_SHARE of
# the time limit (at least LNS_STALL_MIN_S), and the closing phase may run until
# CLOSING_FINAL_SHARE of the time limit is left. c401600 at 600 s: the
# neighbourhoods last improved at 39 s and ran on to 420 s, 119,489 rounds for
# nothing, and the closing phase's 180 s ran out before the tree (about 240 s
# alone) found the optimum.
LNS_STALL_SHARE = 0.1
LNS_STALL_MIN_S = 20.0
CLOSING_FINAL_SHARE = 0.05
# Before each tree step of a descent, subgradient steps towards target − 1 re-tune
# the prices (at most this many, within this share of the step's time; see _step_prices).
STEP_PRICE_ITERATIONS = 400
STEP_PRICE_SHARE = 0.25
# Only steps with at least this many seconds are re-priced: at 10 s, where a first step
# has 1 s, re-pricing cost types D and E (mean gap 0.306 → 0.339 %, 0.279 → 0.396 %;
# e40400 0.213 → 1.445 %) and proved nothing more.
STEP_PRICE_MIN_S = 4.0
# The shift/swap descent on a plan a tree node makes, when that plan is close.
PLAN_DESCENT_S = 0.02
# Cores the knapsack path leaves out (≤ KNAPSACK_MIN_PAIRS) get this share of the
# time limit for their prices before the descent (by faces where they are small).
FACE_PRICE_SHARE = 0.02
# On a core small enough for the full search that the bound has not proven: the
# kernel (each task's KERNEL_RANKS pairs the knapsack prices rate best, and the
# incumbent's) is solved, then searched by neighbourhoods, until this share of
# the time limit; the full model gets the rest.
KERNEL_RANKS = 3
KERNEL_TIME_SHARE = 0.5
KERNEL_ROUND_SHARE = 0.3


#: The branch and bound's answers as a search status.
_BRANCH_STATUS = {"found": "optimal", "none": "infeasible", "unknown": "unknown"}


@dataclass
class CoreResult:
    """What solving a core gave.

    Attributes
    ----------
    status : str
        optimal, feasible, infeasible or unknown.
    objective : int or None
        Value of ``chosen``.
    bound : float
        Upper bound on the optimum (Lagrangian or CP-SAT's, the lower).
    chosen : ndarray
        Chosen pair positions.
    time_to_best : float
        Seconds until the returned plan was first found.
    history : list of (float, int)
        (seconds, objective) of every improvement.
    stats : dict
    """

    status: str
    objective: int | None
    bound: float
    chosen: np.ndarray
    time_to_best: float
    history: list[tuple[float, int]] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 when proven optimal)."""
        if self.objective is None:
            return None
        return abs(self.bound - self.objective) / max(1.0, abs(self.objective))


def solve_core(core: AssignmentCore, settings, progress: Callable[[Progress], None] | None = None
               ) -> CoreResult:
    """Maximise the core's value within ``settings.time_limit`` seconds.

    Parameters
    ----------
    core : AssignmentCore
    settings : gapcore.GapSettings
        ``time_limit``, ``workers``, ``seed``, ``hint``, ``lns``, ``lns_share``, ``lp_guide``,
        ``reproducible`` and ``cpsat`` are used.
    progress : callable, optional
        Called with a :class:`~wtmatch.Progress` at each improvement.

    Notes
    -----
    The first call after an install compiles the knapsack kernels (about 15 s,
    then cached on disk; :func:`gapcore.knapsack_kernel.compile_kernels`)
    before the clock starts: ``stats["compile_time"]`` says how long it took
    when it was more than a blink.
    """
    stats: dict = {}
    if settings.knapsack_bound:
        compiled = compile_kernels()
        if compiled > 0.05:
            stats["compile_time"] = round(compiled, 2)
    start = time.perf_counter()
    end = start + settings.time_limit
    state = _Incumbent(core, start, progress)
    lam, bound = lagrangian_costs(core, iterations=_iterations(core))
    if core.exact and bound == -np.inf:
        return CoreResult("infeasible", None, -np.inf, np.zeros(0, dtype=np.int64), 0.0, [], stats)
    if settings.hint or settings.lns:
        # construct, descend, re-price towards the incumbent: each round tightens both sides
        for _ in range(4):
            first = construct(core, lam)
            if not core.violations(first):
                state.offer(first)
                state.offer(local_search(core, first, seconds=max(0.05, 0.02 * settings.time_limit)))
            if state.chosen is None or time.perf_counter() > start + 0.1 * settings.time_limit:
                break
            lam2, bound2 = lagrangian_costs(core, iterations=_iterations(core), incumbent=state.value)
            if bound2 < bound:
                lam, bound = lam2, bound2
    stats.update(lagrangian_bound=bound, construct_time=time.perf_counter() - start)
    # only pairs that can be in a better plan stay (plus the incumbent's, for the hint)
    work, pos = core, np.arange(len(core))
    prices, fixed_at = None, -np.inf
    if state.chosen is not None:
        keep = promising(core, lam, bound, state.value)
        if settings.knapsack_bound and len(core) > KNAPSACK_MIN_PAIRS and knapsack_applicable(core):
            # reproducible: the step count alone decides the prices, never the clock
            deadline = np.inf if settings.reproducible else \
                start + KNAPSACK_TIME_SHARE * settings.time_limit
            prices = subgradient(core, start_prices(core, lam), state.value, deadline).mu
            forced = forced_bounds(core, prices)
            kb, fixed = usable_pairs(core, forced, state.value)
            fixed_at = state.value
            stats.update(knapsack_bound=kb, knapsack_time=round(time.perf_counter() - start, 2))
            bound = min(bound, kb)
            keep &= fixed
        keep[state.chosen] = True
        work, pos = core.subset(keep)
    stats["pairs_kept"] = len(work)
    open_tree = None    # the first descent's last tree search, when its time ran out
    if prices is not None and not settings.reproducible and state.chosen is not None:
        bound, open_tree = _descend(core, prices, forced, bound, state, settings,
                                    *_descent_window(settings), stats)
    elif settings.knapsack_bound and not settings.reproducible and state.chosen is not None \
            and np.floor(bound + 1e-6) > state.value and knapsack_applicable(core):
        bound = _face_descent(core, lam, bound, state, settings, start, stats)
    if state.chosen is not None and np.floor(bound + 1e-6) <= state.value:
        return _proven(state, stats)    # the bound proves the incumbent (values are integers)
    sub_state = _Incumbent(work, start, None)
    sub_state.ceiling = np.floor(bound + 1e-6)
    if state.chosen is not None:
        sub_state.offer(np.searchsorted(pos, state.chosen))
    sub_state.on_improve = lambda chosen: state.offer(pos[chosen])
    work_forced = None      # the knapsack's forced-pair bounds on ``work``, while it stays
    if prices is not None and settings.lns and not settings.reproducible \
            and len(work) <= DIRECT_LIMIT:
        work_forced = (work, forced_bounds(work, prices))
        stats.update(_kernel(work, work_forced[1], prices, sub_state, settings,
                             start + KERNEL_TIME_SHARE * settings.time_limit))
    if settings.lns and not settings.reproducible and len(work) > DIRECT_LIMIT \
            and state.chosen is not None:
        lns_end = start + settings.lns_share * settings.time_limit
        stall = _stall(settings, prices is not None and _within_closing(bound, state.value))
        rc = reduced_costs(work, lam)
        lp = lp_x = None
        lp_seconds = LP_TIME_SHARE * settings.time_limit
        if settings.lp_guide and GLOP_US_PER_PAIR * 1e-6 * len(work) < lp_seconds:
            lp_model, lp_x = build_core_model(work)
            lp = LpBound(lp_model.model, Budget.start(lp_seconds))
        stats.update(_lns(work, sub_state, settings, lns_end, rc, bound - state.value, lp,
                          stall))
        if lp is not None and lp.solution() is not None and not stats.get("interrupted") \
                and not sub_state.reached:
            stats.update(_guided(work, sub_state, settings, lns_end, rc, lp.solution()[lp_x]))
            more = _lns(work, sub_state, settings, lns_end, rc, bound - state.value,
                        stall=stall)
            stats.update(more, lns_rounds=stats["lns_rounds"] + more["lns_rounds"],
                         lns_improvements=stats["lns_improvements"] + more["lns_improvements"])
        if lp is not None:
            lp.stop()
        if lp is not None and lp.value() is not None:
            # better plans lie in the reduced model: its LP bound or the incumbent bounds all
            stats["lp_bound"] = lp.value()
            bound = min(bound, max(lp.value(), state.value))
            # GLOP's duals are optimal where the subgradient prices are only near it, so
            # its reduced costs fix more pairs (c801600: 128,000 → 41,691 against none):
            # the final search sees the pairs a better plan may use, and the incumbent's.
            keep = ~lp.dropped(sub_state.value)[lp_x]
            keep[sub_state.chosen] = True
            work, pos, sub_state = _narrow(work, pos, sub_state, keep, start)
            stats["pairs_kept_lp"] = len(work)
    if state.chosen is not None and np.floor(bound + 1e-6) <= state.value:
        return _proven(state, stats)    # a search above found a plan worth the bound
    # the first descent's open tree, or a bound within a unit or two: the branch and bound's
    if prices is not None and not settings.reproducible and state.chosen is not None \
            and not stats.get("interrupted") and (
                open_tree is not None or _within_closing(bound, state.value)):
        closing_end = end - CLOSING_FINAL_SHARE * settings.time_limit \
            if _within_closing(bound, state.value) \
            else min(end, time.perf_counter() + CLOSING_SHARE * settings.time_limit)
        bound, _ = _descend(core, prices, forced, bound, state, settings, closing_end, np.inf,
                            stats, record="closing", resume=open_tree)
        if np.floor(bound + 1e-6) <= state.value:
            return _proven(state, stats)
    if prices is not None and sub_state.chosen is not None and sub_state.value > fixed_at:
        # a better incumbent than at the first fixing leaves fewer pairs that can beat it
        forced_here = work_forced[1] if work_forced and work_forced[0] is work \
            else forced_bounds(work, prices)
        _, fixed = usable_pairs(work, forced_here, sub_state.value)
        fixed[sub_state.chosen] = True
        work, pos, sub_state = _narrow(work, pos, sub_state, fixed, start)
        stats["pairs_kept_knapsack"] = len(work)
    sub_state.ceiling = min(sub_state.ceiling, np.floor(bound + 1e-6))
    b, x = build_core_model(work)
    if prices is not None:
        _add_agent_cuts(b, x, work, prices)
    if settings.hint and sub_state.chosen is not None:
        hint = np.zeros(len(work), dtype=np.int64)
        hint[sub_state.chosen] = 1
        b.hint(x, hint)
    remaining = end - time.perf_counter()
    status = "unknown"
    if remaining > 0.01 and not stats.get("interrupted"):
        offset = time.perf_counter() - start
        run_settings = settings.model_copy(update={"time_limit": remaining})
        if len(work) <= SMALL_CORE_PAIRS:
            run_settings = run_settings.lp_portfolio(subsolvers=SMALL_CORE_SUBSOLVERS)
        res = _run(b.model, run_settings,
                  progress=lambda p: state.note(offset + p.time, round(p.objective)),
                  stop_at=_stop_at(sub_state))
        stats["cpsat"] = res.stats
        if res.values is not None:
            state.offer(pos[np.flatnonzero(res.values[x] > 0)])
        if res.bound is not None:
            # better plans lie in the reduced model, so its bound or the incumbent bounds all
            bound = min(bound, max(res.bound, state.value))
        status = res.status
        if status == "infeasible" and state.chosen is None:
            return CoreResult("infeasible", None, -np.inf, np.zeros(0, dtype=np.int64), 0.0,
                              state.history, stats)
    if state.chosen is None:
        return CoreResult("unknown", None, bound, np.zeros(0, dtype=np.int64), 0.0, state.history,
                          stats)
    # values are integral: a bound below the incumbent + 1 is a proof; so is a reduced model
    # proven optimal or infeasible (no better plan exists outside it)
    optimal = status in ("optimal", "infeasible") or np.floor(bound + 1e-6) <= state.value
    return CoreResult("optimal" if optimal else "feasible", state.value,
                      float(state.value) if optimal else float(bound), state.chosen,
                      state.found_at, state.history, stats)


def _within_closing(bound: float, value: float) -> bool:
    """Whether the bound is within CLOSING_GAP of the plan's value: the tree's last units."""
    return np.floor(bound + 1e-6) <= value + CLOSING_GAP * abs(bound)


def _stall(settings, closing: bool) -> float:
    """Seconds without a better plan after which the neighbourhoods stop (inf: never)."""
    if not closing:
        return np.inf
    return max(LNS_STALL_MIN_S, LNS_STALL_SHARE * settings.time_limit)


def _proven(state: _Incumbent, stats: dict) -> CoreResult:
    """The incumbent, proven optimal."""
    return CoreResult("optimal", state.value, float(state.value), state.chosen, state.found_at,
                      state.history, stats)


def _face_descent(core: AssignmentCore, lam: np.ndarray, bound: float, state: _Incumbent,
                  settings, start: float, stats: dict) -> float:
    """On a small core: price its tasks, then descend by knapsack faces first (see _descend).

    gap1–12 (≤ 600 pairs) are proven this way in a few face steps of 0.3 s
    at most, where CP-SAT on the pairs needed up to 0.7 s; the prices and
    the pair fixing are not kept for the search after it, which they slow
    down on cores this small.
    """
    deadline = start + FACE_PRICE_SHARE * settings.time_limit
    prices = subgradient(core, start_prices(core, lam), state.value, deadline).mu
    forced = forced_bounds(core, prices)
    stats.update(knapsack_bound=forced.bound)
    return _descend(core, prices, forced, min(bound, forced.bound), state, settings,
                    *_descent_window(settings), stats, faces=True)[0]


def _descent_window(settings) -> tuple[float, float]:
    """When the first descent, starting now, ends, and how long each of its steps may search."""
    seconds = DESCENT_TIME_SHARE * settings.time_limit
    if seconds > 0:
        seconds = max(DESCENT_MIN_S, seconds)
    return time.perf_counter() + seconds, seconds


def _descend(core: AssignmentCore, prices: np.ndarray, forced: ForcedBounds, bound: float,
             state: _Incumbent, settings, end: float, step_limit: float, stats: dict,
             faces: bool = False, record: str = "descent", resume: _OpenTree | None = None
             ) -> tuple[float, _OpenTree | None]:
    """Look for a plan worth the bound itself, then one less, …: the bound left, and an open tree.

    A plan worth at least ``target`` may use only the pairs the knapsack
    prices leave for it, a few hundred on the literature's type C; each tree
    step with STEP_PRICE_MIN_S seconds or more first re-tunes the prices
    towards its target (_step_prices). A step
    either finds the best plan among them (worth ≥ target: optimal, as the
    bound is below target + 1) or proves there is none, and the bound drops
    to target − 1. The pairs are searched by a branch and bound that
    re-solves the knapsacks at each node (:mod:`gapcore.knapsack_branch`);
    with ``faces``, a step whose knapsack face (each agent's pair sets within
    the bound's slack, :mod:`gapcore.knapsack_face`) holds at most
    FACE_LIMIT sets lets CP-SAT choose one set per agent instead. Stops when
    a step runs out of its ``step_limit`` seconds, at ``end``, or at the
    incumbent. A tree search cut off that way is returned open, and
    ``resume`` takes such a tree up where it stopped when its target comes
    first. A tree also stops once a plan its nodes made (see _plan_taker)
    lifts the incumbent to its target: that step is optimal. ``stats[record]``
    records each step as (target, pairs, status, sets in the face or None),
    and ``stats["branch_nodes"]`` the nodes the tree searches took.
    """
    steps = []
    target = int(np.floor(bound + 1e-6))
    open_tree = None
    step_prices, step_forced = prices, forced
    while target > state.value and time.perf_counter() < end - 0.05:
        deadline = min(end, time.perf_counter() + step_limit)
        if resume is not None and resume.search.target == target:
            tree, resume = resume, None
            face = None
        else:
            if not faces and deadline - time.perf_counter() >= STEP_PRICE_MIN_S:
                step_prices, step_forced = _step_prices(core, prices, target, deadline,
                                                        step_limit)
            # the step's own prices alone: their fixing is exact, and cutting it further
            # with the first prices' fixing can cut away the pairs of the optimum's plan
            keep = usable_pairs(core, step_forced, target - 1)[1]
            sub, pos = core.subset(keep)
            face = near_optimal_selections(sub, prices, target, FACE_LIMIT) if faces else None
            tree = None if face is not None else _OpenTree(
                TargetSearch(sub, step_prices, target,
                             on_plan=_plan_taker(core, pos, target, state)), pos)
        if face is not None:
            step_settings = settings.model_copy(update={
                "time_limit": max(1e-3, deadline - time.perf_counter()),
                "log": False}).lp_portfolio(subsolvers=SMALL_CORE_SUBSOLVERS)
            status, picked = _solve_face(sub, face, target, step_settings)
            steps.append((target, len(sub), status, len(face)))
        else:
            # a node's plan may reach the target after a descent: then it is optimal
            found = tree.search.run(deadline, stop=lambda reach=target: state.value >= reach)
            status, picked, pos = _BRANCH_STATUS[found.status], found.chosen, tree.pos
            if status == "unknown" and state.value >= target:
                status = "optimal"      # the incumbent, from a node's plan, reaches the target
            steps.append((target, len(pos), status, None))
            stats["branch_nodes"] = stats.get("branch_nodes", 0) + found.nodes
            if status == "unknown":
                open_tree = tree
        if picked is not None:
            state.offer(pos[picked])
        if status == "optimal":
            bound = min(bound, float(state.value))   # the best plan of all that reach target
            break
        if status != "infeasible":
            break                                    # out of time: the search goes on as before
        bound = min(bound, float(target - 1))        # no plan reaches target
        target -= 1
    stats[record] = steps
    return bound, open_tree


def _step_prices(core: AssignmentCore, prices: np.ndarray, target: int, deadline: float,
                 step_limit: float) -> tuple[np.ndarray, ForcedBounds]:
    """Prices re-tuned for a tree step at ``target``, and their forced-pair bounds.

    ``prices`` are those tuned towards the first incumbent, far below the
    bound; steps towards ``target − 1`` fit the step's question (and refute
    it outright when the bound falls below ``target``: the fixing then
    leaves the tree no pairs). The tree is very sensitive to them: c401600
    at 17,145 found in 724 nodes (26 s) from such prices, none in 27,277
    nodes (300 s) from the first, and none in 24,827 nodes (240 s) from
    prices re-tuned from the 17,144 step's (so every step starts from the
    first prices); c60900 at 9,326 found in 11,547 nodes (136 s), where no
    search had found it before.
    """
    limit = min(deadline, time.perf_counter() + STEP_PRICE_SHARE * step_limit)
    mu = subgradient(core, prices, target - 1, limit, STEP_PRICE_ITERATIONS).mu
    return mu, forced_bounds(core, mu)


def _plan_taker(core: AssignmentCore, pos: np.ndarray, target: int, state: _Incumbent
                ) -> Callable[[np.ndarray], None]:
    """What a tree search over ``pos`` does with the plans its nodes make: offer the good ones.

    A node's plan sits near its knapsacks' picks, below the target; one
    within the distance between target and incumbent below the incumbent
    gets a short shift/swap descent over all the core's pairs first (c60900
    at 9,326: such plans reached 9,330 in 60 s, where the neighbourhoods
    stopped at 9,333–9,338).
    """
    def take(chosen: np.ndarray) -> None:
        plan = pos[chosen]
        if core.objective(plan) >= 2 * state.value - target:
            state.offer(local_search(core, plan, seconds=PLAN_DESCENT_S))
    return take


@dataclass
class _OpenTree:
    """A descent step's tree search (over ``pos``, its pairs' positions in the core), to go on with."""

    search: TargetSearch
    pos: np.ndarray


def _solve_face(core: AssignmentCore, face: Selections, target: int, settings
                ) -> tuple[str, np.ndarray | None]:
    """The best plan worth ``target`` or more made of one of ``face``'s sets per agent.

    ``face`` holds every set an agent can have in such a plan, so the answer
    is exact: ``optimal`` with the plan's pair positions, ``infeasible``
    (no such plan), or ``unknown`` / ``feasible`` when time ran out.
    """
    have = np.zeros(core.n_agents, dtype=bool)
    have[face.agent] = True
    which, pairs = face.members()
    covered = np.bincount(core.task[pairs], minlength=core.n_tasks) > 0
    if not have.all() or (core.exact and not covered[core.seats > 0].all()):
        return "infeasible", None       # an agent with no set, or a task no set fills
    b = ProtoBuilder()
    y = b.new_vars(len(face), 0, 1)
    b.linear_groups(face.agent, y, 1, 1, 1)
    task = core.task[pairs]
    seats = core.seats[distinct(task)]
    b.linear_groups(task, y[which], 1, seats if core.exact else 0, seats)
    b.linear_groups(np.zeros(len(face), dtype=np.int64), y, face.value, target, 2**62)
    b.maximize(y, face.value)
    res = _run(b.model, settings)
    if res.values is None:
        return res.status, None
    return res.status, pairs[np.isin(which, np.flatnonzero(res.values[y] > 0))]


def _kernel(core: AssignmentCore, forced: ForcedBounds, prices: np.ndarray, state: _Incumbent,
            settings, end: float) -> dict:
    """Search the pairs the knapsack prices rate best first: one CP-SAT round, then neighbourhoods.

    On tight cores (the literature's type D) the full model improves a plan
    slowly; the kernel, each task's few best pairs by how much forcing them
    in lowers the knapsack bound, holds most of a good plan's pairs in a
    model a fifth of the size. ``forced`` holds those bounds for ``core`` at ``prices``.
    """
    t0 = time.perf_counter()
    keep = task_ranks(core, forced.total - forced.with_pair) < KERNEL_RANKS
    keep[state.chosen] = True
    sub, pos, inner = _narrow(core, np.arange(len(core)), state, keep, state.start)
    inner.on_improve = lambda chosen: state.offer(pos[chosen])
    b, x = build_core_model(sub)
    _add_agent_cuts(b, x, sub, prices)
    hint = np.zeros(len(sub), dtype=np.int64)
    hint[inner.chosen] = 1
    b.hint(x, hint)
    before = state.value
    limit = max(0.2, KERNEL_ROUND_SHARE * (end - t0))
    res = _run(b.model, settings.model_copy(update={"time_limit": limit, "log": False}).lp_portfolio(),
              stop_at=_stop_at(inner))
    if res.values is not None:
        inner.offer(np.flatnonzero(res.values[x] > 0))
    stats = {"kernel_pairs": len(sub), "kernel_round_to": float(state.value)}
    if res.interrupted:
        stats["interrupted"] = True     # Ctrl-C: the best plan so far is kept, nothing more runs
    elif res.status not in ("optimal", "infeasible") and not inner.reached:
        lns = _lns(sub, inner, settings, end)
        stats.update({f"kernel_{k}": v for k, v in lns.items()})
        if lns.get("interrupted"):
            stats["interrupted"] = True
    stats.update(kernel_from=float(before), kernel_to=float(state.value),
                 kernel_s=round(time.perf_counter() - t0, 2))
    return stats


def _add_agent_cuts(b, x: np.ndarray, core: AssignmentCore, prices: np.ndarray) -> None:
    """Per agent, its priced values cannot beat its knapsack: the LP gets the knapsack bound."""
    coef, rhs = agent_cuts(core, prices)
    b.linear_groups(core.agent, x, coef, -(2**62), rhs[distinct(core.agent)])


def _stop_at(state: _Incumbent) -> float | None:
    """The value at which a CP-SAT search on ``state``'s core may stop: its proven ceiling."""
    return float(state.ceiling) if np.isfinite(state.ceiling) else None


def _narrow(work: AssignmentCore, pos: np.ndarray, state: _Incumbent, keep: np.ndarray,
            start: float) -> tuple[AssignmentCore, np.ndarray, _Incumbent]:
    """``work`` cut to ``keep`` (which holds the incumbent's pairs), with the incumbent moved onto it."""
    smaller, inner = work.subset(keep)
    moved = _Incumbent(smaller, start, None)
    moved.ceiling = state.ceiling
    moved.offer(np.searchsorted(inner, state.chosen))
    return smaller, pos[inner], moved


def _iterations(core: AssignmentCore) -> int:
    """Subgradient steps: many when a step is a cheap matrix pass, fewer on big sparse cores."""
    return 500 if core.n_agents * core.n_tasks <= 4_000_000 else 60


class _Incumbent:
    """The best plan held so far, and the history of improvements seen (with CP-SAT's)."""

    def __init__(self, core: AssignmentCore, start: float, progress) -> None:
        self.core, self.start, self.progress = core, start, progress
        self.chosen: np.ndarray | None = None
        self.value = -np.inf
        self.history: list[tuple[float, int]] = []
        self.on_improve: Callable[[np.ndarray], None] | None = None
        #: the floor of a proven bound: a plan worth it is optimal and the searches stop
        self.ceiling = np.inf

    @property
    def reached(self) -> bool:
        """Whether the held plan is worth the proven bound (so it is optimal)."""
        return self.value >= self.ceiling

    @property
    def found_at(self) -> float:
        """When the held plan's value was first reached."""
        return next((t for t, v in self.history if v >= self.value), 0.0)

    def note(self, at: float, value: int) -> None:
        """Record an improvement at ``at`` seconds (CP-SAT's plans arrive at the end of its run)."""
        if not self.history or value > self.history[-1][1]:
            self.history.append((at, value))
            if self.progress:
                self.progress(Progress(at, float(value), float("nan")))

    def offer(self, chosen: np.ndarray) -> bool:
        """Keep ``chosen`` when it is feasible and better; True when kept."""
        chosen = np.sort(np.asarray(chosen, dtype=np.int64))
        value = self.core.objective(chosen)
        if value <= self.value or self.core.violations(chosen):
            return False
        self.chosen, self.value = chosen, value
        self.note(time.perf_counter() - self.start, value)
        if self.on_improve:
            self.on_improve(chosen)
        return True


def _guided(core: AssignmentCore, state: _Incumbent, settings, end: float, rc: np.ndarray,
            solution: np.ndarray) -> dict:
    """Solve the core restricted to the pairs the LP uses, the best by ``rc`` and the plan's.

    ``solution`` is the LP's value of each pair.
    """
    t0 = time.perf_counter()
    keep = (solution > 1e-6) | (task_ranks(core, rc) < GUIDE_RANKS)
    keep[state.chosen] = True
    sub, pos = core.subset(keep)
    b, x = build_core_model(sub)
    b.hint(x, np.isin(pos, state.chosen).astype(np.int64))
    limit = max(0.2, LP_ROUND_SHARE * (end - time.perf_counter()))
    res = _run(b.model, settings.model_copy(update={"time_limit": limit, "log": False}).lp_portfolio())
    before = state.value
    if res.values is not None:
        state.offer(pos[np.flatnonzero(res.values[x] > 0)])
    return {"lp_round_pairs": len(sub), "lp_round_from": float(before),
            "lp_round_to": float(state.value), "lp_round_s": round(time.perf_counter() - t0, 2)}


def _lns(core: AssignmentCore, state: _Incumbent, settings, end: float,
         rc: np.ndarray | None = None, room: float = np.inf, guide: LpBound | None = None,
         stall: float = np.inf) -> dict:
    """Free a few agents at a time and re-solve their tasks exactly (small CP-SAT models).

    ``rc`` (reduced costs per pair) and ``room`` (bound − incumbent) let the
    sub-models leave out pairs far too expensive to matter: a heuristic cut
    that only makes neighbourhoods smaller, never a plan infeasible. With a
    ``guide`` (the LP being solved), one lane fewer runs while it is solved,
    and the search stops once it is. It also stops once the plan has not
    improved for ``stall`` seconds (``stats["lns_stalled"]``).
    """
    rng = np.random.default_rng(settings.seed)
    cheap = np.ones(len(core), dtype=bool) if rc is None or not np.isfinite(room) \
        else rc <= 0.25 * room
    per_agent = max(1.0, len(state.chosen) / max(1, core.n_agents))
    k = int(np.clip(round(120 / per_agent), 2, core.n_agents))
    rounds = improvements = most = 0
    # agents' task sets, for "related" neighbourhoods: agents eligible for the same tasks
    elig = np.zeros((core.n_agents, core.n_tasks), dtype=bool) if core.n_agents * core.n_tasks \
        <= 4_000_000 else None
    if elig is not None:
        elig[core.agent, core.task] = True
    # Several neighbourhoods at once (one core each) when they cannot interfere: with
    # every task held exactly once, agents apart means tasks apart.
    lanes = min(settings.lanes(), max(1, core.n_agents // (2 * k))) if core.exact else 1

    def launch(running: list) -> tuple | None:
        """The next sub-core, on agents no running one holds (None: none left beside them)."""
        nonlocal rounds, most
        if len(running) >= room_beside(guide, lanes):
            return None     # GLOP keeps a core
        while go_on():
            taken = np.zeros(core.n_agents, dtype=bool)
            for job in running:
                taken[job[0]] = True
            if taken.all():
                return None     # a running lane holds every agent (k grows up to all)
            agents = _neighbourhood(core, state.chosen, rng, k, elig, taken)
            sub, sub_pairs, _ = _sub_core(core, state.chosen, agents, cheap)
            rounds += 1
            most = max(most, len(agents))
            if sub is not None:
                limit = min(0.25, max(0.05, end - time.perf_counter()))
                return agents, (sub, sub_pairs, state.chosen, settings, limit, rounds)
            if running:
                return None     # nothing left beside the running lanes: wait
        return None

    def take(job: tuple, result: tuple) -> None:
        nonlocal improvements, k
        agents = job[0]
        picked, optimal, elapsed, limit = result
        if picked is not None:
            # The other lanes never touch these agents: their rows go in as found.
            free = np.zeros(core.n_agents, dtype=bool)
            free[agents] = True
            kept = state.chosen[~free[core.agent[state.chosen]]]
            improvements += state.offer(np.concatenate([kept, picked]))
        # adapt: quick proofs → bigger neighbourhoods; time-outs → smaller
        if optimal and elapsed < 0.5 * limit:
            k = min(core.n_agents, k + 1)
        elif not optimal:
            k = max(2, k - 1)

    stalled = False

    def go_on() -> bool:
        nonlocal stalled
        now = time.perf_counter()
        stalled = stalled or (np.isfinite(stall) and bool(state.history)
                              and now - state.start - state.history[-1][0] > stall)
        return now < end - 0.05 and not state.reached and not stalled \
            and (guide is None or guide.solution() is None)

    try:
        run_lanes(lanes, launch, lambda job: _solve_sub(*job[1]), take, go_on=go_on)
    except KeyboardInterrupt:
        # Ctrl-C: the best plan so far is kept, and the caller stops too
        return {"lns_rounds": rounds, "lns_improvements": improvements, "lns_final_agents": k,
                "lns_most_agents": most, "lns_lanes": lanes, "interrupted": True}
    return {"lns_rounds": rounds, "lns_improvements": improvements, "lns_final_agents": k,
            "lns_most_agents": most, "lns_lanes": lanes, "lns_stalled": stalled}


def _neighbourhood(core, chosen, rng, k, elig, taken) -> np.ndarray:
    """``k`` agents (fewer if few are left) not ``taken`` by another lane."""
    left = np.flatnonzero(~taken)
    k = min(k, len(left))
    if elig is None or rng.random() < 0.3:
        return rng.choice(left, size=k, replace=False)
    seed = int(rng.choice(left))
    tasks = core.task[chosen[core.agent[chosen] == seed]]
    if len(tasks) == 0:
        return rng.choice(left, size=k, replace=False)
    # agents that could take many of the seed agent's tasks, with noise for variety
    score = elig[:, tasks].sum(axis=1) + rng.random(core.n_agents) * max(1, len(tasks) / 2)
    score[seed] = np.inf
    score[taken] = -np.inf
    return np.argsort(-score)[:k]


def _sub_core(core, chosen, agents, cheap):
    """The core restricted to ``agents`` and the tasks they hold or could still fill."""
    free = np.zeros(core.n_agents, dtype=bool)
    free[agents] = True
    fixed = chosen[~free[core.agent[chosen]]]
    filled_fixed = np.bincount(core.task[fixed], minlength=core.n_tasks)
    residual = core.seats - filled_fixed
    held = np.zeros(core.n_tasks, dtype=bool)
    held[core.task[chosen[free[core.agent[chosen]]]]] = True
    tasks = held if core.exact else held | (residual > 0)
    in_plan = np.zeros(len(core), dtype=bool)
    in_plan[chosen] = True
    pairs = np.flatnonzero(free[core.agent] & tasks[core.task] & (cheap | in_plan))
    if len(pairs) == 0:
        return None, None, fixed
    ut = np.flatnonzero(tasks)
    t_new = np.full(core.n_tasks, -1, dtype=np.int64)
    t_new[ut] = np.arange(len(ut))
    ua = np.flatnonzero(free)
    a_new = np.full(core.n_agents, -1, dtype=np.int64)
    a_new[ua] = np.arange(len(ua))
    sub = AssignmentCore(capacity=core.capacity[ua], seats=residual[ut], agent=a_new[core.agent[pairs]],
                         task=t_new[core.task[pairs]], value=core.value[pairs], use=core.use[pairs],
                         exact=core.exact)
    return sub, pairs, fixed


def _solve_sub(sub, sub_pairs, chosen, settings, limit, rounds):
    """Solve a sub-core (in a worker thread: CP-SAT releases the GIL).

    Returns (pairs picked or None, proven optimal, seconds, limit).
    """
    b, x = build_core_model(sub)
    current = np.isin(sub_pairs, chosen)
    b.hint(x, current.astype(np.int64))
    solver = cp_model.CpSolver()
    sub_settings = settings.model_copy(update={"time_limit": limit, "workers": 1,
                                               "seed": settings.seed + rounds, "log": False})
    apply_params(solver, sub_settings.options(), sub_settings.time_limit, len(sub))
    t0 = time.perf_counter()
    status = solver.solve(b.model)
    elapsed = time.perf_counter() - t0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False, elapsed, limit
    values = np.asarray(solver.response_proto.solution, dtype=np.int64)
    return sub_pairs[values[x] > 0], status == cp_model.OPTIMAL, elapsed, limit


def plain_core(core: AssignmentCore, settings) -> CoreResult:
    """The core as a plain CP-SAT model: no construction, no hint, no LNS (a baseline)."""
    start = time.perf_counter()
    state = _Incumbent(core, start, None)
    b, x = build_core_model(core)
    res = _run(b.model, settings, progress=lambda p: state.note(p.time, round(p.objective)))
    if res.values is not None:
        state.offer(np.flatnonzero(res.values[x] > 0))
    bound = res.bound if res.bound is not None else np.inf
    return CoreResult(res.status if state.chosen is not None or res.status == "infeasible" else "unknown",
                      None if state.chosen is None else state.value, bound,
                      np.zeros(0, dtype=np.int64) if state.chosen is None else state.chosen,
                      state.found_at, state.history, {"cpsat": res.stats})


def _run(model, settings: GapSettings, progress: Callable[[Progress], None] | None = None,
         stop_at: float | None = None):
    """One CP-SAT run with the settings' options, within their time limit from now."""
    def plans_only(p: Progress) -> None:
        if progress is not None and math.isfinite(p.objective):   # not a bound alone
            progress(p)

    return run(model, settings.options(), settings.budget(),
               None if progress is None else plans_only, stop_at=stop_at)
