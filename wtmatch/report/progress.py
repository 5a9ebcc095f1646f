"""A progress line on the terminal while a solve runs (the command line's ``solve``)."""

from __future__ import annotations

import math
import sys

from wtmatch.progress import Progress


class ProgressLine:
    """Prints one line per improving solution once a solve takes longer than a second."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.tty = sys.stderr.isatty()
        self.shown = False

    def __call__(self, p: Progress) -> None:
        if p.time < 1.0:
            return
        if math.isfinite(p.bound):
            gap = (p.bound - p.objective) / max(1.0, abs(p.objective)) * 100
            bound = f"bound {p.bound:,.0f}  gap {gap:.2f} %"
        else:   # a plan found before CP-SAT has a bound (warm start, neighbourhood search)
            bound = "bound –"
        line = (f"  {p.time:6.1f}/{self.limit:g} s  objective {p.objective:,.0f}  {bound}"
                + ("" if p.scheduled is None else f"  {p.scheduled} items scheduled"))
        print(("\r" + line) if self.tty else line, end="" if self.tty else "\n",
              file=sys.stderr, flush=True)
        self.shown = True

    def done(self) -> None:
        """End the line (on a terminal, where it was rewritten in place)."""
        if self.shown and self.tty:
            print(file=sys.stderr)
