"""Large-neighbourhood search for part A, with neighbourhoods that follow the map.

Instructors travel a few dozen kilometres, so a plan's parts interact
locally. Each round frees every candidate at a cluster of nearby schools,
and every candidate of the instructors who could work there; fixes all
other decisions to the incumbent plan; and re-solves that sub-model with
CP-SAT from a copy of the full model. Only improvements (by the exact
objective of :mod:`wtmatch.assign.evaluate`) are kept.
"""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from wtmatch.assign.evaluate import assign_terms
from wtmatch.solver.assign_model import AssignModel
from wtmatch.solver.params import apply as apply_params


def improve(m: AssignModel, chosen: np.ndarray, settings, seconds: float,
            max_free: int = 2500) -> tuple[np.ndarray, dict]:
    """Improve the plan ``chosen`` for about ``seconds``; returns (plan, stats)."""
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
    per_school = np.bincount(cands.s, minlength=n_sch)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end - 0.3:
        stats["lns_rounds"] += 1
        seed_school = int(rng.integers(n_sch))
        order = np.argsort(dist[seed_school], kind="stable")
        take = np.searchsorted(np.cumsum(per_school[order]), max_free // 2) + 1
        schools = np.zeros(n_sch, dtype=bool)
        schools[order[:max(1, take)]] = True
        people = np.zeros(len(pool.instructor_ids), dtype=bool)
        people[cands.i[schools[cands.s]]] = True
        free = schools[cands.s] | people[cands.i]
        sub = cp_model.CpModel()
        sub.proto.copy_from(m.proto)
        in_plan = np.zeros(len(cands), dtype=bool)
        in_plan[best] = True
        fixed_vars = {}
        for p in np.flatnonzero(~free).tolist():
            fixed_vars[int(m.x_of[p])] = int(in_plan[p])
        variables = sub.proto.variables
        for var, val in fixed_vars.items():
            dom = variables[var].domain
            dom.clear()
            dom.extend((val, val))
        sub.proto.solution_hint.vars.clear()
        sub.proto.solution_hint.values.clear()
        xs = np.unique(m.x_of[free])
        hint = np.zeros(int(m.x_of.max()) + 1, dtype=np.int64)
        hint[m.x_of[best]] = 1
        sub.proto.solution_hint.vars.extend(xs.tolist())
        sub.proto.solution_hint.values.extend(hint[xs].tolist())
        solver = cp_model.CpSolver()
        budget = min(2.0, max(0.2, end - time.perf_counter()))
        apply_params(solver, settings.model_copy(update={"time_limit": budget, "workers": 2,
                                                         "reproducible": False}),
                     len(sub.proto.variables))
        solver.parameters.log_search_progress = False
        status = solver.solve(sub)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)
        candidate = m.chosen(values)
        value = sum(assign_terms(cands, candidate).values())
        if value > best_value:
            best, best_value = candidate, value
            stats["lns_improvements"] += 1
    return best, stats
