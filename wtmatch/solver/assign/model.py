"""The CP-SAT model of part A: H1–H12 as constraints, S1–S9 as the objective.

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
from wtmatch.assign.candidates import MODE_HARD, Candidates, slot_of
from wtmatch.solver.assign.core_rows import add_core
from wtmatch.solver.assign.links import distinct_rows, school_links, visit_links
from wtmatch.solver.assign.objective import (
    Terms,
    s2_travel,
    s3_continuity,
    s5_underuse,
    s6_fragmentation,
    s7_stability,
)
from wtmatch.solver.assign.residual import Residual
from wtmatch.solver.assign.year import s8_reach, s9_handover
from wtmatch.solver.cpsat.proto import ProtoBuilder


@dataclass
class AssignModel:
    """The built model and the map from its variables back to the plan."""

    builder: ProtoBuilder
    cands: Candidates
    x_of: np.ndarray                       # variable of each candidate triple
    pins: dict[int, int] = field(default_factory=dict)   # pin row -> candidate position
    offset: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    # each objective term's (variables, coefficients, constant), by name ("S2", …;
    # "S1+S4" for the core's pair values): side rows on a term (an ε-constraint) use them
    terms: dict[str, tuple[np.ndarray, np.ndarray, int]] = field(default_factory=dict)

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

    def objective(name: str, terms: tuple[np.ndarray, np.ndarray, int]) -> None:
        v, c, const = terms
        obj_vars.append(v)
        obj_coefs.append(c)
        m.offset += const
        m.terms[name] = terms

    h3_one_place_at_a_time(b, cands, x_of)
    v = visit_links(b, cands, x_of)
    y = school_links(b, cands, x_of, v)
    h7_schools(b, cands, y)
    h8_same_day_travel(b, cands, v)
    h9_employer_release(b, cands, x_of, residual)
    h11_hard_continuity(b, cands, x_of)
    h10_pinned(b, m, pin_literals)

    objective("S1+S4", core_rows(b, cands, x_of, residual))
    objective("S2", s2_travel(cands, v))
    objective("S3", s3_continuity(b, cands, x_of, residual, y))
    objective("S5", s5_underuse(b, cands, x_of))
    objective("S6", s6_fragmentation(b, cands, y))
    objective("S7", s7_stability(cands, x_of))
    objective("S8", s8_reach(b, cands, x_of, residual))
    if residual is None:
        # A sub-model (residual) leaves S9 out: its merge is valued exactly anyway.
        objective("S9", s9_handover(b, cands, x_of))
    if symmetry and len(cands.pool.handover) == 0:
        # With periods, S9 tells apart copies that look interchangeable within a period.
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
    people, _ = distinct_rows(e, t, i)
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
    demands, _ = distinct_rows(d, pair_var)
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
