"""Re-plan with least change: someone leaves (or demands arrive), keep all that can stay.

Part A: the old plan becomes ``previous_plan``, so every assignment it loses
costs S7 (``weights.change`` per row) and the solver keeps all it can; with
``freeze`` every other assignment is pinned (H10) and only the leaver's
seats are re-filled. Part B, around the new weekly teaching: sessions and
meetings before ``from_date`` stay as they were, those after it stay where
they still hold, and only what the change breaks moves
(:mod:`wtmatch.sessions.keep`). Every row removed, added, moved or dropped
comes with its reason, and the scenario solved is part of the answer, so
the new plan can be checked against it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from wtmatch.errors import Problem, ScenarioError, WtmatchError
from wtmatch.plan import Assignment, Plan
from wtmatch.result import Result
from wtmatch.scenario import Scenario, from_data
from wtmatch.scenario.schools import Demand
from wtmatch.sessions.items import build_items, build_year
from wtmatch.sessions.keep import YearInForce, hold
from wtmatch.settings import Settings
from wtmatch.solve import solve

Key = tuple[str, str, str, str | None]


def _key(a: Any) -> Key:
    return (a.instructor, a.demand, str(a.slot), getattr(a, "period", None))


def _seat(a: Any) -> tuple[str, str, str | None]:
    """A seat of a demand slot (in a period, §8)."""
    return (a.demand, str(a.slot), getattr(a, "period", None))


def _when(a: Any) -> tuple[str, str, str | None]:
    """An instructor's weekly slot (in a period)."""
    return (a.instructor, str(a.slot), getattr(a, "period", None))


@dataclass(frozen=True)
class Change:
    """One assignment row that changed, and why."""

    assignment: Assignment
    why: str

    def __str__(self) -> str:
        a = self.assignment
        when = "" if a.period is None else f" in {a.period}"
        return f"{a.instructor} {a.demand} at {a.school} {a.slot}{when}: {self.why}"


@dataclass
class Replan:
    """The outcome of a re-plan.

    Attributes
    ----------
    scenario : Scenario
        The scenario re-solved (leavers out, new demands in, the old plan as
        ``previous_plan``, pins).
    result : Result
        The solve; ``result.plan`` is the new plan and passes ``verify``
        against ``scenario``.
    kept : list of Assignment
    removed, added : list of Change
        Each with its reason.
    dropped_pins : list of str
        Pins of leavers, which cannot hold any more.
    affected_sessions : list of str
        Sessions and meetings of the old plan a leaver takes part in on or
        after ``from_date``.
    year_kept : int
        Sessions and meetings that stay as they were.
    year_moved, year_dropped : list of str
        Sessions and meetings that move (old place → new, and why) or are
        left out now (and why).
    """

    scenario: Scenario
    result: Result
    kept: list[Assignment]
    removed: list[Change]
    added: list[Change]
    dropped_pins: list[str] = field(default_factory=list)
    affected_sessions: list[str] = field(default_factory=list)
    from_date: dt.date | None = None
    year_kept: int = 0
    year_moved: list[str] = field(default_factory=list)
    year_dropped: list[str] = field(default_factory=list)

    @property
    def plan(self) -> Plan:
        return self.result.plan

    def __str__(self) -> str:
        when = f" from {self.from_date}" if self.from_date else ""
        lines = [f"re-plan{when}: {self.result.status}, objective {self.result.objective}; "
                 f"kept {len(self.kept)}, removed {len(self.removed)}, added {len(self.added)}"]
        lines += [f"  - {c}" for c in self.removed]
        lines += [f"  + {c}" for c in self.added]
        lines += [f"  pin dropped: {p}" for p in self.dropped_pins]
        lines += [f"  a leaver takes part in (year): {s}" for s in self.affected_sessions]
        if self.year_kept or self.year_moved or self.year_dropped:
            lines.append(f"school year: kept {self.year_kept}, moved {len(self.year_moved)}, "
                         f"left out {len(self.year_dropped)}")
            lines += [f"  ~ {s}" for s in self.year_moved]
            lines += [f"  - {s}" for s in self.year_dropped]
        return "\n".join(lines)


