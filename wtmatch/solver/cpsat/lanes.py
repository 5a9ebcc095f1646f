"""Lanes: independent sub-problems solved at once, one core each, each merged as it finishes.

CP-SAT releases the GIL while it solves, so sub-models in worker threads
run truly in parallel. The caller makes each job knowing the ones still
running (so it can keep clear of them), and merges each result in its own
thread, one at a time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Any

from wtmatch.solver.cpsat.options import CpOptions

MAX_LANES = 4   # sub-problems at once; more would no longer stay apart on a regional pool


def lanes_for(options: CpOptions) -> int:
    """How many sub-problems to solve at once: one per core, at most MAX_LANES."""
    cores = os.cpu_count() or 1
    if options.workers:
        cores = min(cores, options.workers)
    return max(1, min(MAX_LANES, cores))


def room_beside(lp: Any, lanes: int) -> int:
    """Lanes that may run now: one fewer (at least one) while ``lp`` is being solved.

    ``lp`` is an LP relaxation solved in a thread beside the lanes
    (:class:`~wtmatch.solver.assign.lp_bound.LpBound`) or None; it keeps a core.
    """
    return max(1, lanes - 1) if lp is not None and lp.running() else lanes


def run_lanes(lanes: int, launch: Callable[[list], Any], solve: Callable[[Any], Any],
              take: Callable[[Any, Any], None], go_on: Callable[[], bool],
              halt: Callable[[], bool] | None = None,
              stop: Callable[[Any], None] | None = None) -> None:
    """Keep ``lanes`` jobs running while ``go_on()``; returns when none is left.

    Parameters
    ----------
    launch : callable
        ``launch(running_jobs)`` makes the next job, or None when there is
        none to make now (then the running ones are waited for).
    solve : callable
        ``solve(job)`` → result, in a worker thread.
    take : callable
        ``take(job, result)``, in the caller's thread, as each job finishes.
    go_on : callable
        Whether to launch more jobs.
    halt, stop : callable, optional
        Once ``halt()`` (default: not ``go_on()``), and on the way out (also on
        an exception, Ctrl-C included), ``stop(job)`` is called on each job
        still running.
    """
    halt = halt or (lambda: not go_on())
    running: dict = {}
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        try:
            while True:
                while len(running) < lanes and go_on():
                    job = launch(list(running.values()))
                    if job is None:
                        break
                    running[pool.submit(solve, job)] = job
                if not running:
                    return
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    job = running.pop(future)
                    take(job, future.result())
                if stop is not None and halt():
                    for job in running.values():
                        stop(job)
        finally:
            if stop is not None:
                for job in running.values():
                    stop(job)
