"""``solve``: scenario in, plan out — part A, then part B, then the merge.

Part A (the weekly assignment, :mod:`wtmatch.solver.assign.search`) and
part B (the school year, :mod:`wtmatch.solver.sessions.search`) each get
their own time budget; part A's teaching blocks its instructors' slots in
part B. Infeasible and time-out are statuses of the result, never exceptions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from wtmatch.budget import Budget
from wtmatch.errors import ScenarioError
from wtmatch.plan import Assignment
from wtmatch.progress import Progress
from wtmatch.result import Result, Status, merge
from wtmatch.scenario import Scenario
from wtmatch.scenario.fingerprint import fingerprint
from wtmatch.scenario.magnitude import objective_range_problems
from wtmatch.sessions.keep import YearInForce
from wtmatch.settings import Settings
from wtmatch.solver.assign.search import given_assign, solve_assign
from wtmatch.solver.cpsat.params import check_parameters
from wtmatch.solver.cpsat.run import arm_ctrl_c
from wtmatch.solver.sessions.search import solve_sessions

__all__ = ["Progress", "Result", "Status", "solve"]


def solve(scenario: Scenario, settings: Settings | None = None, *,
          progress: Callable[[Progress], None] | None = None,
          assignments: list[Assignment] | None = None,
          start: list[Assignment] | None = None, started: float | None = None,
          year_in_force: YearInForce | None = None) -> Result:
    """Solve a scenario: the weekly assignment (A), then the school year (B).

    Parameters
    ----------
    scenario : Scenario
    settings : Settings, optional
        Defaults to ``Settings()``; ``settings.part`` says which parts to solve
        (``all`` by default: A, then B with A's teaching blocking its slots).
        Each part gets ``settings.time_limit``, model building included.
    progress : callable, optional
        Called with a :class:`Progress` (time, objective, bound) at each
        better plan the solve holds.
    assignments : list of Assignment, optional
        With ``part="sessions"``: the weekly teaching (e.g. of an earlier
        plan) that blocks instructors' slots. It is part of the plan returned,
        and of its objective.
    start : list of Assignment, optional
        Part A rows to start the search from (a warm start, e.g. a plan of a
        similar scenario): each row that is eligible and fits is kept, the
        rest is filled greedily; the search may change any of it.
    started : float, optional
        ``time.perf_counter()`` when the clock started (default: when
        ``solve`` is called): what was spent before, such as loading the
        scenario, counts against part A's time limit, so that a command ends
        within its limit.
    year_in_force : YearInForce, optional
        The sessions and meetings of a plan in force (a re-plan): each stays
        where it was when that still holds, and those before its
        ``from_date`` are never moved.

    Returns
    -------
    Result
        Ctrl-C during the search returns the best plan found so far.

    Raises
    ------
    ScenarioError
        When ``settings.cpsat`` names something that is not a CP-SAT parameter.
    ScenarioError
        When the weight overrides could take the objective beyond 2⁵³.
    WtmatchError
        When ``assignments`` are not eligible rows of the scenario.
    """
    started = time.perf_counter() if started is None else started
    settings = settings or Settings()
    given = fingerprint(scenario)
    scenario = _with_weights(scenario, settings)
    check_parameters(settings.cpsat)
    arm_ctrl_c()
    if settings.part == "sessions":
        a = given_assign(scenario, assignments or [])
    else:
        a = solve_assign(scenario, settings, _budget(settings, started), progress, start or [])
    has_b = bool(scenario.cohorts or scenario.groups)
    if settings.part == "assign" or not has_b:
        return _stamped(a, given)
    # Without a weekly plan (part A infeasible or out of time) the year is still
    # scheduled, around no teaching: every session and meeting is accounted for.
    teaching = a.plan.assignments if a.status.has_plan else []
    # Stopped during part A: part B still accounts for every item (its greedy schedule
    # and reasons) but does not search.
    stopped = bool(a.plan.solver.details.get("interrupted"))
    budget = Budget.start(0.0, settings.reproducible) if stopped else _budget(settings)
    b = solve_sessions(scenario, settings, budget, teaching, progress, year_in_force)
    return _stamped(merge(scenario, a, b), given)


def _stamped(result: Result, given: str) -> Result:
    """The result whose plan names the scenario it was solved against, and the weights used."""
    plan = result.plan.model_copy(update={
        "scenario_fingerprint": given,
        "weights": result.scenario.settings.weights.model_dump()})
    return replace(result, plan=plan)


def _budget(settings: Settings, started: float | None = None) -> Budget:
    """One part's time, from ``started`` (default: now)."""
    if started is None:
        return Budget.start(settings.time_limit, settings.reproducible)
    return Budget(settings.time_limit, started + settings.time_limit, settings.reproducible)


def _with_weights(scenario: Scenario, settings: Settings) -> Scenario:
    """The scenario with the settings' weight overrides, its objective still exact."""
    if settings.weights:
        weights = scenario.settings.weights.model_copy(update=settings.weights)
        scenario = scenario.model_copy(update={
            "settings": scenario.settings.model_copy(update={"weights": weights})})
    # Weights are non-negative by validation (penalties are modelled as one-sided bounds,
    # exact for non-negative weights only); their sum must keep the objective exact.
    if problems := objective_range_problems(scenario):
        raise ScenarioError(problems, source="settings")
    return scenario

