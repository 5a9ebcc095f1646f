"""An upper bound from the LP relaxation, solved by GLOP beside the neighbourhood search.

On mid-sized models CP-SAT's full search needs both cores for a long while
to bring its bound down to the LP's, while GLOP solves the same LP
relaxation on one core sooner, and its value is within a hair of CP-SAT's
bound after a minute (docs/benchmarks.md). With the bound from GLOP, the
neighbourhood search may keep the whole time limit. GLOP's simplex scales
badly, so it is only tried on models of a size where it pays
(:mod:`wtmatch.solver.assign.strategy`), and it runs in a thread with its own
time limit: pywraplp's ``Solve`` releases the GIL.

The LP's solution is kept too: the candidates it uses are where the
neighbourhood search looks for better plans (:mod:`wtmatch.solver.assign.lns`).
"""

from __future__ import annotations

import math
import threading

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from wtmatch.budget import Budget
from wtmatch.solver.cpsat.linear import proto_arrays

# GLOP's answer is optimal within its tolerances, not exactly: the bound is
# loosened by this share of its value (a few units on a regional pool).
_SAFETY = 1e-6


class LpBound:
    """Solves the LP relaxation of a maximisation model in a background thread.

    Parameters
    ----------
    model : cp_model.CpModel
        A model of linear constraints (at most one positive enforcement literal
        each, linearised as big-M rows) and integer domains.
    budget : Budget
        GLOP's time; without an optimal LP by its end there is no bound.
    """

    def __init__(self, model: cp_model.CpModel, budget: Budget) -> None:
        self._bound: int | None = None
        self._solution: np.ndarray | None = None
        self._value = math.nan
        self._reduced: np.ndarray | None = None
        self._solver: pywraplp.Solver | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, args=(model, budget), daemon=True)
        self._thread.start()

    def value(self) -> int | None:
        """The bound (an integer ≥ every plan's objective) once GLOP has it, else None."""
        return self._bound

    def solution(self) -> np.ndarray | None:
        """The LP's value of every model variable once GLOP has the bound, else None."""
        return self._solution if self._bound is not None else None

    def dropped(self, incumbent: float) -> np.ndarray | None:
        """Variables at 0 in the LP that no plan better than ``incumbent`` sets to 1.

        Reduced-cost fixing: raising such a variable to 1 lowers the LP's value
        by at least its reduced cost, so when that leaves it below
        ``incumbent + 1`` (values are integers) the variable is 0 in every
        better plan. For 0/1 variables; None until the LP is solved.
        """
        if self._bound is None or self._reduced is None:
            return None
        slack = _SAFETY * max(1.0, abs(self._value))
        return (self._solution <= 1e-9) & \
            (self._value - self._reduced < incumbent + 1 - slack)

    def running(self) -> bool:
        """Whether GLOP is still at work."""
        return self._thread.is_alive()

    def wait(self, seconds: float | None = None) -> int | None:
        """The bound after waiting up to ``seconds`` for GLOP (None: until it stops)."""
        self._thread.join(seconds)
        return self._bound

    def stop(self) -> None:
        """Interrupt GLOP (the bound stays None unless it was already found)."""
        with self._lock:
            self._stopped = True
            if self._solver is not None:
                self._solver.InterruptSolve()

    def _run(self, model: cp_model.CpModel, budget: Budget) -> None:
        lo, hi, obj, offset, scale, (data, indices, indptr), rlo, rhi = proto_arrays(model)
        if scale >= 0:
            return      # a bound for maximisation models only
        if len(lo) == 0:
            self._bound = math.floor(offset * scale)   # a constant objective
            return
        solver = pywraplp.Solver.CreateSolver("GLOP")
        inf = solver.infinity()
        rlo, rhi = _binding(lo, hi, data, indices, indptr, rlo, rhi, inf)
        xs = [solver.NumVar(float(a), float(b), "") for a, b in zip(lo, hi, strict=True)]
        for r in range(len(rlo)):
            row = solver.RowConstraint(float(rlo[r]), float(rhi[r]), "")
            for k in range(indptr[r], indptr[r + 1]):
                row.SetCoefficient(xs[indices[k]], float(data[k]))
        objective = solver.Objective()
        for v in obj.nonzero()[0].tolist():
            objective.SetCoefficient(xs[v], float(obj[v]))
        objective.SetMinimization()
        solver.SetTimeLimit(max(1, int(budget.left() * 1000)))
        with self._lock:
            if self._stopped:
                return
            self._solver = solver
        if solver.Solve() != pywraplp.Solver.OPTIMAL:
            return
        # The proto minimises raw = Σ obj·x; the model's objective is (raw + offset)·scale,
        # and scale < 0: the least raw gives the greatest objective.
        best = (objective.Value() + offset) * scale
        self._solution = np.array([x.solution_value() for x in xs])
        # In the model's (maximised) objective: how much forcing a variable up from
        # the LP's value would cost the LP at least.
        self._reduced = np.array([x.reduced_cost() for x in xs]) * abs(scale)
        self._value = best
        self._bound = math.floor(best + _SAFETY * max(1.0, abs(best)))


def _binding(lo, hi, data, indices, indptr, rlo, rhi, inf):
    """Row bounds, with ±``inf`` for those no values within the variables' bounds can reach.

    The model writes "no bound" as ±10⁹; left finite, such rows can make
    GLOP's primal simplex stop abnormally.
    """
    row = np.repeat(np.arange(len(rlo)), np.diff(indptr))
    low = np.bincount(row, data * np.where(data > 0, lo[indices], hi[indices]),
                      minlength=len(rlo))
    high = np.bincount(row, data * np.where(data > 0, hi[indices], lo[indices]),
                       minlength=len(rlo))
    return np.where(rlo <= low, -inf, rlo), np.where(rhi >= high, inf, rhi)
