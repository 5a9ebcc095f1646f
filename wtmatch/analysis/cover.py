"""Absences: who can stand in for someone on one day, and how deep each seat's backup is.

"X is ill on Tuesday": each seat X teaches that weekday gets a ranked list of
stand-ins. A stand-in is eligible for the seat (skill, qualification,
availability, travel and regions: H1, H2, H5, H6), free in that slot (no
weekly teaching then, no session or meeting of the year on that date and
part, not unavailable that date), and keeps the rules of that day (their
employer may release one more, H9; a second school that day is near
enough, H8). The least disruption comes first: someone already at that
school that day, then someone already teaching that day, then by distance;
going over their weekly dayparts or number of schools for one day is
allowed but said, and ranks lower.

:func:`backup_depth` counts, for every seat of a plan, the eligible
instructors free in its slot: a seat with none is one nobody could take over.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from wtmatch.assign.candidates import Pool, build_candidates, slot_index
from wtmatch.assign.unfold import period_view, rows_of
from wtmatch.errors import WtmatchError
from wtmatch.plan import Assignment, Plan
from wtmatch.scenario import Scenario, WeeklySlot
from wtmatch.scenario.time import DAYS, DatedSlot


@dataclass(frozen=True)
class StandIn:
    """One instructor who could take a seat for the day, and what it would take."""

    instructor: str
    km: int
    notes: tuple[str, ...]      # what it costs: none for a stand-in who changes nothing else

    def __str__(self) -> str:
        extra = f" — {'; '.join(self.notes)}" if self.notes else ""
        return f"{self.instructor} ({self.km} km){extra}"


@dataclass
class SeatCover:
    """A seat of the absent instructor that day, and its stand-ins, best first."""

    seat: Assignment
    stand_ins: list[StandIn] = field(default_factory=list)
    why_nobody: list[str] = field(default_factory=list)


@dataclass
class Cover:
    """The absent instructor's seats on ``date`` and who can take each."""

    absent: str
    date: dt.date
    seats: list[SeatCover]

    def __str__(self) -> str:
        if not self.seats:
            return f"{self.absent} teaches nothing on {self.date} ({DAYS[self.date.weekday()]})"
        lines = [f"{self.absent} is away on {self.date}: {len(self.seats)} seat(s) to cover"]
        for sc in self.seats:
            a = sc.seat
            lines.append(f"  {a.demand} at {a.school} {a.slot}:")
            if sc.stand_ins:
                lines += [f"    {k}. {s}" for k, s in enumerate(sc.stand_ins, 1)]
            else:
                lines.append(f"    nobody can take it: {'; '.join(sc.why_nobody) or 'no candidate'}")
        return "\n".join(lines)


def cover(scenario: Scenario, plan: Plan, absent: str, on: dt.date, top: int = 5) -> Cover:
    """Rank stand-ins for each seat ``absent`` teaches on the date ``on``.

    Raises
    ------
    WtmatchError
        When ``absent`` is not an instructor of the scenario, or ``on`` is
        not a weekday.
    """
    if absent not in scenario.instructor_by_id:
        raise WtmatchError(f"not an instructor of the scenario: {absent}")
    if on.weekday() > 4:
        raise WtmatchError(f"{on} is a {on.strftime('%A')}: nobody teaches then")
    if scenario.periods:
        # §8: the weekly pattern of the period that holds the date; none outside every period
        period = next((p.id for p in scenario.periods if p.holds(on)), None)
        if period is None:
            return Cover(absent, on, [])
        return cover(period_view(scenario, period), rows_of(plan, period), absent, on, top)
    pool = Pool.of(scenario)
    cands = build_candidates(pool)
    teaching: dict[tuple[str, WeeklySlot], Assignment] = {(a.instructor, a.slot): a
                                                          for a in plan.assignments}
    day_schools: dict[str, set[str]] = defaultdict(set)
    week_slots: dict[str, set[WeeklySlot]] = defaultdict(set)
    schools_of: dict[str, set[str]] = defaultdict(set)
    for a in plan.assignments:
        week_slots[a.instructor].add(a.slot)
        schools_of[a.instructor].add(a.school)
        if a.slot.day == on.weekday():
            day_schools[a.instructor].add(a.school)
    busy_dated = _busy_on(scenario, plan, on)
    seats = [a for a in plan.assignments if a.instructor == absent and a.slot.day == on.weekday()]
    out = []
    for seat in sorted(seats, key=lambda a: (a.slot.part, a.demand)):
        options, nobody = [], []
        t = cands.find(absent, seat.demand, seat.slot)
        d = pool.demand_pos[seat.demand]
        for pos in _candidates_for(cands, d, seat.slot):
            who = pool.instructor_ids[cands.i[pos]]
            if who == absent or pos == t:
                continue
            why = _why_not(scenario, who, seat, on, teaching, day_schools, busy_dated, plan, absent)
            if why:
                nobody.append(f"{who}: {why}")
                continue
            notes = []
            ins = scenario.instructor_by_id[who]
            if len(week_slots[who] | {seat.slot}) > ins.capacity:
                notes.append(f"one daypart over their max_dayparts ({ins.capacity}) this week")
            if seat.school not in schools_of[who] and ins.max_schools is not None \
                    and len(schools_of[who]) + 1 > ins.max_schools:
                notes.append(f"a school beyond their max_schools ({ins.max_schools})")
            km = scenario.km_instructor_school(ins, scenario.school_by_id[seat.school])
            rank = (seat.school not in day_schools[who], not day_schools[who], len(notes), km, who)
            options.append((rank, StandIn(who, km, tuple(notes))))
        options.sort(key=lambda r: r[0])
        out.append(SeatCover(seat, [s for _, s in options[:top]], [] if options else nobody))
    return Cover(absent, on, out)


