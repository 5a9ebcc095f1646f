"""Large-neighbourhood search for part A, with neighbourhoods that follow the map.

Instructors travel a few dozen kilometres, so a plan's parts interact
locally. Each round frees the instructors who could work at a cluster of
nearby schools — or those along chains from an open seat: who could fill
it, who could fill the seats they hold, and so on — keeps every other row of
the incumbent plan, and solves a *small* CP-SAT model over the freed
instructors' candidates only: the fixed
rows become residual seats per demand slot, residual employer releases and
a continuity offset (:class:`~wtmatch.solver.assign.model.Residual`). The
recombined plan is kept when its exact objective is higher.

On several cores several neighbourhoods are solved at once, one core each,
and each one's plan is merged as it finishes. They share no instructor, so
every per-instructor rule and term falls apart into the neighbourhoods. What
they may share is demands and employers: each running sub-model *claims*
the open seats (H12) and employer releases (H9) it could take, and a later
one only sees what is left, so every merge keeps every rule; hard-continuity
demands (H11) are never shared. Continuity (S3) is the one term that does
not add up, so each merge is valued exactly. One ``max_lp`` worker proves a
sub-model about as fast as the two LP subsolvers together
(docs/benchmarks.md), so two lanes on two cores double the rounds.

Given the LP relaxation's solution (``guide``), one round is different: it
frees every instructor who is not pinned, but keeps only the candidates the
LP uses or the plan holds, and runs alone on every core. This is RINS-like
search ("relaxation induced neighbourhood"): the LP uses about a tenth of the
candidates, and CP-SAT finds a plan close to the LP bound among them in
seconds, where the map-shaped neighbourhoods need minutes.
While GLOP solves the LP, one lane fewer runs so that it keeps a core.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from ortools.sat.python import cp_model

from wtmatch.assign.candidates import MODE_HARD, UNLIMITED, Candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.budget import Budget
from wtmatch.solver.assign.model import AssignModel, build_assign_model
from wtmatch.solver.assign.residual import Residual
from wtmatch.solver.cpsat.lanes import lanes_for, room_beside, run_lanes
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.params import apply as apply_params
from wtmatch.solver.cpsat.params import lp_portfolio
from wtmatch.solver.cpsat.run import arm_ctrl_c

# Shares of neighbourhoods grown along chains from an open seat, and (of the others)
# grown around a school with an open seat rather than any school: a plan after the
# first minute lacks coverage (S1) above all; the other terms barely move.
CHAIN_SHARE = 0.5
OPEN_SEAT_SHARE = 0.5
# Of the time left when the LP's solution arrives, the most its round may take.
LP_ROUND_SHARE = 0.1
# Neighbourhoods drawn before a lane gives up for now (an empty one frees nobody).
NEIGHBOURHOOD_TRIES = 8
# An LP value above this counts as using the candidate.
_USED = 1e-6


class Guide(Protocol):
    """An LP relaxation solved beside the search (:class:`~wtmatch.solver.assign.lp_bound.LpBound`)."""

    def solution(self) -> np.ndarray | None:
        """The LP's value of every model variable, once known."""

    def running(self) -> bool:
        """Whether the LP is still being solved."""


def _residual(cands: Candidates, fixed: np.ndarray) -> Residual:
    pool = cands.pool
    seat = np.repeat(pool.d_needed[:, None], 10, axis=1).copy()
    np.subtract.at(seat, (cands.d[fixed], cands.t[fixed]), 1)
    emp = np.repeat(pool.employer_cap[:, None], 10, axis=1).copy()
    e = pool.employer[cands.i[fixed]]
    has = e >= 0
    np.subtract.at(emp, (e[has], cands.t[fixed][has]), 1)
    pairs = np.unique(np.stack([cands.d[fixed], cands.i[fixed]], axis=1), axis=0) \
        if len(fixed) else np.zeros((0, 2), dtype=np.int64)
    offset = np.bincount(pairs[:, 0], minlength=len(pool.demand_ids)) if len(pairs) \
        else np.zeros(len(pool.demand_ids), dtype=np.int64)
    reached = np.zeros(len(pool.school_ids), dtype=bool)
    reached[cands.s[fixed]] = True
    return Residual(np.maximum(seat, 0), np.maximum(emp, 0), offset, reached)


