"""Whom to recruit, as one CP-SAT model: part A plus a switch per candidate recruit.

The pool is extended with virtual instructors (candidate profiles). Each
gets a boolean ``r`` — recruited or not — and may teach only when recruited
(in each slot, the sum of its triples ≤ ``r``: as tight as one row per
triple, since H3 already caps that sum at 1). At most ``k`` are recruited,
and each costs ``cost`` in the objective, so that of two equal plans the one
with fewer recruits wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wtmatch.assign.candidates import Candidates
from wtmatch.budget import Budget
from wtmatch.solver.assign.model import build_assign_model
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.run import run


@dataclass(frozen=True)
class RecruitSolve:
    """One solve: which profiles are recruited and the plan's triples."""

    status: str
    recruited: list[int]        # instructor positions of the recruited profiles
    chosen: np.ndarray          # candidate positions of the plan
    bound: float | None


def solve_recruitment(cands: Candidates, pins: dict[int, int], virtual: list[int], k: int,
                      cost: int, options: CpOptions, budget: Budget,
                      forbid: set[int] = frozenset(),
                      hint: np.ndarray | None = None) -> RecruitSolve:
    """Best plan with at most ``k`` of the ``virtual`` instructors recruited.

    Parameters
    ----------
    cands : Candidates
        Of the pool extended with the virtual instructors.
    pins : dict of int to int
        Pin row → candidate position (H10).
    virtual : list of int
        Instructor positions of the candidate profiles.
    k : int
        At most this many recruits.
    cost : int
        Objective cost per recruit (a tie-breaker; ≥ 0).
    options : CpOptions
    budget : Budget
    forbid : set of int
        Profiles (instructor positions) that may not be recruited.
    hint : ndarray of int, optional
        Candidate positions of a plan to start from (its recruits follow).

    Returns
    -------
    RecruitSolve
    """
    # Symmetry breaking orders look-alike instructors by load, which would tie a
    # profile's use to a real instructor's and distort the recruit decisions.
    m = build_assign_model(cands, pins, symmetry=False)
    b = m.builder
    r = b.new_vars(len(virtual), 0, 1)
    local = np.full(len(cands.pool.instructor_ids), -1, dtype=np.int64)
    local[np.asarray(virtual, dtype=np.int64)] = np.arange(len(virtual))
    mine = np.flatnonzero(local[cands.i] >= 0)
    group = local[cands.i[mine]] * 16 + cands.t[mine]
    keys = np.unique(group)
    b.linear_groups(np.r_[group, keys], np.r_[m.x_of[mine], r[keys // 16]],
                    np.r_[np.ones(len(mine), dtype=np.int64), -np.ones(len(keys), dtype=np.int64)],
                    np.iinfo(np.int32).min, 0)
    b.linear_groups(np.zeros(len(r), dtype=np.int64), r, 1, 0, k)
    for v in sorted(forbid):
        b.fix(int(r[int(local[v])]), 0)
    if hint is not None:
        values = np.zeros(b.n_vars, dtype=np.int64)
        values[m.x_of[hint]] = 1
        used = np.unique(local[cands.i[hint]])
        values[r[used[used >= 0]]] = 1
        xs = np.r_[np.unique(m.x_of), r]
        b.hint(xs, values[xs])
    obj = b.proto.objective
    # The proto minimises the negated objective: a cost is a positive coefficient.
    obj.vars.extend(r.tolist())
    obj.coeffs.extend([cost] * len(r))
    out = run(b.model, options, budget)
    if out.values is None:
        return RecruitSolve(out.status, [], np.zeros(0, dtype=np.int64), out.bound)
    recruited = [v for v, var in zip(virtual, r.tolist(), strict=True) if out.values[var] > 0]
    return RecruitSolve(out.status, recruited, m.chosen(out.values), out.bound)
