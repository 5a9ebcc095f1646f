"""iCalendar export: one ``.ics`` per person and per venue.

Events sit at the calendar's daypart clock times (Europe/Amsterdam), with
location, mode and who else takes part. Weekly teaching of part A appears
as a weekly recurring event over the school year, with the calendar's
blocked dates (holidays) excepted (``EXDATE``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from wtmatch.files import write_bytes
from wtmatch.plan import Plan
from wtmatch.scenario import Scenario
from wtmatch.scenario.time import DAYS

TZ = ZoneInfo("Europe/Amsterdam")


def _times(scenario: Scenario, date: dt.date, part: str) -> tuple[dt.datetime, dt.datetime]:
    a, b = scenario.calendar.daypart_times[part]
    return dt.datetime.combine(date, a, TZ), dt.datetime.combine(date, b, TZ)


def _event(uid: str, summary: str, start: dt.datetime, end: dt.datetime, location: str,
           description: str) -> Event:
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # stable files: same plan, same bytes
    ev.add("summary", summary)
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("location", location)
    ev.add("description", description)
    return ev


def calendars(scenario: Scenario, plan: Plan) -> dict[str, Calendar]:
    """One calendar per person id and per venue id that has something planned."""
    if scenario.calendar is None:
        return {}
    events: dict[str, list[Event]] = defaultdict(list)

    def place(venue: str | None) -> str:
        if venue is None:
            return "online"
        v = scenario.venue_by_id.get(venue)
        return f"{v.name or v.id}" if v else venue

    for row in plan.sessions:
        coh = scenario.cohort_by_id[row.cohort]
        ses = scenario.session_of(row.cohort, row.session)
        prog = scenario.programme_by_id[coh.programme]
        people = [*row.trainers, *coh.participants]
        first, last = min(row.slots), max(row.slots)
        start, _ = _times(scenario, first.date, first.part_name)
        _, end = _times(scenario, last.date, last.part_name)
        desc = (f"{prog.name or prog.id}, session {ses.id} of cohort {coh.id} ({ses.mode}).\n"
                f"Trainers: {', '.join(row.trainers)}\n"
                f"Participants: {', '.join(coh.participants)}")
        for who in (*people, *([row.venue] if row.venue else [])):
            events[who].append(_event(f"{coh.id}-{ses.id}-{who}@wtmatch", f"{prog.name or prog.id}"
                                      f": {ses.id} ({coh.id})", start, end, place(row.venue),
                                      desc))
    for row in plan.meetings:
        grp = scenario.group_by_id[row.group]
        start, end = _times(scenario, row.slot.date, row.slot.part_name)
        desc = (f"{grp.kind} {grp.name or grp.id}, meeting {row.index} of {grp.meetings} "
                f"({grp.mode}).\nMembers: {', '.join(grp.members)}")
        for who in (*grp.members, *([row.venue] if row.venue else [])):
            events[who].append(_event(f"{grp.id}-{row.index}-{who}@wtmatch",
                                      f"{grp.name or grp.id} #{row.index}", start, end,
                                      place(row.venue), desc))
    cal = scenario.calendar
    blocked = sorted(cal.blocked_dates())
    spans = {p.id: (p.from_, p.to) for p in scenario.periods}
    for a in plan.assignments:
        # a row of a period (§8) repeats within its period only
        begin, last = spans.get(a.period, (cal.start, cal.end))
        first = begin + dt.timedelta(days=(a.slot.day - begin.weekday()) % 7)
        if first > last:
            continue
        start, end = _times(scenario, first, a.slot.part_name)
        school = scenario.school_by_id.get(a.school)
        tag = "" if a.period is None else f"-{a.period}"
        ev = _event(f"{a.instructor}-{a.demand}-{a.slot}{tag}@wtmatch",
                    f"Teaching {a.demand} at {school.name if school else a.school}", start, end,
                    school.name if school else a.school,
                    f"Weekly teaching on {DAYS[a.slot.day]} {a.slot.part_name}.")
        until = dt.datetime.combine(last, dt.time(23, 59), TZ).astimezone(dt.UTC)
        ev.add("rrule", {"freq": "weekly", "until": until})
        # no teaching in the holidays: each blocked date of the series is excepted
        skipped = [_times(scenario, d, a.slot.part_name)[0] for d in blocked
                   if d.weekday() == a.slot.day and first <= d <= last]
        if skipped:
            ev.add("exdate", sorted(skipped))
        events[a.instructor].append(ev)
    out = {}
    for who, evs in events.items():
        c = Calendar()
        c.add("prodid", "-//wtmatch//plan//EN")
        c.add("version", "2.0")
        c.add("x-wr-calname", f"wtmatch: {who}")
        for ev in sorted(evs, key=lambda e: (e.decoded("dtstart"), str(e["uid"]))):
            c.add_component(ev)
        c.add_missing_timezones()
        out[who] = c
    return out


def write_ics(scenario: Scenario, plan: Plan, directory: str | Path) -> list[Path]:
    """Write one ``<id>.ics`` per person and venue into ``directory``; return the paths."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = []
    for who, cal in sorted(calendars(scenario, plan).items()):
        path = d / f"{re.sub(r'[^A-Za-z0-9._-]', '_', who)}.ics"
        write_bytes(path, cal.to_ical())
        paths.append(path)
    return paths


__all__ = ["calendars", "write_ics"]