def _claims(cands: Candidates, positions: np.ndarray, in_plan: np.ndarray,
            residual: Residual) -> tuple[np.ndarray, np.ndarray]:
    """What a sub-model over ``positions`` may take beyond its plan's rows: (seats, releases).

    Per demand slot (D, 10) and per employer slot (E, 10); unlimited releases
    are never claimed.
    """
    pool = cands.pool
    d, t, i = cands.d[positions], cands.t[positions], cands.i[positions]
    mine = in_plan[positions]
    reach = np.zeros_like(residual.seat_cap, dtype=bool)
    reach[d, t] = True
    held = np.zeros_like(residual.seat_cap)
    np.add.at(held, (d[mine], t[mine]), 1)
    seats = np.where(reach, np.maximum(residual.seat_cap - held, 0), 0)
    e = pool.employer[i]
    has = e >= 0
    reach = np.zeros_like(residual.employer_cap, dtype=bool)
    reach[e[has], t[has]] = True
    held = np.zeros_like(residual.employer_cap)
    np.add.at(held, (e[has & mine], t[has & mine]), 1)
    limited = (pool.employer_cap < UNLIMITED)[:, None]
    releases = np.where(reach & limited, np.maximum(residual.employer_cap - held, 0), 0)
    return seats, releases


@dataclass
class _Sub:
    """One neighbourhood's sub-model: its candidates' positions and the plan it replaces."""

    model: AssignModel
    positions: np.ndarray      # candidate positions of the sub-model's candidates
    limit: float = 0.0         # seconds of its search
    solver: cp_model.CpSolver | None = None
    claims: tuple[np.ndarray, np.ndarray] | None = None  # see _claims
    guided: bool = False       # the LP-guided round, alone on every core


def improve(m: AssignModel, chosen: np.ndarray, options: CpOptions, budget: Budget,
            max_free: int = 2500, round_limit: float = 3.0,
            on_improve: Callable[[int], None] | None = None,
            lanes: int | None = None, bound: Callable[[], int | None] | None = None,
            extra_seconds: float = 0.0, guide: Guide | None = None) -> tuple[np.ndarray, dict]:
    """Improve the plan ``chosen`` of the model ``m`` within ``budget``; returns (plan, stats).

    The full model is not solved: each neighbourhood builds its own small
    one over ``m.cands`` (see :func:`improve_plan`, which needs no full model);
    ``m`` gives the pins, and the map from the LP's variables for ``guide``.

    Parameters
    ----------
    on_improve : callable, optional
        Called with the objective of each better plan found.
    max_free, round_limit : int, float
        Neighbourhoods start at about ``max_free`` candidates and adapt to how
        fast their sub-models are proven, ``round_limit`` seconds each (larger
        rounds ended higher than smaller or shorter ones: docs/benchmarks.md).
    lanes : int, optional
        Neighbourhoods solved at once (default :func:`lanes_for`).
    bound : callable, optional
        An upper bound on any plan's objective, or None while unknown: the
        search stops when its plan reaches it, and when the bound is known at
        the end of ``budget`` it goes on for ``extra_seconds`` more.
    guide : Guide, optional
        The LP relaxation being solved beside the search: one lane fewer runs
        until it is known, then one round searches the candidates it uses.
    """
    return _improve(m.cands, m.pins, m.x_of, chosen, options, budget, max_free, round_limit,
                    on_improve, lanes, bound, extra_seconds, guide)


def improve_plan(cands: Candidates, pins: dict[int, int], chosen: np.ndarray,
                 options: CpOptions, budget: Budget, on_improve: Callable[[int], None] | None = None,
                 bound: Callable[[], int | None] | None = None) -> tuple[np.ndarray, dict]:
    """:func:`improve` without a full model: for models too big to build or search whole.

    ``pins`` maps pin rows to candidate positions (the pinned instructors
    are never freed). No LP guide: its variables would be the full model's.
    """
    return _improve(cands, dict(pins), None, chosen, options, budget, 2500, 3.0, on_improve,
                    None, bound, 0.0, None)


