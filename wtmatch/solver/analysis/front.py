"""Part A's best plan with one objective term held within a limit (an ε-constraint).

:mod:`wtmatch.analysis.front` traces a trade-off front with it: the plan
that maximises the scenario's objective while a penalty term (travel,
continuity) costs at most ``eps`` of its units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wtmatch.assign.candidates import Candidates
from wtmatch.budget import Budget
from wtmatch.solver.assign.model import build_assign_model
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.params import lp_portfolio
from wtmatch.solver.cpsat.run import run


@dataclass(frozen=True)
class Within:
    """A plan found under the limit: its candidate positions, CP-SAT's status and bound."""

    chosen: np.ndarray | None
    status: str
    bound: int | None


def best_within(cands: Candidates, pins: dict[int, int], terms: list[str], per_unit: int,
                eps: int, options: CpOptions, budget: Budget) -> Within:
    """Maximise the objective with the penalty of ``terms`` at most ``eps`` units.

    A term's penalty is −(its value); one unit is ``per_unit`` of it (the
    term's weight), so the row reads Σ −coef·var ≤ eps·per_unit + constant.
    """
    m = build_assign_model(cands, pins, symmetry=False)
    parts = [m.terms[t] for t in terms if t in m.terms]
    var = np.concatenate([v for v, _, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
    coef = np.concatenate([c for _, c, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
    const = sum(k for _, _, k in parts)
    if len(var):
        m.builder.linear_groups(np.zeros(len(var), dtype=np.int64), var, -coef,
                                -(10**18), eps * per_unit + const)
    elif const < -eps * per_unit:
        return Within(None, "infeasible", None)
    out = run(m.builder.model, lp_portfolio(options, 0), budget)
    if out.values is None:
        return Within(None, out.status, None)
    bound = None if out.bound is None else math.floor(out.bound + 1e-6)
    return Within(m.chosen(out.values), out.status, bound)
