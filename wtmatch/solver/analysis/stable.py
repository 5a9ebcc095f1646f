"""Part A restricted to plans of a given coverage, with no-good cuts (blocking pairs).

Used by :func:`wtmatch.analysis.stability.stable_plan`: each blocking pair
found in a plan is cut off by forbidding the exact configuration of the
triples that decide it — the rows of the instructor, of the demands
involved and of the employer in that slot. Any plan with that same
configuration has the same blocking pair, so a cut removes no stable plan.
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
class Cut:
    """Forbid: every position of ``ones`` chosen and every position of ``zeros`` not."""

    ones: np.ndarray
    zeros: np.ndarray


@dataclass(frozen=True)
class CutSolve:
    status: str
    chosen: np.ndarray
    bound: float | None


def solve_with_cuts(cands: Candidates, pins: dict[int, int], options: CpOptions, budget: Budget,
                    min_priority: int, cuts: list[Cut], hint: np.ndarray | None = None
                    ) -> CutSolve:
    """Best plan with Σ priority of filled seats ≥ ``min_priority`` and none of the ``cuts``."""
    m = build_assign_model(cands, pins, symmetry=False)
    b = m.builder
    # Hard-continuity triples share one variable per slot-set: count each seat separately.
    prio = cands.pool.d_priority[cands.d]
    b.linear_groups(np.zeros(len(cands), dtype=np.int64), m.x_of, prio, min_priority,
                    int(prio.sum()))
    for k, cut in enumerate(cuts):
        ones = np.unique(m.x_of[cut.ones])
        zeros = np.setdiff1d(np.unique(m.x_of[cut.zeros]), ones)
        # Σ_{ones} (1 − x) + Σ_{zeros} x ≥ 1
        b.linear_groups(np.full(len(ones) + len(zeros), k, dtype=np.int64),
                        np.r_[ones, zeros],
                        np.r_[-np.ones(len(ones), dtype=np.int64),
                              np.ones(len(zeros), dtype=np.int64)],
                        1 - len(ones), len(zeros))
    if hint is not None and len(hint):
        values = np.zeros(b.n_vars, dtype=np.int64)
        values[m.x_of[hint]] = 1
        xs = np.unique(m.x_of)
        b.hint(xs, values[xs])
    out = run(b.model, options, budget)
    if out.values is None:
        return CutSolve(out.status, np.zeros(0, dtype=np.int64), out.bound)
    return CutSolve(out.status, m.chosen(out.values), out.bound)
