"""A part's time, as one deadline passed down from ``solve`` to every search."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """The time one part of a solve may take, model building included.

    A budget is made once, when a part starts, and handed down: every search
    below takes what is left of it (or a slice, :meth:`within`), so no step
    can outlive the part. In reproducible mode the plan must not depend on
    the clock: CP-SAT then counts its own deterministic time units
    (:meth:`search_limit` gives the whole part's), and the wall clock only
    serves to skip work that could not finish anyway.

    Attributes
    ----------
    seconds : float
        The part's limit (CP-SAT's deterministic time units when
        ``deterministic``).
    end : float
        ``time.perf_counter()`` at which the wall-clock budget runs out.
    deterministic : bool
        Reproducible mode: searches are limited in deterministic time.
    """

    seconds: float
    end: float
    deterministic: bool = False

    @classmethod
    def start(cls, seconds: float, deterministic: bool = False) -> Budget:
        """A budget of ``seconds`` from now."""
        return cls(float(seconds), time.perf_counter() + float(seconds), deterministic)

    def left(self) -> float:
        """Wall-clock seconds left (never negative)."""
        return max(0.0, self.end - time.perf_counter())

    def search_limit(self, floor: float = 0.5) -> float:
        """CP-SAT's time limit for a search that may take the rest of the budget.

        The whole part's deterministic units in reproducible mode (so that
        the same model gives the same plan however long building it took);
        otherwise the wall-clock seconds left, at least ``floor`` (a search
        shorter than that reports no bound).
        """
        return self.seconds if self.deterministic else max(floor, self.left())

    def within(self, seconds: float) -> Budget:
        """A slice of at most ``seconds`` that ends no later than this budget."""
        seconds = max(0.0, float(seconds))
        end = min(self.end, time.perf_counter() + seconds)
        return Budget(seconds, end, self.deterministic)

    def wall(self, seconds: float) -> Budget:
        """``within(seconds)``, in wall-clock time even in reproducible mode.

        For steps that are skipped in reproducible mode anyway (neighbourhood
        searches, the LP beside them) or whose result cannot change the plan.
        """
        part = self.within(seconds)
        return Budget(part.seconds, part.end, False)
