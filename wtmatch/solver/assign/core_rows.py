"""The assignment core as CP-SAT rows: seats per task, capacity per agent, pair values.

Part A calls :func:`add_core` on its own decision variables (pairs of one
hard-continuity demand share a variable); the GAP research package builds
the core alone on top of it (:mod:`gapcore.model`).
"""

from __future__ import annotations

import numpy as np

from wtmatch.arrays import distinct
from wtmatch.core.problem import AssignmentCore
from wtmatch.solver.cpsat.proto import ProtoBuilder


def add_core(b: ProtoBuilder, core: AssignmentCore, x: np.ndarray,
             agent_rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Add the core's rows over pair variables ``x``; return its objective (vars, coefs).

    Pairs may share a variable (a shared variable's uses add up). Rows that
    cannot bind are left out: a task with no more eligible pairs than seats
    (unless ``exact``), an agent whose pairs all fit together. ``agent_rows``
    (a mask over agents) overrides the latter when side constraints make
    fewer capacity rows necessary.
    """
    if len(core) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    count = np.bincount(core.task, minlength=core.n_tasks)
    if core.exact:
        tight = np.ones(len(core), dtype=bool)
        lo = core.seats
    else:
        tight = count[core.task] > core.seats[core.task]
        lo = 0
    if tight.any():
        g = core.task[tight]
        ug = distinct(g)
        b.linear_groups(g, x[tight], 1, lo if np.isscalar(lo) else lo[ug], core.seats[ug])
    if agent_rows is None:
        agent_rows = np.bincount(core.agent, weights=core.use, minlength=core.n_agents) > core.capacity
    over = agent_rows[core.agent] & (core.use > 0)
    if over.any():
        g = core.agent[over]
        b.linear_groups(g, x[over], core.use[over], 0, core.capacity[distinct(g)])
    return x, core.value
