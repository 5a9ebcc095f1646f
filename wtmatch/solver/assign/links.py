"""Linking variables of part A's model: "works at school" and "visits that weekday".

Linking variables are bounded by the *sum* of an instructor's triples in one
slot, which is ≤ 1 by H3: as strong as linking every triple on its own, with
fewer rows. The helpers group candidate rows by keys with numpy.
"""

from __future__ import annotations

import numpy as np

from wtmatch.arrays import distinct, distinct_first_inverse
from wtmatch.assign.candidates import Candidates
from wtmatch.solver.cpsat.proto import ProtoBuilder


def code(*cols: np.ndarray, bases: np.ndarray | None = None) -> np.ndarray:
    """One int64 per row of the non-negative integer columns, ordered like the rows.

    ``bases`` (one per column, each above that column's values) by default from
    the columns themselves.
    """
    out = np.zeros(len(cols[0]), dtype=np.int64)
    for k, c in enumerate(cols):
        base = int(bases[k]) if bases is not None else int(c.max()) + 1 if len(c) else 1
        out = out * base + c
    return out


def rows_of(table: np.ndarray, *cols: np.ndarray) -> np.ndarray:
    """Row of the lexicographically sorted ``table`` holding each (cols) key."""
    if len(table) == 0:
        return np.zeros(len(cols[0]), dtype=np.int64)
    bases = table.max(axis=0) + 1
    keys = code(*(table[:, k] for k in range(table.shape[1])), bases=bases)
    return np.searchsorted(keys, code(*cols, bases=bases))


