"""Completing a partial solution hint: fix the hinted variables, let CP-SAT fill the rest.

CP-SAT takes a complete, feasible hint as its first solution at once; a partial
one (the assignment variables only) must be completed by search, which the two
LP subsolvers chosen for part A on few cores do not do in useful time on a
mid-sized model. Fixing the hinted variables leaves a model presolve solves
outright.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from wtmatch.budget import Budget
from wtmatch.solver.cpsat.proto import empty_model


def complete_hint(model: cp_model.CpModel, var: np.ndarray, value: np.ndarray,
                  budget: Budget) -> np.ndarray | None:
    """Values of every variable of ``model`` that extend ``var = value``, or None.

    The objective stays, so the completion is the best one for the fixed
    values (penalty variables at their lowest). None when none was found
    within ``budget``, copying the model included (the caller keeps the
    partial hint).
    """
    fixed = empty_model()
    fixed.proto.copy_from(model.proto)
    fixed.proto.clear_solution_hint()
    variables = fixed.proto.variables
    for v, x in zip(np.asarray(var).tolist(), np.asarray(value).tolist(), strict=True):
        dom = variables[v].domain
        dom.clear()
        dom.extend((x, x))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    if budget.deterministic:
        # reproducible: the same completion whatever the machine's speed
        solver.parameters.max_deterministic_time = budget.seconds
    else:
        left = budget.left()   # the copy counts against the budget
        if left <= 0:
            return None
        solver.parameters.max_time_in_seconds = left
    solver.parameters.catch_sigint_signal = False
    if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return np.asarray(solver.response_proto.solution, dtype=np.int64)
