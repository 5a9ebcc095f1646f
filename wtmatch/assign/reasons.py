"""Why a seat is uncovered, and why pins cannot hold: solver-free analysis.

Reasons come from the candidates and the plan alone, in the order a planner
would look: nobody has the skill; nobody with it is free then; candidates
exist but are filtered out (qualification, distance, regions, capacity);
candidates exist but are used elsewhere — named, with where they went.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from wtmatch.assign.candidates import MODE_HARD, Candidates, Pool, slot_index, slot_of
from wtmatch.plan import Reason

_SHOW = 6  # names listed in a message before "and N more"


def _names(ids: list[str]) -> str:
    head = ", ".join(ids[:_SHOW])
    return head + (f" and {len(ids) - _SHOW} more" if len(ids) > _SHOW else "")


class PlanState:
    """What the plan does with every instructor, for explanations."""

    def __init__(self, cands: Candidates, chosen: np.ndarray) -> None:
        pool = cands.pool
        self.cands = cands
        self.at: dict[tuple[int, int], int] = {}            # (i, t) -> demand
        self.used = np.zeros(len(pool.instructor_ids), dtype=np.int64)
        self.schools: dict[int, set[int]] = defaultdict(set)
        self.day_schools: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.emp_count: dict[tuple[int, int], int] = defaultdict(int)
        self.fill: dict[tuple[int, int], int] = defaultdict(int)
        for p in np.asarray(chosen).tolist():
            i, d, t, s = (int(cands.i[p]), int(cands.d[p]), int(cands.t[p]), int(cands.s[p]))
            self.at[(i, t)] = d
            self.used[i] += 1
            self.schools[i].add(s)
            self.day_schools[(i, t // 2)].add(s)
            e = int(pool.employer[i])
            if e >= 0:
                self.emp_count[(e, t)] += 1
            self.fill[(d, t)] += 1


def uncovered_reasons(cands: Candidates, state: PlanState, d: int, t: int,
                      proven_optimal: bool) -> list[Reason]:
    """Reasons why demand ``d`` has empty seats in teaching slot ``t``."""
    pool = cands.pool
    sc = pool.scenario
    dem = sc.demand_by_id[pool.demand_ids[d]]
    slot = slot_of(t)
    ids = pool.instructor_ids
    k = pool.d_skill[d]
    able = pool.level[:, k] >= pool.d_min_level[d]
    skilled = np.flatnonzero(able & (pool.i_period == pool.d_period[d]))
    away = _not_released(pool, able, skilled, d)
    if away is not None and len(skilled) == 0:
        return [away]
    if len(skilled) == 0:
        best = int(pool.level[:, k].max()) if len(ids) else 0
        lower = f" (the best level in the pool is {best})" if best else ""
        return [Reason(code="no_skill", message=f"nobody in the pool has {dem.skill} at level "
                       f"≥ {dem.min_level}{lower}")]
    free = skilled[pool.available[skilled, t]]
    if len(free) == 0:
        names = [ids[i] for i in skilled]
        return [Reason(code="no_availability", items=names,
                       message=f"{len(names)} instructor(s) have {dem.skill} ≥ {dem.min_level} "
                               f"({_names(names)}), but none is available on {slot}"),
                *([] if away is None else [away])]
    reasons: list[Reason] = []
    s = int(pool.d_school[d])
    school_id = pool.school_ids[s]
    groups: dict[str, list[str]] = defaultdict(list)
    eligible: list[int] = []
    hard = pool.d_mode[d] == MODE_HARD
    for i in free.tolist():
        if pool.d_qualified[d] and not pool.qualified[i]:
            groups["unqualified"].append(ids[i])
        elif pool.km[i, s] > pool.max_travel[i]:
            groups["too_far"].append(f"{ids[i]} ({pool.km[i, s]} km > {pool.max_travel[i]:g})")
        elif not pool.region_ok[i, s]:
            groups["outside_regions"].append(ids[i])
        elif pool.capacity[i] == 0 or pool.max_schools[i] == 0:
            groups["no_capacity"].append(ids[i])
        elif hard and (pool.d_slots[d] & ~pool.available[i]).any():
            groups["not_all_slots"].append(ids[i])
        else:
            eligible.append(i)
    words = {
        "unqualified": "the demand requires a qualified teacher; not qualified",
        "too_far": f"school {school_id} is beyond their max_travel_km",
        "outside_regions": f"school {school_id}'s region is outside their regions",
        "no_capacity": "they take no dayparts or no schools",
        "not_all_slots": "the demand needs the same people in all its slots "
                         f"({', '.join(map(str, dem.slots))}); not free in all of them",
    }
    for code, who in groups.items():
        reasons.append(Reason(code=code, items=[w.split(" ")[0] for w in who],
                              message=f"{words[code]}: {_names(who)}"))
    for i in eligible:
        reasons.append(why_not(cands, state, i, d, t))
    if not eligible and not reasons:
        reasons.append(Reason(code="no_candidate", message="no instructor can take this seat"))
    if away is not None:
        reasons.append(away)
    if eligible and not proven_optimal:
        reasons.append(Reason(code="search_stopped", message="the search stopped before proving "
                              "that no better plan exists; a longer time limit may fill this seat"))
    return _merge(reasons)


def _not_released(pool: Pool, able: np.ndarray, here: np.ndarray, d: int) -> Reason | None:
    """People with the skill who teach in other periods but are not released in d's (§8)."""
    pc = pool.scenario.period_copies
    if pc is None:
        return None
    present = set(pool.i_person[here].tolist())
    names = list(dict.fromkeys(pc.person(pool.instructor_ids[i]) for i in np.flatnonzero(able)
                               if int(pool.i_person[i]) not in present))
    if not names:
        return None
    period = pc.periods[int(pool.d_period[d])]
    return Reason(code="not_released", items=names,
                  message=f"not released in {period}: {_names(names)}")