def replan(scenario: Scenario, plan: Plan, without: list[str] = (), *,
           from_date: dt.date | None = None, add_demands: list[dict] | None = None,
           freeze: bool = False, settings: Settings | None = None) -> Replan:
    """Re-plan the weekly assignment after a change, keeping every assignment it can.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
        The plan in force.
    without : list of str
        Instructor ids who are no longer available.
    from_date : datetime.date, optional
        When the change takes effect: it selects the affected sessions, and
        with periods (DOMAIN.md §8) the periods that end before it stay
        exactly as they are (their rows pinned); the others are re-planned.
    add_demands : list of dict, optional
        New demands, each a demand of DOMAIN.md §3 plus ``school`` (an id).
    freeze : bool
        Pin every assignment of the others, so only the leavers' seats move.
    settings : Settings, optional
        Solver settings (``part`` is taken as ``assign``).

    Returns
    -------
    Replan

    Raises
    ------
    WtmatchError
        An unknown instructor id; ScenarioError for a bad added demand.
    """
    unknown = [w for w in without if w not in scenario.instructor_by_id]
    if unknown:
        raise WtmatchError(f"not an instructor of the scenario: {', '.join(unknown)}")
    gone = set(without)
    data = scenario.model_dump(mode="json", by_alias=True)
    # With periods (§8) the periods that end before the change stay as they are.
    past = {p.id for p in scenario.periods if from_date is not None and p.to < from_date}
    # A leaver stays in the scenario (schools' preferences and groups may name them),
    # with no weekly slot left to teach in — from the change on.
    data["instructors"] = [_leaving(scenario.instructor_by_id[i["id"]], i, past)
                           if i["id"] in gone else i for i in data["instructors"]]
    dropped = [f"pinned[{k}] ({p.instructor}, {p.demand}, {p.slot})"
               for k, p in enumerate(scenario.pinned)
               if p.instructor in gone and p.period not in past]
    pins = [p for p in data.get("pinned", []) if p["instructor"] not in gone
            or p.get("period") in past]
    have = {_key(p) for p in scenario.pinned}
    pins += [_row(a) for a in plan.assignments if _key(a) not in have
             and (a.period in past or (freeze and a.instructor not in gone))]
    data["pinned"] = pins
    data["previous_plan"] = [_row(a) for a in plan.assignments]
    new_demands = _add_demands(data, add_demands or [])
    new_scenario = from_data(data, source="re-plan")
    settings = (settings or Settings()).model_copy(update={"part": "all"})
    keep = YearInForce(plan.sessions, plan.meetings, from_date)
    result = solve(new_scenario, settings, year_in_force=keep)
    out = _compare(new_scenario, plan, result, gone, new_demands, dropped,
                   _affected(scenario, plan, gone, from_date), from_date)
    out.year_kept, out.year_moved, out.year_dropped = _year_changes(new_scenario, plan,
                                                                     result.plan, keep)
    return out


def _row(a: Assignment) -> dict:
    """A plan row as a pin or previous-plan row."""
    row = {"instructor": a.instructor, "demand": a.demand, "slot": str(a.slot)}
    return row if a.period is None else {**row, "period": a.period}


def _leaving(ins, data: dict, past: set[str]) -> dict:
    """A leaver's record: available in the periods that stay as they were, nowhere after."""
    kept = {p: [str(t) for t in ins.weekly_slots(p)] for p in sorted(past) if ins.released(p)}
    kept = {p: slots for p, slots in kept.items() if slots}
    if not kept:
        return {**data, "available": [], "periods": None, "min_dayparts": 0}
    return {**data, "available": kept, "periods": None}


def _year_changes(scenario: Scenario, old: Plan, new: Plan, keep: YearInForce
                  ) -> tuple[int, list[str], list[str]]:
    """How the school year changed: rows kept, moved (and why), left out (and why)."""
    if scenario.calendar is None:
        return 0, [], []
    teaching = new.assignments
    year = build_year(scenario, teaching)
    items = build_items(scenario, year)
    broken = hold(year, items, keep).broken
    why = {items[k].key: w for k, w in broken.items()}
    rows_old = {(r.cohort, r.session): r for r in old.sessions}
    rows_old |= {(r.group, r.index): r for r in old.meetings}
    rows_new = {(r.cohort, r.session): r for r in new.sessions}
    rows_new |= {(r.group, r.index): r for r in new.meetings}
    left_out = {(u.cohort, u.session) if u.kind == "session" else (u.group, u.index): u
                for u in new.unscheduled}
    sessions = {(r.cohort, r.session) for r in old.sessions}
    kept, moved, dropped = 0, [], []
    for key, row in rows_old.items():
        name = f"{key[0]}/{key[1]}" if key in sessions else f"{key[0]} meeting {key[1]}"
        after = rows_new.get(key)
        if after is not None and after == row:
            kept += 1
        elif after is not None:
            place = after.slots[0] if hasattr(after, "slots") else after.slot
            before = row.slots[0] if hasattr(row, "slots") else row.slot
            moved.append(f"{name}: {before} → {place} ({why.get(key, 'to make room')})")
        else:
            reasons = "; ".join(r.message for r in left_out[key].reasons) if key in left_out \
                else why.get(key, "")
            dropped.append(f"{name} (was {row.slots[0] if hasattr(row, 'slots') else row.slot}): "
                           f"{reasons or why.get(key, '')}")
    return kept, moved, dropped


