"""A plain, dense CP-SAT model of part A written straight from the rules (a baseline).

This is what a modeller writes on a first day with ``cp_model``: a boolean
for *every* instructor × demand × demand slot (ineligible ones forced to 0),
Python loops and ``sum()``, big-M links from assignments to "works at school"
and "visits that weekday", pairwise same-day conflicts, no symmetry breaking,
no warm start. The benchmarks run it beside :func:`wtmatch.solve` so the
figures show what the sparse, strong formulation buys. Never used to plan.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from wtmatch.assign.candidates import MODE_HARD, MODE_SOFT, Candidates
from wtmatch.budget import Budget
from wtmatch.settings import Settings
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.run import run


@dataclass(frozen=True)
class DenseResult:
    status: str
    chosen: np.ndarray | None   # candidate positions of the plan found
    bound: float | None
    build_time: float
    solve_time: float
    variables: int


def solve_dense(cands: Candidates, settings: Settings) -> DenseResult:
    """Build the dense model, solve it within ``settings.time_limit`` (build not counted)."""
    t0 = time.perf_counter()
    pool = cands.pool
    sc = pool.scenario
    w = sc.settings.weights
    n_ins, n_dem, n_sch = len(pool.instructor_ids), len(pool.demand_ids), len(pool.school_ids)
    where = {(int(i), int(d), int(t)): k for k, (i, d, t) in
             enumerate(zip(cands.i, cands.d, cands.t, strict=True))}
    m = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for i in range(n_ins):
        for d in range(n_dem):
            for t in np.flatnonzero(pool.d_slots[d]).tolist():
                v = m.new_bool_var(f"x_{i}_{d}_{t}")
                x[i, d, t] = v
                if (i, d, t) not in where:
                    m.add(v == 0)  # H1, H2, H5, H6
    obj = []
    by_it: dict[tuple[int, int], list] = {}
    by_i: dict[int, list] = {}
    by_dt: dict[tuple[int, int], list] = {}
    by_is: dict[tuple[int, int], list] = {}
    by_isday: dict[tuple[int, int, int], list] = {}
    by_id: dict[tuple[int, int], list] = {}
    for (i, d, t), v in x.items():
        s = int(pool.d_school[d])
        by_it.setdefault((i, t), []).append(v)
        by_i.setdefault(i, []).append(v)
        by_dt.setdefault((d, t), []).append(v)
        by_is.setdefault((i, s), []).append(v)
        by_isday.setdefault((i, s, t // 2), []).append(v)
        by_id.setdefault((i, d), []).append((t, v))
        # S1 + S4 per filled seat
        obj.append((w.coverage * int(pool.d_priority[d]) + w.preference * int(pool.pref[i, s])) * v)
    for vs in by_it.values():
        m.add(sum(vs) <= 1)                                        # H3
    for i, vs in by_i.items():
        m.add(sum(vs) <= int(pool.capacity[i]))                    # H4
        slots = [m.new_bool_var("") for _ in range(10)]
        for t in range(10):
            m.add(sum(by_it.get((i, t), [])) >= slots[t])
        under = m.new_int_var(0, int(pool.min_dayparts[i]), "")
        m.add(under >= int(pool.min_dayparts[i]) - sum(slots))     # S5
        obj.append(-w.underuse * under)
    for (d, _t), vs in by_dt.items():
        if pool.d_mode[d] != MODE_HARD:
            m.add(sum(vs) <= int(pool.d_needed[d]))                # H12
    y = {}
    for (i, s), vs in by_is.items():
        y[i, s] = m.new_bool_var("")
        m.add(sum(vs) <= len(vs) * y[i, s])                        # big-M link
    for i in range(n_ins):
        ys = [y[i, s] for s in range(n_sch) if (i, s) in y]
        if ys:
            m.add(sum(ys) <= int(min(pool.max_schools[i], n_sch)))  # H7
            frag = m.new_int_var(0, len(ys), "")
            m.add(frag >= sum(ys) - 1)                             # S6
            obj.append(-w.fragmentation * frag)
    visit = {}
    for (i, s, day), vs in by_isday.items():
        visit[i, s, day] = m.new_bool_var("")
        m.add(sum(vs) <= len(vs) * visit[i, s, day])
        obj.append(-w.travel_km * int(pool.km[i, s]) * visit[i, s, day])   # S2
    limit = sc.settings.same_day_max_km
    if limit is not None:
        keys = sorted(visit)
        for a_idx, (i, s, day) in enumerate(keys):
            for i2, s2, day2 in keys[a_idx + 1:]:
                if i2 == i and day2 == day and pool.school_km[s, s2] > limit:
                    m.add(visit[i, s, day] + visit[i2, s2, day2] <= 1)   # H8
    emp: dict[tuple[int, int], list] = {}
    for (i, t), vs in by_it.items():
        e = int(pool.employer[i])
        if e >= 0:
            busy = m.new_bool_var("")
            m.add(sum(vs) <= busy)
            emp.setdefault((e, t), []).append(busy)
    for (e, _t), bs in emp.items():
        m.add(sum(bs) <= int(min(pool.employer_cap[e], len(bs))))   # H9
    hard_on: dict[int, cp_model.IntVar] = {}
    for (_i, d), tvs in by_id.items():
        if pool.d_mode[d] == MODE_HARD:
            for (_t, v), (_t2, v2) in itertools.pairwise(tvs):
                m.add(v == v2)                                     # H11: same people every slot
    for d in range(n_dem):
        if pool.d_mode[d] == MODE_HARD:
            hard_on[d] = m.new_bool_var("")
            first = int(np.flatnonzero(pool.d_slots[d])[0])
            m.add(sum(x[i, d, first] for i in range(n_ins)) == int(pool.d_needed[d]) * hard_on[d])
        elif pool.d_mode[d] == MODE_SOFT and w.continuity > 0:
            people = []
            for i in range(n_ins):
                z = m.new_bool_var("")
                m.add(sum(v for _t, v in by_id[i, d]) <= 10 * z)
                people.append(z)
            extra = m.new_int_var(0, n_ins, "")
            m.add(extra >= sum(people) - int(pool.d_needed[d]))     # S3
            obj.append(-w.continuity * extra)
    for p in sc.pinned:
        k = cands.find(p.instructor, p.demand, p.slot)
        if k is None:
            m.add(m.new_constant(0) == 1)                          # H10 cannot hold
        else:
            m.add(x[int(cands.i[k]), int(cands.d[k]), int(cands.t[k])] == 1)
    kept = []
    for r in sc.previous_plan:
        k = cands.find(r.instructor, r.demand, r.slot)
        if k is not None:
            kept.append(x[int(cands.i[k]), int(cands.d[k]), int(cands.t[k])])
    obj.append(w.change * sum(kept) - w.change * len(sc.previous_plan))   # S7
    m.maximize(sum(obj))
    build = time.perf_counter() - t0
    res = run(m, CpOptions.of(settings), Budget.start(settings.time_limit, settings.reproducible))
    chosen = None
    if res.values is not None:
        chosen = np.array(sorted(k for key, k in where.items() if res.values[x[key].index] > 0),
                          dtype=np.int64)
    return DenseResult(res.status, chosen, res.bound, build, res.wall_time, len(x))
