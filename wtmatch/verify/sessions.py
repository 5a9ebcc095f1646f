"""Checker for part B: hard rules H20–H27 and objective terms S20–S24.

Written directly from DOMAIN.md §5 with plain loops over the plan's rows.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from wtmatch.plan import Plan
from wtmatch.scenario import Cohort, DatedSlot, Group, Scenario, Session, WeeklySlot
from wtmatch.scenario.time import part_index
from wtmatch.verify.verdict import Violation


@dataclass(frozen=True)
class _Thing:
    """A session or meeting as the rules see it."""

    label: str
    slots: tuple[DatedSlot, ...]
    people: tuple[str, ...]        # distinct persons present
    headcount: int                 # for venue capacity
    hours: float
    parts: tuple[str, ...]
    physical: bool
    venue: str | None


def check(scenario: Scenario, plan: Plan, out: list[Violation]) -> dict[str, int]:
    """Append violations of H20–H27 and return S20–S24."""
    w = scenario.settings.weights
    terms = {"S20": 0, "S21": 0, "S22": 0, "S23": 0, "S24": 0}
    if not plan.sessions and not plan.meetings:
        return terms
    cal = scenario.calendar
    if cal is None:
        out.append(Violation("PLAN", "the plan schedules sessions or meetings but the scenario "
                             "has no calendar"))
        return terms
    days = set(cal.school_days())
    study_days = set(cal.study_days)
    things: list[_Thing] = []

    # -- cohort sessions --------------------------------------------------
    placed: dict[tuple[str, str], tuple[DatedSlot, ...]] = {}
    for k, row in enumerate(plan.sessions):
        coh = scenario.cohort_by_id.get(row.cohort)
        ses = scenario.session_of(row.cohort, row.session) if coh else None
        if ses is None:
            out.append(Violation("PLAN", f"sessions[{k}]: {row.cohort!r}/{row.session!r} is not a "
                                 "session of a cohort of the scenario", (row.cohort, row.session)))
            continue
        label = f"session {row.cohort}/{row.session}"
        if (row.cohort, row.session) in placed:
            out.append(Violation("H20", f"{label} is scheduled more than once",
                                 (row.cohort, row.session)))
            continue
        slots = tuple(sorted(row.slots))
        if not _shape_ok(ses, slots):
            need = "one slot" if ses.dayparts == 1 else "the morning and afternoon of one date"
            out.append(Violation("PLAN", f"{label}: a {ses.dayparts}-daypart session needs {need}, "
                                 f"got {[str(s) for s in slots]}", (row.cohort, row.session)))
            continue
        placed[(row.cohort, row.session)] = slots
        _check_trainers(scenario, coh, ses, row.trainers, label, out)
        participants = tuple(coh.participants)
        people = tuple(dict.fromkeys((*participants, *row.trainers)))
        things.append(_Thing(label, slots, people, len(participants) + len(row.trainers),
                             ses.duration_hours, tuple(ses.parts), ses.mode == "physical",
                             row.venue))
        terms["S20"] += w.session * coh.priority
        if ses.mode == "physical" and slots[0].date in study_days:
            terms["S21"] += w.study_day
        if any(_is_trainee(scenario, t, coh.programme) for t in set(row.trainers)):
            terms["S22"] += w.trainee
        venue = scenario.venue_by_id.get(row.venue) if row.venue else None
        if ses.mode == "physical" and venue is not None:
            for t in dict.fromkeys(row.trainers):
                tr = scenario.trainer_by_id.get(t)
                if tr is not None:
                    terms["S23"] -= w.trainer_km * scenario.km_trainer_venue(tr, venue)
    _check_order(scenario, placed, out)

    # -- group meetings ----------------------------------------------------
    by_group: dict[str, list[tuple[DatedSlot, int]]] = defaultdict(list)
    for k, row in enumerate(plan.meetings):
        grp = scenario.group_by_id.get(row.group)
        if grp is None:
            out.append(Violation("PLAN", f"meetings[{k}]: unknown group {row.group!r}", (row.group,)))
            continue
        label = f"meeting {row.group}#{row.index}"
        if row.index > grp.meetings:
            out.append(Violation("H20", f"{label}: group {grp.id} meets only {grp.meetings} times",
                                 (grp.id,)))
            continue
        if any(i == row.index for _, i in by_group[grp.id]):
            out.append(Violation("H20", f"{label} is scheduled more than once", (grp.id,)))
            continue
        by_group[grp.id].append((row.slot, row.index))
        things.append(_Thing(label, (row.slot,), tuple(grp.members), len(grp.members), grp.hours,
                             tuple(grp.parts), grp.mode == "physical", row.venue))
        terms["S20"] += w.meeting
    for gid, meetings in by_group.items():
        terms["S24"] -= _check_rhythm(cal, scenario.group_by_id[gid], sorted(meetings), out) * w.spread

    _check_calendar_and_availability(scenario, things, days, out)
    _check_clashes(scenario, plan, things, out)
    _check_venues(scenario, things, out)
    _check_budgets(scenario, things, out)
    return terms


def _shape_ok(ses: Session, slots: tuple[DatedSlot, ...]) -> bool:
    if ses.dayparts == 1:
        return len(slots) == 1
    return (len(slots) == 2 and slots[0].date == slots[1].date
            and slots[0].part == part_index("morning") and slots[1].part == part_index("afternoon"))


def _is_trainee(scenario: Scenario, trainer: str, programme: str) -> bool:
    # A trainer certified for the programme counts as certified (S22).
    tr = scenario.trainer_by_id.get(trainer)
    return tr is not None and programme in tr.trainee and programme not in tr.certified


def _check_trainers(scenario: Scenario, coh: Cohort, ses: Session, trainers: list[str],
                    label: str, out: list[Violation]) -> None:
    """H24: exactly ``trainers`` distinct qualified trainers, at least one certified."""
    distinct = list(dict.fromkeys(trainers))
    if len(distinct) != len(trainers) or len(distinct) != ses.trainers:
        out.append(Violation("H24", f"{label} needs exactly {ses.trainers} distinct trainer(s), "
                             f"has {trainers}", (coh.id, ses.id, *distinct)))
    certified = 0
    for t in distinct:
        tr = scenario.trainer_by_id.get(t)
        if tr is None:
            out.append(Violation("H24", f"{label}: {t!r} is not a trainer", (coh.id, ses.id, t)))
        elif coh.programme in tr.certified:
            certified += 1
        elif coh.programme not in tr.trainee:
            out.append(Violation("H24", f"{label}: trainer {t} is neither certified nor trainee "
                                 f"for programme {coh.programme}", (coh.id, ses.id, t)))
    if distinct and certified == 0:
        out.append(Violation("H24", f"{label}: no certified trainer (a trainee never delivers "
                             "alone)", (coh.id, ses.id, *distinct)))


def _check_order(scenario: Scenario, placed: dict[tuple[str, str], tuple[DatedSlot, ...]],
                 out: list[Violation]) -> None:
    """H21: a session follows its ``after`` session within the gap window."""
    for (cid, sid), slots in placed.items():
        ses = scenario.session_of(cid, sid)
        if ses is None or ses.after is None:
            continue
        before = placed.get((cid, ses.after))
        label = f"session {cid}/{sid}"
        if before is None:
            out.append(Violation("H21", f"{label} is scheduled but {ses.after}, which it follows, "
                                 "is not", (cid, sid, ses.after)))
            continue
        gap = (slots[0].date - before[-1].date).days
        start_gap = (slots[0].date - before[0].date).days
        if start_gap < ses.min_gap_days or (ses.max_gap_days is not None
                                            and start_gap > ses.max_gap_days):
            hi = "∞" if ses.max_gap_days is None else ses.max_gap_days
            out.append(Violation("H21", f"{label} starts {start_gap} days after {ses.after}, "
                                 f"outside [{ses.min_gap_days}, {hi}]", (cid, sid, ses.after)))
        elif gap == 0 and start_gap == 0 and slots[0].part <= before[-1].part:
            out.append(Violation("H21", f"{label} is on the same day as {ses.after} but does not "
                                 "start in a later daypart than it ends", (cid, sid, ses.after)))


def _check_rhythm(cal, grp: Group, meetings: list[tuple[DatedSlot, int]],
                  out: list[Violation]) -> int:
    """H27 and the index order; returns the S24 shortfall (unweighted)."""
    ideal = (cal.end - cal.start).days // grp.meetings
    shortfall = 0
    indices = [i for _, i in meetings]
    if indices != sorted(indices):
        out.append(Violation("PLAN", f"group {grp.id}: meeting indices {indices} are not in date "
                             "order", (grp.id,)))
    for (a, _), (b, _) in itertools.pairwise(meetings):
        gap = (b.date - a.date).days
        if gap < grp.min_spacing_days:
            out.append(Violation("H27", f"group {grp.id} meets on {a} and {b}, {gap} days apart, "
                                 f"under min_spacing_days {grp.min_spacing_days}", (grp.id,)))
        shortfall += max(0, ideal - gap)
    return shortfall


def _check_calendar_and_availability(scenario: Scenario, things: list[_Thing], days: set,
                                     out: list[Violation]) -> None:
    """H23 (and the calendar): school days, allowed parts, people's and venues' time."""
    for th in things:
        for slot in th.slots:
            if slot.date not in days:
                out.append(Violation("H23", f"{th.label}: {slot.date} is not a school day of the "
                                     "calendar (weekend, blocked or outside start–end)"))
            if slot.part_name not in th.parts:
                out.append(Violation("H23", f"{th.label}: {slot.part_name} is not among its parts "
                                     f"{list(th.parts)}"))
            for p in th.people:
                if scenario.person_unavailable(p, slot):
                    out.append(Violation("H23", f"{th.label}: {p} is unavailable in {slot}", (p,)))
            venue = scenario.venue_by_id.get(th.venue) if th.venue else None
            if venue is not None and scenario.venue_unavailable(venue, slot):
                out.append(Violation("H23", f"{th.label}: venue {venue.id} is unavailable in "
                                     f"{slot}", (venue.id,)))


def _check_clashes(scenario: Scenario, plan: Plan, things: list[_Thing],
                   out: list[Violation]) -> None:
    """H22: nobody in two things in one dated slot; weekly teaching blocks its slots.

    With periods (§8) a row blocks its weekly slot only on the dates of its period.
    """
    teaching: dict[str, set[tuple[WeeklySlot, str | None]]] = defaultdict(set)
    for a in plan.assignments:
        teaching[a.instructor].add((a.slot, a.period))
    periods = scenario.periods

    def period_of(day) -> str | None:
        return next((q.id for q in periods if q.holds(day)), "") if periods else None
    where: dict[tuple[str, DatedSlot], list[str]] = defaultdict(list)
    for th in things:
        for slot in th.slots:
            for p in th.people:
                where[(p, slot)].append(th.label)
    for (p, slot), labels in where.items():
        wd = slot.date.weekday()
        teaches = wd < 5 and (WeeklySlot(wd, slot.part), period_of(slot.date)) \
            in teaching.get(p, ())
        if len(labels) > 1 or teaches:
            what = labels + (["weekly teaching"] if teaches else [])
            out.append(Violation("H22", f"{p} is in {len(what)} things in {slot}: "
                                 f"{', '.join(what)}", (p,)))


def _check_venues(scenario: Scenario, things: list[_Thing], out: list[Violation]) -> None:
    """H25: physical things get one big-enough venue, a venue hosts one thing per slot."""
    hosted: dict[tuple[str, DatedSlot], list[str]] = defaultdict(list)
    for th in things:
        if not th.physical:
            if th.venue is not None:
                out.append(Violation("H25", f"{th.label} is online but has venue {th.venue}",
                                     (th.venue,)))
            continue
        venue = scenario.venue_by_id.get(th.venue) if th.venue else None
        if venue is None:
            out.append(Violation("H25", f"{th.label} is physical but has "
                                 f"{'no venue' if th.venue is None else f'unknown venue {th.venue!r}'}"))
            continue
        if venue.capacity < th.headcount:
            out.append(Violation("H25", f"{th.label}: venue {venue.id} holds {venue.capacity}, "
                                 f"{th.headcount} people come", (venue.id,)))
        for slot in th.slots:
            hosted[(venue.id, slot)].append(th.label)
    for (vid, slot), labels in hosted.items():
        if len(labels) > 1:
            out.append(Violation("H25", f"venue {vid} hosts {len(labels)} things in {slot}: "
                                 f"{', '.join(labels)}", (vid,)))


def _check_budgets(scenario: Scenario, things: list[_Thing], out: list[Violation]) -> None:
    """H26: hours attended or delivered within ``max_hours`` (teaching not counted)."""
    hours: dict[str, float] = defaultdict(float)
    for th in things:
        for p in th.people:
            hours[p] += th.hours
    for pid, h in hours.items():
        person = scenario.persons.get(pid)
        if person is not None and person.max_hours is not None and h > person.max_hours + 1e-9:
            out.append(Violation("H26", f"{pid} spends {h:g} h, over max_hours "
                                 f"{person.max_hours:g}", (pid,)))