def distinct_rows(*cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct rows of the columns, and each input row's rank among them."""
    _, first, inverse = distinct_first_inverse(code(*cols))
    return np.stack([c[first] for c in cols], axis=1), inverse.reshape(-1)


def any_of(b: ProtoBuilder, group: np.ndarray, x: np.ndarray, slot: np.ndarray,
            known: np.ndarray | None = None) -> np.ndarray:
    """A variable per group id (0 … G−1) that must be 1 when any of the group's ``x`` is.

    A group whose candidates all share one variable uses that variable itself:
    no new variable, no row (most groups, on generated scenarios); so does a
    group with a ``known`` variable (≥ 0) already linked to exactly its
    members. Other groups get a new boolean ``g`` and one row per slot,
    Σ x of that slot ≤ g; an instructor holds at most one seat per slot (H3),
    so this is as tight in the LP as one row per ``x``, with fewer rows.
    """
    n_groups = int(group.max()) + 1 if len(group) else 0
    if known is not None and (known >= 0).any():
        # only the groups without a known variable go on
        rest = known < 0
        out = known.copy()
        sel = rest[group]
        new_id = np.cumsum(rest) - 1
        if sel.any():
            out[rest] = any_of(b, new_id[group[sel]], x[sel], slot[sel])
        return out
    base = int(x.max()) + 1 if len(x) else 1
    pair = distinct(group * base + x)
    g_of_pair, x_of_pair = pair // base, pair % base
    n_distinct = np.bincount(g_of_pair, minlength=n_groups)
    target = np.full(n_groups, -1, dtype=np.int64)
    single = n_distinct == 1
    target[g_of_pair[single[g_of_pair]]] = x_of_pair[single[g_of_pair]]
    multi = np.flatnonzero(n_distinct > 1)
    if len(multi):
        target[multi] = b.new_vars(len(multi), 0, 1)
        sel = n_distinct[group] > 1
        n_slots = int(slot.max()) + 1
        sub = distinct((group[sel] * n_slots + slot[sel]) * base + x[sel])
        g_sub, s_sub, x_sub = sub // (n_slots * base), sub // base % n_slots, sub % base
        link(b, code(g_sub, s_sub), x_sub, target[g_sub])
    return target


def school_links(b: ProtoBuilder, cands: Candidates, x: np.ndarray, v: dict | None = None) -> dict:
    """Booleans y[i, s] = 'instructor i works at school s', where H7 or S6 needs them.

    ``vars`` holds each needed pair's variable: its own decision variable when
    the instructor has only that one at the school (see :func:`_any_of`), the
    visit variable v[i, s, day] when all its candidates there fall on one day.
    ``count`` is each pair's number of candidates.
    """
    pool = cands.pool
    w = pool.scenario.settings.weights
    pair, which = distinct_rows(cands.i, cands.s)
    n_schools = np.bincount(pair[:, 0], minlength=len(pool.instructor_ids))
    need = (n_schools > pool.max_schools) | ((w.fragmentation > 0) & (n_schools > 1))
    keep = need[pair[:, 0]]
    count = np.bincount(which, minlength=len(pair))
    if not keep.any():
        return {"pairs": pair[keep], "vars": np.zeros(0, dtype=np.int64), "count": count[keep]}
    rank = np.cumsum(keep) - 1
    sel = keep[which]
    known = None
    if v is not None and (v["vars"] >= 0).any():
        # a pair whose candidates are one visit's (one day) is that visit
        first = np.full(len(pair), len(v["vars"]), dtype=np.int64)
        last = np.full(len(pair), -1, dtype=np.int64)
        np.minimum.at(first, which, v["of_cand"])
        np.maximum.at(last, which, v["of_cand"])
        one_day = keep & (first == last)
        visit = np.where(one_day, v["vars"][np.minimum(first, len(v["vars"]) - 1)], -1)
        known = visit[keep]
    ys = any_of(b, rank[which[sel]], x[sel], cands.t[sel], known)
    return {"pairs": pair[keep], "vars": ys, "count": count[keep]}


def visit_links(b: ProtoBuilder, cands: Candidates, x: np.ndarray) -> dict:
    """Booleans v[i, s, day] = 'i goes to s that weekday', where S2 or H8 needs them.

    ``vars`` maps each (i, s, day) row of ``triples`` to its variable (−1 where
    not needed); a visit with one candidate is that candidate's variable.
    """
    pool = cands.pool
    w = pool.scenario.settings.weights
    day = cands.t // 2
    triple, which = distinct_rows(cands.i, cands.s, day)
    need = np.zeros(len(triple), dtype=bool)
    if w.travel_km > 0:
        need |= pool.km[triple[:, 0], triple[:, 1]] > 0
    conflicts = same_day_conflicts(cands, triple)
    if len(conflicts):
        need[conflicts.ravel()] = True
    var_of_triple = np.full(len(triple), -1, dtype=np.int64)
    if need.any():
        rank = np.cumsum(need) - 1
        sel = need[which]
        var_of_triple[need] = any_of(b, rank[which[sel]], x[sel], cands.t[sel])
    return {"triples": triple, "vars": var_of_triple, "conflicts": conflicts, "of_cand": which}


def link(b: ProtoBuilder, group: np.ndarray, x: np.ndarray, target: np.ndarray) -> None:
    """Σ x over each group ≤ the group's target variable (``target`` given per term)."""
    if len(group) and (group[1:] >= group[:-1]).all():
        # already grouped (as :func:`_any_of` gives them): no sort needed
        starts = np.r_[True, group[1:] != group[:-1]]
        dense, first = np.cumsum(starts) - 1, np.flatnonzero(starts)
    else:
        _, first, dense = distinct_first_inverse(group)
    g = np.concatenate([dense.reshape(-1), np.arange(len(first))])
    v = np.concatenate([x, target[first]])
    c = np.concatenate([np.ones(len(x), dtype=np.int64), -np.ones(len(first), dtype=np.int64)])
    b.linear_groups(g, v, c, -(10**9), 0)


def same_day_conflicts(cands: Candidates, triple: np.ndarray) -> np.ndarray:
    """Pairs of rows of ``triple`` (i, s, day) that H8 forbids together."""
    limit = cands.pool.scenario.settings.same_day_max_km
    if limit is None or len(triple) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    key = triple[:, 0] * 5 + triple[:, 2]
    order = np.argsort(key, kind="stable")  # rows of one (instructor, weekday) together
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    # All pairs within a group, without a loop over groups; in chunks of groups,
    # since a large pool has groups of hundreds of schools (tens of millions of pairs).
    bounds = _chunks(sizes * (sizes - 1) // 2, _PAIRS_PER_CHUNK)
    out = []
    for g0, g1 in bounds:
        a, e = starts[g0], starts[g1 - 1] + sizes[g1 - 1]
        out.append(_far_pairs(cands, triple, order[a:e], starts[g0:g1] - a, sizes[g0:g1], limit))
    return np.concatenate(out) if out else np.zeros((0, 2), dtype=np.int64)


_PAIRS_PER_CHUNK = 2_000_000


def _chunks(weights: np.ndarray, most: int) -> list[tuple[int, int]]:
    """Consecutive index ranges whose weights add up to about ``most`` (at least one item each)."""
    total = np.cumsum(weights)
    bounds, first = [], 0
    while first < len(weights):
        base = total[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(total, base + most, side="right")))
        bounds.append((first, min(last, len(weights))))
        first = last
    return bounds


def _far_pairs(cands: Candidates, triple: np.ndarray, rows: np.ndarray, starts: np.ndarray,
               sizes: np.ndarray, limit: float) -> np.ndarray:
    """Pairs (p, q), p before q, of ``rows`` in one group (given by starts, sizes) too far apart."""
    after = np.repeat(starts + sizes, sizes) - np.arange(len(rows)) - 1
    p = np.repeat(np.arange(len(rows)), after)
    q = p + 1 + np.arange(len(p)) - np.repeat(np.cumsum(after) - after, after)
    # a flat lookup in a boolean matrix: a fraction of the cost of gathering km pairs
    too_far = cands.pool.school_km > limit
    school = triple[rows, 1]
    far = np.flatnonzero(too_far.ravel()[school[p] * too_far.shape[1] + school[q]])
    return np.stack([rows[p[far]], rows[q[far]]], axis=1)
