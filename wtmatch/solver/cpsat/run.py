"""Running CP-SAT: progress, interruption, and a plain result."""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from wtmatch.budget import Budget
from wtmatch.progress import Progress
from wtmatch.solver.cpsat import params as cp_params
from wtmatch.solver.cpsat.options import CpOptions

STATUS = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
          cp_model.INFEASIBLE: "infeasible", cp_model.UNKNOWN: "unknown",
          cp_model.MODEL_INVALID: "model_invalid"}


@dataclass(frozen=True)
class CpResult:
    """What a CP-SAT run gave."""

    status: str
    values: np.ndarray | None
    objective: float | None
    bound: float | None
    wall_time: float
    interrupted: bool
    stats: dict
    core: list[int]
    version: str
    workers: int = 0       # CP-SAT workers the run used (0: it did not run)


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, callback: Callable[[Progress], None] | None, start: float,
                 count: list | None, stop_at: float | None = None) -> None:
        super().__init__()
        self.callback = callback
        self.start = start
        self.count = count
        self.stop_at = stop_at

    def on_solution_callback(self) -> None:
        if self.callback is not None:
            scheduled = None if self.count is None else \
                sum(self.boolean_value(lit) for lit in self.count)
            self.callback(Progress(time.perf_counter() - self.start, self.objective_value,
                                   self.best_objective_bound, scheduled))
        if self.stop_at is not None and self.objective_value >= self.stop_at - 1e-6:
            self.stop_search()


def arm_ctrl_c() -> None:
    """Give Ctrl-C back to Python, so that it stops a search and keeps its best plan.

    A CP-SAT solve elsewhere in the process with ``catch_sigint_signal`` on
    (CP-SAT's default) leaves SIGINT at its C default when it ends: the next
    Ctrl-C would kill the process instead of raising KeyboardInterrupt. Only the
    main thread can set handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    handler = signal.getsignal(signal.SIGINT)
    # Re-installs Python's own handler at the C level; a process started with SIGINT
    # ignored (a background job) keeps ignoring it rather than dying of the C default.
    if callable(handler) or handler == signal.SIG_IGN:
        signal.signal(signal.SIGINT, handler)


def run(model: cp_model.CpModel, options: CpOptions, budget: Budget,
        progress: Callable[[Progress], None] | None = None,
        assumptions: list[int] | None = None, count: list | None = None,
        stop_at: float | None = None) -> CpResult:
    """Solve ``model`` within ``budget``; return its status, solution values, objective and bound.

    A KeyboardInterrupt (Ctrl-C) during the search stops it and returns the
    best solution found so far. Infeasible and time-out are statuses, never
    exceptions. With ``count`` (literals), each progress report also says how
    many of them the improving solution sets true. With ``stop_at`` (a
    maximisation's proven upper bound), the search stops at the first
    solution worth it, status ``feasible``: the caller knows it is optimal.
    (A bound on the objective's domain would say so to CP-SAT too, but it
    slows proofs.)
    """
    arm_ctrl_c()     # whatever ran in the process since, Ctrl-C must reach this search
    solver = cp_model.CpSolver()
    cp_params.apply(solver, options, budget.search_limit(), len(model.proto.variables))
    proto = model.proto
    proto.assumptions.clear()
    if assumptions:
        proto.assumptions.extend(assumptions)
    start = time.perf_counter()
    reporter = _Reporter(progress, start, count, stop_at) \
        if progress or stop_at is not None else None
    if progress is not None:
        # the bound moves between solutions too (a proof takes its time)
        solver.best_bound_callback = lambda bound: progress(
            Progress(time.perf_counter() - start, -math.inf, bound))
    outcome: dict = {}
    finished = threading.Event()

    def target() -> None:
        try:
            outcome["status"] = solver.solve(model, reporter)
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc
        finally:
            finished.set()

    # The search runs in a thread so that Ctrl-C reaches this one and can stop it.
    # Waiting on an Event, not Thread.join: an interrupted join can wrongly report
    # the thread as finished on Python 3.11.
    worker = threading.Thread(target=target, name="cp-sat", daemon=True)
    worker.start()
    interrupted = False
    while True:
        try:
            if finished.wait(0.05):
                break
            # A CP-SAT solver of someone else's, collected now, resets SIGINT to its C
            # default (its handler's destructor): take Ctrl-C back each time round.
            arm_ctrl_c()
        except KeyboardInterrupt:
            interrupted = True
            solver.stop_search()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    response = solver.response_proto
    status = STATUS.get(outcome["status"], "unknown")
    has_solution = status in ("optimal", "feasible")
    values = np.asarray(response.solution, dtype=np.int64) if has_solution else None
    if interrupted and status == "optimal" and response.best_objective_bound != \
            response.objective_value:
        status = "feasible"
    core = list(response.sufficient_assumptions_for_infeasibility) if status == "infeasible" \
        else []
    return CpResult(
        status=status, values=values,
        objective=response.objective_value if has_solution else None,
        bound=response.best_objective_bound if has_solution else None,
        wall_time=time.perf_counter() - start, interrupted=interrupted,
        stats={"branches": response.num_branches, "conflicts": response.num_conflicts,
               "deterministic_time": response.deterministic_time,
               "booleans": response.num_booleans},
        core=core, version=version(), workers=solver.parameters.num_workers)


def version() -> str:
    """The OR-Tools version, as plans record it."""
    import ortools

    return ortools.__version__
