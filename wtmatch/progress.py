"""Progress of a solve: each better plan as it is found, for displays and logs."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Progress:
    """The plan a solve holds and its bound, whenever either improves.

    Attributes
    ----------
    time : float
        Seconds since the part started.
    objective : float
        The best plan's objective (``-inf`` before any plan).
    bound : float
        The best bound on any plan's objective (``inf`` while none is known).
    scheduled : int or None
        For part B, how many sessions and meetings the plan schedules; None
        where the solve counts nothing.
    part : str or None
        ``"assign"`` (part A) or ``"sessions"`` (part B); None from a bare
        CP-SAT run.
    """

    time: float
    objective: float
    bound: float
    scheduled: int | None = None
    part: str | None = None


class Improving:
    """Passes each better plan or tighter bound of a part on to ``progress``.

    Plans found outside CP-SAT (the verified warm start, each improvement of
    the neighbourhood search, the plan returned last) are reported as well as
    CP-SAT's solutions and bounds, timed from the part's start and named by
    the part. An event is passed on only when the plan or the bound improves,
    and it always carries the best of both so far: a progress display sees
    what the solve holds at each moment.
    """

    def __init__(self, progress: Callable[[Progress], None] | None, start: float,
                 part: str | None = None) -> None:
        self.progress, self.start, self.part = progress, start, part
        self.best = -math.inf
        self.bound = math.inf

    @property
    def wanted(self) -> bool:
        """Whether anyone listens."""
        return self.progress is not None

    def plan(self, objective: float, bound: float = math.inf) -> None:
        """A plan found outside CP-SAT (or valued exactly after it)."""
        self(Progress(0.0, float(objective), float(bound)))

    def __call__(self, p: Progress) -> None:
        better, tighter = p.objective > self.best, p.bound < self.bound
        if self.progress is None or not (better or tighter):
            return
        self.best, self.bound = max(self.best, p.objective), min(self.bound, p.bound)
        self.progress(replace(p, time=time.perf_counter() - self.start, objective=self.best,
                              bound=self.bound, part=self.part))
