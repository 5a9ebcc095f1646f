"""A second plan checker, written from ../shared/DOMAIN.md alone, for the tests.

It reads the scenario and the plan as raw JSON data and imports nothing of
wtmatch, so a rule the library and its own checker (:mod:`wtmatch.verify`)
both got wrong in the same way still shows: the tests compare the two on
generated scenarios. It applies DOMAIN.md's defaults itself, says which hard
rules (by number) a plan breaks, and recomputes both objectives.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from typing import Any

WEIGHTS = {"coverage": 1000, "travel_km": 1, "continuity": 100, "preference": 20,
           "underuse": 50, "fragmentation": 30, "change": 200, "session": 1000,
           "meeting": 500, "study_day": 20, "trainee": 50, "trainer_km": 1, "spread": 1,
           "reach": 0, "handover": 100}
PARTS = ["morning", "afternoon", "evening"]
DAYS = ["mon", "tue", "wed", "thu", "fri"]


def great_circle_km(a: dict | None, b: dict | None) -> float:
    """Haversine distance, earth radius 6371.0 km; 0 when a location is missing."""
    if not a or not b:
        return 0.0
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


class _Distances:
    """Integer km between ids: ``travel_km`` overrides (either direction), else great circle."""

    def __init__(self, scenario: dict) -> None:
        self.given = {}
        for row in scenario.get("travel_km") or []:
            self.given[(row["from"], row["to"])] = self.given[(row["to"], row["from"])] = row["km"]

    def km(self, a: str, b: str, where_a: dict | None, where_b: dict | None) -> int:
        if (a, b) in self.given:
            return round(self.given[(a, b)])
        return round(great_circle_km(where_a, where_b))


def _weights(scenario: dict) -> dict:
    return {**WEIGHTS, **((scenario.get("settings") or {}).get("weights") or {})}


def _released(person: dict, period: str | None) -> bool:
    """§8: released in the periods of a mapping ``available``, or of ``periods`` (default all)."""
    if period is None:
        return True
    if isinstance(person.get("available"), dict):
        return period in person["available"]
    return person.get("periods") is None or period in person["periods"]


def _available(person: dict, period: str | None) -> list[str]:
    avail = person.get("available") or []
    if isinstance(avail, dict):
        return avail.get(period, [])
    return avail if _released(person, period) else []


def _runs(demand: dict, period: str | None) -> bool:
    return period is None or demand.get("periods") is None or period in demand["periods"]


def _weeks(scenario: dict) -> tuple[list[str | None], dict]:
    """Periods in date order ([None] without) and weeks(p): ISO weeks with a school day."""
    calendar = scenario.get("calendar") or {}
    periods = sorted(calendar.get("periods") or [], key=lambda p: p["from"])
    if not periods:
        return [None], {None: 1}
    blocked = [(_date(b["from"]), _date(b["to"])) for b in calendar.get("blocked") or []]
    weeks = {}
    for p in periods:
        day, last, seen = max(_date(p["from"]), _date(calendar["start"])), \
            min(_date(p["to"]), _date(calendar["end"])), set()
        while day <= last:
            if day.weekday() < 5 and not any(a <= day <= b for a, b in blocked):
                seen.add(day.isocalendar()[:2])
            day += dt.timedelta(days=1)
        weeks[p["id"]] = len(seen)
    return [p["id"] for p in periods], weeks


def check_assignments(scenario: dict, plan: dict) -> tuple[list[str], int]:
    """Part A: the hard rules H1–H13 a plan breaks, and its objective S1–S9."""
    w = _weights(scenario)
    periods, weeks = _weeks(scenario)
    listed = [(r["instructor"], r["demand"], r["slot"], r.get("period"))
              for r in plan.get("assignments") or []]
    errors: list[str] = []
    if len(set(listed)) != len(listed):
        errors.append("duplicate rows")
    rows = set(listed)
    value = 0
    who = defaultdict(set)
    for period in periods:
        mine = {(i, d, t) for i, d, t, p in rows if p == period}
        more, part = _one_period(scenario, plan, mine, period)
        errors += more
        value += weeks[period] * part
        for i, d, _ in mine:
            who[(d, period)].add(i)
    errors += [f"period {r}" for r in rows if r[3] not in periods]
    for row in scenario.get("previous_plan") or []:
        if (row["instructor"], row["demand"], row["slot"], row.get("period")) not in rows:
            value -= w["change"]
    if periods != [None]:
        # S9: new faces on a demand between consecutive periods it runs in, both with rows
        for school in scenario.get("schools") or []:
            for demand in school.get("demands") or []:
                runs = [p for p in periods if _runs(demand, p)]
                for p, q in itertools.pairwise(runs):
                    if who[(demand["id"], p)] and who[(demand["id"], q)]:
                        value -= w.get("handover", 100) * len(who[(demand["id"], q)]
                                                              - who[(demand["id"], p)])
    return errors, value


def _one_period(scenario: dict, plan: dict, rows: set, period: str | None) -> tuple[list[str], int]:
    """H1–H13 and S1–S6 + S8 of one period's rows (§4 as written, §8 per period)."""
    errors: list[str] = []
    w = _weights(scenario)
    same_day_km = (scenario.get("settings") or {}).get("same_day_max_km")
    dist = _Distances(scenario)
    instructors = {i["id"]: i for i in scenario.get("instructors") or []}
    schools = {s["id"]: s for s in scenario.get("schools") or []}
    demands = {d["id"]: (s, d) for s in schools.values() for d in s.get("demands") or []}
    employers = {e["id"]: e for e in scenario.get("employers") or []}
    for r in plan.get("assignments") or []:
        if r.get("period") == period and demands[r["demand"]][0]["id"] != r["school"]:
            errors.append(f"row school: {r}")
    slots_of, seats, schools_of = defaultdict(set), defaultdict(set), defaultdict(set)
    per_slot: dict = defaultdict(int)
    day_schools = defaultdict(set)
    for i, d, t in sorted(rows):
        person, (school, demand) = instructors[i], demands[d]
        if not _released(person, period) or not _runs(demand, period):
            errors.append(f"H13 {i} {d} {period}")
        if (person.get("skills") or {}).get(demand["skill"], 0) < demand.get("min_level", 1):
            errors.append(f"H1 {i} {d}")
        if t not in demand["slots"] or t not in _available(person, period):
            errors.append(f"H2 {i} {d} {t}")
        per_slot[(i, t)] += 1
        if demand.get("requires_qualified") and not person.get("qualified"):
            errors.append(f"H5 {i} {d}")
        limit = person.get("max_travel_km")
        if limit is not None and dist.km(i, school["id"], person.get("location"),
                                         school.get("location")) > limit:
            errors.append(f"H6 km {i} {school['id']}")
        if person.get("regions") is not None and school.get("region") not in person["regions"]:
            errors.append(f"H6 region {i} {school['id']}")
        slots_of[i].add(t)
        seats[(d, t)].add(i)
        schools_of[i].add(school["id"])
        day_schools[(i, t.split(":")[0])].add(school["id"])
    errors += [f"H3 {i} {t}" for (i, t), n in per_slot.items() if n > 1]
    for i, slots in slots_of.items():
        person = instructors[i]
        most = person.get("max_dayparts")
        if most is None:
            most = len(_available(person, period))
        if len(slots) > most:
            errors.append(f"H4 {i}")
        if person.get("max_schools") is not None and len(schools_of[i]) > person["max_schools"]:
            errors.append(f"H7 {i}")
    if same_day_km is not None:
        for (i, day), ids in day_schools.items():
            for a in ids:
                for b in ids:
                    if a < b and dist.km(a, b, schools[a].get("location"),
                                         schools[b].get("location")) > same_day_km:
                        errors.append(f"H8 {i} {day} {a} {b}")
    released = defaultdict(set)
    for i, _, t in rows:
        if instructors[i].get("employer"):
            released[(instructors[i]["employer"], t)].add(i)
    for (e, t), ids in released.items():
        most = employers[e].get("max_absent_per_slot")
        if most is not None and len(ids) > most:
            errors.append(f"H9 {e} {t}")
    for pin in scenario.get("pinned") or []:
        if pin.get("period") == period and (pin["instructor"], pin["demand"], pin["slot"]) not in rows:
            errors.append(f"H10 {pin}")
    for d, (_, demand) in demands.items():
        needed = demand.get("instructors_needed", 1)
        errors += [f"H12 {d} {t}" for t in demand["slots"] if len(seats[(d, t)]) > needed]
        if demand.get("same_instructor", "soft") == "hard":
            sets = {frozenset(seats[(d, t)]) for t in demand["slots"]}
            if sets != {frozenset()} and (len(sets) != 1 or len(next(iter(sets))) != needed):
                errors.append(f"H11 {d}")
    value = 0
    for i, d, _ in rows:
        school, demand = demands[d]
        value += w["coverage"] * demand.get("priority", 1)
        value += w["preference"] * ((instructors[i].get("preferences") or {}).get(school["id"], 0)
                                    + (school.get("preferences") or {}).get(i, 0))
    for (i, _), ids in day_schools.items():
        for s in ids:
            value -= w["travel_km"] * dist.km(i, s, instructors[i].get("location"),
                                              schools[s].get("location"))
    for d, (_, demand) in demands.items():
        if demand.get("same_instructor", "soft") == "soft":
            people = set().union(*(seats[(d, t)] for t in demand["slots"]))
            value -= w["continuity"] * max(0, len(people) - demand.get("instructors_needed", 1))
    for i, person in instructors.items():
        if _released(person, period):
            value -= w["underuse"] * max(0, (person.get("min_dayparts") or 0) - len(slots_of[i]))
        value -= w["fragmentation"] * max(0, len(schools_of[i]) - 1)
    reached = {demands[d][0]["id"] for _, d, _ in rows}
    value += w.get("reach", 0) * sum(schools[s].get("reach", 1) for s in reached)
    return errors, value


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _split(slot: str) -> tuple[str, str]:
    day, part = slot.rsplit(":", 1)
    return day, part


