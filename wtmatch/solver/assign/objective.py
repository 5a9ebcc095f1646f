"""Part A's objective terms S2, S3, S5, S6 and S7: one function per term.

With periods (§8) S2, S3, S5 and S6 count ``weeks(p)`` times per copy.

Each returns ``(variables, coefficients, constant)`` so the model can add it
to the objective and a reader can see what each term costs. S1 and S4 are
the pair values of the assignment core (:mod:`wtmatch.solver.assign.core_rows`).
"""

from __future__ import annotations

import numpy as np

from wtmatch.arrays import distinct
from wtmatch.assign.candidates import MODE_SOFT, Candidates
from wtmatch.solver.assign.links import any_of, distinct_rows, rows_of
from wtmatch.solver.assign.residual import Residual
from wtmatch.solver.cpsat.proto import ProtoBuilder

Terms = tuple[np.ndarray, np.ndarray, int]


def s2_travel(cands: Candidates, v: dict) -> Terms:
    """S2: −w·km(home, school) once per (instructor, school, weekday) visited."""
    w = cands.pool.scenario.settings.weights
    triples, vars_ = v["triples"], v["vars"]
    sel = vars_ >= 0
    km = cands.pool.km[triples[sel, 0], triples[sel, 1]] * cands.pool.i_weeks[triples[sel, 0]]
    return vars_[sel], -w.travel_km * km, 0


def s3_continuity(b: ProtoBuilder, cands: Candidates, x: np.ndarray,
                  residual: Residual | None = None, y: dict | None = None) -> Terms:
    """S3: −w·(distinct instructors − needed)⁺ for soft demands.

    z[d, i] ('i teaches d') is y[i, school of d] when d holds all of i's
    candidates at that school.
    """
    pool = cands.pool
    offset = (np.zeros(len(pool.demand_ids), dtype=np.int64) if residual is None
              else residual.continuity_offset)
    w = pool.scenario.settings.weights
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0)
    if w.continuity <= 0:
        return empty
    soft = pool.d_mode[cands.d] == MODE_SOFT
    pairs, _ = distinct_rows(cands.d[soft], cands.i[soft])
    if len(pairs) == 0:
        return empty
    n_people = np.bincount(pairs[:, 0], minlength=len(pool.demand_ids)) + offset
    multi = pool.d_slots.sum(axis=1) > 1
    need_d = multi & (n_people > pool.d_needed)
    pairs = pairs[need_d[pairs[:, 0]]]
    if len(pairs) == 0:
        return empty
    sel = soft & need_d[cands.d]
    group = rows_of(pairs, cands.d[sel], cands.i[sel])
    known = None
    if y is not None and len(y["vars"]):
        school = pool.d_school[pairs[:, 0]]
        row = np.minimum(rows_of(y["pairs"], pairs[:, 1], school), len(y["pairs"]) - 1)
        found = (y["pairs"][row, 0] == pairs[:, 1]) & (y["pairs"][row, 1] == school)
        same = found & (np.bincount(group, minlength=len(pairs)) == y["count"][row])
        known = np.where(same, y["vars"][row], -1)
    z = any_of(b, group, x[sel], cands.t[sel], known)
    ds = distinct(pairs[:, 0])
    p = b.new_vars(len(ds), 0, n_people[ds] - pool.d_needed[ds])
    g = np.concatenate([pairs[:, 0], ds])
    v = np.concatenate([z, p])
    c = np.concatenate([np.ones(len(z), dtype=np.int64), -np.ones(len(ds), dtype=np.int64)])
    b.linear_groups(g, v, c, -(10**9), pool.d_needed[ds] - offset[ds])
    return p, -w.continuity * pool.d_weeks[ds], 0


def s5_underuse(b: ProtoBuilder, cands: Candidates, x: np.ndarray) -> Terms:
    """S5: −w·(min_dayparts − assigned slots)⁺ per instructor."""
    pool = cands.pool
    w = pool.scenario.settings.weights
    mins = pool.min_dayparts
    has = np.zeros(len(mins), dtype=bool)
    has[cands.i] = True
    const = -w.underuse * int((mins * pool.i_weeks)[~has].sum())
    ins = np.flatnonzero(has & (mins > 0))
    if len(ins) == 0 or w.underuse <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), const
    u = b.new_vars(len(ins), 0, mins[ins])
    sel = (mins > 0)[cands.i] & has[cands.i]
    g = np.concatenate([cands.i[sel], ins])
    v = np.concatenate([x[sel], u])
    b.linear_groups(g, v, 1, mins[ins], 10**9)
    return u, -w.underuse * pool.i_weeks[ins], const


def s6_fragmentation(b: ProtoBuilder, cands: Candidates, y: dict) -> Terms:
    """S6: −w·(distinct schools − 1)⁺ per instructor."""
    pool = cands.pool
    w = pool.scenario.settings.weights
    pairs, ys = y["pairs"], y["vars"]
    if w.fragmentation <= 0 or len(ys) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0
    n = np.bincount(pairs[:, 0], minlength=len(pool.instructor_ids))
    ins = np.flatnonzero(n > 1)
    f = b.new_vars(len(ins), 0, n[ins] - 1)
    sel = (n > 1)[pairs[:, 0]]
    g = np.concatenate([pairs[sel, 0], ins])
    v = np.concatenate([ys[sel], f])
    c = np.concatenate([np.ones(int(sel.sum()), dtype=np.int64),
                        -np.ones(len(ins), dtype=np.int64)])
    b.linear_groups(g, v, c, -(10**9), 1)
    return f, -w.fragmentation * pool.i_weeks[ins], 0


def s7_stability(cands: Candidates, x: np.ndarray) -> Terms:
    """S7: −w per previous-plan row missing from the plan (= −w·rows + w·kept)."""
    scenario = cands.pool.scenario
    w = scenario.settings.weights
    rows = scenario.previous_plan
    pos = cands.find_rows(rows)
    kept = np.array([p for p in pos if p is not None], dtype=np.int64)
    return x[kept], np.full(len(kept), w.change, dtype=np.int64), -w.change * len(rows)