def backup_depth(scenario: Scenario, plan: Plan) -> dict[tuple[str, str, str], int]:
    """For every seat (instructor, demand, slot) of the plan: eligible instructors free then.

    Free means no weekly teaching in that slot; the seat's own instructor is
    not counted. Zero: nobody could take the seat over. With periods (§8) a
    seat taught in several periods gets its smallest depth.
    """
    pool = Pool.of(scenario)
    cands = build_candidates(pool)
    pc = pool.scenario.period_copies

    def copy(ident: str, period: str | None) -> str:
        return ident if pc is None or period is None else f"{ident}@{period}"

    busy = {(copy(a.instructor, a.period), a.slot) for a in plan.assignments}
    out: dict[tuple[str, str, str], int] = {}
    for a in plan.assignments:
        d = pool.demand_pos.get(copy(a.demand, a.period))
        if d is None:
            continue
        me = copy(a.instructor, a.period)
        free = {pool.instructor_ids[cands.i[p]] for p in _candidates_for(cands, d, a.slot)}
        free = {w for w in free if w != me and (w, a.slot) not in busy}
        key = (a.instructor, a.demand, str(a.slot))
        out[key] = min(len(free), out.get(key, len(free)))
    return out


def _candidates_for(cands, d: int, slot: WeeklySlot) -> list[int]:
    """Candidate positions of demand ``d`` in ``slot``."""
    if slot.part > 1:
        return []           # an evening: no teaching slot
    t = slot_index(slot)
    return [int(p) for p in ((cands.d == d) & (cands.t == t)).nonzero()[0]]


def _busy_on(scenario: Scenario, plan: Plan, on: dt.date) -> dict[str, set[int]]:
    """Dayparts of ``on`` each person spends in a session or meeting, or is unavailable."""
    out: dict[str, set[int]] = defaultdict(set)
    for s in plan.sessions:
        for slot in s.slots:
            if slot.date == on:
                coh = scenario.cohort_by_id.get(s.cohort)
                for who in (*s.trainers, *(coh.participants if coh else ())):
                    out[who].add(slot.part)
    for m in plan.meetings:
        if m.slot.date == on:
            grp = scenario.group_by_id.get(m.group)
            for who in grp.members if grp else ():
                out[who].add(m.slot.part)
    for pid, person in scenario.persons.items():
        for ref in person.unavailable:
            if isinstance(ref, DatedSlot) and ref.date == on:
                out[pid].add(ref.part)
            elif isinstance(ref, dt.date) and not isinstance(ref, DatedSlot) and ref == on:
                out[pid].update({0, 1, 2})
        for w in person.weekly_unavailable:
            if w.day == on.weekday():
                out[pid].add(w.part)
    return out


def _why_not(scenario: Scenario, who: str, seat: Assignment, on: dt.date, teaching,
             day_schools, busy_dated, plan: Plan, absent: str) -> str | None:
    """Why ``who`` cannot take ``seat`` that day, or None."""
    if (who, seat.slot) in teaching:
        other = teaching[(who, seat.slot)]
        return f"teaches {other.demand} at {other.school} then"
    if seat.slot.part in busy_dated.get(who, set()):
        return f"busy on {on} {('morning', 'afternoon', 'evening')[seat.slot.part]} (the year's plan)"
    ins = scenario.instructor_by_id[who]
    emp = scenario.employer_by_id.get(ins.employer or "")
    if emp is not None and emp.max_absent_per_slot is not None:
        away = {a.instructor for a in plan.assignments if a.slot == seat.slot
                and a.instructor != absent
                and scenario.instructor_by_id[a.instructor].employer == emp.id}
        if len(away) + 1 > emp.max_absent_per_slot:
            return f"employer {emp.id} releases no one more then (H9)"
    limit = scenario.settings.same_day_max_km
    if limit is not None:
        school = scenario.school_by_id[seat.school]
        for other in day_schools.get(who, set()) - {seat.school}:
            km = scenario.km_schools(school, scenario.school_by_id[other])
            if km > limit:
                return f"{other} the same day is {km} km away (H8)"
    return None
