"""Part A's terms of the school year (DOMAIN.md §8): S8 reach and S9 handover.

Both follow the same pattern as the other penalty terms: a variable is
bounded from the side the objective pushes it to, so that at an optimum it
takes its exact value.

* S8 — ``r[s] ≤ Σ x`` over the school copy's candidates: the reward is paid
  only for a school with a filled seat.
* S9 — per demand copy ``d`` on either side of a handover pair, ``z[d, i]``
  is exactly "instructor copy i teaches d" (``z ≥`` each slot's rows, since
  a teacher on ``q`` raises the penalty, and, since one on ``p`` lowers it,
  ``z ≤ Σ x``); ``seats·h[d] ≥ Σ x`` makes ``h`` "d has rows"; and for each instructor on
  the later copy ``q`` of a pair ``(p, q)``, ``n ≥ z[q, i] − z[p, i'] + h[p] − 1``
  where ``i'`` is the same person's copy in ``p``: ``n`` is 1 exactly for a
  new face on a demand that had rows before.
"""

from __future__ import annotations

import numpy as np

from wtmatch.arrays import distinct
from wtmatch.assign.candidates import Candidates
from wtmatch.solver.assign.links import code, distinct_rows, link
from wtmatch.solver.assign.residual import Residual
from wtmatch.solver.cpsat.proto import ProtoBuilder

Terms = tuple[np.ndarray, np.ndarray, int]
_BIG = 10**9


def _empty() -> Terms:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0


def s8_reach(b: ProtoBuilder, cands: Candidates, x: np.ndarray,
             residual: Residual | None = None) -> Terms:
    """S8: +w·reach(school)·weeks per school (copy) with at least one filled seat."""
    pool = cands.pool
    w = pool.scenario.settings.weights
    gain = w.reach * pool.s_reach * pool.s_weeks
    if w.reach <= 0 or not (gain > 0).any() or len(cands) == 0:
        return _empty()
    wanted = gain > 0
    if residual is not None and residual.reached is not None:
        wanted &= ~residual.reached  # already reached by the rows held fixed
    schools = distinct(cands.s[wanted[cands.s]])
    if len(schools) == 0:
        return _empty()
    r = b.new_vars(len(schools), 0, 1)
    sel = wanted[cands.s]
    rank = np.searchsorted(schools, cands.s[sel])
    g = np.concatenate([rank, np.arange(len(schools))])
    v = np.concatenate([x[sel], r])
    c = np.concatenate([np.ones(int(sel.sum()), dtype=np.int64),
                        -np.ones(len(schools), dtype=np.int64)])
    b.linear_groups(g, v, c, 0, _BIG)
    return r, gain[schools], 0


def _teaches(b: ProtoBuilder, rows: np.ndarray, which: np.ndarray, xs: np.ndarray,
             ts: np.ndarray, later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """z per (demand copy, instructor copy) row: "teaches it", bounded where S9 needs it.

    A row whose candidates are one variable is that variable. Otherwise z ≥
    each slot's rows on a later copy (a new face there raises the penalty)
    and z ≤ Σ x on an earlier one (being there lowers it).
    """
    base = int(xs.max()) + 1 if len(xs) else 1
    pair = distinct(which * base + xs)
    n_distinct = np.bincount(pair // base, minlength=len(rows))
    z = np.full(len(rows), -1, dtype=np.int64)
    single = n_distinct == 1
    z[(pair // base)[single[pair // base]]] = (pair % base)[single[pair // base]]
    multi = np.flatnonzero(~single)
    z[multi] = b.new_vars(len(multi), 0, 1)
    low = ~single[which] & later[which]
    if low.any():
        sub = distinct((which[low] * 10 + ts[low]) * base + xs[low])
        g, v = sub // base, sub % base
        link(b, g, v, z[g // 10])
    up = ~single[which] & earlier[which]
    if up.any():
        groups = distinct(which[up])
        rank = np.searchsorted(groups, which[up])
        b.linear_groups(np.concatenate([rank, np.arange(len(groups))]),
                        np.concatenate([xs[up], z[groups]]),
                        np.concatenate([np.ones(int(up.sum()), dtype=np.int64),
                                        -np.ones(len(groups), dtype=np.int64)]), 0, _BIG)
    return z


def s9_handover(b: ProtoBuilder, cands: Candidates, x: np.ndarray) -> Terms:
    """S9: −w·(new faces) per demand and two consecutive periods in which it has rows."""
    pool = cands.pool
    w = pool.scenario.settings.weights
    if w.handover <= 0 or len(pool.handover) == 0 or len(cands) == 0:
        return _empty()
    n_dem = len(pool.demand_ids)
    has = np.bincount(cands.d, minlength=n_dem) > 0
    pairs = pool.handover[has[pool.handover[:, 0]] & has[pool.handover[:, 1]]]
    if len(pairs) == 0:
        return _empty()
    prev = np.full(n_dem, -1, dtype=np.int64)
    prev[pairs[:, 1]] = pairs[:, 0]
    on = np.zeros(n_dem, dtype=bool)
    on[pairs.reshape(-1)] = True
    sel = on[cands.d]
    xs, ts = x[sel], cands.t[sel]
    rows, which = distinct_rows(cands.d[sel], cands.i[sel])   # (demand copy, instructor copy)
    z = _teaches(b, rows, which, xs, ts, later=prev[rows[:, 0]] >= 0,
                 earlier=np.isin(rows[:, 0], pairs[:, 0]))
    z_dem, z_person = rows[:, 0], pool.i_person[rows[:, 1]]
    # h[p] ≥ "p has rows" (it raises the penalty): Σ x ≤ seats·h, one row per copy p
    p_side = distinct(pairs[:, 0])
    h = b.new_vars(len(p_side), 0, 1)
    h_of = np.full(n_dem, -1, dtype=np.int64)
    h_of[p_side] = h
    at_p = h_of[cands.d] >= 0
    seats = pool.d_needed[p_side] * pool.d_slots[p_side].sum(axis=1)
    rank = np.searchsorted(p_side, cands.d[at_p])
    b.linear_groups(np.concatenate([rank, np.arange(len(p_side))]),
                    np.concatenate([x[at_p], h]),
                    np.concatenate([np.ones(int(at_p.sum()), dtype=np.int64), -seats]),
                    -_BIG, 0)
    # one n per (q, person) on a later copy
    later = np.flatnonzero(prev[z_dem] >= 0)
    n_people = int(pool.i_person.max()) + 1
    keys = code(z_dem, z_person, bases=np.array([n_dem, n_people]))
    order = np.argsort(keys, kind="stable")
    want = code(prev[z_dem[later]], z_person[later], bases=np.array([n_dem, n_people]))
    at = np.minimum(np.searchsorted(keys[order], want), len(order) - 1)
    before = np.where(keys[order][at] == want, z[order][at], -1)
    n = b.new_vars(len(later), 0, 1)
    k = np.arange(len(later))
    hp = h_of[prev[z_dem[later]]]
    known = before >= 0
    g = np.concatenate([k, k, k, k[known]])
    v = np.concatenate([n, z[later], hp, before[known]])
    c = np.concatenate([np.ones(len(k), dtype=np.int64), -np.ones(len(k), dtype=np.int64),
                        -np.ones(len(k), dtype=np.int64), np.ones(int(known.sum()), dtype=np.int64)])
    b.linear_groups(g, v, c, -1, _BIG)
    return n, np.full(len(n), -w.handover, dtype=np.int64), 0
