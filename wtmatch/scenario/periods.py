"""The rules of DOMAIN.md §8 (periods) and §9 (versions) on a raw scenario document.

Like :mod:`wtmatch.scenario.references`, these run on the document as loaded
(dicts and lists), tolerating malformed items, so that one pass reports them
together with every other problem of the file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from wtmatch.errors import Problem
from wtmatch.scenario.references import _items, _str

V2_WEIGHTS = ("reach", "handover")
ROW_SECTIONS = ("pinned", "previous_plan")


def version_problems(data: Any) -> list[Problem]:
    """Each v2 field a ``"format": "wtmatch/1"`` file uses, named by its path (§9).

    A field set to null is not used (a dumped v1 model writes its v2 fields so).
    """
    if not isinstance(data, dict) or data.get("format") != "wtmatch/1":
        return []
    found: list[str] = []
    cal = data.get("calendar")
    if isinstance(cal, dict) and cal.get("periods"):
        found.append("calendar.periods")
    for i, ins in _items(data, "instructors"):
        if ins.get("periods") is not None:
            found.append(f"instructors[{i}].periods")
        if isinstance(ins.get("available"), dict):
            found.append(f"instructors[{i}].available")
    for i, sch in _items(data, "schools"):
        if "reach" in sch:
            found.append(f"schools[{i}].reach")
        for j, dem in _items(sch, "demands"):
            if dem.get("periods") is not None:
                found.append(f"schools[{i}].demands[{j}].periods")
    for section in ROW_SECTIONS:
        for i, row in _items(data, section):
            if row.get("period") is not None:
                found.append(f"{section}[{i}].period")
    for i, prog in _items(data, "programmes"):
        if prog.get("grants") is not None:
            found.append(f"programmes[{i}].grants")
    settings = data.get("settings")
    weights = settings.get("weights") if isinstance(settings, dict) else None
    if isinstance(weights, dict):
        found += [f"settings.weights.{w}" for w in V2_WEIGHTS if w in weights]
    return [Problem(path, 'a wtmatch/2 field in a file that says "format": "wtmatch/1" '
                          '(write "format": "wtmatch/2" to use it)') for path in found]


def strip_v2_fields(doc: dict) -> dict:
    """A dumped v1 scenario without the v2 fields its models add (in place; returned).

    A v1 file must read back as v1 (§9): the defaults of v2 fields are not
    written into it.
    """
    cal = doc.get("calendar")
    if isinstance(cal, dict):
        cal.pop("periods", None)
    for ins in doc.get("instructors", ()):
        ins.pop("periods", None)
    for sch in doc.get("schools", ()):
        sch.pop("reach", None)
        for dem in sch.get("demands", ()):
            dem.pop("periods", None)
    for section in ROW_SECTIONS:
        for row in doc.get(section, ()):
            row.pop("period", None)
    for prog in doc.get("programmes", ()):
        prog.pop("grants", None)
    weights = doc.get("settings", {}).get("weights")
    if isinstance(weights, dict):
        for w in V2_WEIGHTS:
            weights.pop(w, None)
    return doc


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _periods(cal: dict, out: list[Problem]) -> list[str]:
    """The calendar's period ids, after checking each period's dates (§8)."""
    # An empty list is a calendar without periods (as a scenario without them writes it).
    start, end = _date(cal.get("start")), _date(cal.get("end"))
    blocked = []
    for _, b in _items(cal, "blocked"):
        f, t = _date(b.get("from")), _date(b.get("to"))
        if f is not None and t is not None:
            blocked.append((f, t))
    ids: list[str] = []
    spans: list[tuple[dt.date, dt.date, int]] = []
    for k, per in _items(cal, "periods"):
        path = f"calendar.periods[{k}]"
        pid = _str(per.get("id"))
        if pid is not None:
            if pid in ids:
                out.append(Problem(f"{path}.id", f"period id {pid!r} is used twice"))
            else:
                ids.append(pid)
        f, t = _date(per.get("from")), _date(per.get("to"))
        if f is None or t is None or t < f:
            continue  # field validation names it
        if start is not None and end is not None and (f < start or t > end):
            out.append(Problem(path, f"{f}..{t} is not within the calendar {start}..{end}"))
            continue
        if not _has_school_day(f, t, blocked):
            out.append(Problem(path, f"{f}..{t} holds no school day (weekday not blocked)"))
        spans.append((f, t, k))
    spans.sort()
    for (_, t1, k1), (f2, _, k2) in itertools.pairwise(spans):
        if f2 <= t1:
            out.append(Problem(f"calendar.periods[{k2}]",
                               f"overlaps calendar.periods[{k1}] (from {f2}, which is not "
                               f"after its end {t1})"))
    return ids


def _has_school_day(first: dt.date, last: dt.date, blocked: list) -> bool:
    day = first
    while day <= last:
        if day.weekday() < 5 and not any(f <= day <= t for f, t in blocked):
            return True
        day += dt.timedelta(days=1)
    return False


def period_problems(data: Any) -> list[Problem]:
    """Every §8 problem of a raw document: period ids, dates, rows and their periods."""
    out: list[Problem] = []
    if not isinstance(data, dict):
        return out
    cal = data.get("calendar")
    ids = _periods(cal, out) if isinstance(cal, dict) else []
    known = set(ids)
    has_periods = isinstance(cal, dict) and isinstance(cal.get("periods"), list) \
        and bool(cal.get("periods"))

    def check_id(path: str, value: Any) -> None:
        if not isinstance(value, str) or value in known:
            return
        if has_periods:
            out.append(Problem(path, f"{value!r} is not a period id (known: {', '.join(ids)})"))
        else:
            out.append(Problem(path, f"{value!r} is not a period id: the calendar has no "
                                     "periods (calendar.periods)"))

    for i, ins in _items(data, "instructors"):
        p = f"instructors[{i}]"
        for k, pid in enumerate(ins.get("periods") or ()):
            check_id(f"{p}.periods[{k}]", pid)
        avail = ins.get("available")
        if isinstance(avail, dict):
            if ins.get("periods") is not None:
                out.append(Problem(f"{p}.periods", "'periods' beside the mapping form of "
                                                   "'available', which already names them"))
            for pid, slots in avail.items():
                check_id(f"{p}.available.{pid}", pid)
                if isinstance(slots, list) and not slots:
                    out.append(Problem(f"{p}.available.{pid}", "an empty list of slots; leave "
                                                               "the period out instead"))
    runs: dict[str, list | None] = {}
    for i, sch in _items(data, "schools"):
        for j, dem in _items(sch, "demands"):
            periods = dem.get("periods")
            for k, pid in enumerate(periods if isinstance(periods, list) else ()):
                check_id(f"schools[{i}].demands[{j}].periods[{k}]", pid)
            if isinstance(dem.get("id"), str):
                runs.setdefault(dem["id"], periods if isinstance(periods, list) else None)
    for section in ROW_SECTIONS:
        for i, row in _items(data, section):
            p = f"{section}[{i}]"
            pid = row.get("period")
            if pid is None:
                if has_periods:
                    out.append(Problem(p, "the scenario has periods: the row needs its "
                                          "'period'"))
                continue
            check_id(f"{p}.period", pid)
            dem = row.get("demand")
            ran = runs.get(dem) if isinstance(dem, str) else None
            if section == "pinned" and pid in known and ran is not None and pid not in ran:
                out.append(Problem(f"{p}.period", f"demand {dem!r} does not run in {pid!r} "
                                                  f"(its periods: {', '.join(map(str, ran))})"))
    return out
