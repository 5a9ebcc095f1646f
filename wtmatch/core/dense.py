"""Dense (agent × task) views of a core, for the heuristics on small-to-mid cores."""

from __future__ import annotations

import numpy as np

from wtmatch.core.problem import AssignmentCore

#: Above this many agent × task cells the heuristics do not build dense matrices.
DENSE_LIMIT = 4_000_000


def dense_ok(core: AssignmentCore) -> bool:
    """Whether the dense heuristics may run on ``core`` (memory stays modest)."""
    return core.n_agents * core.n_tasks <= DENSE_LIMIT


def dense(core: AssignmentCore, value: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray,
                                                                          np.ndarray]:
    """Value (−inf where ineligible), use, and pair position per (agent, task) cell (−1: none)."""
    shape = (core.n_agents, core.n_tasks)
    v = np.full(shape, -np.inf)
    v[core.agent, core.task] = core.value if value is None else value
    u = np.zeros(shape, dtype=np.int64)
    u[core.agent, core.task] = core.use
    pos = np.full(shape, -1, dtype=np.int64)
    pos[core.agent, core.task] = np.arange(len(core))
    return v, u, pos
