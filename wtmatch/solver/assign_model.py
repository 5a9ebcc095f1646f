"""The CP-SAT model of part A: H1–H12 as constraints, S1–S7 as the objective.

H1, H2, H5 and H6 are already enforced by the candidates (only eligible
triples get a variable). Each remaining rule is one function below named
after it; each soft term one function returning its objective terms.

Formulation choices, for the LP relaxation's sake:

* Hard-continuity demands (H11) get one variable per (instructor, demand)
  that stands for all of the demand's slots, and Σ z = n·u with u boolean,
  so "all or nothing" is exact in the relaxation.
* Linking variables (schools ``y`` for H7/S6, visits ``v`` for S2/H8,
  continuity ``z`` for S3) are bounded by the *sum* of an instructor's
  triples in one slot, which is ≤ 1 by H3: as strong as linking every
  triple on its own, with fewer rows.
* Interchangeable instructors are ordered by load (symmetry breaking).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wtmatch.arrays import distinct, distinct_first_inverse
from wtmatch.assign.as_core import assignment_core
from wtmatch.assign.candidates import MODE_HARD, MODE_SOFT, Candidates, slot_of
from wtmatch.solver.core_model import add_core
from wtmatch.solver.proto import ProtoBuilder


@dataclass(frozen=True)
class Residual:
    """What the fixed rest of a plan leaves to a sub-model over some candidates (LNS).

    Attributes
    ----------
    seat_cap : ndarray (D, 10)
        Seats per demand slot still open.
    employer_cap : ndarray (E, 10)
        Instructors each employer may still release per slot.
    continuity_offset : ndarray (D,)
        Distinct fixed instructors already on each demand (S3).
    """

    seat_cap: np.ndarray
    employer_cap: np.ndarray
    continuity_offset: np.ndarray


@dataclass
class AssignModel:
    """The built model and the map from its variables back to the plan."""

    builder: ProtoBuilder
    cands: Candidates
    x_of: np.ndarray                       # variable of each candidate triple
    pins: dict[int, int] = field(default_factory=dict)   # pin row -> candidate position
    offset: int = 0
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def proto(self):
        return self.builder.proto

    def chosen(self, values: np.ndarray) -> np.ndarray:
        """Candidate positions selected by a solution (values of all variables)."""
        return np.flatnonzero(values[self.x_of] > 0)


def build_assign_model(cands: Candidates, pins: dict[int, int] | None = None, *,
                       symmetry: bool = True, names: bool = False,
                       pin_literals: bool = False,
                       residual: Residual | None = None) -> AssignModel:
    """Build the part A model.

    Parameters
    ----------
    cands : Candidates
    pins : dict of int to int
        Pin row (index into ``scenario.pinned``) → candidate position.
    symmetry : bool
        Order interchangeable instructors by load.
    names : bool
        Give variables readable names (slower; for logs and small models).
    pin_literals : bool
        Enforce each pin through a fresh literal instead of fixing it, so
        that conflicts can be found with assumptions.
    residual : Residual, optional
        For a sub-model over part of the candidates: the seats, employer
        releases and continuity the fixed rest of the plan leaves.

    Returns
    -------
    AssignModel
    """
    b = ProtoBuilder()
    x_of = _decision_vars(b, cands)
    m = AssignModel(b, cands, x_of, dict(pins or {}))
    obj_vars: list[np.ndarray] = []
    obj_coefs: list[np.ndarray] = []

    def objective(terms: tuple[np.ndarray, np.ndarray, int]) -> None:
        v, c, const = terms
        obj_vars.append(v)
        obj_coefs.append(c)
        m.offset += const

    h3_one_place_at_a_time(b, cands, x_of)
    v = visit_links(b, cands, x_of)
    y = school_links(b, cands, x_of, v)
    h7_schools(b, cands, y)
    h8_same_day_travel(b, cands, v)
    h9_employer_release(b, cands, x_of, residual)
    h11_hard_continuity(b, cands, x_of)
    h10_pinned(b, m, pin_literals)

    objective(core_rows(b, cands, x_of, residual))
    objective(s2_travel(cands, v))
    objective(s3_continuity(b, cands, x_of, residual, y))
    objective(s5_underuse(b, cands, x_of))
    objective(s6_fragmentation(b, cands, y))
    objective(s7_stability(cands, x_of))
    if symmetry:
        m.stats["symmetry_rows"] = break_symmetry(b, cands, x_of, set(m.pins.values()))
    b.maximize(np.concatenate(obj_vars), np.concatenate(obj_coefs), m.offset)
    if names:
        _name(b, cands, x_of)
    m.stats.update(variables=b.n_vars, constraints=len(b.proto.constraints),
                   candidates=len(cands))
    return m


# ---- variables --------------------------------------------------------------
def _decision_vars(b: ProtoBuilder, cands: Candidates) -> np.ndarray:
    """One boolean per triple; one per (instructor, demand) for hard demands."""
    hard = cands.pool.d_mode[cands.d] == MODE_HARD
    key = np.where(hard, -1 - (cands.i * len(cands.pool.demand_ids) + cands.d),
                   np.arange(len(cands)))
    _, first, inverse = distinct_first_inverse(key)
    # Number variables in candidate order, so hard triples share their pair's variable.
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    xs = b.new_vars(len(first), 0, 1)
    return xs[rank[inverse]]


def _code(*cols: np.ndarray, bases: np.ndarray | None = None) -> np.ndarray:
    """One int64 per row of the non-negative integer columns, ordered like the rows.

    ``bases`` (one per column, each above that column's values) by default from
    the columns themselves.
    """
    out = np.zeros(len(cols[0]), dtype=np.int64)
    for k, c in enumerate(cols):
        base = int(bases[k]) if bases is not None else int(c.max()) + 1 if len(c) else 1
        out = out * base + c
    return out


def _rows_of(table: np.ndarray, *cols: np.ndarray) -> np.ndarray:
    """Row of the lexicographically sorted ``table`` holding each (cols) key."""
    if len(table) == 0:
        return np.zeros(len(cols[0]), dtype=np.int64)
    bases = table.max(axis=0) + 1
    keys = _code(*(table[:, k] for k in range(table.shape[1])), bases=bases)
    return np.searchsorted(keys, _code(*cols, bases=bases))


def _distinct_rows(*cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct rows of the columns, and each input row's rank among them."""
    _, first, inverse = distinct_first_inverse(_code(*cols))
    return np.stack([c[first] for c in cols], axis=1), inverse.reshape(-1)


def _any_of(b: ProtoBuilder, group: np.ndarray, x: np.ndarray, slot: np.ndarray,
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
            out[rest] = _any_of(b, new_id[group[sel]], x[sel], slot[sel])
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
        _link(b, _code(g_sub, s_sub), x_sub, target[g_sub])
    return target


# ---- hard rules ---------------------------------------------------------------
def h3_one_place_at_a_time(b: ProtoBuilder, cands: Candidates, x: np.ndarray) -> None:
    """H3: an instructor covers at most one seat per slot."""
    g = cands.i * 10 + cands.t
    counts = np.bincount(g)
    big = counts[g] > 1
    b.linear_groups(g[big], x[big], 1, 0, 1)


def core_rows(b: ProtoBuilder, cands: Candidates, x: np.ndarray,
              residual: Residual | None = None) -> Terms:
    """H4, H12, S1 and S4: the assignment core's rows and values (:mod:`wtmatch.core`).

    H4 needs a row only for instructors with candidates in more distinct
    slots than their dayparts (H3 already allows one seat per slot).
    """
    core = assignment_core(cands, None if residual is None else residual.seat_cap)
    pool = cands.pool
    slots = np.zeros((len(pool.instructor_ids), 10), dtype=bool)
    slots[cands.i, cands.t] = True
    vars_, coefs = add_core(b, core, x, agent_rows=slots.sum(axis=1) > pool.capacity)
    return vars_, coefs, 0


def school_links(b: ProtoBuilder, cands: Candidates, x: np.ndarray, v: dict | None = None) -> dict:
    """Booleans y[i, s] = 'instructor i works at school s', where H7 or S6 needs them.

    ``vars`` holds each needed pair's variable: its own decision variable when
    the instructor has only that one at the school (see :func:`_any_of`), the
    visit variable v[i, s, day] when all its candidates there fall on one day.
    ``count`` is each pair's number of candidates.
    """
    pool = cands.pool
    w = pool.scenario.settings.weights
    pair, which = _distinct_rows(cands.i, cands.s)
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
    ys = _any_of(b, rank[which[sel]], x[sel], cands.t[sel], known)
    return {"pairs": pair[keep], "vars": ys, "count": count[keep]}


def visit_links(b: ProtoBuilder, cands: Candidates, x: np.ndarray) -> dict:
    """Booleans v[i, s, day] = 'i goes to s that weekday', where S2 or H8 needs them.

    ``vars`` maps each (i, s, day) row of ``triples`` to its variable (−1 where
    not needed); a visit with one candidate is that candidate's variable.
    """
    pool = cands.pool
    w = pool.scenario.settings.weights
    day = cands.t // 2
    triple, which = _distinct_rows(cands.i, cands.s, day)
    need = np.zeros(len(triple), dtype=bool)
    if w.travel_km > 0:
        need |= pool.km[triple[:, 0], triple[:, 1]] > 0
    conflicts = _same_day_conflicts(cands, triple)
    if len(conflicts):
        need[conflicts.ravel()] = True
    var_of_triple = np.full(len(triple), -1, dtype=np.int64)
    if need.any():
        rank = np.cumsum(need) - 1
        sel = need[which]
        var_of_triple[need] = _any_of(b, rank[which[sel]], x[sel], cands.t[sel])
    return {"triples": triple, "vars": var_of_triple, "conflicts": conflicts, "of_cand": which}


def _link(b: ProtoBuilder, group: np.ndarray, x: np.ndarray, target: np.ndarray) -> None:
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


def _same_day_conflicts(cands: Candidates, triple: np.ndarray) -> np.ndarray:
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
    # since a large pool has groups of hundreds of schools (85 M pairs at 3000 × 2000).
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


def h7_schools(b: ProtoBuilder, cands: Candidates, y: dict) -> None:
    """H7: distinct schools per instructor ≤ max_schools."""
    pool = cands.pool
    pairs, ys = y["pairs"], y["vars"]
    if len(ys) == 0:
        return
    n = np.bincount(pairs[:, 0], minlength=len(pool.instructor_ids))
    sel = n[pairs[:, 0]] > pool.max_schools[pairs[:, 0]]
    if sel.any():
        gi = pairs[sel, 0]
        b.linear_groups(gi, ys[sel], 1, 0, pool.max_schools[distinct(gi)])


def h8_same_day_travel(b: ProtoBuilder, cands: Candidates, v: dict) -> None:
    """H8: two schools on one weekday are at most same_day_max_km apart.

    Each conflicting pair of visits is forbidden once, by a row of one of its
    two visits ``a``: v[a] ⇒ Σ v[b] = 0 over the visits b it is charged to.
    The visit with more conflicts takes the pair, so few rows cover them all
    (one per centre of a star), and propagation is the same as pairwise rows.
    """
    conflicts = v["conflicts"]
    if len(conflicts) == 0:
        return
    degree = np.bincount(conflicts.ravel(), minlength=len(v["vars"]))
    a, c = conflicts[:, 0], conflicts[:, 1]
    a_heads = (degree[a] > degree[c]) | ((degree[a] == degree[c]) & (a < c))
    head = np.where(a_heads, a, c)
    other = np.where(a_heads, c, a)
    vars_ = v["vars"]
    b.linear_groups(head, vars_[other], 1, 0, 0, enforcement=vars_[distinct(head)])


def h9_employer_release(b: ProtoBuilder, cands: Candidates, x: np.ndarray,
                        residual: Residual | None = None) -> None:
    """H9: per employer and slot, instructors away ≤ max_absent_per_slot."""
    pool = cands.pool
    emp = pool.employer[cands.i]
    sel = emp >= 0
    if not sel.any():
        return
    e, t, i = emp[sel], cands.t[sel], cands.i[sel]
    cap = (np.broadcast_to(pool.employer_cap[:, None], (len(pool.employer_ids), 10))
           if residual is None else residual.employer_cap)
    people, _ = _distinct_rows(e, t, i)
    n_people = np.zeros((len(pool.employer_ids), 10), dtype=np.int64)
    np.add.at(n_people, (people[:, 0], people[:, 1]), 1)
    tight = n_people[e, t] > cap[e, t]
    if tight.any():
        g = e[tight] * 10 + t[tight]
        ug = distinct(g)
        b.linear_groups(g, x[sel][tight], 1, 0, cap[ug // 10, ug % 10])


def h11_hard_continuity(b: ProtoBuilder, cands: Candidates, x: np.ndarray) -> None:
    """H11: a hard demand has the same ``instructors_needed`` people in every slot, or none."""
    pool = cands.pool
    hard = pool.d_mode[cands.d] == MODE_HARD
    if not hard.any():
        return
    d = cands.d[hard]
    pair_var = x[hard]
    demands, _ = _distinct_rows(d, pair_var)
    dem = demands[:, 0]
    ds = distinct(dem)
    u = b.new_vars(len(ds), 0, 1)
    u_of = dict(zip(ds.tolist(), u.tolist(), strict=True))
    g = np.concatenate([dem, ds])
    v = np.concatenate([demands[:, 1], u])
    c = np.concatenate([np.ones(len(dem), dtype=np.int64), -pool.d_needed[ds]])
    b.linear_groups(g, v, c, 0, 0)
    for dd in ds.tolist():
        if (dem == dd).sum() < pool.d_needed[dd]:
            b.fix(u_of[dd], 0)


def h10_pinned(b: ProtoBuilder, m: AssignModel, use_literals: bool) -> None:
    """H10: every pinned triple is in the plan (fixed, or enforced by an assumption literal)."""
    m.stats["pin_literals"] = 0
    for row, pos in m.pins.items():
        var = int(m.x_of[pos])
        if use_literals:
            lit = int(b.new_vars(1, 0, 1)[0])
            b.linear_groups(np.zeros(1), np.array([var]), 1, 1, 1, enforcement=np.array([lit]))
            b.name(lit, f"pin[{row}]")
            m.pins[row] = pos
            m.stats.setdefault("pin_literal_of", {})[row] = lit
        else:
            b.fix(var, 1)


# ---- objective terms -----------------------------------------------------------
Terms = tuple[np.ndarray, np.ndarray, int]


def s2_travel(cands: Candidates, v: dict) -> Terms:
    """S2: −w·km(home, school) once per (instructor, school, weekday) visited."""
    w = cands.pool.scenario.settings.weights
    triples, vars_ = v["triples"], v["vars"]
    sel = vars_ >= 0
    km = cands.pool.km[triples[sel, 0], triples[sel, 1]]
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
    pairs, _ = _distinct_rows(cands.d[soft], cands.i[soft])
    if len(pairs) == 0:
        return empty
    n_people = np.bincount(pairs[:, 0], minlength=len(pool.demand_ids)) + offset
    multi = pool.d_slots.sum(axis=1) > 1
    need_d = multi & (n_people > pool.d_needed)
    pairs = pairs[need_d[pairs[:, 0]]]
    if len(pairs) == 0:
        return empty
    sel = soft & need_d[cands.d]
    group = _rows_of(pairs, cands.d[sel], cands.i[sel])
    known = None
    if y is not None and len(y["vars"]):
        school = pool.d_school[pairs[:, 0]]
        row = np.minimum(_rows_of(y["pairs"], pairs[:, 1], school), len(y["pairs"]) - 1)
        found = (y["pairs"][row, 0] == pairs[:, 1]) & (y["pairs"][row, 1] == school)
        same = found & (np.bincount(group, minlength=len(pairs)) == y["count"][row])
        known = np.where(same, y["vars"][row], -1)
    z = _any_of(b, group, x[sel], cands.t[sel], known)
    ds = distinct(pairs[:, 0])
    p = b.new_vars(len(ds), 0, n_people[ds] - pool.d_needed[ds])
    g = np.concatenate([pairs[:, 0], ds])
    v = np.concatenate([z, p])
    c = np.concatenate([np.ones(len(z), dtype=np.int64), -np.ones(len(ds), dtype=np.int64)])
    b.linear_groups(g, v, c, -(10**9), pool.d_needed[ds] - offset[ds])
    return p, np.full(len(p), -w.continuity, dtype=np.int64), 0


def s5_underuse(b: ProtoBuilder, cands: Candidates, x: np.ndarray) -> Terms:
    """S5: −w·(min_dayparts − assigned slots)⁺ per instructor."""
    pool = cands.pool
    w = pool.scenario.settings.weights
    mins = pool.min_dayparts
    has = np.zeros(len(mins), dtype=bool)
    has[cands.i] = True
    const = -w.underuse * int(mins[~has].sum())
    ins = np.flatnonzero(has & (mins > 0))
    if len(ins) == 0 or w.underuse <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), const
    u = b.new_vars(len(ins), 0, mins[ins])
    sel = (mins > 0)[cands.i] & has[cands.i]
    g = np.concatenate([cands.i[sel], ins])
    v = np.concatenate([x[sel], u])
    b.linear_groups(g, v, 1, mins[ins], 10**9)
    return u, np.full(len(u), -w.underuse, dtype=np.int64), const


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
    return f, np.full(len(f), -w.fragmentation, dtype=np.int64), 0


def s7_stability(cands: Candidates, x: np.ndarray) -> Terms:
    """S7: −w per previous-plan row missing from the plan (= −w·rows + w·kept)."""
    scenario = cands.pool.scenario
    w = scenario.settings.weights
    rows = scenario.previous_plan
    pos = cands.find_rows(rows)
    kept = np.array([p for p in pos if p is not None], dtype=np.int64)
    return x[kept], np.full(len(kept), w.change, dtype=np.int64), -w.change * len(rows)


# ---- symmetry -----------------------------------------------------------------
def break_symmetry(b: ProtoBuilder, cands: Candidates, x: np.ndarray, pinned: set[int]) -> int:
    """Order interchangeable instructors by load; returns the number of rows added.

    Two instructors are interchangeable when every attribute that any rule
    or term reads is equal (skills, availability, limits, employer, every
    distance and preference) and neither is named by a pin or the previous
    plan; then any plan can swap them, so one order of their loads is kept.
    """
    pool = cands.pool
    named = {r.instructor for r in (*pool.scenario.pinned, *pool.scenario.previous_plan)}
    named |= {pool.instructor_ids[cands.i[p]] for p in pinned}
    sig = np.concatenate([
        pool.level, pool.qualified[:, None], pool.available, pool.capacity[:, None],
        pool.min_dayparts[:, None], pool.max_schools[:, None],
        np.nan_to_num(pool.max_travel, posinf=-1)[:, None], pool.region_ok,
        pool.employer[:, None], pool.km, pool.pref], axis=1).astype(np.float64)
    free = np.array([i not in named for i in pool.instructor_ids], dtype=bool)
    has = np.zeros(len(free), dtype=bool)
    has[cands.i] = True
    idx = np.flatnonzero(free & has)
    if len(idx) < 2:
        return 0
    # Rows equal as a whole have equal projections; instructors alone in their
    # projection (nearly all: homes differ) need no exact comparison.
    projection = sig[idx] @ np.random.default_rng(0).random(sig.shape[1])
    _, p_inverse, p_count = np.unique(projection, return_inverse=True, return_counts=True)
    idx = idx[p_count[p_inverse] > 1]
    if len(idx) < 2:
        return 0
    _, inverse, count = np.unique(sig[idx], axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    rows = 0
    for cls in np.flatnonzero(count > 1).tolist():
        members = idx[inverse == cls]
        for a, c in zip(members[:-1].tolist(), members[1:].tolist(), strict=True):
            ga, gc = cands.i == a, cands.i == c
            g = np.zeros(int(ga.sum() + gc.sum()), dtype=np.int64)
            v = np.concatenate([x[ga], x[gc]])
            coef = np.concatenate([np.ones(int(ga.sum()), dtype=np.int64),
                                   -np.ones(int(gc.sum()), dtype=np.int64)])
            rows += b.linear_groups(g, v, coef, 0, 10**9)
    return rows


def _name(b: ProtoBuilder, cands: Candidates, x: np.ndarray) -> None:
    pool = cands.pool
    for p in range(len(cands)):
        b.name(int(x[p]), f"x[i={pool.instructor_ids[cands.i[p]]},d={pool.demand_ids[cands.d[p]]},"
                          f"s={slot_of(int(cands.t[p]))}]")
