"""Realistic synthetic scenarios, deterministic by size and seed.

Twente-like geography (5 subregions around real towns), about 12 technology
skills with levels, instructors with 2–8 weekly slots, employers with release
caps, schools of every type with 1–4 demands; for part B a 2026–27 school year
with Dutch holidays and study days, programmes of ordered sessions, cohorts
of 8–20, certified and trainee trainers, venues and knowledge-network groups
with overlapping members. ``tight=True`` makes instructors scarce.

Tests, benchmarks and notebooks all draw from here, so the same arguments
always give the same scenario.
"""

from __future__ import annotations

import collections
import copy
import datetime as dt
import math
from typing import Any

import numpy as np

from wtmatch.scenario import Scenario, from_data
from wtmatch.scenario.time import DAYS, TEACHING_PARTS

# region -> towns (name, lat, lon); coordinates of the town centres.
REGIONS: dict[str, list[tuple[str, float, float]]] = {
    "almelo": [("Almelo", 52.3567, 6.6625), ("Wierden", 52.3592, 6.5931),
               ("Vriezenveen", 52.4086, 6.6225), ("Tubbergen", 52.4067, 6.7836),
               ("Rijssen", 52.3083, 6.5167)],
    "enschede": [("Enschede", 52.2215, 6.8937), ("Glanerbrug", 52.2136, 6.9706),
                 ("Boekelo", 52.2044, 6.8036), ("Lonneker", 52.2456, 6.9231)],
    "hengelo": [("Hengelo", 52.2656, 6.7931), ("Borne", 52.2997, 6.7528),
                ("Delden", 52.2608, 6.7111), ("Hertme", 52.3214, 6.7400)],
    "noordoost": [("Oldenzaal", 52.3133, 6.9292), ("Losser", 52.2608, 7.0042),
                  ("Denekamp", 52.3767, 7.0064), ("Ootmarsum", 52.4083, 6.9006)],
    "zuidwest": [("Haaksbergen", 52.1567, 6.7391), ("Goor", 52.2333, 6.5833),
                 ("Markelo", 52.2417, 6.4972), ("Diepenheim", 52.2000, 6.5500),
                 ("Neede", 52.1342, 6.6139)],
}
REGION_NAMES = list(REGIONS)

SKILLS = ["robotics", "programming", "electronics", "3d_printing", "mechatronics",
          "biotech", "chemistry_lab", "physics_lab", "design_thinking", "digital_literacy",
          "sustainable_energy", "metalwork"]

# school type -> (share of schools, skills its demands draw from, level range)
SCHOOL_TYPES: dict[str, tuple[float, list[str], tuple[int, int]]] = {
    "PO": (0.50, ["robotics", "programming", "design_thinking", "digital_literacy",
                  "3d_printing"], (1, 3)),
    "VO": (0.25, ["programming", "electronics", "physics_lab", "chemistry_lab", "biotech",
                  "robotics"], (2, 4)),
    "MBO": (0.15, ["mechatronics", "metalwork", "electronics", "sustainable_energy",
                   "3d_printing", "programming"], (3, 5)),
    "KO": (0.10, ["design_thinking", "digital_literacy", "robotics"], (1, 2)),
}

COMPANIES = ["Thales Hengelo", "Demcon", "Saxion Labs", "TKF Haaksbergen", "Benteler",
             "Apollo Vredestein", "Nedap Groenlo", "Aebi Schmidt", "Siemens Mobility",
             "Stork", "Twentse Kabelfabriek", "Bolk Transport", "Hulshof Leather",
             "Ten Cate", "Voortman Steel", "Norma Group", "Scholten Awater", "Reggefiber"]

WEEKLY_TEACHING = [f"{d}:{p}" for d in DAYS for p in TEACHING_PARTS]

# The 2026–27 school year, holidays of region North (Twente) and public holidays.
YEAR_START = dt.date(2026, 8, 31)
YEAR_END = dt.date(2027, 7, 9)
HOLIDAYS = [
    ("2026-10-17", "2026-10-25", "herfstvakantie"),
    ("2026-12-19", "2027-01-03", "kerstvakantie"),
    ("2027-02-20", "2027-02-28", "voorjaarsvakantie"),
    ("2027-03-26", "2027-03-26", "Goede Vrijdag"),
    ("2027-03-29", "2027-03-29", "Tweede Paasdag"),
    ("2027-04-24", "2027-05-05", "meivakantie, Koningsdag en Bevrijdingsdag"),
    ("2027-05-06", "2027-05-07", "Hemelvaart"),
    ("2027-05-17", "2027-05-17", "Tweede Pinksterdag"),
]
STUDY_DAYS = ["2026-09-30", "2026-11-18", "2027-01-20", "2027-03-10", "2027-04-14",
              "2027-06-09"]

