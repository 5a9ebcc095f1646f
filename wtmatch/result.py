"""What a solve gives: a status, the plan, its objective and bound, and one gap."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from wtmatch.plan import ObjectiveParts, Plan
from wtmatch.scenario import Scenario


class Status(StrEnum):
    """How a solve ended. Infeasible and out-of-time are statuses, never exceptions.

    A ``StrEnum``: each member equals its plan-file string (``"optimal"``, …).
    """

    OPTIMAL = "optimal"
    """The plan is proven best."""
    FEASIBLE = "feasible"
    """A plan that keeps every hard rule; not proven best."""
    INFEASIBLE = "infeasible"
    """No plan can keep every hard rule (the plan's reasons say which conflict)."""
    UNKNOWN = "unknown"
    """The time ran out before any plan was found."""

    @property
    def has_plan(self) -> bool:
        """Whether the result holds a plan (optimal or feasible)."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)


# Worst first wins when two parts are merged.
_RANK = {Status.OPTIMAL: 0, Status.FEASIBLE: 1, Status.UNKNOWN: 2, Status.INFEASIBLE: 3}


def relative_gap(objective: int | None, bound: int | None) -> float | None:
    """(bound − objective) / max(1, |objective|); None without both.

    The one definition of the gap: results, plans and benchmarks all use it.
    """
    if objective is None or bound is None:
        return None
    return (bound - objective) / max(1, abs(objective))


@dataclass(frozen=True)
class Result:
    """What a solve gives.

    Attributes
    ----------
    status : Status
    objective, bound : int or None
        The plan's objective (exact, as DOMAIN.md defines it) and an upper
        bound on any plan's; None when there is no plan.
    terms : dict of str to int
        Each objective term, signed.
    build_time, solve_time : float
        Seconds spent building the model(s) and searching.
    plan : Plan
    scenario : Scenario
        The scenario solved (with any weight overrides of the settings).
    """

    status: Status
    objective: int | None
    bound: int | None
    terms: dict[str, int]
    build_time: float
    solve_time: float
    plan: Plan
    scenario: Scenario = field(repr=False)

    @property
    def gap(self) -> float | None:
        """(bound − objective) / max(1, |objective|), or None (:func:`relative_gap`)."""
        return relative_gap(self.objective, self.bound)


def merge(scenario: Scenario, a: Result, b: Result) -> Result:
    """One result of both parts: A's rows and B's schedule, objective A + B."""
    status = max(Status(a.status), Status(b.status), key=_RANK.__getitem__)
    # No plan of part A: no objective of the whole, part B's still reported.
    objective = None if a.objective is None else a.objective + b.objective
    bound = None if a.bound is None or b.bound is None else a.bound + b.bound
    gap = relative_gap(objective, bound)
    kpis = a.plan.kpis.model_copy(update={
        k: getattr(b.plan.kpis, k) for k in ("sessions", "sessions_scheduled", "meetings",
                                              "meetings_scheduled")})
    sa, sb = a.plan.solver, b.plan.solver
    solver = sa.model_copy(update={
        "wall_time": round(sa.wall_time + sb.wall_time, 4),
        "build_time": round(sa.build_time + sb.build_time, 4),
        "gap": None if gap is None else round(gap, 6),
        "details": {**{f"assign_{k}": v for k, v in sa.details.items()},
                    **{f"sessions_{k}": v for k, v in sb.details.items()}}})
    terms = {**a.terms, **b.terms}
    plan = a.plan.model_copy(update={
        "status": status.value, "objective": objective,
        "objective_parts": ObjectiveParts(assign=a.objective, sessions=b.objective),
        "objective_terms": terms, "bound": bound, "sessions": b.plan.sessions,
        "meetings": b.plan.meetings, "unscheduled": b.plan.unscheduled, "kpis": kpis,
        "solver": solver})
    return Result(status, objective, bound, terms, a.build_time + b.build_time,
                  a.solve_time + b.solve_time, plan, scenario)
