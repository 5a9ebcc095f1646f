"""Why a plan is what it is: per demand (who was considered, why each seat is empty) and
per instructor (what they got, what stopped each school they prefer).

Solver-free: the candidates of part A and the plan's rows are all it reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wtmatch.assign.candidates import Candidates, Pool, build_candidates, slot_index, slot_of
from wtmatch.assign.reasons import (
    PlanState,
    ineligible_pin_reasons,
    uncovered_reasons,
    why_not,
)
from wtmatch.assign.unfold import copy_id, on_copies, unfold
from wtmatch.errors import WtmatchError
from wtmatch.plan import Plan, Reason
from wtmatch.scenario import Scenario, WeeklySlot


@dataclass
class PlanView:
    """The candidates of a scenario and the positions a plan chose among them."""

    cands: Candidates
    chosen: np.ndarray
    state: PlanState
    proven: bool
    holders: dict[tuple[str, WeeklySlot], list[str]]   # (demand, slot) -> instructors

    @classmethod
    def of(cls, scenario: Scenario, plan: Plan) -> PlanView:
        cands = build_candidates(Pool.of(scenario))
        pos = cands.find_rows(plan.assignments)
        unknown = [a for a, p in zip(plan.assignments, pos, strict=True) if p is None]
        if unknown:
            a = unknown[0]
            raise WtmatchError(f"the plan does not fit the scenario: assignment ({a.instructor}, "
                               f"{a.demand}, {a.slot}) is not eligible in it (check the plan "
                               f"with `wtmatch check`)")
        chosen = np.array(sorted(pos), dtype=np.int64)
        holders: dict[tuple[str, WeeklySlot], list[str]] = {}
        for a in plan.assignments:
            holders.setdefault((a.demand, a.slot), []).append(a.instructor)
        return cls(cands, chosen, PlanState(cands, chosen), plan.status == "optimal",
                   {k: sorted(v) for k, v in holders.items()})


@dataclass
class CandidateNote:
    """One eligible instructor of a demand slot and what the plan did with them."""

    instructor: str
    slot: WeeklySlot
    assigned: bool
    reason: Reason | None = None
    demand: str = ""

    def __str__(self) -> str:
        if self.assigned:
            return f"{self.instructor} on {self.slot}: assigned here"
        return f"{self.instructor} on {self.slot}: {self.reason.message}"


@dataclass
class SlotStory:
    """One slot of a demand: who covers it, and for empty seats why."""

    slot: WeeklySlot
    needed: int
    covered_by: list[str]
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class DemandExplanation:
    """Why a demand is covered as it is.

    Attributes
    ----------
    demand, school : str
    slots : list of SlotStory
        Per slot: the instructors covering it; for empty seats, the reasons
        of part A (no skill, nobody free, filtered out, used elsewhere …).
    candidates : list of CandidateNote
        Every instructor eligible for one of its slots (H1, H2, H5, H6) and
        what the plan did with them.
    """

    demand: str
    school: str
    slots: list[SlotStory]
    candidates: list[CandidateNote]
    period: str | None = None

    @property
    def uncovered(self) -> int:
        return sum(max(0, s.needed - len(s.covered_by)) for s in self.slots)

    def __str__(self) -> str:
        when = "" if self.period is None else f" in {self.period}"
        lines = [f"demand {self.demand} at {self.school}{when}: "
                 + (f"{self.uncovered} seat(s) uncovered" if self.uncovered else "fully covered")]
        for s in self.slots:
            who = ", ".join(s.covered_by) or "nobody"
            lines.append(f"  {s.slot}: {len(s.covered_by)}/{s.needed} covered ({who})")
            lines += [f"    - {r.message}" for r in s.reasons]
        lines.append(f"  candidates considered: {len(self.candidates)}")
        lines += [f"    {c}" for c in self.candidates]
        return "\n".join(lines)


def explain_demand(scenario: Scenario, plan: Plan, demand: str,
                   view: PlanView | None = None, period: str | None = None) -> DemandExplanation:
    """Explain the coverage of one demand in a plan.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
    demand : str
        A demand id of the scenario.
    view : PlanView, optional
        Reused across calls on the same scenario and plan (without periods).
    period : str, optional
        With periods (DOMAIN.md §8), the period to explain; required then.

    Returns
    -------
    DemandExplanation

    Raises
    ------
    WtmatchError
        When the demand id is unknown, or the period missing or not one it runs in.
    """
    if demand not in scenario.demand_by_id:
        raise WtmatchError(f"no demand {demand!r} in the scenario")
    if scenario.periods and scenario.period_copies is None:
        dem = scenario.demand_by_id[demand]
        _check_period(scenario, period, dem.runs, f"demand {demand!r} does not run")
        unfolded, on = unfold(scenario), on_copies(plan)
        got = explain_demand(unfolded, on, copy_id(demand, period), PlanView.of(unfolded, on))
        return _plain_demand(got, unfolded.period_copies, period)
    view = view or PlanView.of(scenario, plan)
    cands, state = view.cands, view.state
    pool = cands.pool
    d = pool.demand_pos[demand]
    dem = scenario.demand_by_id[demand]
    slots, notes = [], []
    for slot in dem.slots:
        t = slot_index(slot)
        covered = view.holders.get((demand, slot), [])
        reasons = (uncovered_reasons(cands, state, d, t, view.proven)
                   if len(covered) < dem.instructors_needed else [])
        slots.append(SlotStory(slot, dem.instructors_needed, covered, reasons))
        for p in np.flatnonzero((cands.d == d) & (cands.t == t)).tolist():
            i = int(cands.i[p])
            who = pool.instructor_ids[i]
            if who in covered:
                notes.append(CandidateNote(who, slot, True))
            else:
                notes.append(CandidateNote(who, slot, False, why_not(cands, state, i, d, t)))
    return DemandExplanation(demand, scenario.school_of_demand[demand].id, slots, notes)


@dataclass
class SchoolNote:
    """Why an instructor does not teach at a school they prefer."""

    school: str
    preference: int
    reasons: list[str]

    def __str__(self) -> str:
        return f"{self.school} (preference {self.preference:+d}): " + "; ".join(self.reasons)


@dataclass
class InstructorExplanation:
    """What an instructor got, and what stopped each school they prefer.

    Attributes
    ----------
    instructor : str
    assignments : list of (demand, school, slot)
    used, capacity : int
        Distinct weekly slots taught, and ``max_dayparts``.
    schools : list of str
    preferred : list of SchoolNote
        Each school with a positive preference (theirs) that they do not
        teach at, with the reasons per demand and slot.
    other_seats : list of CandidateNote
        Every other seat they are eligible for (H1, H2, H5, H6), and why the
        plan does not give it to them.
    near_misses : list of str
        When no seat is open to them: the demand slots in their skills that
        break the fewest rules, with those rules.
    """

    instructor: str
    assignments: list[tuple[str, str, WeeklySlot]]
    used: int
    capacity: int
    schools: list[str]
    preferred: list[SchoolNote]
    other_seats: list[CandidateNote] = field(default_factory=list)
    near_misses: list[str] = field(default_factory=list)
    period: str | None = None

    def __str__(self) -> str:
        when = "" if self.period is None else f" in {self.period}"
        lines = [f"instructor {self.instructor}{when}: {self.used}/{self.capacity} dayparts at "
                 f"{len(self.schools)} school(s) ({', '.join(self.schools) or 'none'})"]
        lines += [f"  {slot}: {d} at {s}" for d, s, slot in self.assignments]
        if self.preferred:
            lines.append("  preferred schools without them:")
            lines += [f"    {n}" for n in self.preferred]
        if self.other_seats:
            lines.append(f"  other seats they are eligible for ({len(self.other_seats)}):")
            lines += [f"    {c.slot} {c.demand}: {c.reason.message}" for c in self.other_seats]
        elif not self.assignments:
            lines.append("  no seat of any demand is open to them; the nearest misses:")
            lines += [f"    {m}" for m in self.near_misses] or ["    none of their skills "
                                                                "is asked for"]
        return "\n".join(lines)


def explain_instructor(scenario: Scenario, plan: Plan, instructor: str,
                       view: PlanView | None = None,
                       period: str | None = None) -> InstructorExplanation:
    """Explain an instructor's part of a plan.

    For every school the instructor prefers (preference > 0) and does not
    teach at, each of its demand slots is examined: the rules that rule the
    triple out on its own (skill, availability, qualification, distance,
    regions), or, when eligible, what the plan does instead (taken elsewhere
    in that slot, at capacity, max schools, the seat filled by others …).

    With periods (DOMAIN.md §8) ``period`` names the period to explain.

    Raises
    ------
    WtmatchError
        When the instructor id is unknown, or the period missing or not one
        they are released in.
    """
    ins = scenario.instructor_by_id.get(instructor)
    if ins is None:
        raise WtmatchError(f"no instructor {instructor!r} in the scenario")
    if scenario.periods and scenario.period_copies is None:
        _check_period(scenario, period, ins.released, f"{instructor} is not released")
        unfolded, on = unfold(scenario), on_copies(plan)
        got = explain_instructor(unfolded, on, copy_id(instructor, period),
                                 PlanView.of(unfolded, on))
        return _plain_instructor(got, unfolded.period_copies, period)
    view = view or PlanView.of(scenario, plan)
    cands, state = view.cands, view.state
    pool = cands.pool
    i = pool.instructor_pos[instructor]
    mine = sorted(((a.demand, a.school, a.slot) for a in plan.assignments
                   if a.instructor == instructor), key=lambda r: (r[2], r[0]))
    schools = sorted({s for _, s, _ in mine})
    notes = []
    for school_id, pref in sorted(ins.preferences.items(), key=lambda kv: (-kv[1], kv[0])):
        if pref > 0 and school_id in scenario.school_by_id and school_id not in schools:
            notes.append(SchoolNote(school_id, pref,
                                    why_not_at_school(scenario, plan, view, instructor, school_id)))
    others = []
    taken = {(d, slot) for d, _, slot in mine}
    for p in np.flatnonzero(cands.i == i).tolist():
        d, t = int(cands.d[p]), int(cands.t[p])
        slot = slot_of(t)
        if (pool.demand_ids[d], slot) not in taken:
            others.append(CandidateNote(instructor, slot, False, why_not(cands, state, i, d, t),
                                        demand=pool.demand_ids[d]))
    misses = [] if others or mine else _near_misses(scenario, pool, instructor)
    return InstructorExplanation(instructor, mine, int(state.used[i]), int(pool.capacity[i]),
                                 schools, notes, others, misses)


def _check_period(scenario: Scenario, period: str | None, holds, what: str) -> None:
    names = [p.id for p in scenario.periods]
    if period is None:
        raise WtmatchError(f"the scenario has periods ({', '.join(names)}): name one")
    if period not in names:
        raise WtmatchError(f"{period!r} is not a period of the scenario ({', '.join(names)})")
    if not holds(period):
        raise WtmatchError(f"{what} in {period}")


def _plain_reason(r: Reason, pc) -> Reason:
    return r.model_copy(update={"message": pc.plain(r.message),
                                "items": [pc.person(x) for x in r.items]})


def _plain_note(n: CandidateNote, pc) -> CandidateNote:
    return CandidateNote(pc.person(n.instructor), n.slot, n.assigned,
                         None if n.reason is None else _plain_reason(n.reason, pc),
                         pc.person(n.demand) if n.demand else n.demand)


def _plain_demand(e: DemandExplanation, pc, period: str) -> DemandExplanation:
    """An explanation on per-period copies in the scenario's own ids, for ``period``."""
    slots = [SlotStory(s.slot, s.needed, [pc.person(x) for x in s.covered_by],
                       [_plain_reason(r, pc) for r in s.reasons]) for s in e.slots]
    return DemandExplanation(pc.person(e.demand), pc.person(e.school), slots,
                             [_plain_note(n, pc) for n in e.candidates], period)