PROGRAMMES: list[dict[str, Any]] = [
    {"id": "ttt-wt", "name": "Train-de-trainer Wetenschap & Techniek", "sessions": [
        {"id": "intro", "hours": 2, "mode": "online", "parts": ["afternoon", "evening"]},
        {"id": "guided-run", "dayparts": 2, "hours": 6, "trainers": 2, "after": "intro",
         "min_gap_days": 7, "max_gap_days": 42},
        {"id": "intervision", "hours": 2, "mode": "online", "parts": ["evening"],
         "after": "guided-run", "min_gap_days": 14, "max_gap_days": 42},
        {"id": "practice", "hours": 3, "parts": ["morning", "afternoon"], "after": "intervision",
         "min_gap_days": 14, "max_gap_days": 56},
        {"id": "certification", "dayparts": 2, "hours": 6, "trainers": 2, "after": "practice",
         "min_gap_days": 7, "max_gap_days": 60}]},
    {"id": "lead-tech", "name": "Leiderschap in technologie-onderwijs", "sessions": [
        {"id": "kickoff", "hours": 3, "parts": ["afternoon"]},
        {"id": "vision", "hours": 2, "mode": "online", "parts": ["evening"], "after": "kickoff",
         "min_gap_days": 7, "max_gap_days": 35},
        {"id": "visit", "dayparts": 2, "hours": 6, "after": "vision", "min_gap_days": 14,
         "max_gap_days": 70},
        {"id": "plan", "hours": 2, "mode": "online", "after": "visit", "min_gap_days": 14,
         "max_gap_days": 56},
        {"id": "pitch", "hours": 3, "parts": ["afternoon", "evening"], "trainers": 2,
         "after": "plan", "min_gap_days": 14, "max_gap_days": 70}]},
    {"id": "robo-basics", "name": "Robotica in de klas", "sessions": [
        {"id": "hands-on", "hours": 3, "parts": ["afternoon", "evening"]},
        {"id": "lesson-design", "hours": 2, "mode": "online", "after": "hands-on",
         "min_gap_days": 7, "max_gap_days": 28},
        {"id": "classroom", "hours": 3, "parts": ["morning", "afternoon"],
         "after": "lesson-design", "min_gap_days": 14, "max_gap_days": 49}]},
]


def generate(instructors: int = 60, schools: int = 40, cohorts: int = 0, groups: int = 0,
             seed: int = 0, tight: bool = False, name: str | None = None, *,
             periods: int = 0, reach: int = 0) -> Scenario:
    """A realistic scenario of the given size.

    Parameters
    ----------
    instructors, schools : int
        Size of part A.
    cohorts, groups : int
        Size of part B; with both 0 the scenario has no calendar.
    seed : int
        Same arguments and seed, same scenario.
    tight : bool
        Scarce instructors: fewer slots and skills each, more demand per school.
    name : str, optional
    periods : int
        Split the school year into this many terms (DOMAIN.md §8): some
        demands run in a subset of them, some instructors are released in a
        subset, some with other slots per term (the mapping form of
        ``available``). 0: no periods.
    reach : int
        S8's weight: with it, primary schools (PO) get reach 1 and the others
        0 — a city that wants technology in every primary school.

    Returns
    -------
    Scenario
    """
    if min(instructors, schools, cohorts, groups, periods, reach) < 0:
        raise ValueError("sizes must be non-negative")
    if periods > 12:
        raise ValueError("at most 12 periods (one a month)")
    return from_data(generate_data(instructors, schools, cohorts, groups, seed, tight, name,
                                   periods=periods, reach=reach))


