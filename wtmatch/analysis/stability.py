"""Is an allocation fair to those who volunteered? Blocking pairs of a weekly plan.

An instructor ``i`` and a seat of school ``c`` (demand ``d``, slot ``s``)
**block** a plan when all of these hold:

1. ``i`` is eligible for the seat (H1, H2, H5, H6) and does not hold it;
2. ``i`` gains: in slot ``s`` they teach at a school ``c'`` they like less
   than ``c`` (preference of ``i`` for ``c`` > for ``c'``), or they are free
   then and like ``c`` (preference > 0);
3. the school gains: the seat is empty and the school does not dislike
   ``i`` (its preference for ``i`` ≥ 0), or the seat is full and the school
   prefers ``i`` to the holder it likes least, who gives the seat up;
4. the move — ``i`` takes the seat, leaving their slot-``s`` assignment and
   displacing that holder — breaks no hard rule H1–H12 (checked by the
   independent checker on the plan after the move; pins never move).

Preferences are the scenario's ``preferences`` (−2..2, missing = 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from wtmatch.analysis.explain import PlanView, why_not_at_school
from wtmatch.assign.candidates import slot_index, slot_of
from wtmatch.assign.plan_rows import feasible_plan
from wtmatch.assign.unfold import period_view, rows_of
from wtmatch.budget import Budget
from wtmatch.errors import WtmatchError, refuse_periods
from wtmatch.plan import Assignment, Plan
from wtmatch.scenario import Scenario, WeeklySlot
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.solver.analysis.stable import Cut, solve_with_cuts
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.verify import assign as rules


@dataclass(frozen=True)
class BlockingPair:
    """An instructor and a school seat that both prefer each other to what they have.

    Attributes
    ----------
    instructor, school, demand : str
    slot : WeeklySlot
    leaves : Assignment or None
        The instructor's assignment in that slot they would give up.
    displaces : str or None
        The holder the school would replace (None: the seat is empty).
    """

    instructor: str
    school: str
    demand: str
    slot: WeeklySlot
    leaves: Assignment | None
    displaces: str | None
    period: str | None = None

    def __str__(self) -> str:
        gives = (f"leaving {self.leaves.demand} at {self.leaves.school}" if self.leaves
                 else "in a free daypart")
        takes = f"replacing {self.displaces}" if self.displaces else "on an empty seat"
        when = "" if self.period is None else f" in {self.period}"
        return (f"{self.instructor} and {self.school} ({self.demand} {self.slot}{when}): "
                f"{self.instructor} would come {gives}, {takes}")


@dataclass
class Stability:
    """The blocking pairs of a plan, and why people and schools miss their favourites.

    Attributes
    ----------
    blocking : list of BlockingPair
    per_instructor : dict of str to dict of str to list of str
        For each instructor, each school they prefer (> 0) and do not teach
        at: the reasons per demand slot.
    per_school : dict of str to dict of str to list of str
        For each school, each instructor it prefers (> 0) who does not teach
        there: the reasons per demand slot.
    """

    blocking: list[BlockingPair]
    per_instructor: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    per_school: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def stable(self) -> bool:
        return not self.blocking

    def __str__(self) -> str:
        lines = [f"{len(self.blocking)} blocking pair(s)"]
        lines += [f"  {b}" for b in self.blocking]
        for title, table in (("instructors", self.per_instructor), ("schools", self.per_school)):
            if table:
                other_kind = "school" if title == "instructors" else "instructor"
                lines.append(f"why not my preferred {other_kind} ({title}):")
                for who, per in table.items():
                    for other, reasons in per.items():
                        more = f"; and {len(reasons) - 3} more" if len(reasons) > 3 else ""
                        lines.append(f"  {who} → {other}: " + "; ".join(reasons[:3]) + more)
        return "\n".join(lines)


def stability(scenario: Scenario, plan: Plan) -> Stability:
    """The blocking pairs of a plan's weekly assignments (see the module's definition).

    Parameters
    ----------
    scenario : Scenario
    plan : Plan

    Returns
    -------
    Stability
        With periods (DOMAIN.md §8), each period's weekly pattern on its own:
        a blocking pair names its period, a school missed is "S in T1".
    """
    if scenario.periods:
        return _per_period(scenario, plan)
    view = PlanView.of(scenario, plan)
    cands = view.cands
    pool = cands.pool
    rows = list(plan.assignments)
    at = {(a.instructor, a.slot): a for a in rows}
    pinned = {(p.instructor, p.demand, p.slot) for p in scenario.pinned}
    blocking = []
    for p in _instructor_gains(scenario, view).tolist():
        who = pool.instructor_ids[int(cands.i[p])]
        dem_id = pool.demand_ids[int(cands.d[p])]
        school = pool.school_ids[int(cands.s[p])]
        dem = scenario.demand_by_id[dem_id]
        slot = slot_of(int(cands.t[p]))
        leaves = at.get((who, slot))   # condition 2 holds: see _instructor_gains
        theirs = scenario.school_by_id[school].preferences
        seat = view.holders.get((dem_id, slot), [])
        displaces = None
        if len(seat) >= dem.instructors_needed:
            displaces = min(seat, key=lambda h: (theirs.get(h, 0), h))
            if theirs.get(who, 0) <= theirs.get(displaces, 0):
                continue
        elif theirs.get(who, 0) < 0:
            continue
        gone = {(who, leaves.demand, leaves.slot)} if leaves else set()
        if displaces:
            gone.add((displaces, dem_id, slot))
        if gone & pinned:
            continue
        after = [a for a in rows if (a.instructor, a.demand, a.slot) not in gone]
        after.append(Assignment(instructor=who, demand=dem_id, school=school, slot=slot))
        if _legal(scenario, after):
            blocking.append(BlockingPair(who, school, dem_id, slot, leaves, displaces))
    return Stability(blocking, *_why_not_preferred(scenario, plan, view))


def _instructor_gains(scenario: Scenario, view: PlanView) -> np.ndarray:
    """Candidate positions not in the plan whose instructor likes the school more than
    the one they teach at in that slot (or, free then, likes it): condition 2, with numpy,
    so the rest is checked on these few only."""
    cands, pool = view.cands, view.cands.pool
    likes = np.zeros((len(pool.instructor_ids), len(pool.school_ids)), dtype=np.int64)
    school_pos = {sid: k for k, sid in enumerate(pool.school_ids)}
    for ins in scenario.instructors:
        for school, pref in ins.preferences.items():
            if school in school_pos:
                likes[pool.instructor_pos[ins.id], school_pos[school]] = pref
    chosen = view.chosen
    now = np.zeros((len(pool.instructor_ids), 10), dtype=np.int64)
    now[cands.i[chosen], cands.t[chosen]] = likes[cands.i[chosen], cands.s[chosen]]
    outside = np.ones(len(cands), dtype=bool)
    outside[chosen] = False
    return np.flatnonzero(outside & (likes[cands.i, cands.s] > now[cands.i, cands.t]))


def _legal(scenario: Scenario, assignments: list[Assignment]) -> bool:
    out: list = []
    trial = Plan(scenario=scenario.name, status="feasible", assignments=assignments)
    kept = rules.well_formed_rows(scenario, trial, out)
    rules.check_rules(scenario, kept, out)
    return not out


def _why_not_preferred(scenario: Scenario, plan: Plan, view: PlanView):
    teaches: dict[str, set[str]] = {}
    for a in plan.assignments:
        teaches.setdefault(a.instructor, set()).add(a.school)
    per_instructor: dict[str, dict[str, list[str]]] = {}
    for ins in scenario.instructors:
        for school, pref in ins.preferences.items():
            if pref > 0 and school in scenario.school_by_id and \
                    school not in teaches.get(ins.id, set()):
                per_instructor.setdefault(ins.id, {})[school] = why_not_at_school(
                    scenario, plan, view, ins.id, school)
    per_school: dict[str, dict[str, list[str]]] = {}
    for sch in scenario.schools:
        for who, pref in sch.preferences.items():
            if pref > 0 and who in scenario.instructor_by_id and \
                    sch.id not in teaches.get(who, set()):
                per_school.setdefault(sch.id, {})[who] = why_not_at_school(
                    scenario, plan, view, who, sch.id)
    return per_instructor, per_school



@dataclass
class StablePlan:
    """The best plan without blocking pairs among the plans of best coverage, and its cost.

    Attributes
    ----------
    plan : Plan or None
        None when no plan of best coverage is free of blocking pairs (or
        ``max_rounds`` ran out first; see ``stable``).
    best_objective : int
        The objective of the best plan (stable or not).
    objective : int or None
    cost : int or None
        ``best_objective − objective``: what stability costs.
    rounds : int
        Solves with cuts.
    stable : bool
        The returned plan has no blocking pair.
    blocking_left : list of BlockingPair
        Of the last plan, when the rounds ran out.
    """

    plan: Plan | None
    best_objective: int
    objective: int | None
    rounds: int
    stable: bool
    blocking_left: list[BlockingPair] = field(default_factory=list)

    @property
    def cost(self) -> int | None:
        return None if self.objective is None else self.best_objective - self.objective

    def __str__(self) -> str:
        if self.plan is None:
            return (f"no plan of best coverage is free of blocking pairs "
                    f"({self.rounds} round(s)); best objective {self.best_objective:,d}")
        head = "stable plan" if self.stable else "plan with blocking pairs left"
        return (f"{head} among the plans of best coverage: objective {self.objective:,d}, "
                f"best {self.best_objective:,d}, stability costs {self.cost:,d} "
                f"({self.rounds} round(s))")


def _per_period(scenario: Scenario, plan: Plan) -> Stability:
    blocking: list[BlockingPair] = []
    per_instructor: dict[str, dict[str, list[str]]] = {}
    per_school: dict[str, dict[str, list[str]]] = {}
    for period in (p.id for p in scenario.periods):
        part = stability(period_view(scenario, period), rows_of(plan, period))
        blocking += [replace(b, period=period) for b in part.blocking]
        for merged, table in ((per_instructor, part.per_instructor),
                              (per_school, part.per_school)):
            for who, per in table.items():
                merged.setdefault(who, {}).update(
                    {f"{other} in {period}": reasons for other, reasons in per.items()})
    return Stability(blocking, per_instructor, per_school)


def stable_plan(scenario: Scenario, settings=None, max_rounds: int = 25,
                best=None) -> StablePlan:
    """Solve part A for the best plan with no blocking pair, among the plans of best coverage.

    The best plan is solved first; its coverage (Σ priority of filled seats)
    becomes a floor. Then, round by round, every blocking pair of the current
    plan is cut off (see :mod:`wtmatch.solver.analysis.stable`) and the model
    solved again, until a plan has none, no plan is left, or ``max_rounds``.

    Parameters
    ----------
    scenario : Scenario
    settings : Settings, optional
        For every solve (``part`` is taken as ``assign``).
    max_rounds : int
    best : wtmatch.solve.Result, optional
        The unrestricted part A result, when already solved.

    Returns
    -------
    StablePlan
    """
    refuse_periods(scenario, "stable_plan")

    settings = (settings or Settings()).model_copy(update={"part": "assign"})
    best = best or solve(scenario, settings)
    if best.objective is None:
        raise WtmatchError(f"the scenario has no plan ({best.status}); nothing to make stable")
    view = PlanView.of(scenario, best.plan)
    cands, chosen = view.cands, view.chosen
    pins = dict(enumerate(cands.find_rows(scenario.pinned)))
    floor = int(cands.pool.d_priority[cands.d[chosen]].sum())
    plan, cuts, rounds = best.plan, [], 0
    while True:
        found = stability(scenario, plan).blocking
        if not found:
            return StablePlan(plan, best.objective, plan.objective, rounds, True)
        if rounds >= max_rounds:
            return StablePlan(plan, best.objective, plan.objective, rounds, False, found)
        cuts += [_cut(cands, chosen, scenario, b) for b in found]
        rounds += 1
        out = solve_with_cuts(cands, pins, CpOptions.of(settings),
                              Budget.start(settings.time_limit, settings.reproducible), floor,
                              cuts, hint=chosen)
        if out.status in ("infeasible", "unknown"):
            return StablePlan(None, best.objective, None, rounds, False)
        chosen = out.chosen
        plan = feasible_plan(cands, chosen, best.plan.solver)


def _cut(cands, chosen, scenario: Scenario, pair: BlockingPair):
    """The configuration that makes ``pair`` block, over the triples that decide it."""

    pool = cands.pool
    i = pool.instructor_pos[pair.instructor]
    t = slot_index(pair.slot)
    demands = [pool.demand_pos[pair.demand]]
    if pair.leaves is not None:
        demands.append(pool.demand_pos[pair.leaves.demand])
    relevant = (cands.i == i) | np.isin(cands.d, demands)
    e = int(pool.employer[i])
    if e >= 0:
        relevant |= (pool.employer[cands.i] == e) & (cands.t == t)
    picked = np.zeros(len(cands), dtype=bool)
    picked[chosen] = True
    return Cut(np.flatnonzero(relevant & picked), np.flatnonzero(relevant & ~picked))
