"""Checker for part A: hard rules H1–H13 and objective terms S1–S9.

Written directly from DOMAIN.md §4 and §8 with plain loops over the plan's
rows, so that it shares no reasoning with the solver's vectorised model
(which plans per-period copies). With periods every rule and term is checked
on each period's rows alone, as §8 says; without them there is one period,
``None``, of weight 1.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations, pairwise

from wtmatch.plan import Plan
from wtmatch.scenario import Demand, Instructor, Scenario, School, WeeklySlot
from wtmatch.verify.verdict import Violation

Row = tuple[Instructor, Demand, School, WeeklySlot, str | None]


def well_formed_rows(scenario: Scenario, plan: Plan, out: list[Violation]) -> list[Row]:
    """The plan's assignment rows that name real things, each once (with its period, §8)."""
    rows: list[Row] = []
    seen: set[tuple] = set()
    periods = {p.id for p in scenario.periods}
    for k, a in enumerate(plan.assignments):
        if periods and a.period not in periods:
            out.append(Violation("PLAN", f"assignments[{k}]: " + (
                "the scenario has periods: the row needs its period" if a.period is None
                else f"{a.period!r} is not a period of the scenario"), (a.instructor, a.demand)))
            continue
        if not periods and a.period is not None:
            out.append(Violation("PLAN", f"assignments[{k}]: period {a.period!r} in a scenario "
                                 "without periods", (a.instructor, a.demand)))
            continue
        ins = scenario.instructor_by_id.get(a.instructor)
        dem = scenario.demand_by_id.get(a.demand)
        if ins is None or dem is None:
            what = f"instructor {a.instructor!r}" if ins is None else f"demand {a.demand!r}"
            out.append(Violation("PLAN", f"assignments[{k}]: unknown {what}",
                                 (a.instructor, a.demand)))
            continue
        school = scenario.school_of_demand[dem.id]
        if a.school != school.id:
            out.append(Violation("PLAN", f"assignments[{k}]: demand {dem.id!r} belongs to school "
                                 f"{school.id!r}, not {a.school!r}", (dem.id, a.school)))
        key = (ins.id, dem.id, a.slot, a.period)
        if key in seen:
            at = "" if a.period is None else f", {a.period}"
            out.append(Violation("PLAN", f"assignments[{k}]: row ({ins.id}, {dem.id}, {a.slot}"
                                 f"{at}) appears twice", key[:2]))
            continue
        seen.add(key)
        rows.append((ins, dem, school, a.slot, a.period))
    return rows


def _by_period(scenario: Scenario, rows: list[Row]) -> list[tuple[str | None, list[Row]]]:
    """Each period (``None`` without periods) with its rows."""
    if not scenario.periods:
        return [(None, rows)]
    return [(p.id, [r for r in rows if r[4] == p.id]) for p in scenario.periods]


def check_rules(scenario: Scenario, rows: list[Row], out: list[Violation],
                claims_solution: bool = True) -> None:
    """Append a violation for every broken rule H1–H13, period by period (§8).

    A plan that does not claim a solution (status infeasible or unknown) is
    not blamed for the pins it leaves out.
    """
    for period, part in _by_period(scenario, rows):
        for ins, dem, _, slot, _ in part:
            if period is not None and not (ins.released(period) and dem.runs(period)):
                what = "its instructor is not released" if not ins.released(period) else \
                    "its demand does not run"
                out.append(Violation("H13", f"{ins.id} at {dem.id} {slot} in {period}: {what} "
                                     "in that period", (ins.id, dem.id)))
        _check_period(scenario, period, part, out, claims_solution)


