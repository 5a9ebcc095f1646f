"""Progress of a solve: each better plan as it is found, for displays and logs."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Progress:
    """One improving plan: seconds since the part started, its objective, the bound.

    ``bound`` is ``inf`` while no bound is known. ``scheduled`` is, for
    part B, how many sessions and meetings that plan schedules; None where
    the solve counts nothing.
    """

    time: float
    objective: float
    bound: float
    scheduled: int | None = None


class Improving:
    """Passes each better plan of a part on to ``progress``, timed from the part's start.

    Plans found outside CP-SAT (the verified warm start, each improvement of
    the neighbourhood search, the plan returned last) are reported as well as
    CP-SAT's solutions, and only plans better than all before: a progress
    display sees the plan the solve holds at each moment.
    """

    def __init__(self, progress: Callable[[Progress], None] | None, start: float) -> None:
        self.progress, self.start = progress, start
        self.best = -math.inf

    @property
    def wanted(self) -> bool:
        """Whether anyone listens."""
        return self.progress is not None

    def plan(self, objective: float, bound: float = math.inf) -> None:
        """A plan found outside CP-SAT (or valued exactly after it)."""
        self(Progress(0.0, float(objective), float(bound)))

    def __call__(self, p: Progress) -> None:
        if self.progress is not None and p.objective > self.best:
            self.best = p.objective
            self.progress(replace(p, time=time.perf_counter() - self.start))