def _hit(entries: list[str], slot: str) -> bool:
    """Whether an ``unavailable`` list (dated slots, dates, weekly slots) covers a dated slot."""
    day, part = _split(slot)
    weekly = f"{DAYS[_date(day).weekday()]}:{part}"
    return any(x in (slot, day, weekly) for x in entries)


def check_sessions(scenario: dict, plan: dict) -> tuple[list[str], int]:
    """Part B: the hard rules H20–H27 a plan breaks, and its objective S20–S24."""
    errors: list[str] = []
    w = _weights(scenario)
    dist = _Distances(scenario)
    calendar = scenario["calendar"]
    start, end = _date(calendar["start"]), _date(calendar["end"])
    blocked = [(_date(b["from"]), _date(b["to"])) for b in calendar.get("blocked") or []]
    study_days = {_date(x) for x in calendar.get("study_days") or []}

    def school_day(day: dt.date) -> bool:
        return start <= day <= end and day.weekday() < 5 and not any(a <= day <= b for a, b in blocked)

    unavailable, budget = defaultdict(list), {}
    for person in (scenario.get("trainers") or []) + (scenario.get("participants") or []):
        unavailable[person["id"]] += list(person.get("weekly_unavailable") or [])
        unavailable[person["id"]] += list(person.get("unavailable") or [])
        if person.get("max_hours") is not None:
            budget[person["id"]] = min(budget.get(person["id"], math.inf), person["max_hours"])
    venues = {v["id"]: v for v in scenario.get("venues") or []}
    trainers = {t["id"]: t for t in scenario.get("trainers") or []}
    programmes = {p["id"]: p for p in scenario.get("programmes") or []}
    cohorts = {c["id"]: c for c in scenario.get("cohorts") or []}
    groups = {g["id"]: g for g in scenario.get("groups") or []}
    teaching = defaultdict(set)
    spans = {p["id"]: (_date(p["from"]), _date(p["to"])) for p in calendar.get("periods") or []}
    for row in plan.get("assignments") or []:
        teaching[row["instructor"]].add((row["slot"], row.get("period")))

    def teaches(person: str, day: dt.date, weekly: str) -> bool:
        # §8: a row blocks its weekly slot only on the dates of its period
        return any(slot == weekly and (p is None or spans[p][0] <= day <= spans[p][1])
                   for slot, p in teaching.get(person, ()))
    busy, hosted, hours = defaultdict(list), defaultdict(list), defaultdict(float)
    value = 0
    done = {}
    for s in plan.get("sessions") or []:
        key = (s["cohort"], s["session"])
        if key in done:
            errors.append(f"H20 {key}")
        done[key] = s
    for (c, sid), s in done.items():
        cohort = cohorts[c]
        programme = programmes[cohort["programme"]]
        spec = {x["id"]: x for x in programme["sessions"]}[sid]
        dayparts, parts = spec.get("dayparts", 1), spec.get("parts") or PARTS
        slots = s["slots"]
        if dayparts == 2:
            if len(slots) != 2 or _split(slots[0])[0] != _split(slots[1])[0] \
                    or {_split(x)[1] for x in slots} != {"morning", "afternoon"} \
                    or not {"morning", "afternoon"} <= set(parts):
                errors.append(f"H23 two dayparts {c} {sid} {slots}")
        elif len(slots) != 1 or _split(slots[0])[1] not in parts:
            errors.append(f"H23 parts {c} {sid} {slots}")
        errors += [f"closed day {c} {sid} {x}" for x in slots if not school_day(_date(_split(x)[0]))]
        if spec.get("after"):
            before = done.get((c, spec["after"]))
            if before is None:
                errors.append(f"H21 before {c} {sid}")
            else:
                gap = (_date(_split(slots[0])[0]) - _date(_split(before["slots"][0])[0])).days
                late = spec.get("max_gap_days")
                if gap < spec.get("min_gap_days", 0) or (late is not None and gap > late) or gap < 0:
                    errors.append(f"H21 gap {c} {sid} {gap}")
                if gap == 0 and min(PARTS.index(_split(x)[1]) for x in slots) \
                        <= max(PARTS.index(_split(x)[1]) for x in before["slots"]):
                    errors.append(f"H21 same day {c} {sid}")
        team = s["trainers"]
        certified = [t for t in team if programme["id"] in (trainers[t].get("certified") or [])]
        trainees = [t for t in team if t not in certified
                    and programme["id"] in (trainers[t].get("trainee") or [])]
        if len(team) != len(set(team)) or len(team) != spec.get("trainers", 1):
            errors.append(f"H24 count {c} {sid}")
        if len(certified) + len(trainees) != len(team) or not certified:
            errors.append(f"H24 certified {c} {sid}")
        present = set(cohort["participants"]) | set(team)
        for p in present:
            hours[p] += spec.get("hours", 2 * dayparts)
            for x in slots:
                busy[(p, x)].append((c, sid))
        physical = spec.get("mode", "physical") == "physical"
        if physical:
            venue = venues.get(s.get("venue"))
            if venue is None:
                errors.append(f"H25 venue {c} {sid}")
            else:
                if venue["capacity"] < len(present):
                    errors.append(f"H25 capacity {c} {sid}")
                for x in slots:
                    hosted[(venue["id"], x)].append((c, sid))
                    if _hit(venue.get("unavailable") or [], x):
                        errors.append(f"H23 venue {venue['id']} {x}")
                for t in team:
                    value -= w["trainer_km"] * dist.km(t, venue["id"], trainers[t].get("location"),
                                                       venue.get("location"))
            if _date(_split(slots[0])[0]) in study_days:
                value += w["study_day"]
        value += w["session"] * cohort.get("priority", 1)
        if trainees:
            value += w["trainee"]
    meetings = defaultdict(list)
    for m in plan.get("meetings") or []:
        meetings[m["group"]].append(m)
    for g, held in meetings.items():
        group = groups[g]
        count, parts = group.get("meetings", 4), group.get("parts") or PARTS
        if len(held) > count:
            errors.append(f"H20 meetings {g}")
        held = sorted(held, key=lambda m: (_split(m["slot"])[0], PARTS.index(_split(m["slot"])[1])))
        if [m["index"] for m in held] != list(range(1, len(held) + 1)):
            errors.append(f"index order {g}")
        for m in held:
            if _split(m["slot"])[1] not in parts:
                errors.append(f"H23 parts {g} {m['slot']}")
            if not school_day(_date(_split(m["slot"])[0])):
                errors.append(f"closed day {g} {m['slot']}")
            for p in set(group["members"]):
                hours[p] += group.get("hours", 2)
                busy[(p, m["slot"])].append((g, m["index"]))
            if group.get("mode", "physical") == "physical":
                venue = venues.get(m.get("venue"))
                if venue is None:
                    errors.append(f"H25 venue {g}")
                else:
                    if venue["capacity"] < len(set(group["members"])):
                        errors.append(f"H25 capacity {g}")
                    hosted[(venue["id"], m["slot"])].append((g, m["index"]))
                    if _hit(venue.get("unavailable") or [], m["slot"]):
                        errors.append(f"H23 venue {venue['id']} {m['slot']}")
            value += w["meeting"]
        dates = [_date(_split(m["slot"])[0]) for m in held]
        ideal = (end - start).days // count
        for a, b in itertools.pairwise(dates):
            if (b - a).days < group.get("min_spacing_days", 0):
                errors.append(f"H27 {g} {a} {b}")
            value -= w["spread"] * max(0, ideal - (b - a).days)
    for (p, x), things in busy.items():
        day, part = _split(x)
        if len(things) > 1 or (_date(day).weekday() < 5
                                and teaches(p, _date(day), f"{DAYS[_date(day).weekday()]}:{part}")):
            errors.append(f"H22 {p} {x}")
        if _hit(unavailable[p], x):
            errors.append(f"H23 {p} {x}")
    errors += [f"H25 shared {v} {x}" for (v, x), things in hosted.items() if len(things) > 1]
    errors += [f"H26 {p}" for p, h in hours.items() if h > budget.get(p, math.inf) + 1e-9]
    return errors, value


def check(scenario: dict[str, Any], plan: dict[str, Any]) -> tuple[list[str], dict[str, int]]:
    """Both parts: every broken rule, and the objective per part (``assign``, ``sessions``)."""
    errors, assign = check_assignments(scenario, plan)
    sessions = 0
    if scenario.get("calendar"):
        more, sessions = check_sessions(scenario, plan)
        errors += more
    return errors, {"assign": assign, "sessions": sessions}