def _improve(cands: Candidates, pins: dict[int, int], x_of: np.ndarray | None,
             chosen: np.ndarray, options: CpOptions, budget: Budget, max_free: int,
             round_limit: float,
             on_improve, lanes: int | None, bound, extra_seconds: float,
             guide: Guide | None) -> tuple[np.ndarray, dict]:
    """The search behind :func:`improve` and :func:`improve_plan`."""
    pool = cands.pool
    lanes = lanes or lanes_for(options)
    stats = {"lns_rounds": 0, "lns_improvements": 0, "lns_lanes": lanes, "lns_proven": 0,
             "lns_build_s": 0.0, "lns_solve_s": 0.0}
    if len(cands) == 0 or len(pool.school_ids) < 2 or budget.left() <= 0.5:
        return chosen, stats
    search = _Search(cands, pins, x_of, options, lanes, max_free, round_limit, stats, on_improve,
                     np.asarray(chosen, dtype=np.int64), bound or (lambda: None),
                     budget.end, budget.end + extra_seconds, guide)
    arm_ctrl_c()
    try:
        run_lanes(lanes, search.next, search.solve, search.take,
                  go_on=lambda: search.time_left() > 0.2,
                  halt=lambda: search.time_left() == 0.0, stop=_Search.stop)
    except KeyboardInterrupt:
        # Ctrl-C: keep the best plan so far; the caller stops too.
        stats["interrupted"] = True
    return search.best, stats