def _check_period(scenario: Scenario, period: str | None, rows: list[Row],
                  out: list[Violation], claims_solution: bool) -> None:
    """H1–H12 on one period's rows, as a §4 plan of its own."""
    by_ins_slot: dict[tuple[str, WeeklySlot], list[str]] = defaultdict(list)
    slots_of: dict[str, set[WeeklySlot]] = defaultdict(set)
    schools_of: dict[str, set[str]] = defaultdict(set)
    day_schools: dict[tuple[str, int], set[str]] = defaultdict(set)
    by_emp_slot: dict[tuple[str, WeeklySlot], set[str]] = defaultdict(set)
    by_dem_slot: dict[tuple[str, WeeklySlot], set[str]] = defaultdict(set)

    at = "" if period is None else f" in {period}"
    for ins, dem, school, slot, _ in rows:
        tag = f"{ins.id} at {dem.id} {slot}{at}"
        level = ins.skills.get(dem.skill, 0)
        if level < dem.min_level:
            out.append(Violation("H1", f"{tag}: level {level} in {dem.skill!r} is below "
                                 f"min_level {dem.min_level}", (ins.id, dem.id)))
        if slot not in dem.slots:
            out.append(Violation("H2", f"{tag}: {slot} is not a slot of the demand",
                                 (ins.id, dem.id)))
        if slot not in ins.weekly_slots(period):
            out.append(Violation("H2", f"{tag}: the instructor is not available then",
                                 (ins.id, dem.id)))
        if dem.requires_qualified and not ins.qualified:
            out.append(Violation("H5", f"{tag}: the demand requires a qualified instructor",
                                 (ins.id, dem.id)))
        if ins.max_travel_km is not None:
            km = scenario.km_instructor_school(ins, school)
            if km > ins.max_travel_km:
                out.append(Violation("H6", f"{tag}: school {school.id} is {km} km away, over "
                                     f"max_travel_km {ins.max_travel_km:g}", (ins.id, school.id)))
        if ins.regions is not None and (school.region is None or school.region not in ins.regions):
            out.append(Violation("H6", f"{tag}: region {school.region!r} of school {school.id} "
                                 f"is not among {ins.regions}", (ins.id, school.id)))
        by_ins_slot[(ins.id, slot)].append(dem.id)
        slots_of[ins.id].add(slot)
        schools_of[ins.id].add(school.id)
        day_schools[(ins.id, slot.day)].add(school.id)
        if ins.employer is not None:
            by_emp_slot[(ins.employer, slot)].add(ins.id)
        by_dem_slot[(dem.id, slot)].add(ins.id)

    for (iid, slot), dems in by_ins_slot.items():
        if len(dems) > 1:
            out.append(Violation("H3", f"{iid} covers {len(dems)} seats in {slot}{at}: "
                                 f"{', '.join(dems)}", (iid, *dems)))
    for iid, slots in slots_of.items():
        cap = scenario.instructor_by_id[iid].capacity_in(period)
        if len(slots) > cap:
            out.append(Violation("H4", f"{iid} teaches {len(slots)} dayparts{at}, over "
                                 f"max_dayparts {cap}", (iid,)))
    for iid, schools in schools_of.items():
        mx = scenario.instructor_by_id[iid].max_schools
        if mx is not None and len(schools) > mx:
            out.append(Violation("H7", f"{iid} works at {len(schools)} schools{at}, over max_schools "
                                 f"{mx}", (iid, *sorted(schools))))
    limit = scenario.settings.same_day_max_km
    if limit is not None:
        for (iid, day), schools in day_schools.items():
            for a, b in combinations(sorted(schools), 2):
                km = scenario.km_schools(scenario.school_by_id[a], scenario.school_by_id[b])
                if km > limit:
                    out.append(Violation("H8", f"{iid} works at {a} and {b} on the same weekday "
                                         f"({day}){at}, {km} km apart, over same_day_max_km {limit:g}",
                                         (iid, a, b)))
    for (eid, slot), who in by_emp_slot.items():
        cap = scenario.employer_by_id[eid].max_absent_per_slot
        if cap is not None and len(who) > cap:
            out.append(Violation("H9", f"employer {eid} has {len(who)} instructors away in {slot}{at}, "
                                 f"over max_absent_per_slot {cap}", (eid, *sorted(who))))
    present = {(ins.id, dem.id, slot) for ins, dem, _, slot, _ in rows}
    for pin in scenario.pinned if claims_solution else ():
        if pin.period == period and pin.key[:3] not in present:
            out.append(Violation("H10", f"pinned ({pin.instructor}, {pin.demand}, {pin.slot}"
                                 f"{'' if period is None else ', ' + period}) is not in the plan",
                                 (pin.instructor, pin.demand)))
    for dem in scenario.demand_by_id.values():
        if dem.same_instructor != "hard":
            continue
        sets = [frozenset(by_dem_slot.get((dem.id, s), ())) for s in dem.slots]
        if any(sets) and (len(set(sets)) > 1 or len(sets[0]) != dem.instructors_needed):
            desc = "; ".join(f"{s}: {sorted(x)}" for s, x in zip(dem.slots, sets, strict=True))
            out.append(Violation("H11", f"hard-continuity demand {dem.id}{at} is neither fully covered "
                                 f"by the same {dem.instructors_needed} instructor(s) in every slot "
                                 f"nor empty ({desc})", (dem.id,)))
    for (did, slot), who in by_dem_slot.items():
        need = scenario.demand_by_id[did].instructors_needed
        if len(who) > need:
            out.append(Violation("H12", f"{did} {slot}{at} has {len(who)} instructors for {need} "
                                 "seat(s)", (did, *sorted(who))))


