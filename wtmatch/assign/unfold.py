"""Part A over periods (DOMAIN.md §8) as one §4 problem of per-period copies.

§8 plans each period "as a §4 scenario of its own": H1–H12 hold within each
period, and S1–S6 and S8 are computed on each period's rows alone. So a
scenario with periods *unfolds* into one §4 scenario in which every
instructor released in period ``p``, every demand that runs in ``p``, every
school and every employer has a copy ``"<id>@<p>"``. Every per-period rule
then holds by construction, because no rule links two copies; what links
them is in :class:`PeriodCopies`: the multiplier ``weeks(p)`` of S1–S6 and
S8 and the pairs of demand copies of S9 (handover).

:func:`fold` turns the unfolded plan's rows back into rows of the scenario,
each with its period. This module imports no solver.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from wtmatch.plan import Assignment, Plan, UncoveredSeat
from wtmatch.result import Result
from wtmatch.scenario import AssignmentRef, Scenario, TravelOverride

SEP = "@"


def copy_id(ident: str, period: str) -> str:
    """The id of ``ident``'s copy in ``period``."""
    return f"{ident}{SEP}{period}"


@dataclass(frozen=True)
class PeriodCopies:
    """What ties the per-period copies of an unfolded scenario together.

    Attributes
    ----------
    periods : tuple of str
        Period ids in date order.
    weeks : dict of str to int
        ``weeks(p)`` of each period, the multiplier of S1–S6 and S8.
    origin : dict of str to (str, str)
        Copy id → (id in the scenario, period), for instructors, demands,
        schools and employers.
    handover : list of (str, str)
        (copy of demand d in p, copy of d in q) for consecutive periods p, q
        in which d runs (S9).
    """

    periods: tuple[str, ...]
    weeks: dict[str, int]
    origin: dict[str, tuple[str, str]] = field(default_factory=dict)
    handover: list[tuple[str, str]] = field(default_factory=list)

    def weeks_of(self, copy: str) -> int:
        """``weeks(p)`` of the period of a copy id."""
        return self.weeks[self.origin[copy][1]]

    def person(self, copy: str) -> str:
        """The scenario id of a copy (itself when it is no copy)."""
        got = self.origin.get(copy)
        return copy if got is None else got[0]

    def plain(self, text: str) -> str:
        """``text`` with the copies' period suffixes taken out (words about one period)."""
        suffix = re.compile("|".join(re.escape(SEP + p) for p in sorted(self.periods, key=len,
                                                                         reverse=True)) + r"\b")
        return suffix.sub("", text)


def unfold(scenario: Scenario, only: list[str] | None = None) -> Scenario:
    """The §4 scenario of per-period copies of a scenario with periods (part A only).

    Its :attr:`~wtmatch.scenario.Scenario.period_copies` says how the copies
    relate; it has no calendar and no part B. ``only`` keeps some periods
    (and their pins and previous rows): their objective is that of the rows
    of those periods, S9 between them included.
    """
    periods = [p.id for p in scenario.periods if only is None or p.id in only]
    weeks = scenario.weeks
    origin: dict[str, tuple[str, str]] = {}
    copies_of: dict[str, list[str]] = defaultdict(list)

    def copy(ident: str, p: str) -> str:
        c = copy_id(ident, p)
        origin[c] = (ident, p)
        copies_of[ident].append(c)
        return c

    employers = [e.model_copy(update={"id": copy(e.id, p)})
                 for p in periods for e in scenario.employers]
    released = {p: {i.id for i in scenario.instructors if i.released(p)} for p in periods}
    instructors = []
    for p in periods:
        for i in scenario.instructors:
            if i.id not in released[p]:
                continue
            instructors.append(i.model_copy(update={
                "id": copy(i.id, p), "available": i.weekly_slots(p), "periods": None,
                "employer": None if i.employer is None else copy_id(i.employer, p),
                "preferences": {copy_id(s, p): v for s, v in i.preferences.items()}}))
    schools = []
    for p in periods:
        for s in scenario.schools:
            demands = [d.model_copy(update={"id": copy(d.id, p), "periods": None})
                       for d in s.demands if d.runs(p)]
            schools.append(s.model_copy(update={
                "id": copy(s.id, p), "demands": demands,
                "preferences": {copy_id(i, p): v for i, v in s.preferences.items()
                                if i in released[p]}}))
    handover = []
    for s in scenario.schools:
        for d in s.demands:
            runs = [p for p in periods if d.runs(p)]
            handover += [(copy_id(d.id, a), copy_id(d.id, b))
                         for a, b in itertools.pairwise(runs)]

    def rows(refs: list[AssignmentRef]) -> list[AssignmentRef]:
        return [AssignmentRef(instructor=copy_id(r.instructor, r.period),
                              demand=copy_id(r.demand, r.period), slot=r.slot) for r in refs
                if r.period in periods]

    travel = []
    for t in scenario.travel_km:
        a, b = copies_of.get(t.from_), copies_of.get(t.to)
        for p in periods:
            ends = (copy_id(t.from_, p) if a else t.from_, copy_id(t.to, p) if b else t.to)
            if a or b:
                travel.append(TravelOverride(from_=ends[0], to=ends[1], km=t.km))
        if not (a or b):
            travel.append(t)
    out = Scenario.model_construct(
        format="wtmatch/2", name=scenario.name, settings=scenario.settings,
        employers=employers, instructors=instructors, schools=schools,
        pinned=rows(scenario.pinned), previous_plan=rows(scenario.previous_plan),
        travel_km=travel, calendar=None, trainers=[], participants=[], venues=[],
        programmes=[], cohorts=[], groups=[])
    out._period_copies = PeriodCopies(tuple(periods), dict(weeks), origin, handover)
    return out