class _Search:
    """The state of one neighbourhood search: incumbent, neighbourhood size, statistics."""

    def __init__(self, cands: Candidates, pins: dict[int, int], x_of: np.ndarray | None,
                 options: CpOptions, lanes: int, max_free: int,
                 round_limit: float, stats: dict, on_improve, chosen: np.ndarray,
                 bound: Callable[[], int | None], end: float, extra_end: float,
                 guide: Guide | None = None) -> None:
        self.cands, self.x_of, self.lanes = cands, x_of, lanes
        self.max_free, self.round_limit = max_free, round_limit
        self.stats, self.on_improve = stats, on_improve
        self.best = chosen
        self.best_value = sum(assign_terms(self.cands, chosen).values())
        self.bound, self.end, self.extra_end = bound, end, extra_end
        self.guide = guide
        pool = self.cands.pool
        self.rng = np.random.default_rng(options.seed)
        self.hard = pool.d_mode == MODE_HARD
        self.pinned = np.zeros(len(pool.instructor_ids), dtype=bool)
        self.pinned[self.cands.i[list(pins.values())]] = True
        # Lanes need room to stay apart: each takes at most its share of the model.
        self.lane_cap = len(self.cands) / (lanes + 1) if lanes > 1 else np.inf
        self.slot_key = self.cands.d * 10 + self.cands.t
        self.per_ins = np.bincount(self.cands.i, minlength=len(pool.instructor_ids))
        # The instructors with a candidate at each school, to grow neighbourhoods.
        pairs = np.unique(np.stack([self.cands.s, self.cands.i], axis=1), axis=0)
        cuts = np.searchsorted(pairs[:, 0], np.arange(len(pool.school_ids) + 1))
        self.at_school = [pairs[a:b, 1] for a, b in itertools.pairwise(cuts)]
        one = options.replace(reproducible=False)
        if lanes > 1:
            # One max_lp worker per lane (subsolvers named by the user win).
            self.sub_options = one.replace(workers=1).with_defaults(subsolvers=["max_lp"])
        else:
            # On few cores the two LP subsolvers prove a 2,500-candidate sub-model
            # within its round far more often than the 8-worker portfolio.
            self.sub_options = lp_portfolio(one)
        # The LP-guided round runs alone: the two LP subsolvers on every core.
        self.wide_options = lp_portfolio(one)

    def time_left(self) -> float:
        """Seconds to go: to the end, or to the extra end once the bound is known; 0 at the bound."""
        bound = self.bound()
        if bound is not None and self.best_value >= bound:
            self.stats["lns_reached_bound"] = True
            return 0.0
        end = self.end if bound is None else self.extra_end
        return max(0.0, end - time.perf_counter())

    @staticmethod
    def stop(sub: _Sub) -> None:
        """Stop a running sub-model's search (it returns its best plan so far)."""
        if sub.solver is not None:
            sub.solver.stop_search()

    def next(self, others: list[_Sub]) -> _Sub | None:
        """A sub-model around a random school, sharing nothing with the ``others`` running."""
        t0 = time.perf_counter()
        left = self.time_left()
        if any(other.guided for other in others):
            return None
        if self.guide is not None:
            solution = self.guide.solution()
            if solution is not None:
                if others:
                    return None     # wait for the lanes: the round takes every core
                return self._guided(solution, left, t0)
        if len(others) >= room_beside(self.guide, self.lanes):
            return None             # the LP keeps a core
        cands, pool = self.cands, self.cands.pool
        taken_ins = np.zeros(len(pool.instructor_ids), dtype=bool)
        taken_hard = np.zeros(len(pool.demand_ids), dtype=bool)
        in_plan = np.zeros(len(cands), dtype=bool)
        in_plan[self.best] = True
        seats = np.zeros((len(pool.demand_ids), 10), dtype=np.int64)
        releases = np.zeros((len(pool.employer_ids), 10), dtype=np.int64)
        for other in others:
            taken_ins[cands.i[other.positions]] = True
            taken_hard[cands.d[other.positions]] = True
            seats += other.claims[0]
            releases += other.claims[1]
        taken_hard &= self.hard
        # a neighbourhood can come out empty (its instructors all pinned, busy in another
        # lane or tied to a fixed hard team); with nothing running that would end the
        # search early, so other centres are tried first
        for _ in range(NEIGHBOURHOOD_TRIES):
            free = self._neighbourhood(in_plan, taken_ins, taken_hard)
            if free.any():
                break
        else:
            return None
        sub = self._sub_model(in_plan, free, seats, releases)
        sub.limit = min(self.round_limit, max(0.2, left - (time.perf_counter() - t0)))
        self.stats["lns_rounds"] += 1
        self.stats["lns_build_s"] += time.perf_counter() - t0
        return sub

    def _guided(self, solution: np.ndarray, left: float, t0: float) -> _Sub:
        """The round over the candidates the LP uses or the plan holds, of every free instructor."""
        cands = self.cands
        self.guide = None
        in_plan = np.zeros(len(cands), dtype=bool)
        in_plan[self.best] = True
        free = self._closed(~self.pinned, in_plan, np.zeros(len(cands.pool.demand_ids), bool))
        free &= (solution[self.x_of] > _USED) | in_plan
        none = np.zeros((len(cands.pool.demand_ids), 10), dtype=np.int64)
        sub = self._sub_model(in_plan, free, none,
                              np.zeros((len(cands.pool.employer_ids), 10), dtype=np.int64))
        sub.guided = True
        sub.limit = max(0.2, LP_ROUND_SHARE * left)
        self.stats.update(lns_lp_candidates=int(free.sum()), lns_lp_from=int(self.best_value))
        self.stats["lns_build_s"] += time.perf_counter() - t0
        return sub

    def _around(self, centre: int, blocked: np.ndarray, size: float) -> np.ndarray:
        """The instructors of the schools nearest to ``centre``, up to ``size`` candidates."""
        pool = self.cands.pool
        free_ins = np.zeros(len(pool.instructor_ids), dtype=bool)
        budget = 0
        for s in np.argsort(pool.school_km[centre], kind="stable").tolist():
            new = self.at_school[s][~free_ins[self.at_school[s]] & ~blocked[self.at_school[s]]]
            free_ins[new] = True
            budget += int(self.per_ins[new].sum())
            if budget >= size:
                break
        return free_ins

    def _chain(self, in_plan: np.ndarray, blocked: np.ndarray, size: float) -> np.ndarray:
        """Instructors along chains from open seats, up to ``size`` candidates.

        Who could fill an open seat, who could fill the seats they hold, and so
        on: the moves that let one more seat be covered.
        """
        cands, pool = self.cands, self.cands.pool
        n_keys = 10 * len(pool.demand_ids)
        open_ = self._at_open_seats(in_plan) & ~blocked[cands.i]
        free_ins = np.zeros(len(pool.instructor_ids), dtype=bool)
        if not open_.any():
            return free_ins
        start = self.slot_key[self.rng.choice(np.flatnonzero(open_))]
        frontier = np.zeros(n_keys, dtype=bool)
        frontier[start] = True
        budget = 0
        while budget < size:
            new = np.unique(cands.i[frontier[self.slot_key] & ~blocked[cands.i]])
            new = new[~free_ins[new]]
            if len(new) == 0:
                break
            # The last level is cut to the size (in instructor order).
            room = np.cumsum(self.per_ins[new])
            new = new[: int(np.searchsorted(room, size - budget)) + 1]
            free_ins[new] = True
            budget += int(self.per_ins[new].sum())
            frontier[:] = False
            frontier[self.slot_key[in_plan & free_ins[cands.i]]] = True
        return free_ins

    def _at_open_seats(self, in_plan: np.ndarray) -> np.ndarray:
        """Which candidates are for a demand slot with a seat the plan leaves open."""
        filled = np.bincount(self.slot_key[in_plan], minlength=10 * len(self.cands.pool.demand_ids))
        return self.cands.pool.d_needed[self.slot_key // 10] > filled[self.slot_key]

    def _centre(self, in_plan: np.ndarray) -> int:
        """A school to grow a neighbourhood from: often one with a seat left open."""
        cands, pool = self.cands, self.cands.pool
        n_sch = len(pool.school_ids)
        if self.rng.random() < OPEN_SEAT_SHARE:
            open_ = self._at_open_seats(in_plan)
            weight = np.bincount(cands.s[open_], weights=cands.value[open_], minlength=n_sch)
            if weight.sum() > 0:
                return int(self.rng.choice(n_sch, p=weight / weight.sum()))
        return int(self.rng.integers(n_sch))

    def _neighbourhood(self, in_plan: np.ndarray, taken_ins: np.ndarray,
                       taken_hard: np.ndarray) -> np.ndarray:
        """Free candidates: of instructors along chains or around a school, up to max_free.

        Instructors of other running sub-models (``taken_ins``) and the hard
        demands they may change (``taken_hard``) stay out.
        """
        cands = self.cands
        # A freed instructor's every row must be free (the sub-model knows nothing of
        # its other rows): whoever works at another lane's hard demand stays fixed.
        blocked = self.pinned | taken_ins
        blocked[cands.i[in_plan & taken_hard[cands.d]]] = True
        size = min(self.max_free, self.lane_cap)
        free_ins = self._chain(in_plan, blocked, size) if self.rng.random() < CHAIN_SHARE \
            else None
        if free_ins is None or not free_ins.any():
            free_ins = self._around(self._centre(in_plan), blocked, size)
        return self._closed(free_ins, in_plan, taken_hard)

    def _closed(self, free_ins: np.ndarray, in_plan: np.ndarray,
                taken_hard: np.ndarray) -> np.ndarray:
        """The free candidates of the ``free_ins`` instructors, hard teams kept whole."""
        cands, pool, hard = self.cands, self.cands.pool, self.hard
        free_ins = free_ins.copy()
        # A hard demand is all or nothing for its team: whoever shares one with a
        # fixed instructor stays fixed too (until no team is split).
        team = in_plan & hard[cands.d]
        while True:
            split = np.zeros(len(pool.demand_ids), dtype=bool)
            split[cands.d[team & ~free_ins[cands.i]]] = True
            stay = np.unique(cands.i[team & free_ins[cands.i] & split[cands.d]])
            if len(stay) == 0:
                break
            free_ins[stay] = False
        # A hard demand held by a fixed instructor stays as it is; so does one that
        # another lane may change.
        fixed = in_plan & ~free_ins[cands.i]
        held = taken_hard.copy()
        held[cands.d[fixed & hard[cands.d]]] = True
        return free_ins[cands.i] & ~held[cands.d]

    def _sub_model(self, in_plan: np.ndarray, free: np.ndarray, seats: np.ndarray,
                   releases: np.ndarray) -> _Sub:
        """The sub-model over ``free``, less the seats and releases other lanes claim."""
        cands = self.cands
        fixed = np.flatnonzero(in_plan & ~free)
        left = _residual(cands, fixed)
        left = replace(left, seat_cap=np.maximum(left.seat_cap - seats, 0),
                       employer_cap=np.maximum(left.employer_cap - releases, 0))
        sub = Candidates(cands.pool, cands.i[free], cands.d[free], cands.t[free],
                         cands.s[free], cands.value[free])
        model = build_assign_model(sub, symmetry=False, residual=left)
        positions = np.flatnonzero(free)
        hint = np.zeros(model.builder.n_vars, dtype=np.int64)
        hint[model.x_of[in_plan[positions]]] = 1
        xs = np.unique(model.x_of)
        model.builder.hint(xs, hint[xs])
        return _Sub(model, positions, claims=_claims(cands, positions, in_plan, left))

    def solve(self, sub: _Sub) -> tuple[int, np.ndarray | None, float]:
        """Solve one sub-model (in a worker thread: CP-SAT releases the GIL)."""
        solver = sub.solver = cp_model.CpSolver()
        options = self.wide_options if sub.guided else self.sub_options
        apply_params(solver, options, sub.limit, sub.model.builder.n_vars)
        solver.parameters.log_search_progress = False
        t0 = time.perf_counter()
        # The guided round runs alone, for seconds: each plan it finds is merged (and
        # reported) at once, as the other lanes' plans are after their short rounds.
        status = solver.solve(sub.model.builder.model, _Merging(self, sub) if sub.guided else None)
        seconds = time.perf_counter() - t0
        values = None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = np.asarray(solver.response_proto.solution, dtype=np.int64)
        return status, values, seconds

    def take(self, sub: _Sub, result: tuple[int, np.ndarray | None, float]) -> None:
        """Adapt the neighbourhood size; keep the sub-model's plan when it adds value."""
        status, values, seconds = result
        arm_ctrl_c()        # in the main thread, between sub-models (see cpsat.run)
        self.stats["lns_solve_s"] += seconds
        if sub.guided:
            self._merge(sub, values)
            self.stats.update(lns_lp_to=int(self.best_value), lns_lp_s=round(seconds, 2),
                              lns_lp_proven=status == cp_model.OPTIMAL)
            return
        self.stats["lns_proven"] += status == cp_model.OPTIMAL
        # Adapt: a quick proof → bigger neighbourhoods next; a time-out → smaller
        # (ends higher than a fixed size).
        # A sub-model cut small by the other lanes says nothing about the size.
        if status == cp_model.OPTIMAL and seconds < 0.5 * sub.limit \
                and len(sub.positions) >= 0.8 * min(self.max_free, self.lane_cap):
            self.max_free = int(min(self.max_free * 1.1, 2 * self.lane_cap))
        elif status != cp_model.OPTIMAL:
            self.max_free = max(500, int(self.max_free * 0.9))
        self.stats["lns_final_max_free"] = self.max_free
        self._merge(sub, values)

    def _merge(self, sub: _Sub, values: np.ndarray | None) -> None:
        """Keep the sub-model's plan when the whole plan gains by it."""
        if values is None:
            return
        # Other lanes may have changed the plan meanwhile, but not this sub-model's
        # instructors, nor beyond the seats and releases it claimed: its rows go in.
        plan = np.zeros(len(self.cands), dtype=bool)
        plan[self.best] = True
        plan[sub.positions] = False
        plan[sub.positions[sub.model.chosen(values)]] = True
        chosen = np.flatnonzero(plan)
        value = sum(assign_terms(self.cands, chosen).values())
        if value > self.best_value:
            self.best, self.best_value = chosen, value
            self.stats["lns_improvements"] += 1
            if self.on_improve is not None:
                self.on_improve(int(value))


class _Merging(cp_model.CpSolverSolutionCallback):
    """Merges each plan of the guided round into the search's plan as it is found."""

    def __init__(self, search: _Search, sub: _Sub) -> None:
        super().__init__()
        self.search, self.sub = search, sub

    def on_solution_callback(self) -> None:
        self.search._merge(self.sub, np.asarray(self.response_proto.solution, dtype=np.int64))
