"""A readable text summary of a plan: coverage, uncovered seats with reasons, utilisation."""

from __future__ import annotations

from collections import Counter

from wtmatch.plan import Plan
from wtmatch.scenario import Scenario


def interrupted(plan: Plan) -> bool:
    """Whether the search behind ``plan`` was stopped (Ctrl-C, SIGTERM) before its time."""
    d = plan.solver.details
    return bool(d.get("interrupted") or d.get("assign_interrupted")
                or d.get("sessions_interrupted"))


def summary(scenario: Scenario, plan: Plan, max_rows: int = 15) -> str:
    """The plan in a few screens of text.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
    max_rows : int
        Uncovered seats and instructors listed before "… and N more".
    """
    k = plan.kpis
    lines = [f"plan for {scenario.name or 'scenario'}: {plan.status}"]
    if interrupted(plan):
        lines[0] += " (interrupted: the best plan found before the stop)"
    if plan.objective is not None:
        gap = "" if plan.solver.gap is None else f", gap {100 * plan.solver.gap:.2f} %"
        lines.append(f"  objective {plan.objective} (bound {plan.bound}{gap}); "
                     + ", ".join(f"{t} {v}" for t, v in plan.objective_terms.items() if v))
    lines.append(f"  solved in {plan.solver.wall_time:.2f} s (model built in "
                 f"{plan.solver.build_time:.2f} s, {plan.solver.workers} CP-SAT workers)")
    if k.seats:
        lines.append("")
        lines.append(f"coverage: {k.seats_filled} of {k.seats} seats ({k.coverage_pct:.1f} %)")
        for region, pct in k.coverage_by_region.items():
            lines.append(f"  {region:<16} {pct:5.1f} %")
        for period, pct in k.coverage_by_period.items():
            lines.append(f"  period {period:<9} {pct:5.1f} %")
    if plan.uncovered:
        lines.append("")
        lines.append(f"uncovered seats ({len(plan.uncovered)}):")
        for seat in plan.uncovered[:max_rows]:
            dem = scenario.demand_by_id.get(seat.demand)
            what = f"{dem.skill} ≥ {dem.min_level}" if dem else ""
            school = seat.school or (scenario.school_of_demand[dem.id].id if dem else "")
            when = "" if seat.period is None else f" in {seat.period}"
            lines.append(f"  {school} {seat.demand} {seat.slot}{when} seat {seat.seat} ({what})")
            for r in seat.reasons[:3]:
                lines.append(f"      [{r.code}] {r.message}")
        if len(plan.uncovered) > max_rows:
            codes = Counter(r.code for s in plan.uncovered for r in s.reasons[:1])
            lines.append(f"  … and {len(plan.uncovered) - max_rows} more; first reasons: "
                         + ", ".join(f"{c} {n}" for c, n in codes.most_common()))
    if k.utilisation:
        lines.append("")
        lines.append(f"utilisation of instructors: {k.utilisation_pct:.1f} % of their dayparts")
        used = sorted(k.utilisation.items(), key=lambda kv: (-kv[1], kv[0]))
        idle = [i for i, u in used if u == 0]
        busy = ", ".join(f"{i} {u:.0f} %" for i, u in used[:max_rows] if u > 0)
        if busy:
            lines.append(f"  busiest: {busy}")
        if idle:
            lines.append(f"  without assignment ({len(idle)}): {', '.join(idle[:max_rows])}"
                         + (" …" if len(idle) > max_rows else ""))
        lines.append(f"  travel: {k.travel_km} km one way per week over all visits")
    if k.sessions or k.meetings:
        lines.append("")
        lines.append(f"school year: {k.sessions_scheduled} of {k.sessions} sessions and "
                     f"{k.meetings_scheduled} of {k.meetings} meetings scheduled")
        for row in plan.sessions[:max_rows]:
            when = " + ".join(str(x) for x in row.slots)
            lines.append(f"  {when:<44} {row.cohort}/{row.session:<14} "
                         f"trainers {', '.join(row.trainers)}; {row.venue or 'online'}")
        if len(plan.sessions) > max_rows:
            lines.append(f"  … and {len(plan.sessions) - max_rows} more sessions")
        for item in plan.unscheduled[:max_rows]:
            what = (f"session {item.cohort}/{item.session}" if item.kind == "session"
                    else f"meeting {item.group}#{item.index}")
            lines.append(f"  not scheduled: {what}")
            for r in item.reasons[:2]:
                lines.append(f"      [{r.code}] {r.message}")
        if len(plan.unscheduled) > max_rows:
            lines.append(f"  … and {len(plan.unscheduled) - max_rows} more not scheduled")
    return "\n".join(lines)
