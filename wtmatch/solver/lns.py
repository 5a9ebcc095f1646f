"""Large-neighbourhood search for part A, with neighbourhoods that follow the map.

Instructors travel a few dozen kilometres, so a plan's parts interact
locally. Each round frees the instructors who could work at a cluster of
nearby schools, keeps every other row of the incumbent plan, and solves a
*small* CP-SAT model over the freed instructors' candidates only: the fixed
rows become residual seats per demand slot, residual employer releases and
a continuity offset (:class:`~wtmatch.solver.assign_model.Residual`). The
recombined plan is kept when its exact objective is higher.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from wtmatch.assign.candidates import MODE_HARD, Candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.solver.assign_model import AssignModel, Residual, build_assign_model
from wtmatch.solver.params import apply as apply_params
from wtmatch.solver.params import lp_portfolio


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
    return Residual(np.maximum(seat, 0), np.maximum(emp, 0), offset)


def improve(m: AssignModel, chosen: np.ndarray, settings, seconds: float,
            max_free: int = 2500, round_limit: float = 3.0,
            on_improve: Callable[[int], None] | None = None) -> tuple[np.ndarray, dict]:
    """Improve the plan ``chosen`` for about ``seconds``; returns (plan, stats).

    ``on_improve`` is called with the objective of each better plan found.

    Neighbourhoods start at about ``max_free`` candidates and adapt to how fast
    their sub-models are proven; ``round_limit`` seconds each. Starting sizes:
    at 300 × 200 in 60 s, 2,500 / 3 s ended 0.5–1 % higher than 1,500 / 1.5 s, and
    shorter rounds (0.4–0.8 s) lower, in single runs (benchmarks/RESULTS.md).
    """
    cands = m.cands
    pool = cands.pool
    rng = np.random.default_rng(settings.seed)
    n_sch = len(pool.school_ids)
    stats = {"lns_rounds": 0, "lns_improvements": 0}
    if len(cands) == 0 or n_sch < 2 or seconds <= 0.5:
        return chosen, stats
    best = np.asarray(chosen, dtype=np.int64)
    best_value = sum(assign_terms(cands, best).values())
    dist = pool.school_km
    per_ins = np.bincount(cands.i, minlength=len(pool.instructor_ids))
    hard = pool.d_mode == MODE_HARD
    pinned_ins = {int(cands.i[p]) for p in m.pins.values()}
    end = time.perf_counter() + seconds
    try:
        best, best_value = _rounds(m, cands, best, best_value, settings, end, rng, dist,
                                   per_ins, hard, pinned_ins, max_free, round_limit, stats,
                                   on_improve)
    except KeyboardInterrupt:
        # Ctrl-C: keep the best plan so far; the caller stops too.
        stats["interrupted"] = True
        best = stats.get("best", best)
    stats.pop("best", None)
    return best, stats


def _rounds(m, cands, best, best_value, settings, end, rng, dist, per_ins, hard, pinned_ins,
            max_free, round_limit, stats, on_improve):
    pool = cands.pool
    n_sch = len(pool.school_ids)
    while time.perf_counter() < end - 0.2:
        stats["lns_rounds"] += 1
        # Free the instructors of the schools nearest to a random school, up to max_free.
        order = np.argsort(dist[int(rng.integers(n_sch))], kind="stable")
        free_ins = np.zeros(len(pool.instructor_ids), dtype=bool)
        budget = 0
        for s in order.tolist():
            for i in np.unique(cands.i[cands.s == s]).tolist():
                if not free_ins[i] and i not in pinned_ins:
                    free_ins[i] = True
                    budget += int(per_ins[i])
            if budget >= max_free:
                break
        in_plan = np.zeros(len(cands), dtype=bool)
        in_plan[best] = True
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
        fixed = np.flatnonzero(in_plan & ~free_ins[cands.i])
        # A hard demand held by a fixed instructor stays as it is.
        held = np.zeros(len(pool.demand_ids), dtype=bool)
        held[cands.d[fixed][hard[cands.d[fixed]]]] = True
        free = free_ins[cands.i] & ~held[cands.d]
        sub = Candidates(pool, cands.i[free], cands.d[free], cands.t[free], cands.s[free],
                         cands.value[free])
        model = build_assign_model(sub, symmetry=False, residual=_residual(cands, fixed))
        positions = np.flatnonzero(free)
        hint = np.zeros(model.builder.n_vars, dtype=np.int64)
        hint[model.x_of[in_plan[positions]]] = 1
        xs = np.unique(model.x_of)
        model.builder.hint(xs, hint[xs])
        solver = cp_model.CpSolver()
        budget_s = min(round_limit, max(0.2, end - time.perf_counter()))
        # On few cores the two LP subsolvers prove a 2,500-candidate sub-model
        # within its round far more often than the 8-worker portfolio (at 300 × 200,
        # 60 s: 42 of 45 rounds against 14 of 22; gap 1.35 % against 2.53 %).
        apply_params(solver, lp_portfolio(settings.model_copy(update={"time_limit": budget_s,
                                                                      "reproducible": False})),
                     model.builder.n_vars)
        solver.parameters.log_search_progress = False
        t_solve = time.perf_counter()
        status = solver.solve(model.builder.model)
        # Adapt: a quick proof → bigger neighbourhoods next; a time-out → smaller. At
        # 300 × 200, 60 s, this ended higher than a fixed 2,500 on all of seeds 1–3.
        if status == cp_model.OPTIMAL and time.perf_counter() - t_solve < 0.5 * budget_s:
            max_free = int(max_free * 1.1)
        elif status != cp_model.OPTIMAL:
            max_free = max(500, int(max_free * 0.9))
        stats["lns_final_max_free"] = max_free
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)
        candidate = np.sort(np.concatenate([fixed, positions[model.chosen(values)]]))
        value = sum(assign_terms(cands, candidate).values())
        if value > best_value:
            best, best_value = candidate, value
            stats["lns_improvements"] += 1
            if on_improve is not None:
                on_improve(int(value))
        stats["best"] = best   # what Ctrl-C keeps
    return best, best_value
