"""Turning a selection of candidate triples into the plan's rows, seats and KPIs."""

from __future__ import annotations

import numpy as np

from wtmatch.assign.candidates import Candidates, slot_index, slot_of
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.reasons import PlanState, uncovered_reasons
from wtmatch.plan import Assignment, Kpis, ObjectiveParts, Plan, SolverInfo, UncoveredSeat


def assignment_rows(cands: Candidates, chosen: np.ndarray) -> list[Assignment]:
    """Plan rows, sorted by school, demand, slot and instructor."""
    pool = cands.pool
    rows = [Assignment(instructor=pool.instructor_ids[cands.i[p]],
                       demand=pool.demand_ids[cands.d[p]], school=pool.school_ids[cands.s[p]],
                       slot=slot_of(int(cands.t[p])))
            for p in np.asarray(chosen).tolist()]
    order = {d: k for k, d in enumerate(pool.demand_ids)}
    rows.sort(key=lambda a: (order[a.demand], a.slot, a.instructor))
    return rows


def uncovered_seats(cands: Candidates, chosen: np.ndarray, proven_optimal: bool
                    ) -> list[UncoveredSeat]:
    """Every empty seat of every demand slot, each with its reasons."""
    pool = cands.pool
    state = PlanState(cands, chosen)
    out = []
    for d, dem in enumerate(pool.scenario.demand_by_id.values()):
        for slot in dem.slots:
            t = slot_index(slot)
            filled = state.fill.get((d, t), 0)
            if filled >= dem.instructors_needed:
                continue
            reasons = uncovered_reasons(cands, state, d, t, proven_optimal)
            school = pool.school_ids[pool.d_school[d]]
            for seat in range(filled + 1, dem.instructors_needed + 1):
                out.append(UncoveredSeat(demand=dem.id, school=school, slot=slot, seat=seat,
                                         reasons=reasons))
    return out


def assign_kpis(cands: Candidates, chosen: np.ndarray) -> dict:
    """Coverage overall and per region, utilisation of instructors, travel."""
    pool = cands.pool
    sc = pool.scenario
    seats = np.zeros(len(pool.demand_ids), dtype=np.int64)
    for d, dem in enumerate(sc.demand_by_id.values()):
        seats[d] = len(dem.slots) * dem.instructors_needed
    chosen = np.asarray(chosen, dtype=np.int64)
    filled = np.bincount(cands.d[chosen], minlength=len(seats))
    total, got = int(seats.sum()), int(filled.sum())
    by_region: dict[str, list[int]] = {}
    for d in range(len(seats)):
        region = sc.schools[pool.d_school[d]].region or "(no region)"
        acc = by_region.setdefault(region, [0, 0])
        acc[0] += int(seats[d])
        acc[1] += int(filled[d])
    used = np.bincount(cands.i[chosen], minlength=len(pool.instructor_ids))
    cap = pool.capacity
    visits = np.unique(np.stack([cands.i[chosen], cands.s[chosen], cands.t[chosen] // 2]), axis=1)
    return {
        "seats": total, "seats_filled": got, "coverage_pct": _pct(got, total),
        "coverage_by_region": {r: _pct(f, s) for r, (s, f) in sorted(by_region.items())},
        "utilisation_pct": _pct(int(used.sum()), int(cap.sum())),
        "utilisation": {pool.instructor_ids[i]: _pct(int(used[i]), int(cap[i]))
                        for i in range(len(used))},
        "travel_km": int(pool.km[visits[0], visits[1]].sum()) if visits.size else 0,
    }


def _pct(a: int, b: int) -> float:
    return round(100.0 * a / b, 2) if b else 0.0



def feasible_plan(cands: Candidates, chosen: np.ndarray, solver: SolverInfo) -> Plan:
    """A part A plan (status feasible) of the candidate positions ``chosen``, every term exact."""
    terms = assign_terms(cands, chosen)
    objective = sum(terms.values())
    return Plan(scenario=cands.pool.scenario.name, status="feasible", objective=objective,
                objective_parts=ObjectiveParts(assign=objective), objective_terms=terms,
                assignments=assignment_rows(cands, chosen),
                uncovered=uncovered_seats(cands, chosen, False),
                kpis=Kpis(**assign_kpis(cands, chosen)), solver=solver)
