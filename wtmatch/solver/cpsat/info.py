"""The plan's record of how it was made (``plan.solver``)."""

from __future__ import annotations

from wtmatch.plan import SolverInfo
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.params import workers
from wtmatch.solver.cpsat.run import version


def solver_info(build: float, wall: float, options: CpOptions, gap: float | None,
                details: dict, used_workers: int = 0, cpsat_version: str | None = None
                ) -> SolverInfo:
    """The plan's solver record; ``used_workers`` when the run chose its own number."""
    return SolverInfo(wall_time=round(build + wall, 4), build_time=round(build, 4),
                      workers=used_workers or workers(options), seed=options.seed,
                      cpsat_version=cpsat_version or version(),
                      gap=None if gap is None else round(gap, 6),
                      details={k: v for k, v in details.items() if not isinstance(v, dict)})