def _add_demands(data: dict, rows: list[dict]) -> set[str]:
    schools = {s["id"]: s for s in data.get("schools", [])}
    problems: list[Problem] = []
    added: set[str] = set()
    for k, row in enumerate(rows):
        if not isinstance(row, dict):
            problems.append(Problem(f"add_demand[{k}]", f"a demand is a mapping of fields, "
                                                        f"not {type(row).__name__}"))
            continue
        row = dict(row)
        school = row.pop("school", None)
        if school not in schools:
            problems.append(Problem(f"add_demand[{k}].school",
                                    f"{school!r} is not a school of the scenario"))
            continue
        try:
            Demand.model_validate(row)
        except ValidationError as exc:
            problems += [Problem(f"add_demand[{k}].{'.'.join(map(str, e['loc']))}", e["msg"])
                         for e in exc.errors()]
            continue
        schools[school].setdefault("demands", []).append(row)
        added.add(row["id"])
    if problems:
        raise ScenarioError(problems, source="added demands")
    return added


def _affected(scenario: Scenario, plan: Plan, gone: set[str],
              from_date: dt.date | None) -> list[str]:
    out = []
    for s in plan.sessions:
        people = set(s.trainers) | set(scenario.cohort_by_id[s.cohort].participants)
        if people & gone and (from_date is None or s.slots[0].date >= from_date):
            out.append(f"{s.cohort}/{s.session} on {s.slots[0]} ({', '.join(sorted(people & gone))})")
    for m in plan.meetings:
        people = set(scenario.group_by_id[m.group].members)
        if people & gone and (from_date is None or m.slot.date >= from_date):
            out.append(f"{m.group} meeting {m.index} on {m.slot} "
                       f"({', '.join(sorted(people & gone))})")
    return out


def _compare(scenario: Scenario, old: Plan, result: Result, gone: set[str], new_demands: set[str],
             dropped: list[str], affected: list[str], from_date: dt.date | None) -> Replan:
    new = result.plan.assignments
    new_keys = {_key(a) for a in new}
    old_keys = {_key(a) for a in old.assignments}
    now_at = {_when(a): a for a in new}
    seat_new = {}
    for a in new:
        if _key(a) not in old_keys:
            seat_new.setdefault(_seat(a), []).append(a.instructor)
    seat_old_gone = {}
    for a in old.assignments:
        if _key(a) not in new_keys:
            seat_old_gone.setdefault(_seat(a), []).append(a.instructor)
    old_filled = {_seat(a) for a in old.assignments}
    kept = [a for a in new if _key(a) in old_keys]
    removed = []
    for a in old.assignments:
        if _key(a) in new_keys:
            continue
        if a.instructor in gone:
            why = f"{a.instructor} is no longer available"
        elif (there := now_at.get(_when(a))) is not None:
            why = f"{a.instructor} moves to {there.demand} at {there.school} in that slot"
        elif elsewhere := [b for b in new if b.instructor == a.instructor
                           and b.period == a.period and _key(b) not in old_keys]:
            b = elsewhere[0]
            why = (f"{a.instructor} takes {b.demand} at {b.school} {b.slot} instead "
                   f"(within their max_dayparts / max_schools)")
        elif takers := seat_new.get(_seat(a)):
            why = f"the seat goes to {', '.join(takers)}"
        else:
            why = "the plan scores higher without it (S1–S7, changes counted by S7)"
        removed.append(Change(a, why))
    added = []
    for a in new:
        if _key(a) in old_keys:
            continue
        if a.demand in new_demands:
            why = "a new demand"
        elif leavers := [w for w in seat_old_gone.get(_seat(a), []) if w in gone]:
            why = f"replaces {', '.join(leavers)}"
        elif others := seat_old_gone.get(_seat(a)):
            why = f"takes over from {', '.join(others)}"
        elif _seat(a) not in old_filled:
            why = "covers a seat that was empty"
        else:
            why = "fills a further seat of the demand"
        added.append(Change(a, why))
    return Replan(scenario, result, kept, removed, added, dropped, affected, from_date)