def generate_data(instructors: int = 60, schools: int = 40, cohorts: int = 0, groups: int = 0,
                  seed: int = 0, tight: bool = False, name: str | None = None, *,
                  periods: int = 0, reach: int = 0) -> dict:
    """The same as :func:`generate`, as plain JSON-ready data."""
    rng = np.random.default_rng(seed)
    g = _Gen(rng, tight)
    data: dict[str, Any] = {
        "format": "wtmatch/1",
        "name": name or f"twente-{instructors}x{schools}-c{cohorts}-g{groups}-s{seed}"
                        + ("-tight" if tight else ""),
        "settings": {"same_day_max_km": 25},
    }
    data["employers"] = g.employers(max(1, instructors // 6))
    data["schools"] = g.schools(schools)
    data["instructors"] = g.instructors(instructors, data["employers"], data["schools"])
    if cohorts or groups:
        data["calendar"] = {
            "start": YEAR_START.isoformat(), "end": YEAR_END.isoformat(),
            "blocked": [{"from": a, "to": b, "name": n} for a, b, n in HOLIDAYS],
            "study_days": list(STUDY_DAYS),
        }
        data["programmes"] = copy.deepcopy(PROGRAMMES)  # callers may edit their data
        data["cohorts"], data["participants"] = g.cohorts(cohorts, data["schools"])
        data["trainers"] = g.trainers(cohorts)
        data["venues"] = g.venues(cohorts + groups)
        data["groups"] = g.groups(groups, data["participants"], data["instructors"])
    if periods or reach:
        # Drawn from a stream of its own: the scenario without periods stays as it was.
        _school_year(data, np.random.default_rng([seed, 2]), periods, reach)
    return data


def _school_year(data: dict, rng: np.random.Generator, n_periods: int, reach: int) -> None:
    """Make ``data`` a wtmatch/2 scenario with terms and reach (DOMAIN.md §8)."""
    data["format"] = "wtmatch/2"
    if n_periods:
        data["name"] += f"-p{n_periods}"
        data.setdefault("calendar", {
            "start": YEAR_START.isoformat(), "end": YEAR_END.isoformat(),
            "blocked": [{"from": a, "to": b, "name": n} for a, b, n in HOLIDAYS]})
        weeks = (YEAR_END - YEAR_START).days // 7 + 1
        cuts = [YEAR_START + dt.timedelta(weeks=round(k * weeks / n_periods))
                for k in range(n_periods + 1)]
        ids = [f"T{k + 1}" for k in range(n_periods)]
        data["calendar"]["periods"] = [
            {"id": ids[k], "from": cuts[k].isoformat(),
             "to": min(YEAR_END, cuts[k + 1] - dt.timedelta(days=3)).isoformat()}
            for k in range(n_periods)]

        def some() -> list[str]:
            k = int(rng.integers(1, n_periods)) if n_periods > 1 else 1
            return sorted(rng.choice(ids, size=k, replace=False).tolist(), key=ids.index)

        for school in data["schools"]:
            for dem in school["demands"]:
                if n_periods > 1 and rng.random() < 0.25:
                    dem["periods"] = some()
        for ins in data["instructors"]:
            draw = rng.random()
            if n_periods > 1 and draw < 0.2:
                ins["periods"] = some()
            elif draw < 0.35 and ins["available"]:
                # other slots per term: a shifted selection of the same number
                ins["available"] = {
                    p: sorted(rng.choice(WEEKLY_TEACHING, size=len(ins["available"]),
                                         replace=False).tolist(), key=WEEKLY_TEACHING.index)
                    for p in some()}
    if reach:
        data.setdefault("settings", {}).setdefault("weights", {})["reach"] = reach
        data["name"] += f"-r{reach}"
        for school in data["schools"]:
            school["reach"] = 1 if school.get("type") == "PO" else 0


def _programme_hours(programme: dict) -> float:
    """Hours a participant spends on a programme (a two-daypart session counts once)."""
    return float(sum(s["hours"] for s in programme["sessions"]))


class _Gen:
    """One generator run: a seeded random stream and helpers."""

    def __init__(self, rng: np.random.Generator, tight: bool) -> None:
        self.rng = rng
        self.tight = tight
        # Hours each person is already enrolled for (H26 budgets).
        self.committed: collections.Counter[str] = collections.Counter()

    def pick(self, seq: list, k: int | None = None) -> Any:
        if k is None:
            return seq[int(self.rng.integers(len(seq)))]
        idx = self.rng.choice(len(seq), size=min(k, len(seq)), replace=False)
        return [seq[i] for i in sorted(idx)]

    def place(self) -> tuple[str, str, dict[str, float]]:
        region = self.pick(REGION_NAMES)
        town, lat, lon = self.pick(REGIONS[region])
        loc = {"lat": round(lat + float(self.rng.normal(0, 0.012)), 5),
               "lon": round(lon + float(self.rng.normal(0, 0.02)), 5)}
        return region, town, loc

    def employers(self, n: int) -> list[dict]:
        return [{"id": f"E{k + 1:02d}", "name": COMPANIES[k % len(COMPANIES)]
                 + ("" if k < len(COMPANIES) else f" {k // len(COMPANIES) + 1}"),
                 "max_absent_per_slot": None if self.rng.random() < 0.2
                 else int(self.rng.integers(1, 4))} for k in range(n)]

    def schools(self, n: int) -> list[dict]:
        types = list(SCHOOL_TYPES)
        shares = np.array([SCHOOL_TYPES[t][0] for t in types])
        out = []
        demand_no = 0
        for k in range(n):
            typ = types[int(self.rng.choice(len(types), p=shares))]
            _, skills, (lo, hi) = SCHOOL_TYPES[typ]
            region, town, loc = self.place()
            n_dem = int(self.rng.integers(2, 5) if self.tight else self.rng.integers(1, 5))
            demands = []
            for _ in range(n_dem):
                demand_no += 1
                day = self.pick(list(DAYS))
                r = self.rng.random()
                if r < 0.35:
                    slots = [f"{day}:morning", f"{day}:afternoon"]
                elif r < 0.55:
                    other = self.pick([d for d in DAYS if d != day])
                    part = self.pick(list(TEACHING_PARTS))
                    slots = sorted({f"{day}:{part}", f"{other}:{part}"},
                                   key=WEEKLY_TEACHING.index)
                else:
                    slots = [f"{day}:{self.pick(list(TEACHING_PARTS))}"]
                dem: dict[str, Any] = {
                    "id": f"D{demand_no:04d}", "skill": self.pick(skills),
                    "min_level": int(self.rng.integers(lo, hi + 1)), "slots": slots,
                    "priority": int(self.rng.choice([1, 2, 3, 4, 5], p=[.3, .3, .2, .1, .1])),
                    "same_instructor": str(self.rng.choice(["hard", "soft", "none"],
                                                           p=[.2, .7, .1])),
                }
                if self.rng.random() < 0.12:
                    dem["instructors_needed"] = 2
                if typ in ("VO", "MBO") and self.rng.random() < 0.3:
                    dem["requires_qualified"] = True
                demands.append(dem)
            out.append({"id": f"S{k + 1:03d}", "name": f"{typ} {town} {k + 1}", "type": typ,
                        "region": region, "location": loc, "demands": demands})
        for sch in out:
            if self.rng.random() < 0.15:
                sch["preferences"] = {}
        return out

    def instructors(self, n: int, employers: list[dict], schools: list[dict]) -> list[dict]:
        kinds = ["hybrid", "teacher", "assistant", "side_entrant"]
        out = []
        for k in range(n):
            region, town, loc = self.place()
            kind = str(self.rng.choice(kinds, p=[.55, .15, .15, .15]))
            n_sk = int(self.rng.integers(1, 3) if self.tight else self.rng.integers(1, 5))
            skills = {s: int(self.rng.integers(1, 6)) for s in self.pick(SKILLS, n_sk)}
            n_av = int(self.rng.integers(2, 5) if self.tight else self.rng.integers(2, 9))
            # Availability comes in days: hybrid people free a day or half-days.
            available = sorted(self.pick(WEEKLY_TEACHING, n_av), key=WEEKLY_TEACHING.index)
            ins: dict[str, Any] = {
                "id": f"I{k + 1:03d}", "name": f"Instructor {k + 1} ({town})", "kind": kind,
                "region": region, "location": loc, "skills": skills,
                "qualified": kind == "teacher" or bool(self.rng.random() < 0.2),
                "available": available,
                "min_dayparts": int(self.rng.integers(0, min(2, n_av) + 1)),
                "max_dayparts": int(self.rng.integers(max(1, n_av - 2), n_av + 1)),
            }
            if kind == "hybrid" and employers:
                ins["employer"] = self.pick(employers)["id"]
            if self.rng.random() < 0.6:
                ins["max_schools"] = int(self.rng.integers(1, 4))
            if self.rng.random() < 0.7:
                ins["max_travel_km"] = int(self.rng.choice([15, 20, 25, 30, 40, 50]))
            if self.rng.random() < 0.1:
                ins["regions"] = sorted({region, self.pick(REGION_NAMES)})
            if schools and self.rng.random() < 0.3:
                ins["preferences"] = {s["id"]: int(self.rng.integers(-2, 3))
                                      for s in self.pick(schools, 2)}
            out.append(ins)
        for sch in schools:
            if "preferences" in sch and out:
                sch["preferences"] = {i["id"]: int(self.rng.integers(-2, 3))
                                      for i in self.pick(out, 2)}
        return out

    def cohorts(self, n: int, schools: list[dict]) -> tuple[list[dict], list[dict]]:
        participants: list[dict] = []
        cohorts = []
        for k in range(n):
            size = int(self.rng.integers(8, 21))
            prog = PROGRAMMES[k % len(PROGRAMMES)]
            hours = _programme_hours(prog)
            # A cohort agrees on a course day its participants keep free of
            # teaching, as real cohorts do; without one, the weekly timetables
            # of twenty school leaders can leave no full day in common.
            course_day = self.pick(DAYS)
            own_timetable = [s for s in WEEKLY_TEACHING if not s.startswith(course_day)]
            members: list[str] = []
            # About one in ten comes back from an earlier cohort, when their
            # budget still has room (a partnership enrols nobody beyond it)
            # and they are free on the course day.
            for _ in range(size):
                if participants and self.rng.random() < 0.1:
                    par = self.pick(participants)
                    if (par["id"] not in members and self._fits(par, hours)
                            and not any(s.startswith(course_day)
                                        for s in par.get("weekly_unavailable", []))):
                        self.committed[par["id"]] += hours
                        members.append(par["id"])
                        continue
                pid = f"P{len(participants) + 1:04d}"
                par: dict[str, Any] = {"id": pid, "name": f"Participant {len(participants) + 1}",
                                       "max_hours": 40}
                if schools:
                    par["school"] = self.pick(schools)["id"]
                if self.rng.random() < 0.3:
                    par["weekly_unavailable"] = [self.pick(own_timetable)]
                if self.rng.random() < 0.2:
                    par["unavailable"] = [self._date().isoformat()]
                participants.append(par)
                self.committed[pid] += hours
                members.append(pid)
            cohorts.append({"id": f"C{k + 1:02d}", "programme": prog["id"], "participants": members,
                            "priority": int(self.rng.integers(1, 4))})
        return cohorts, participants

    def trainers(self, n_cohorts: int) -> list[dict]:
        n = max(3, math.ceil(1.5 * n_cohorts))
        progs = [p["id"] for p in PROGRAMMES]
        out = []
        for k in range(n):
            _, town, loc = self.place()
            # Everyone is certified for one programme in turn, so each has some.
            certified = sorted({progs[k % len(progs)]}
                               | ({self.pick(progs)} if self.rng.random() < 0.3 else set()))
            trainee = sorted({self.pick(progs)} - set(certified)) if self.rng.random() < 0.4 else []
            tr: dict[str, Any] = {"id": f"T{k + 1:02d}", "name": f"Trainer {k + 1} ({town})",
                                  "location": loc, "certified": certified, "trainee": trainee,
                                  "max_hours": int(self.rng.choice([60, 70, 80]))}
            if self.rng.random() < 0.4:
                tr["weekly_unavailable"] = self.pick([f"{d}:{p}" for d in DAYS
                                                      for p in ("morning", "afternoon", "evening")],
                                                     2)
            if self.rng.random() < 0.3:
                tr["unavailable"] = sorted({self._date().isoformat() for _ in range(3)})
            out.append(tr)
        return out

    def venues(self, n_things: int) -> list[dict]:
        n = 1 + math.ceil(n_things / 8)
        out = []
        for k in range(n):
            _, town, loc = self.place()
            out.append({"id": f"V{k + 1:02d}", "name": f"Zaal {town} {k + 1}",
                        "capacity": int(self.rng.choice([16, 24, 30, 40])), "location": loc})
        return out

    def groups(self, n: int, participants: list[dict], instructors: list[dict]) -> list[dict]:
        pool = participants + instructors
        out = []
        for k in range(n):
            kind = str(self.rng.choice(["plg", "workgroup", "projectgroup"], p=[.6, .25, .15]))
            meetings, hours = int(self.rng.integers(4, 6)), 2
            wanted = self.pick(pool, int(self.rng.integers(5, 16))) if pool else []
            # Only people whose budget still holds the year's meetings join.
            members = [p["id"] for p in wanted if self._fits(p, meetings * hours)]
            for pid in members:
                self.committed[pid] += meetings * hours
            grp: dict[str, Any] = {
                "id": f"G{k + 1:02d}", "name": f"{kind} {k + 1}", "kind": kind,
                "members": members, "meetings": meetings, "hours": hours,
                "parts": ["evening"] if self.rng.random() < 0.7 else ["afternoon", "evening"],
                "mode": "physical" if self.rng.random() < 0.6 else "online",
                "min_spacing_days": 28,
            }
            out.append(grp)
        return out

    def _fits(self, person: dict, hours: float) -> bool:
        """Whether ``hours`` more stay within the person's ``max_hours``, if any."""
        cap = person.get("max_hours")
        return cap is None or self.committed[person["id"]] + hours <= cap

    def _date(self) -> dt.date:
        return YEAR_START + dt.timedelta(days=int(self.rng.integers(0, (YEAR_END - YEAR_START).days)))