def why_not(cands: Candidates, state: PlanState, i: int, d: int, t: int) -> Reason:
    """Why eligible instructor ``i`` does not take demand ``d`` in slot ``t``."""
    pool = cands.pool
    ids, dids, sids = pool.instructor_ids, pool.demand_ids, pool.school_ids
    s = int(pool.d_school[d])
    who = ids[i]
    other = state.at.get((i, t))
    if other is not None and other != d:
        return Reason(code="used_elsewhere", items=[who],
                      message=f"{who} teaches {dids[other]} at {sids[pool.d_school[other]]} then")
    if state.used[i] >= pool.capacity[i]:
        return Reason(code="at_capacity", items=[who],
                      message=f"{who} already teaches their max_dayparts ({pool.capacity[i]})")
    if s not in state.schools[i] and len(state.schools[i]) >= pool.max_schools[i]:
        return Reason(code="max_schools", items=[who],
                      message=f"{who} already works at their max_schools "
                              f"({', '.join(sids[x] for x in sorted(state.schools[i]))})")
    e = int(pool.employer[i])
    if e >= 0 and state.emp_count[(e, t)] >= pool.employer_cap[e]:
        return Reason(code="employer_cap", items=[who],
                      message=f"{who}'s employer {pool.employer_ids[e]} already releases "
                              f"{pool.employer_cap[e]} instructor(s) on {slot_of(t)}")
    limit = pool.scenario.settings.same_day_max_km
    if limit is not None:
        for o in sorted(state.day_schools[(i, t // 2)]):
            if o != s and pool.school_km[s, o] > limit:
                return Reason(code="same_day_distance", items=[who],
                              message=f"{who} already works at {sids[o]} that day, "
                                      f"{pool.school_km[s, o]} km away (> {limit:g})")
    if pool.d_mode[d] == MODE_HARD:
        return Reason(code="hard_continuity", items=[who],
                      message=f"{who} could teach here, but the demand needs "
                              f"{pool.d_needed[d]} instructor(s) in all its slots at once, "
                              "and no such team is free")
    return Reason(code="not_worth_it", items=[who],
                  message=f"{who} could teach here, but the plan scores higher without it "
                          "(travel, continuity or fragmentation costs)")


def _merge(reasons: list[Reason]) -> list[Reason]:
    """One reason per code, naming everyone it applies to."""
    by_code: dict[str, list[Reason]] = {}
    for r in reasons:
        by_code.setdefault(r.code, []).append(r)
    out = []
    for code, rs in by_code.items():
        if len(rs) == 1:
            out.append(rs[0])
        else:
            items = [x for r in rs for x in r.items]
            out.append(Reason(code=code, items=items,
                              message="; ".join(r.message for r in rs[:_SHOW])
                              + (f"; and {len(rs) - _SHOW} more" if len(rs) > _SHOW else "")))
    return out


def ineligible_pin_reasons(pool: Pool, instructor: str, demand: str, slot) -> list[str]:
    """The rules an (instructor, demand, slot) triple breaks on its own."""
    sc = pool.scenario
    pc = sc.period_copies
    if pc is not None and (instructor not in pool.instructor_pos or demand not in pool.demand_pos):
        # a copy that does not exist: not released, or the demand does not run then
        who, period = instructor.rsplit("@", 1)
        return [f"H13: {who} is not released in {period}" if instructor not in pool.instructor_pos
                else f"H13: {demand.rsplit('@', 1)[0]} does not run in {period}"]
    i, d = pool.instructor_pos[instructor], pool.demand_pos[demand]
    dem = sc.demand_by_id[demand]
    ins = sc.instructor_by_id[instructor]
    out = []
    if pool.level[i, pool.d_skill[d]] < pool.d_min_level[d]:
        out.append(f"H1: {instructor} has {dem.skill} at level {ins.skills.get(dem.skill, 0)}, "
                   f"below {dem.min_level}")
    if slot not in ins.available:
        out.append(f"H2: {instructor} is not available on {slot}")
    if pool.d_qualified[d] and not pool.qualified[i]:
        out.append(f"H5: {demand} requires a qualified instructor")
    s = int(pool.d_school[d])
    if pool.km[i, s] > pool.max_travel[i]:
        out.append(f"H6: {pool.school_ids[s]} is {pool.km[i, s]} km away, beyond "
                   f"{pool.max_travel[i]:g} km")
    if not pool.region_ok[i, s]:
        out.append(f"H6: {pool.school_ids[s]} is outside {instructor}'s regions")
    if pool.capacity[i] == 0:
        out.append(f"H4: {instructor} takes no dayparts")
    if pool.max_schools[i] == 0:
        out.append(f"H7: {instructor} takes no schools")
    if pool.d_mode[d] == MODE_HARD:
        missing = [str(x) for x in dem.slots if x not in ins.available]
        if missing:
            out.append(f"H11: {demand} needs the same instructor in all its slots; "
                       f"{instructor} is not available on {', '.join(missing)}")
    return out


def rules_between(cands: Candidates, positions: list[int]) -> list[str]:
    """Which hard rules a set of triples breaks together (for conflicting pins)."""
    pool = cands.pool
    out: list[str] = []
    i = cands.i[positions]
    d = cands.d[positions]
    t = cands.t[positions]
    s = cands.s[positions]
    ids, dids = pool.instructor_ids, pool.demand_ids
    for key, rule, text in (((i, t), "H3", "one instructor, two seats in one slot"),
                            ((d, t), "H12", "more instructors than seats")):
        pairs = defaultdict(list)
        for n, k in enumerate(zip(*(a.tolist() for a in key), strict=True)):
            pairs[k].append(n)
        for k, ns in pairs.items():
            # H3 counts an instructor's seats (demands), H12 a seat's instructors.
            if rule == "H3":
                over = len({int(d[n]) for n in ns}) > 1
            else:
                over = len({int(i[n]) for n in ns}) > int(pool.d_needed[k[0]])
            if over:
                out.append(f"{rule}: {text} ({slot_of(k[1])})")
    for ins in np.unique(i).tolist():
        mine = i == ins
        if len(np.unique(t[mine])) > pool.capacity[ins]:
            out.append(f"H4: {ids[ins]} is pinned to more than max_dayparts "
                       f"({pool.capacity[ins]})")
        if len(np.unique(s[mine])) > pool.max_schools[ins]:
            out.append(f"H7: {ids[ins]} is pinned to more than max_schools "
                       f"({pool.max_schools[ins]})")
        limit = pool.scenario.settings.same_day_max_km
        if limit is not None:
            for day in np.unique(t[mine] // 2).tolist():
                ss = np.unique(s[mine & (t // 2 == day)])
                if len(ss) > 1 and (pool.school_km[np.ix_(ss, ss)] > limit).any():
                    out.append(f"H8: {ids[ins]} is pinned to schools too far apart on one day")
    emp = pool.employer[i]
    for e, tt in {(int(a), int(b)) for a, b in zip(emp.tolist(), t.tolist(), strict=True)
                  if a >= 0}:
        n = len({int(x) for x in i[(emp == e) & (t == tt)].tolist()})
        if n > pool.employer_cap[e]:
            out.append(f"H9: employer {pool.employer_ids[e]} releases at most "
                       f"{pool.employer_cap[e]} on {slot_of(tt)}")
    for dd in np.unique(d).tolist():
        if pool.d_mode[dd] == MODE_HARD:
            out.append(f"H11: {dids[dd]} needs the same {pool.d_needed[dd]} instructor(s) in "
                       "all its slots")
    return out


__all__ = ["PlanState", "ineligible_pin_reasons", "rules_between", "slot_index",
           "uncovered_reasons"]
