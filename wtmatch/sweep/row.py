"""One run of a sweep: the variant applied, a solve, and the run as one tidy row.

:func:`run_one` is what a Dask worker executes: plain data in, a flat dict
out, and never an exception — a run that fails is a row with its error.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

from wtmatch.errors import WtmatchError
from wtmatch.scenario import Scenario, from_data, load
from wtmatch.settings import Settings
from wtmatch.sweep.grid import RunSpec


def run_one(run: RunSpec) -> dict[str, Any]:
    """Solve one run and return its row (status ``error`` and the message if it fails)."""
    row: dict[str, Any] = {"key": run.key, "scenario": run.scenario.rsplit("/", 1)[-1],
                           "variant": run.variant, "seed": run.seed,
                           **{f"param:{k}": v for k, v in run.parameters.items()}}
    t0 = time.perf_counter()
    try:
        from wtmatch.solve import solve  # on the worker: the solver loads there

        scenario = edited(load(run.scenario), run.edits)
        result = solve(scenario, Settings.model_validate(run.settings))
        row.update(kpis(scenario, result))
        row["error"] = ""
    except Exception as exc:  # a failed run is a row, the sweep goes on
        row.update(status="error", error=_one_line(exc))
    row["wall_s"] = round(time.perf_counter() - t0, 3)
    return row


def _one_line(exc: Exception) -> str:
    if isinstance(exc, WtmatchError):
        return str(exc).replace("\n", "; ")
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return last.replace("\n", "; ")


def edited(scenario: Scenario, edits: dict[str, Any]) -> Scenario:
    """The scenario with a variant's edits (people out or in, demands out or in, grants)."""
    if not any(edits.values()):
        return scenario
    data = scenario.model_dump(mode="json", by_alias=True)
    gone = set(edits.get("remove_instructors", ()))
    unknown = gone - set(scenario.instructor_by_id)
    dropped = set(edits.get("remove_demands", ()))
    unknown |= dropped - set(scenario.demand_by_id)
    if unknown:
        raise WtmatchError(f"the variant removes what the scenario does not have: "
                           f"{', '.join(sorted(unknown))}")
    # Someone removed stays a person (groups and preferences may name them), teaching nowhere.
    data["instructors"] = [{**i, "available": [], "periods": None, "min_dayparts": 0}
                           if i["id"] in gone else i for i in data["instructors"]]
    data["instructors"] += edits.get("add_instructors", [])
    for section in ("pinned", "previous_plan"):
        data[section] = [r for r in data.get(section, []) if r["instructor"] not in gone
                         and r["demand"] not in dropped]
    for school in data["schools"]:
        school["demands"] = [d for d in school["demands"] if d["id"] not in dropped]
    schools = {s["id"]: s for s in data["schools"]}
    for k, demand in enumerate(edits.get("add_demands", [])):
        demand = dict(demand)
        owner = schools.get(demand.pop("school", None))
        if owner is None:
            raise WtmatchError(f"add_demands[{k}]: 'school' must name a school of the scenario")
        owner["demands"].append(demand)
    for g in edits.get("grants", []):
        prog = scenario.programme_by_id.get(g["programme"])
        if prog is None or prog.grants is None or g["instructor"] not in scenario.instructor_by_id:
            raise WtmatchError(f"grants: {g['instructor']!r} / {g['programme']!r} is not an "
                               "instructor and a programme with grants")
        for ins in data["instructors"]:
            if ins["id"] == g["instructor"]:
                for skill, level in prog.grants.skills.items():
                    ins["skills"][skill] = max(level, ins["skills"].get(skill, 0))
                ins["qualified"] = ins.get("qualified") or prog.grants.qualified
    return from_data(data, source="the variant")


def kpis(scenario: Scenario, result) -> dict[str, Any]:
    """Status, objective, every term, bound, gap and the key figures of one result."""
    plan, k = result.plan, result.plan.kpis
    out: dict[str, Any] = {
        "status": str(result.status), "objective": result.objective, "bound": result.bound,
        "gap_pct": None if result.gap is None else round(100 * result.gap, 4),
        **dict(sorted(plan.objective_terms.items(), key=lambda tv: int(tv[0][1:]))),
        "seats": k.seats, "seats_filled": k.seats_filled, "coverage_pct": k.coverage_pct,
        "schools_reached": len({a.school for a in plan.assignments}),
        "travel_km": k.travel_km, "sessions_scheduled": k.sessions_scheduled,
        "meetings_scheduled": k.meetings_scheduled, "solve_s": round(plan.solver.wall_time, 3),
    }
    out.update({f"coverage:{r}": v for r, v in k.coverage_by_region.items()})
    out.update({f"coverage:{p}": v for p, v in k.coverage_by_period.items()})
    return out