def _plain_instructor(e: InstructorExplanation, pc, period: str) -> InstructorExplanation:
    return InstructorExplanation(
        pc.person(e.instructor), [(pc.person(d), pc.person(s), t) for d, s, t in e.assignments],
        e.used, e.capacity, [pc.person(s) for s in e.schools],
        [SchoolNote(pc.person(n.school), n.preference, [pc.plain(r) for r in n.reasons])
         for n in e.preferred],
        [_plain_note(n, pc) for n in e.other_seats], [pc.plain(m) for m in e.near_misses],
        period)


def _near_misses(scenario: Scenario, pool: Pool, instructor: str, show: int = 5) -> list[str]:
    """Demand slots in the instructor's skills, fewest broken rules first."""
    skills = scenario.instructor_by_id[instructor].skills
    found = []
    for dem in scenario.demand_by_id.values():
        if dem.skill not in skills:
            continue
        for slot in dem.slots:
            broken = ineligible_pin_reasons(pool, instructor, dem.id, slot)
            if broken:
                found.append((len(broken), dem.id, str(slot), broken))
    found.sort(key=lambda f: f[:3])
    return [f"{d} {slot}: {'; '.join(b)}" for _, d, slot, b in found[:show]]


def why_not_at_school(scenario: Scenario, plan: Plan, view: PlanView, instructor: str,
                      school: str) -> list[str]:
    """Why ``instructor`` teaches none of ``school``'s seats: one line per demand slot."""
    cands, state = view.cands, view.state
    pool = cands.pool
    i = pool.instructor_pos[instructor]
    sch = scenario.school_by_id[school]
    if not sch.demands:
        return ["the school has no demands"]
    reasons = []
    for dem in sch.demands:
        for slot in dem.slots:
            broken = ineligible_pin_reasons(pool, instructor, dem.id, slot)
            if broken:
                reasons.append(f"{dem.id} {slot}: {'; '.join(broken)}")
                continue
            d, t = pool.demand_pos[dem.id], slot_index(slot)
            holders = view.holders.get((dem.id, slot), [])
            why = why_not(cands, state, i, d, t)
            if why.code == "not_worth_it" and len(holders) >= dem.instructors_needed:
                reasons.append(f"{dem.id} {slot}: the seat is taken by {', '.join(holders)}")
            else:
                reasons.append(f"{dem.id} {slot}: {why.message}")
    return reasons
