"""The assignment core: agents with capacities, tasks with seats, eligible pairs.

Nothing here knows about schools. Part A is this core plus side constraints
(:mod:`wtmatch.solver.assign.model`); the Generalized Assignment Problem is
the core with nothing on top, so the literature's GAP instances measure it
directly (``python -m benchmarks gap``). Solver-free: the CP-SAT side lives
in :mod:`wtmatch.solver.assign.core_rows` and :mod:`gapcore.search`.
"""

from wtmatch.core.construct import construct, lagrangian_costs, promising, reduced_costs, task_ranks
from wtmatch.core.local_search import local_search
from wtmatch.core.problem import AssignmentCore

__all__ = ["AssignmentCore", "construct", "lagrangian_costs", "local_search", "promising", "reduced_costs",
           "task_ranks"]
