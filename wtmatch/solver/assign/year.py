"""Part A's terms of the school year (DOMAIN.md §8): S8 reach and S9 handover.

Both follow the same pattern as the other penalty terms: a variable is
bounded from the side the objective pushes it to, so that at an optimum it
takes its exact value.

* S8 — ``r[s] ≤ Σ x`` over the school copy's candidates: the reward is paid
  only for a school with a filled seat.
* S9 — per demand copy ``d`` on either side of a handover pair, ``z[d, i]``
  is exactly "instructor copy i teaches d" (``z ≥`` each slot's rows, since
  a teacher on ``q`` raises the penalty, and, since one on ``p`` lowers it,
  ``z ≤ Σ x``); ``h[d] ≥`` each ``z`` is "d has rows"; and for each instructor on
  the later copy ``q`` of a pair ``(p, q)``, ``n ≥ z[q, i] − z[p, i'] + h[p] − 1``
  where ``i'`` is the same person's copy in ``p``: ``n`` is 1 exactly for a
  new face on a demand that had rows before.
"""

from __future__ import annotations

import numpy as np

from wtmatch.arrays import distinct
from wtmatch.assign.candidates import Candidates
from wtmatch.solver.assign.links import any_of, code, distinct_rows
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
    rows, which = distinct_rows(cands.d[sel], cands.i[sel])   # (demand copy, instructor copy)
    z = any_of(b, which, x[sel], cands.t[sel])
    # z ≤ Σ x as well, so that z is exactly "teaches d" (a shared variable already is)
    own = np.zeros(len(rows), dtype=bool)
    own[which[x[sel] == z[which]]] = True
    up = ~own[which]
    g = np.concatenate([which[up], np.flatnonzero(~own)])
    ranks = np.searchsorted(np.flatnonzero(~own), g)
    v = np.concatenate([x[sel][up], z[~own]])
    c = np.concatenate([np.ones(int(up.sum()), dtype=np.int64),
                        -np.ones(int((~own).sum()), dtype=np.int64)])
    b.linear_groups(ranks, v, c, 0, _BIG)

    z_dem, z_person = rows[:, 0], pool.i_person[rows[:, 1]]
    # h[p] ≥ each z on the earlier copy of a pair: "p has rows" (it raises the penalty)
    p_side = distinct(pairs[:, 0])
    h = b.new_vars(len(p_side), 0, 1)
    h_of = np.full(n_dem, -1, dtype=np.int64)
    h_of[p_side] = h
    at_p = np.flatnonzero(h_of[z_dem] >= 0)
    k = np.arange(len(at_p))
    b.linear_groups(np.concatenate([k, k]), np.concatenate([z[at_p], h_of[z_dem[at_p]]]),
                    np.concatenate([np.ones(len(k), dtype=np.int64),
                                    -np.ones(len(k), dtype=np.int64)]), -_BIG, 0)
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
