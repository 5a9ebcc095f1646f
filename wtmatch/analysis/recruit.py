"""Whom should the partnership recruit next? Profiles from the uncovered demand, chosen by CP-SAT.

Candidate profiles come from the seats the best plan leaves empty: one per
(skill, region) among them, with the highest level those seats ask, a
teaching qualification when any of them requires one, the weekly slots of
those seats as availability, ``dayparts`` dayparts a week at most, living
at the centre of those schools and working in that region. One CP-SAT
model (:mod:`wtmatch.solver.analysis.recruit`) then re-plans the whole pool
with at most ``k`` of them recruited — the existing instructors may move
to make room — for k = 0 … K: the coverage curve.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field, replace

import numpy as np

from wtmatch.assign.candidates import Pool, build_candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.greedy import extend
from wtmatch.budget import Budget
from wtmatch.errors import WtmatchError, refuse_periods
from wtmatch.plan import Plan
from wtmatch.scenario import Scenario, WeeklySlot, from_data
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.solver.analysis.recruit import solve_recruitment
from wtmatch.solver.cpsat.options import CpOptions


@dataclass(frozen=True)
class Profile:
    """A candidate recruit: what to look for.

    Attributes
    ----------
    id : str
        ``R1``, ``R2`` … (prefixed so as not to clash with the scenario's ids).
    skill : str
    level : int
    region : str or None
    qualified : bool
    slots : tuple of WeeklySlot
    dayparts : int
    location : (lat, lon) or None
    """

    id: str
    skill: str
    level: int
    region: str | None
    qualified: bool
    slots: tuple[WeeklySlot, ...]
    dayparts: int
    location: tuple[float, float] | None

    def __str__(self) -> str:
        where = f" in {self.region}" if self.region else ""
        q = ", qualified teacher" if self.qualified else ""
        return (f"{self.skill} ≥ {self.level}{where}{q}, {self.dayparts} dayparts among "
                f"{', '.join(map(str, self.slots))}")

    def instructor(self) -> dict:
        """The profile as an instructor of DOMAIN.md §3."""
        out = {"id": self.id, "name": f"recruit: {self}", "skills": {self.skill: self.level},
               "qualified": self.qualified, "available": [str(s) for s in self.slots],
               "max_dayparts": self.dayparts}
        if self.region:
            out["region"] = self.region
            out["regions"] = [self.region]
        if self.location:
            out["location"] = {"lat": self.location[0], "lon": self.location[1]}
        return out


@dataclass(frozen=True)
class CurvePoint:
    """The best plan with at most ``k`` recruits."""

    k: int
    objective: int
    coverage_pct: float
    filled: int
    recruited: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Step:
    """From the best plan with ``k − 1`` recruits to the best with ``k``.

    ``added`` enter the optimum (usually one), ``left`` leave it (when the
    best pair is not the best single plus one more), ``gain`` is the
    objective's rise.
    """

    k: int
    added: tuple[str, ...]
    left: tuple[str, ...]
    gain: int


@dataclass
class RecruitAdvice:
    """Profiles to recruit, in the order the coverage curve adds them.

    Attributes
    ----------
    profiles : list of Profile
        Every candidate profile considered.
    curve : list of CurvePoint
        k = 0 … K: the best plan with at most k recruits.
    chosen : list of (Profile, int)
        The recruits of the best plan with K recruits, in the order they enter
        the optimum as k grows, each with the marginal gain of that step of
        the curve (the objective with k recruits less with k − 1): one
        ranking, the curve's own.
    steps : list of Step
        Each step of the curve: who enters, who leaves, the gain.
    """

    profiles: list[Profile]
    curve: list[CurvePoint]
    chosen: list[tuple[Profile, int]] = field(default_factory=list)
    seats: int = 0
    steps: list[Step] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{len(self.profiles)} candidate profile(s) from the uncovered seats"]
        for p in self.curve:
            lines.append(f"  k={p.k}: objective {p.objective:,d}, coverage {p.coverage_pct:.1f} % "
                         f"({p.filled}/{self.seats} seats) {', '.join(p.recruited)}")
        if self.chosen:
            lines.append("recruit, in the order the curve adds them:")
            by_id = {p.id: p for p in self.profiles}
            final = set(self.curve[-1].recruited)
            for step in self.steps:
                for r in step.added:
                    if r in final:
                        left = f" (instead of {', '.join(step.left)})" if step.left else ""
                        lines.append(f"  k={step.k}: {r}: {by_id[r]} — marginal gain "
                                     f"{step.gain:+,d}{left}")
        return "\n".join(lines)


def candidate_profiles(scenario: Scenario, settings: Settings, dayparts: int = 4,
                       plan: Plan | None = None) -> list[Profile]:
    """Profiles from the seats the best plan of ``scenario`` (or ``plan``) leaves empty."""
    plan = plan or solve(scenario, settings.model_copy(update={"part": "assign"})).plan
    groups: dict[tuple[str, str | None], list] = defaultdict(list)
    for seat in plan.uncovered:
        dem = scenario.demand_by_id[seat.demand]
        school = scenario.school_of_demand[dem.id]
        groups[(dem.skill, school.region)].append((dem, school, seat.slot))
    out = []
    for n, ((skill, region), seats) in enumerate(sorted(groups.items(),
                                                        key=lambda kv: (kv[0][0], kv[0][1] or "")),
                                                  1):
        located = [s.location for _, s, _ in seats if s.location]
        where = (round(float(np.mean([x.lat for x in located])), 5),
                 round(float(np.mean([x.lon for x in located])), 5)) if located else None
        slots = tuple(sorted({slot for _, _, slot in seats} |
                             {x for dem, _, _ in seats
                              if dem.same_instructor == "hard" for x in dem.slots}))
        out.append(Profile(f"R{n}", skill, max(d.min_level for d, _, _ in seats), region,
                           any(d.requires_qualified for d, _, _ in seats), slots,
                           min(dayparts, len(slots)), where))
    return out


def recruit(scenario: Scenario, k: int = 3, *, settings: Settings | None = None,
            dayparts: int = 4, cost: int = 1) -> RecruitAdvice:
    """Advise which K instructor profiles to recruit, with the curve for 1..K recruits.

    Parameters
    ----------
    scenario : Scenario
    k : int
        How many recruits at most.
    settings : Settings, optional
        For every solve (default 10 s each).
    dayparts : int
        Weekly dayparts a recruit offers at most.
    cost : int
        Objective cost of a recruit (≥ 1: a recruit that adds nothing is not advised).

    Returns
    -------
    RecruitAdvice
    """
    refuse_periods(scenario, "recruit")
    if k < 0:
        raise WtmatchError(f"k must be ≥ 0, got {k}")
    settings = (settings or Settings()).model_copy(update={"part": "assign"})
    best = solve(scenario, settings).plan
    result_rows = best.assignments
    profiles = candidate_profiles(scenario, settings, dayparts, best)
    data = scenario.model_dump(mode="json", by_alias=True)
    # Recruit ids must not be any id of the scenario: a shared id would make the
    # recruit the same person as someone there (a participant, a group member).
    used = _ids(data)
    while {p.id for p in profiles} & used:
        profiles = [replace(p, id=f"recruit-{p.id}") for p in profiles]
    data["instructors"] = [*data["instructors"], *(p.instructor() for p in profiles)]
    extended = from_data(data, source="with candidate recruits")
    cands = build_candidates(Pool.of(extended))
    pins = dict(enumerate(cands.find_rows(extended.pinned)))
    if any(v is None for v in pins.values()):
        raise WtmatchError("a pin cannot hold; run `wtmatch solve` for the reasons")
    pos = cands.pool.instructor_pos
    virtual = [pos[p.id] for p in profiles]
    by_pos = dict(zip(virtual, profiles, strict=True))
    seats = sum(len(d.slots) * d.instructors_needed for d in scenario.demand_by_id.values())

    def value(chosen: np.ndarray) -> int:
        return int(sum(assign_terms(cands, chosen).values()))

    def best_with(kk: int, forbid: set[int] = frozenset(), start: np.ndarray | None = None
                  ) -> tuple[np.ndarray, str]:
        res = solve_recruitment(cands, pins, virtual, kk, cost, CpOptions.of(settings),
                                Budget.start(settings.time_limit, settings.reproducible),
                                forbid, start)
        if res.status in ("infeasible", "unknown") and start is None:
            raise WtmatchError(f"no plan with {kk} recruit(s) ({res.status})")
        # The start is a plan with fewer recruits: never report worse than it.
        if start is not None and (res.status in ("infeasible", "unknown")
                                  or net(start) > net(res.chosen)):
            return start, "feasible"
        return res.chosen, res.status

    def recruited(chosen: np.ndarray) -> list[int]:
        return sorted(set(cands.i[chosen].tolist()) & set(virtual))

    def net(chosen: np.ndarray) -> int:
        """What the model maximises: the objective less the cost of the recruits."""
        return value(chosen) - cost * len(recruited(chosen))

    base = np.array(sorted(p for p in cands.find_rows(result_rows) if p is not None),
                    dtype=np.int64)
    curve, plans = [], []
    start = base
    for kk in range(k + 1):
        if kk:
            start = _greedy_recruit(cands, start, [v for v in virtual
                                                   if v not in recruited(start)], net)
        chosen, status = best_with(kk, start=start)
        plans.append(chosen)
        curve.append(CurvePoint(kk, value(chosen), 100.0 * len(chosen) / max(1, seats),
                                len(chosen), tuple(by_pos[v].id for v in recruited(chosen)),
                                status))
        start = chosen
    steps = [Step(cur.k, tuple(sorted(set(cur.recruited) - set(prev.recruited))),
                  tuple(sorted(set(prev.recruited) - set(cur.recruited))),
                  cur.objective - prev.objective) for prev, cur in itertools.pairwise(curve)]
    # One ranking, the curve's: the K-plan's recruits in the order they (last) enter it.
    final = set(curve[-1].recruited)
    entered: dict[str, Step] = {}
    for step in steps:
        for r in step.added:
            entered[r] = step
    by_id = {p.id: p for p in profiles}
    order = sorted((r for r in final), key=lambda r: (entered[r].k, r))
    chosen = [(by_id[r], entered[r].gain) for r in order]
    return RecruitAdvice(profiles, curve, chosen, seats, steps)


def _greedy_recruit(cands, chosen: np.ndarray, profiles: list[int], net) -> np.ndarray:
    """A start for one more recruit: the plan plus the profile whose seats add most,
    when that is more than the recruit costs (``net`` counts the cost)."""
    best, best_value = chosen, net(chosen)
    for v in profiles:
        trial = extend(cands, chosen, np.flatnonzero(cands.i == v))
        if (tv := net(trial)) > best_value:
            best, best_value = trial, tv
    return best


def _ids(node) -> set[str]:
    """Every id in a scenario document, and every person named in a group or cohort."""
    out: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "id" and isinstance(value, str):
                out.add(value)
            elif key in ("members", "participants") and isinstance(value, list):
                out.update(v for v in value if isinstance(v, str))
            else:
                out |= _ids(value)
    elif isinstance(node, list):
        for item in node:
            out |= _ids(item)
    return out