def objective_terms(scenario: Scenario, rows: list[Row]) -> dict[str, int]:
    """S1–S9, each signed as it enters the (maximised) objective (§4, §8).

    S1–S6 and S8 per period, times ``weeks(p)``; S7 per previous row; S9
    across consecutive periods. S8 is reported when its weight is set or
    the scenario has periods, S9 when it has periods.
    """
    w = scenario.settings.weights
    weeks = scenario.weeks
    terms = dict.fromkeys(("S1", "S2", "S3", "S4", "S5", "S6", "S8"), 0)
    for period, part in _by_period(scenario, rows):
        times = 1 if period is None else weeks[period]
        for name, value in _period_terms(scenario, period, part).items():
            terms[name] += times * value
    keys = {(ins.id, dem.id, slot, period) for ins, dem, _, slot, period in rows}
    terms["S7"] = -w.change * sum(1 for r in scenario.previous_plan
                                  if (r.instructor, r.demand, r.slot, r.period) not in keys)
    out = {k: terms[k] for k in ("S1", "S2", "S3", "S4", "S5", "S6", "S7")}
    if scenario.periods or w.reach:
        out["S8"] = terms["S8"]
    if scenario.periods:
        out["S9"] = -w.handover * _new_faces(scenario, rows)
    return out


def _period_terms(scenario: Scenario, period: str | None, rows: list[Row]) -> dict[str, int]:
    """S1–S6 and S8 of one period's rows, as §4 defines them (not yet times weeks)."""
    w = scenario.settings.weights
    s1 = sum(w.coverage * dem.priority for _, dem, _, _, _ in rows)
    visits = {(ins.id, school.id, slot.day) for ins, _, school, slot, _ in rows}
    s2 = -w.travel_km * sum(
        scenario.km_instructor_school(scenario.instructor_by_id[i], scenario.school_by_id[s])
        for i, s, _ in visits)
    who_by_demand: dict[str, set[str]] = defaultdict(set)
    for ins, dem, _, _, _ in rows:
        who_by_demand[dem.id].add(ins.id)
    s3 = -w.continuity * sum(
        max(0, len(who_by_demand.get(dem.id, ())) - dem.instructors_needed)
        for dem in scenario.demand_by_id.values() if dem.same_instructor == "soft")
    s4 = w.preference * sum(ins.preferences.get(school.id, 0) + school.preferences.get(ins.id, 0)
                            for ins, _, school, _, _ in rows)
    slots_of: dict[str, set[WeeklySlot]] = defaultdict(set)
    schools_of: dict[str, set[str]] = defaultdict(set)
    for ins, _, school, slot, _ in rows:
        slots_of[ins.id].add(slot)
        schools_of[ins.id].add(school.id)
    # S5 counts an instructor only in the periods they are released in
    released = [i for i in scenario.instructors if period is None or i.released(period)]
    s5 = -w.underuse * sum(max(0, ins.min_dayparts - len(slots_of.get(ins.id, ())))
                           for ins in released)
    s6 = -w.fragmentation * sum(max(0, len(schools_of.get(ins.id, ())) - 1)
                                for ins in scenario.instructors)
    s8 = w.reach * sum(scenario.school_by_id[s].reach
                       for s in {school.id for _, _, school, _, _ in rows})
    return {"S1": s1, "S2": s2, "S3": s3, "S4": s4, "S5": s5, "S6": s6, "S8": s8}


def _new_faces(scenario: Scenario, rows: list[Row]) -> int:
    """S9's count: instructors on a demand in period q who were not on it in the period before.

    Only the periods in which the demand runs are consecutive to each other,
    and only when it has rows in both.
    """
    who: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ins, dem, _, _, period in rows:
        who[(dem.id, period)].add(ins.id)
    count = 0
    for dem in scenario.demand_by_id.values():
        runs = [p.id for p in scenario.periods if dem.runs(p.id)]
        for p, q in pairwise(runs):
            before, after = who.get((dem.id, p)), who.get((dem.id, q))
            if before and after:
                count += len(after - before)
    return count
