"""Generated scenarios shaken so that every rule has a chance to bind (shared by tests)."""

from __future__ import annotations

import datetime as dt
import random

from domain_oracle import DAYS, PARTS

from wtmatch.generate import generate_data


def shaken(seed: int, sessions: bool, periods: bool = False) -> dict:
    """A generated scenario with every optional rule switched on here and there.

    With ``periods``: a school year of 2–3 terms (DOMAIN.md §8), reach and
    handover weighted, and previous-plan rows in periods.
    """
    rng = random.Random(seed)
    data = generate_data(rng.randint(4, 14), rng.randint(2, 7), rng.randint(1, 3) if sessions else 0,
                         rng.randint(0, 3) if sessions else 0, seed, rng.random() < 0.5,
                         periods=rng.randint(2, 3) if periods else 0)
    for person in data["instructors"]:
        if rng.random() < 0.3:
            person["min_dayparts"] = rng.randint(0, 3)
        if rng.random() < 0.3:
            person["preferences"] = {s["id"]: rng.randint(-2, 2) for s in data["schools"][:2]}
        if rng.random() < 0.2:
            person["max_schools"] = rng.randint(1, 3)
        if rng.random() < 0.1:
            person["regions"] = [rng.choice(data["schools"])["region"]]
        if rng.random() < 0.2:
            person["qualified"] = True
    for school in data["schools"]:
        if rng.random() < 0.3:
            school["preferences"] = {i["id"]: rng.randint(-2, 2) for i in data["instructors"][:2]}
        for demand in school["demands"]:
            demand["same_instructor"] = rng.choice(["hard", "soft", "soft", "none"])
            if rng.random() < 0.25:
                demand["instructors_needed"] = rng.randint(1, 3)
            if rng.random() < 0.15:
                demand["requires_qualified"] = True
    demands = [d for s in data["schools"] for d in s["demands"]]
    data["previous_plan"] = [
        {"instructor": rng.choice(data["instructors"])["id"], "demand": d["id"],
         "slot": rng.choice(d["slots"])} for d in rng.sample(demands, min(3, len(demands)))]
    for employer in data["employers"]:
        if rng.random() < 0.5:
            employer["max_absent_per_slot"] = rng.randint(0, 2)
    data["settings"]["weights"] = {k: rng.choice([0, 1, 2, 3]) * v if rng.random() < 0.3 else v
                                   for k, v in {"coverage": 1000, "travel_km": 1, "continuity": 100,
                                                "preference": 20, "underuse": 50,
                                                "fragmentation": 30, "change": 200, "session": 1000,
                                                "meeting": 500, "study_day": 20, "trainee": 50,
                                                "trainer_km": 1, "spread": 1}.items()}
    data["settings"]["same_day_max_km"] = rng.choice([5, 15, 30, None])
    if periods:
        ids = [p["id"] for p in data["calendar"]["periods"]]
        for row in data["previous_plan"]:
            row["period"] = rng.choice(ids)
        data["settings"]["weights"]["reach"] = rng.choice([0, 50, 500, 3000])
        data["settings"]["weights"]["handover"] = rng.choice([0, 100, 100, 2000])
        for school in data["schools"]:
            school["reach"] = rng.randint(0, 5)
    if sessions:
        _shake_sessions(data, rng)
    return data


def _shake_sessions(data: dict, rng: random.Random) -> None:
    start = dt.date.fromisoformat(data["calendar"]["start"])

    def day() -> str:
        return (start + dt.timedelta(days=rng.randint(0, 300))).isoformat()

    def weekly() -> str:
        return f"{rng.choice(DAYS)}:{rng.choice(PARTS)}"

    for person in data.get("trainers", []) + data.get("participants", []):
        if rng.random() < 0.3:
            person["weekly_unavailable"] = [weekly() for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            person["unavailable"] = [rng.choice([day(), f"{day()}:{rng.choice(PARTS)}", weekly()])
                                     for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.2:
            person["max_hours"] = rng.choice([4, 8, 12, 40])
    programmes = [p["id"] for p in data.get("programmes", [])]
    for trainer in data.get("trainers", []):
        if programmes and rng.random() < 0.3:
            trainer["trainee"] = sorted({*trainer.get("trainee", []), rng.choice(programmes)})
    for venue in data.get("venues", []):
        if rng.random() < 0.3:
            venue["capacity"] = rng.randint(5, 30)
        if rng.random() < 0.3:
            venue["unavailable"] = [day() for _ in range(3)]
    for programme in data.get("programmes", []):
        for session in programme["sessions"]:
            if rng.random() < 0.2:
                session["min_gap_days"] = rng.choice([0, 1, 7])
            if rng.random() < 0.2:
                session["max_gap_days"] = session.get("min_gap_days", 0) + rng.choice([0, 3, 14])
            if rng.random() < 0.2:
                session["mode"] = rng.choice(["online", "physical"])
    for group in data.get("groups", []):
        if rng.random() < 0.3:
            group["min_spacing_days"] = rng.choice([0, 14, 60])
        if rng.random() < 0.3:
            group["meetings"] = rng.randint(1, 6)
        if rng.random() < 0.3:
            group["parts"] = rng.sample(PARTS, rng.randint(1, 3))
    days = {day() for _ in range(rng.randint(0, 6))}
    if rng.random() < 0.5:      # every Wednesday of the autumn: a study day the search will want
        days |= {(start + dt.timedelta(days=d)).isoformat() for d in range(120)
                 if (start + dt.timedelta(days=d)).weekday() == 2}
    data["calendar"]["study_days"] = sorted(days)
