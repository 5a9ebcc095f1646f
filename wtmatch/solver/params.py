"""CP-SAT parameters from :class:`wtmatch.settings.Settings`."""

from __future__ import annotations

import os
from typing import Any

from ortools.sat.python import cp_model


def set_parameter(params: Any, name: str, value: Any) -> None:
    """Set one CP-SAT parameter; a list sets a repeated one (``subsolvers``, ``extra_subsolvers``)."""
    if isinstance(value, (list, tuple)):
        field = getattr(params, name)
        field.clear()
        field.extend(value)
    else:
        setattr(params, name, value)


def unknown_parameters(params: dict[str, Any]) -> list[str]:
    """Names in ``params`` that are not CP-SAT parameters (or have a wrong type)."""
    probe = cp_model.CpSolver().parameters
    wrong = []
    for name, value in params.items():
        try:
            set_parameter(probe, name, value)
        except (AttributeError, TypeError, ValueError):
            wrong.append(name)
    return wrong


PORTFOLIO = 8


def workers(settings: Any) -> int:
    """CP-SAT workers: the settings' number, or at least a full portfolio.

    CP-SAT's portfolio needs about 8 workers to include the subsolvers that
    move the bound (``max_lp``, ``reduced_costs``, ``core``); with 2 workers a
    60 × 40 scenario stays at a 10 % gap after 60 s, with 8 on the same
    2 cores it is proven optimal in under a second (benchmarks/RESULTS.md).
    Part A on few cores does better still with :func:`lp_portfolio`.
    """
    return settings.workers or max(PORTFOLIO, os.cpu_count() or 1)


# On 2 cores, two chosen subsolvers prove a part A model 2–3× sooner than the
# 8-worker portfolio: ``max_lp`` moves the bound with its cuts, ``default_lp``
# finds plans, and neither shares a core with six others. On larger models one
# more worker runs CP-SAT's own neighbourhood search beside them
# (benchmarks/RESULTS.md, "Two chosen subsolvers").
LP_SUBSOLVERS = ("max_lp", "default_lp")


def lp_portfolio(settings: Any, lns_workers: int = 0,
                 subsolvers: tuple[str, ...] = LP_SUBSOLVERS) -> Any:
    """``settings`` with the LP subsolvers and at least ``lns_workers`` more workers.

    Only on a machine with fewer cores than the full portfolio's workers, when
    the user left ``workers`` at 0 (the automatic choice) and the run need
    not be reproducible; every core is used, and subsolvers named in
    ``settings.cpsat`` win. Otherwise ``settings`` unchanged.
    """
    cores = os.cpu_count() or 1
    if settings.workers or settings.reproducible or cores >= PORTFOLIO:
        return settings
    return settings.model_copy(update={
        "workers": max(cores, len(subsolvers) + lns_workers),
        "cpsat": {"subsolvers": list(subsolvers), **settings.cpsat}})


def apply(solver: cp_model.CpSolver, settings: Any, n_vars: int) -> None:
    """Set the solver's parameters from settings and the model's size."""
    p = solver.parameters
    p.num_workers = workers(settings)
    if settings.reproducible:
        # Interleaved search runs the whole portfolio deterministically in one
        # thread; with a deterministic time limit the run is repeatable bit for bit.
        p.interleave_search = True
        p.max_deterministic_time = settings.time_limit
    else:
        p.max_time_in_seconds = settings.time_limit
    p.random_seed = settings.seed
    # Ctrl-C is handled in Python (wtmatch.solver.run stops the search and keeps the
    # best plan); CP-SAT's own SIGINT handler would abort the process instead.
    p.catch_sigint_signal = False
    p.log_search_progress = settings.log
    if n_vars > settings.presolve_limit:
        # A full presolve of a very large, easy-to-satisfy model costs more than it
        # saves; the warm start carries the search instead.
        p.max_presolve_iterations = 1
        p.cp_model_probing_level = 0
        p.symmetry_level = 0
        p.presolve_probing_deterministic_time_limit = 1.0
    for name, value in settings.cpsat.items():
        set_parameter(p, name, value)
