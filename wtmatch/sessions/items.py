"""What part B schedules, with every option pruned before any solver sees it.

Time is a daypart index ``q = 3 · (date − calendar.start).days + part``, so
two dayparts of one date are consecutive, dates are 3 apart, and gaps in
calendar days are ``q // 3`` differences. A session or meeting occupies the
dayparts ``[q, q + dayparts)``; a two-daypart session starts in the morning.

An item's domain holds the start dayparts that pass every rule that does not
depend on a choice: school days, allowed parts, and the unavailability and
weekly teaching of the people who always attend (participants, members).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm

from wtmatch.plan import Assignment
from wtmatch.scenario import DatedSlot, Scenario, WeeklySlot
from wtmatch.scenario.time import PARTS


@dataclass
class Item:
    """A cohort session or a group meeting to place."""

    kind: str                         # "session" | "meeting"
    key: tuple[str, str | int]        # (cohort, session id) or (group, index)
    label: str
    size: int                         # dayparts occupied
    hours: Fraction
    physical: bool
    attendees: tuple[str, ...]        # fixed people: participants or members
    headcount: int                    # for venue capacity (participants + trainers, or members)
    value: int                        # S20 when scheduled
    domain: list[int]                 # allowed start dayparts q
    trainers_needed: int = 0
    certified: tuple[str, ...] = ()   # trainers certified for the programme
    trainees: tuple[str, ...] = ()    # trainee-only trainers
    venues: tuple[str, ...] = ()      # venues big enough
    after: int | None = None          # index of the item this one follows
    min_gap: int = 0
    max_gap: int | None = None
    previous_meeting: int | None = None   # for meetings 2..n: the one before
    spacing: int = 0
    why_empty: list[str] = field(default_factory=list)


@dataclass
class Year:
    """The calendar as daypart indices, and who is blocked when."""

    scenario: Scenario
    start: dt.date
    days: list[dt.date]                    # school days
    study: set[int]                        # day numbers of study days
    blocked: dict[str, set[int]]           # person/venue id -> blocked dayparts q
    hour_scale: int                        # hours × scale are integers

    def q_of(self, slot: DatedSlot) -> int:
        return 3 * (slot.date - self.start).days + slot.part

    def slot_of(self, q: int) -> DatedSlot:
        return DatedSlot(self.start + dt.timedelta(days=q // 3), q % 3)

    def day_of(self, q: int) -> int:
        return q // 3


def build_year(scenario: Scenario, assignments: list[Assignment]) -> Year:
    """Calendar indexing and the blocked dayparts of every person and venue.

    ``assignments`` are the weekly teaching rows (part A's plan): each blocks
    its instructor's weekly slot on every date (H22) — with periods (§8), on
    the dates of its period only.
    """
    cal = scenario.calendar
    assert cal is not None
    days = cal.school_days()
    start = cal.start
    dn = [(d - start).days for d in days]
    blocked: dict[str, set[int]] = {}
    teaching: dict[str, set[WeeklySlot]] = {}
    dated_teaching: dict[str, set[DatedSlot]] = {}
    by_period = {p.id: [d for d in days if p.holds(d)] for p in scenario.periods}
    for a in assignments:
        if a.period is None:
            teaching.setdefault(a.instructor, set()).add(a.slot)
        else:
            dated_teaching.setdefault(a.instructor, set()).update(
                DatedSlot(d, a.slot.part) for d in by_period.get(a.period, ())
                if d.weekday() == a.slot.day)
    for pid, person in scenario.persons.items():
        weekly = set(person.weekly_unavailable) | teaching.get(pid, set())
        dated = set(person.unavailable) | dated_teaching.get(pid, set())
        qs = _blocked_q(days, dn, weekly, dated)
        if qs:
            blocked[pid] = qs
    for venue in scenario.venues:
        weekly = {r for r in venue.unavailable if isinstance(r, WeeklySlot)}
        qs = _blocked_q(days, dn, weekly, set(venue.unavailable) - weekly)
        if qs:
            blocked[venue.id] = qs
    hours = [s.duration_hours for p in scenario.programmes for s in p.sessions]
    hours += [g.hours for g in scenario.groups]
    hours += [p.max_hours for p in scenario.persons.values() if p.max_hours is not None]
    scale = 1
    for h in hours:
        scale = lcm(scale, Fraction(str(h)).denominator)
    return Year(scenario, start, days, {(d - start).days for d in cal.study_days}, blocked,
                scale)


def _blocked_q(days, dn, weekly, dated) -> set[int]:
    out = set()
    dated_days = {d for d in dated if isinstance(d, dt.date) and not isinstance(d, DatedSlot)}
    for d, n in zip(days, dn, strict=True):
        wd = d.weekday()
        for part in range(3):
            if (WeeklySlot(wd, part) in weekly or d in dated_days
                    or DatedSlot(d, part) in dated):
                out.add(3 * n + part)
    return out


def build_items(scenario: Scenario, year: Year) -> list[Item]:
    """Every cohort session and group meeting, with its pruned domain and options."""
    w = scenario.settings.weights
    items: list[Item] = []
    starts_all = [3 * (d - year.start).days for d in year.days]
    index_of: dict[tuple[str, str], int] = {}
    for coh in scenario.cohorts:
        prog = scenario.programme_by_id[coh.programme]
        certified = tuple(t.id for t in scenario.trainers if prog.id in t.certified)
        trainees = tuple(t.id for t in scenario.trainers
                         if prog.id in t.trainee and prog.id not in t.certified)
        for ses in prog.sessions:
            parts = {PARTS.index(p) for p in ses.parts}
            size = ses.dayparts
            # Two dayparts are the morning and afternoon of one date, both in its parts.
            allowed = ([0] if {0, 1} <= parts else []) if size == 2 else sorted(parts)
            head = len(coh.participants) + ses.trainers
            item = Item(
                kind="session", key=(coh.id, ses.id), label=f"session {coh.id}/{ses.id}",
                size=size, hours=Fraction(str(ses.duration_hours)),
                physical=ses.mode == "physical", attendees=tuple(coh.participants),
                headcount=head, value=w.session * coh.priority, domain=[],
                trainers_needed=ses.trainers, certified=certified, trainees=trainees,
                venues=tuple(v.id for v in scenario.venues if v.capacity >= head)
                if ses.mode == "physical" else (),
                min_gap=ses.min_gap_days, max_gap=ses.max_gap_days)
            item.domain = _domain(year, starts_all, allowed, size, item.attendees, item)
            index_of[(coh.id, ses.id)] = len(items)
            items.append(item)
        for ses in prog.sessions:
            if ses.after is not None:
                items[index_of[(coh.id, ses.id)]].after = index_of[(coh.id, ses.after)]
    for grp in scenario.groups:
        parts = sorted(PARTS.index(p) for p in grp.parts)
        first = len(items)
        for j in range(1, grp.meetings + 1):
            item = Item(
                kind="meeting", key=(grp.id, j), label=f"meeting {grp.id}#{j}", size=1,
                hours=Fraction(str(grp.hours)), physical=grp.mode == "physical",
                attendees=tuple(grp.members), headcount=len(grp.members), value=w.meeting,
                domain=[], venues=tuple(v.id for v in scenario.venues
                                        if v.capacity >= len(grp.members))
                if grp.mode == "physical" else (),
                previous_meeting=len(items) - 1 if j > 1 else None,
                spacing=grp.min_spacing_days)
            if j == 1:
                item.domain = _domain(year, starts_all, parts, 1, item.attendees, item)
            else:
                item.domain = list(items[first].domain)
            items.append(item)
    return items


def _domain(year: Year, day_starts: list[int], parts, size: int, attendees, item: Item
            ) -> list[int]:
    """Start dayparts allowed by the calendar, the parts and the fixed attendees."""
    blocked = set()
    for p in attendees:
        blocked |= year.blocked.get(p, set())
    out = []
    for base in day_starts:
        for part in parts:
            q = base + part
            if all((q + k) not in blocked for k in range(size)):
                out.append(q)
    if not out:
        if not parts:
            item.why_empty.append("a two-daypart session takes the morning and afternoon of a "
                                  "date, and its parts do not allow both")
        elif not day_starts:
            item.why_empty.append("the calendar has no school day")
        else:
            who = [p for p in attendees if year.blocked.get(p)]
            item.why_empty.append(
                "no school day in its parts where all its people are free"
                + (f" (calendars of {', '.join(who[:6])} never leave a common slot)" if who
                   else ""))
    return out


def allowed_starts(domain: list[int], size: int, blocked: set[int]) -> list[int]:
    """Starts of ``domain`` whose dayparts avoid ``blocked``."""
    return [q for q in domain if all(q + k not in blocked for k in range(size))]
