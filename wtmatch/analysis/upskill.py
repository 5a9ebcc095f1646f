"""Who should follow which programme so that the open seats are covered (DOMAIN.md §8 grants).

A programme's ``grants`` raise skill levels and may qualify. For each
instructor of the pool and each programme that grants something they lack,
the open seats of the plan that the grant alone would open to them (H1, H5,
with H2, H6 and H13 already holding) are counted; the most promising
pairs are then re-solved with the grant applied, as :mod:`~wtmatch.analysis.fit`
and :mod:`~wtmatch.analysis.recruit` do, so that each gain is exact (and the
same on every run when both solves are proven optimal). The seats a
training unlocks are those the trainee fills in the re-solved plan that
they could not fill before, and ``train_by`` is the first day of the first
period in which the trainee teaches such a seat: the training must end
before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from wtmatch.assign.unfold import fold_result, unfold
from wtmatch.errors import WtmatchError
from wtmatch.plan import Plan
from wtmatch.scenario import Instructor, Scenario, from_data
from wtmatch.settings import Settings
from wtmatch.solve import solve


@dataclass(frozen=True)
class Training:
    """One instructor following one programme, and what it brings.

    Attributes
    ----------
    instructor, programme : str
    gain : int
        Objective with the grant applied minus the objective without it.
    seats : list of (str, str, str or None)
        (demand, weekly slot, period) seats the trainee fills that need the grant.
    train_by : date or None
        The training must end before this day (the first period in which the
        trainee teaches such a seat; the calendar's start without periods).
    proven : bool
        Both solves were proven optimal: the gain is exact.
    """

    instructor: str
    programme: str
    gain: int
    seats: list[tuple[str, str, str | None]]
    train_by: dt.date | None
    proven: bool

    def __str__(self) -> str:
        by = f", trained before {self.train_by}" if self.train_by else ""
        seats = ", ".join(f"{d} {s}" + (f" in {p}" if p else "") for d, s, p in self.seats)
        return (f"{self.instructor} follows {self.programme}: {self.gain:+,d}{by}"
                + (f"; teaches {seats}" if seats else ""))


@dataclass
class UpskillAdvice:
    """Trainings ranked by gain.

    Attributes
    ----------
    base_objective : int
        The objective of the plan re-solved without any training.
    trainings : list of Training
        Best first; each instructor at most once.
    tried : int
        Instructor × programme pairs re-solved.
    """

    base_objective: int
    trainings: list[Training] = field(default_factory=list)
    tried: int = 0

    def __str__(self) -> str:
        if not self.trainings:
            return ("no training opens an empty seat: no programme grants what the open "
                    "seats need to someone who could then take them")
        lines = [f"who to train (part A's objective without training "
                 f"{self.base_objective:,d}):"]
        lines += [f"  {k}. {t}" for k, t in enumerate(self.trainings, 1)]
        return "\n".join(lines)

    def as_cohorts(self, scenario: Scenario) -> list[dict]:
        """One cohort per programme, of the trainees that should follow it (for part B)."""
        taken = {c.id for c in scenario.cohorts}
        out = []
        for prog in dict.fromkeys(t.programme for t in self.trainings):
            cid, n = f"upskill-{prog}", 1
            while cid in taken:
                n += 1
                cid = f"upskill-{prog}-{n}"
            taken.add(cid)
            out.append({"id": cid, "programme": prog,
                        "participants": [t.instructor for t in self.trainings
                                         if t.programme == prog]})
        return out


def granted(instructor: Instructor, grants) -> Instructor | None:
    """The instructor after a programme with ``grants``; None when it changes nothing."""
    skills = dict(instructor.skills)
    for skill, level in grants.skills.items():
        skills[skill] = max(level, skills.get(skill, 0))
    qualified = instructor.qualified or grants.qualified
    if skills == instructor.skills and qualified == instructor.qualified:
        return None
    return instructor.model_copy(update={"skills": skills, "qualified": qualified})


def _could_take(scenario: Scenario, ins: Instructor, demand: str, slot, period) -> bool:
    """H1, H2, H5, H6 and H13 for one seat (the rules a grant may change, and the rest)."""
    dem = scenario.demand_by_id[demand]
    school = scenario.school_of_demand[demand]
    if ins.skills.get(dem.skill, 0) < dem.min_level or (dem.requires_qualified
                                                        and not ins.qualified):
        return False
    if period is not None and not (ins.released(period) and dem.runs(period)):
        return False
    if slot not in ins.weekly_slots(period):
        return False
    if ins.max_travel_km is not None and \
            scenario.km_instructor_school(ins, school) > ins.max_travel_km:
        return False
    return ins.regions is None or (school.region is not None and school.region in ins.regions)


def upskill(scenario: Scenario, plan: Plan | None = None, k: int = 3, *,
            settings: Settings | None = None, max_tries: int = 12,
            teach_from: str | None = None) -> UpskillAdvice:
    """Rank who should follow which programme so that open seats get covered.

    Parameters
    ----------
    scenario : Scenario
        Its programmes' ``grants`` say what each programme brings.
    plan : Plan, optional
        The plan in force: its open seats are the ones to cover. Default:
        the scenario solved with ``settings``.
    k : int
        How many trainings to return (each instructor once).
    settings : Settings, optional
        For every re-solve (``part`` is taken as ``assign``); default a 5 s limit.
    max_tries : int
        At most this many (instructor, programme) pairs are re-solved, those
        that open the most empty seats first.
    teach_from : str, optional
        A period id (§8): the trainees follow the programme before it and
        teach with the new skills from it on ("train in autumn, teach in
        spring"); earlier periods keep their skills. Default: from the start.

    Returns
    -------
    UpskillAdvice

    Raises
    ------
    WtmatchError
        When the scenario has no feasible plan, or no programme has grants.
    """
    settings = (settings or Settings(time_limit=5)).model_copy(update={"part": "assign"})
    order = [p.id for p in scenario.periods]
    if teach_from is not None and teach_from not in order:
        raise WtmatchError(f"teach_from: {teach_from!r} is not a period of the scenario"
                           + (f" ({', '.join(order)})" if order else " (it has none)"))
    later = set(order[order.index(teach_from):]) if teach_from else None
    programmes = [p for p in scenario.programmes if p.grants is not None]
    if not programmes:
        raise WtmatchError("no programme of the scenario has 'grants': nothing to train for")
    base = solve(scenario, settings)
    if base.objective is None:
        raise WtmatchError("the scenario has no feasible plan; fix it before training anyone")
    open_seats = [(u.demand, u.slot, u.period) for u in (plan or base.plan).uncovered
                  if later is None or u.period in later]
    pairs = []
    for ins in scenario.instructors:
        for prog in programmes:
            after = granted(ins, prog.grants)
            if after is None:
                continue
            opens = [s for s in open_seats if _could_take(scenario, after, *s)
                     and not _could_take(scenario, ins, *s)]
            if opens:
                pairs.append((-len(opens), ins.id, prog.id, after))
    pairs.sort(key=lambda p: p[:3])
    data = scenario.model_dump(mode="json", by_alias=True)
    start = base.plan.assignments
    found = []
    for _, who, prog, after in pairs[:max_tries]:
        if later is None:
            trial = {**data, "instructors": [after.model_dump(mode="json") if i["id"] == who
                                             else i for i in data["instructors"]]}
            res = solve(from_data(trial, source=f"{who} after {prog}"), settings, start=start)
        else:
            res = _solve_trained_from(scenario, who, after, later, settings)
        if res.objective is None or res.objective <= base.objective:
            continue
        before = scenario.instructor_by_id[who]
        seats = [(a.demand, str(a.slot), a.period) for a in res.plan.assignments
                 if a.instructor == who
                 and not _could_take(scenario, before, a.demand, a.slot, a.period)]
        found.append(Training(who, prog, res.objective - base.objective, seats,
                              _train_by(scenario, seats),
                              res.status == "optimal" and base.status == "optimal"))
    found.sort(key=lambda t: (-t.gain, t.instructor, t.programme))
    chosen, seen = [], set()
    for t in found:
        if t.instructor not in seen and len(chosen) < k:
            chosen.append(t)
            seen.add(t.instructor)
    return UpskillAdvice(base.objective, chosen, min(len(pairs), max_tries))


def _solve_trained_from(scenario: Scenario, who: str, after: Instructor, later: set[str],
                        settings: Settings):
    """Part A with ``who`` as ``after`` in the periods ``later`` only (per-period copies)."""
    unfolded = unfold(scenario)
    pc = unfolded.period_copies
    grown = {"skills": after.skills, "qualified": after.qualified}
    instructors = [i.model_copy(update=grown) if pc.origin[i.id] in
                   {(who, p) for p in later} else i for i in unfolded.instructors]
    # built afresh (a copy would carry the unfolded scenario's cached lookups)
    trial = Scenario.model_construct(**{**{f: getattr(unfolded, f)
                                           for f in Scenario.model_fields},
                                        "instructors": instructors})
    trial._period_copies = pc
    return fold_result(scenario, unfolded, solve(trial, settings))


def _train_by(scenario: Scenario, seats: list[tuple[str, str, str | None]]) -> dt.date | None:
    """The first day of the first period in which one of ``seats`` is taught."""
    starts = {p.id: p.from_ for p in scenario.periods}
    days = [starts[p] for _, _, p in seats if p in starts]
    if days:
        return min(days)
    return scenario.calendar.start if scenario.calendar is not None else None
