"""Part A's results as plans: a plan found, the greedy plan alone, no plan, a given plan."""

from __future__ import annotations

import numpy as np

from wtmatch.assign.candidates import Candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.plan_rows import assign_kpis, assignment_rows, feasible_plan, uncovered_seats
from wtmatch.errors import WtmatchError
from wtmatch.plan import Assignment, Kpis, ObjectiveParts, Plan, Reason, SolverInfo, UncoveredSeat
from wtmatch.result import Result, Status, relative_gap
from wtmatch.scenario import Scenario
from wtmatch.solver.cpsat.info import solver_info
from wtmatch.solver.cpsat.options import CpOptions


def plan_result(scenario: Scenario, cands: Candidates, chosen: np.ndarray,
                terms: dict[str, int], status: Status, bound: int | None, build: float,
                wall: float, options: CpOptions, details: dict, used_workers: int = 0,
                cpsat_version: str | None = None) -> Result:
    """Part A's result for the plan ``chosen`` (of S1–S7 ``terms``)."""
    objective = sum(terms.values())
    plan = Plan(
        scenario=scenario.name, status=status.value, objective=objective,
        objective_parts=ObjectiveParts(assign=objective, sessions=0),
        objective_terms=terms, bound=bound,
        assignments=assignment_rows(cands, chosen),
        uncovered=uncovered_seats(cands, chosen, status == Status.OPTIMAL),
        kpis=Kpis(**assign_kpis(cands, chosen)),
        solver=solver_info(build, wall, options, relative_gap(objective, bound), details,
                           used_workers, cpsat_version),
    )
    return Result(status, objective, bound, terms, build, wall, plan, scenario)


def greedy_result(scenario: Scenario, cands: Candidates, chosen: np.ndarray, objective: int,
                  build: float, options: CpOptions, why: str) -> Result:
    """The greedy plan (of value ``objective``) as the result, when CP-SAT cannot search (``why``)."""
    plan = feasible_plan(cands, chosen, solver_info(
        build, 0.0, options, None,
        {"cpsat_skipped": f"{why}; this is the greedy plan",
         "candidates": len(cands), "interrupted": False, "greedy_objective": objective}))
    return Result(Status.FEASIBLE, objective, None, plan.objective_terms, build, 0.0, plan,
                  scenario)


def infeasible_result(scenario: Scenario, reasons: list[Reason], build: float, wall: float,
                      options: CpOptions, status: Status = Status.INFEASIBLE) -> Result:
    """No plan: every seat uncovered, each with ``reasons`` (which pins conflict, or the time)."""
    seats = [UncoveredSeat(demand=d.id, school=scenario.school_of_demand[d.id].id, slot=s,
                           seat=k, reasons=reasons)
             for d in scenario.demand_by_id.values() for s in d.slots
             for k in range(1, d.instructors_needed + 1)]
    plan = Plan(scenario=scenario.name, status=status.value, uncovered=seats,
                objective_parts=ObjectiveParts(assign=None, sessions=0),
                kpis=Kpis(seats=len(seats)),
                solver=solver_info(build, wall, options, None,
                                   {"conflict": next(r.message for r in reasons)}))
    return Result(status, None, None, {}, build, wall, plan, scenario)


def no_plan_in_time(scenario: Scenario, build: float, wall: float, options: CpOptions) -> Result:
    """The time ran out before any plan keeping every pin was found."""
    reason = Reason(code="no_plan_in_time", message="the time limit ran out before any plan "
                    "keeping every pin was found")
    return infeasible_result(scenario, [reason], build, wall, options, Status.UNKNOWN)


def given_result(scenario: Scenario, cands: Candidates, rows: list[Assignment]) -> Result:
    """Part A taken from an earlier plan: its rows and their exact objective.

    Raises
    ------
    WtmatchError
        When a row is not an eligible assignment of this scenario.
    """
    chosen = []
    for k, r in enumerate(rows):
        pos = cands.find(r.instructor, r.demand, r.slot)
        if pos is None:
            raise WtmatchError(f"assignments[{k}] ({r.instructor}, {r.demand}, {r.slot}) is not "
                               "an eligible assignment of this scenario")
        chosen.append(pos)
    chosen_arr = np.array(sorted(set(chosen)), dtype=np.int64)
    terms = assign_terms(cands, chosen_arr)
    objective = sum(terms.values())
    # Part A is given, not optimised: its value is fixed, so its bound is its value and
    # the plan is as good as part B's search makes it.
    plan = Plan(scenario=scenario.name, status=Status.OPTIMAL.value, objective=objective,
                objective_parts=ObjectiveParts(assign=objective), objective_terms=terms,
                bound=objective, assignments=assignment_rows(cands, chosen_arr),
                uncovered=uncovered_seats(cands, chosen_arr, False),
                kpis=Kpis(**assign_kpis(cands, chosen_arr)),
                solver=SolverInfo(details={"given": True}))
    return Result(Status.OPTIMAL, objective, objective, terms, 0.0, 0.0, plan, scenario)
