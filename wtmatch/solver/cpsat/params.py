"""CP-SAT parameters from :class:`~wtmatch.solver.cpsat.options.CpOptions` and a time limit."""

from __future__ import annotations

import os
from typing import Any

from ortools.sat.python import cp_model

from wtmatch.errors import Problem, ScenarioError
from wtmatch.solver.cpsat.options import CpOptions


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


def workers(options: CpOptions) -> int:
    """CP-SAT workers: the number chosen, or at least a full portfolio.

    CP-SAT's portfolio needs about 8 workers to include the subsolvers that
    move the bound (``max_lp``, ``reduced_costs``, ``core``); with 2 workers
    a small part A model can stay unproven where 8 on the same 2 cores prove
    it at once (docs/benchmarks.md). Part A on few cores does better still
    with :func:`lp_portfolio`.
    """
    return options.workers or max(PORTFOLIO, os.cpu_count() or 1)


# On fewer cores than the portfolio, two chosen subsolvers prove a part A model
# sooner than the 8-worker portfolio: ``max_lp`` moves the bound with its cuts,
# ``default_lp`` finds plans, and neither shares a core with six others. On larger
# models one more worker runs CP-SAT's own neighbourhood search beside them.
LP_SUBSOLVERS = ("max_lp", "default_lp")


def lp_portfolio(options: CpOptions, lns_workers: int = 0,
                 subsolvers: tuple[str, ...] = LP_SUBSOLVERS) -> CpOptions:
    """``options`` with the LP subsolvers and at least ``lns_workers`` more workers.

    Only on a machine with fewer cores than the full portfolio's workers, when
    the user left ``workers`` at 0 (the automatic choice) and the run need
    not be reproducible; every core is used, and subsolvers named in
    ``options.params`` win. Otherwise ``options`` unchanged.
    """
    cores = os.cpu_count() or 1
    if options.workers or options.reproducible or cores >= PORTFOLIO:
        return options
    return options.replace(workers=max(cores, len(subsolvers) + lns_workers)).with_defaults(
        subsolvers=list(subsolvers))


def apply(solver: cp_model.CpSolver, options: CpOptions, limit: float, n_vars: int) -> None:
    """Set the solver's parameters from ``options``, a time ``limit`` and the model's size.

    ``limit`` is in seconds, or in deterministic time units when the options
    are reproducible.
    """
    p = solver.parameters
    p.num_workers = workers(options)
    if options.reproducible:
        # Interleaved search runs the whole portfolio deterministically in one
        # thread; with a deterministic time limit the run is repeatable bit for bit.
        p.interleave_search = True
        p.max_deterministic_time = limit
    else:
        p.max_time_in_seconds = limit
    p.random_seed = options.seed
    # Ctrl-C is handled in Python (wtmatch.solver.cpsat.run stops the search and keeps
    # the best plan); CP-SAT's own SIGINT handler would abort the process instead.
    p.catch_sigint_signal = False
    p.log_search_progress = options.log
    if n_vars > options.presolve_limit:
        # A full presolve of a very large, easy-to-satisfy model costs more than it
        # saves; the warm start carries the search instead.
        p.max_presolve_iterations = 1
        p.cp_model_probing_level = 0
        p.symmetry_level = 0
        p.presolve_probing_deterministic_time_limit = 1.0
    for name, value in options.params.items():
        set_parameter(p, name, value)


def check_parameters(params: dict[str, Any]) -> None:
    """Refuse CP-SAT parameters that CP-SAT does not know, naming each.

    Raises
    ------
    ScenarioError
        With one problem per bad name, at path ``cpsat.<name>``.
    """
    wrong = unknown_parameters(params)
    if wrong:
        raise ScenarioError([Problem(f"cpsat.{name}", "not a CP-SAT parameter (or a value of the "
                                     "wrong type)") for name in wrong], source="settings")
