"""The GAP as a CP-SAT model: the assignment core's rows alone."""

from __future__ import annotations

import numpy as np

from wtmatch.core.problem import AssignmentCore
from wtmatch.solver.assign.core_rows import add_core
from wtmatch.solver.cpsat.proto import ProtoBuilder


def build_core_model(core: AssignmentCore) -> tuple[ProtoBuilder, np.ndarray]:
    """A model of the core alone (the GAP): one boolean per pair, maximise the value."""
    b = ProtoBuilder()
    x = b.new_vars(len(core), 0, 1)
    if core.exact:
        empty = np.flatnonzero(np.bincount(core.task, minlength=core.n_tasks) < core.seats)
        if len(empty):
            # no way to fill these tasks: an infeasible model, not a silent drop
            y = b.new_vars(1, 0, 0)
            b.linear_groups(np.zeros(1, dtype=np.int64), y, 1, 1, 1)
    vars_, coefs = add_core(b, core, x)
    b.maximize(vars_, coefs)
    return b, x