def fold(scenario: Scenario, unfolded: Scenario, plan: Plan) -> Plan:
    """The plan of ``unfolded`` as a plan of ``scenario``: each row with its period (§8)."""
    pc = unfolded.period_copies
    assignments = []
    for a in plan.assignments:
        ins, p = pc.origin[a.instructor]
        assignments.append(Assignment(instructor=ins, demand=pc.person(a.demand),
                                      school=pc.person(a.school), slot=a.slot, period=p))
    # A seat's reasons speak of its own period only: the copies' suffixes go.
    uncovered = [UncoveredSeat(demand=pc.person(u.demand),
                               school=None if u.school is None else pc.person(u.school),
                               slot=u.slot, seat=u.seat, period=pc.origin[u.demand][1],
                               reasons=[r.model_copy(update={
                                   "items": [pc.person(x) for x in r.items],
                                   "message": pc.plain(r.message)}) for r in u.reasons])
                 for u in plan.uncovered]
    return plan.model_copy(update={
        "format": "wtmatch-plan/2", "scenario": scenario.name, "assignments": assignments,
        "uncovered": uncovered, "kpis": _folded_kpis(scenario, unfolded, plan)})


def period_view(scenario: Scenario, period: str) -> Scenario:
    """One period of a scenario as a scenario without periods, in the scenario's own ids.

    Instructors not released then stay (as people, for part B and for
    references) without a slot to teach; demands that do not run then, and
    pins and previous rows of other periods, are left out.
    """
    data = scenario.model_dump(mode="json", by_alias=True)
    data["calendar"]["periods"] = []
    for ins, raw in zip(scenario.instructors, data["instructors"], strict=True):
        raw.update(available=[str(t) for t in ins.weekly_slots(period)], periods=None)
        if not ins.released(period):
            raw.update(min_dayparts=0, max_dayparts=None)
    for sch, raw in zip(scenario.schools, data["schools"], strict=True):
        raw["demands"] = [{**d, "periods": None} for dem, d in zip(sch.demands, raw["demands"],
                                                                   strict=True)
                          if dem.runs(period)]
    for section in ("pinned", "previous_plan"):
        data[section] = [{k: v for k, v in r.items() if k != "period"}
                         for r in data.get(section, []) if r.get("period") == period]
    return Scenario.model_validate(data)


def rows_of(plan: Plan, period: str) -> Plan:
    """The plan's rows of one period, without their period (a plan of :func:`period_view`)."""
    return plan.model_copy(update={"assignments": [
        a.model_copy(update={"period": None}) for a in plan.assignments if a.period == period]})


def on_copies(plan: Plan) -> Plan:
    """A plan of a scenario with periods as a plan of its unfolded scenario (rows of copies)."""
    return plan.model_copy(update={"assignments": unfold_rows(plan.assignments)})


def fold_result(scenario: Scenario, unfolded: Scenario, result: Result) -> Result:
    """:func:`fold` of a result: its plan and scenario are the scenario's."""
    return replace(result, plan=fold(scenario, unfolded, result.plan), scenario=scenario)


def unfold_rows(rows: list[Assignment]) -> list[Assignment]:
    """Plan rows of a scenario with periods as rows of its unfolded scenario."""
    return [Assignment(instructor=copy_id(r.instructor, r.period or ""),
                       demand=copy_id(r.demand, r.period or ""),
                       school=copy_id(r.school, r.period or ""), slot=r.slot) for r in rows]


def _folded_kpis(scenario: Scenario, unfolded: Scenario, plan: Plan):
    """The KPIs per instructor of the scenario, plus coverage per period."""
    pc = unfolded.period_copies
    used: dict[str, set] = defaultdict(set)
    for a in plan.assignments:
        used[a.instructor].add(a.slot)
    slots = dict.fromkeys((x.id for x in scenario.instructors), 0)
    caps = dict(slots)
    for i in unfolded.instructors:
        person = pc.person(i.id)
        slots[person] += len(used.get(i.id, ()))
        caps[person] += i.capacity
    seats: dict[str, int] = defaultdict(int)
    filled: dict[str, int] = defaultdict(int)
    for d in unfolded.demand_by_id.values():
        seats[pc.origin[d.id][1]] += len(d.slots) * d.instructors_needed
    for a in plan.assignments:
        filled[pc.origin[a.demand][1]] += 1
    return plan.kpis.model_copy(update={
        "utilisation": {i: _pct(slots[i], caps[i]) for i in slots},
        "coverage_by_period": {p: _pct(filled[p], seats[p]) for p in pc.periods}})


def _pct(a: int, b: int) -> float:
    return round(100.0 * a / b, 2) if b else 0.0
