"""Where would one new (or returning) instructor help most?

Every seat the instructor is eligible for (H1, H2, H5, H6) is a place. The
gain of a place is the objective of the best plan with the instructor
pinned there, minus the objective of the best plan without the instructor
— both re-solved with the same settings, so the gain is the newcomer's
alone and not a better search. Places are ranked by gain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pydantic import ValidationError

from wtmatch.assign.candidates import Pool, build_candidates, slot_of
from wtmatch.errors import ScenarioError, WtmatchError
from wtmatch.plan import Plan
from wtmatch.scenario import Instructor, Scenario, WeeklySlot, from_data
from wtmatch.scenario.scenario import problems_from
from wtmatch.settings import Settings
from wtmatch.solve import solve


@dataclass(frozen=True)
class Fit:
    """One place for the instructor and what it is worth.

    Attributes
    ----------
    demand, school : str
    slot : WeeklySlot
    gain : int
        Objective with the instructor pinned here minus the objective without them.
    was_uncovered : bool
        The seat is empty in the given plan.
    proven : bool
        Both solves were proven optimal, so the gain is exact.
    """

    demand: str
    school: str
    slot: WeeklySlot
    gain: int
    was_uncovered: bool
    proven: bool
    period: str | None = None

    def __str__(self) -> str:
        empty = " (an empty seat today)" if self.was_uncovered else ""
        when = "" if self.period is None else f" in {self.period}"
        return f"{self.demand} at {self.school} {self.slot}{when}: {self.gain:+,d}{empty}"


@dataclass
class FitAdvice:
    """Ranked places for one instructor.

    Attributes
    ----------
    instructor : str
    base_objective : int
        Best objective without the instructor.
    free_gain : int
        Gain when the solver places the instructor freely (possibly in several seats).
    free_rows : list of (demand, school, slot)
        Where the free solve puts them.
    fits : list of Fit
        Best first.
    """

    instructor: str
    base_objective: int
    free_gain: int
    free_rows: list[tuple[str, str, WeeklySlot]]
    fits: list[Fit] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.instructor}: best places (objective without them "
                 f"{self.base_objective:,d}); placed freely: {self.free_gain:+,d}"]
        lines += [f"  {k}. {f}" for k, f in enumerate(self.fits, 1)]
        return "\n".join(lines)


def recommend_fit(scenario: Scenario, plan: Plan | None, instructor: Instructor | dict | str, *,
                  top: int = 5, settings: Settings | None = None,
                  max_places: int = 40) -> FitAdvice:
    """Rank the places (demand seats) for one new or returning instructor.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan or None
        The plan in force (to mark seats that are empty today).
    instructor : Instructor, dict or str
        A new instructor (model or dict of DOMAIN.md §3 fields), or the id of
        one in the scenario (a returning instructor: compared with the plan
        without them).
    top : int
        How many places to return.
    settings : Settings, optional
        For every re-solve (``part`` is taken as ``assign``); default a 5 s
        limit. Gains are exact (``Fit.proven``) when the solves are proven
        optimal, and then the same on every run.
    max_places : int
        At most this many places are re-solved, those whose seat is worth
        most (S1 + S4) first.

    Returns
    -------
    FitAdvice
    """
    if isinstance(instructor, str):
        if instructor not in scenario.instructor_by_id:
            raise WtmatchError(f"no instructor {instructor!r} in the scenario")
        newcomer = scenario.instructor_by_id[instructor].model_dump(mode="json")
    elif isinstance(instructor, Instructor):
        newcomer = instructor.model_dump(mode="json")
    else:
        try:
            newcomer = Instructor.model_validate(instructor).model_dump(mode="json")
        except ValidationError as exc:
            raise ScenarioError(problems_from(exc), source="the instructor") from None
    who = newcomer.get("id")
    if not who:
        raise WtmatchError("the instructor needs an 'id'")
    data = scenario.model_dump(mode="json", by_alias=True)
    others = [i for i in data["instructors"] if i["id"] != who]
    data["pinned"] = [p for p in data.get("pinned", []) if p["instructor"] != who]
    # Without them: present (schools' preferences may name them) but never available.
    absent = {**newcomer, "available": [], "periods": None, "min_dayparts": 0}
    data["instructors"] = [*others, absent]
    without = from_data(data, source="without the instructor")
    data["instructors"] = [*others, newcomer]
    with_them = from_data(data, source="with the instructor")
    settings = (settings or Settings(time_limit=5)).model_copy(
        update={"part": "assign"})

    base = solve(without, settings)
    # Every other solve starts from the plan without them (a warm start, never binding).
    start = base.plan.assignments
    free = solve(with_them, settings, start=start)
    if base.objective is None or free.objective is None:
        raise WtmatchError("the scenario has no feasible plan; fix it before placing anyone")
    cands = build_candidates(Pool.of(with_them))
    pool = cands.pool
    # with periods (§8) the pool holds the newcomer's copy in each period
    copies = pool.scenario.period_copies
    person = (lambda x: x) if copies is None else copies.person
    period_of = (lambda x: None) if copies is None else (lambda x: copies.origin[x][1])
    theirs = [k for k, x in enumerate(pool.instructor_ids) if person(x) == who]
    mine = np.flatnonzero(np.isin(cands.i, theirs))
    mine = mine[np.argsort(-cands.value[mine], kind="stable")][:max_places]
    empty = {(u.demand, str(u.slot), u.period) for u in (plan.uncovered if plan else [])}
    fits = []
    for p in mine.tolist():
        copy = pool.demand_ids[int(cands.d[p])]
        demand, period = person(copy), period_of(copy)
        slot = slot_of(int(cands.t[p]))
        pin = {"instructor": who, "demand": demand, "slot": str(slot)}
        pinned = from_data({**data, "pinned": [*data["pinned"], pin if period is None
                                               else {**pin, "period": period}]})
        res = solve(pinned, settings, start=start)
        if res.objective is None:
            continue   # the pin clashes with other pins: not a place
        fits.append(Fit(demand, with_them.school_of_demand[demand].id, slot,
                        res.objective - base.objective, (demand, str(slot), period) in empty,
                        res.status == "optimal" and base.status == "optimal", period))
    fits.sort(key=lambda f: (-f.gain, f.demand, f.slot, f.period or ""))
    rows = sorted(((a.demand, a.school, a.slot) for a in free.plan.assignments
                   if a.instructor == who), key=lambda r: (r[2], r[0]))
    return FitAdvice(who, base.objective, free.objective - base.objective, rows, fits[:top])
