"""The root of a scenario file (DOMAIN.md §3 and §8, ``"format": "wtmatch/2"``; v1 read as §9 says)."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationError, model_serializer, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from wtmatch.errors import Problem
from wtmatch.geo import Distances
from wtmatch.scenario.base import UNION_TAGS, Model
from wtmatch.scenario.extras import unknown_fields
from wtmatch.scenario.magnitude import objective_range_problems
from wtmatch.scenario.people import Employer, Instructor, Participant, Person, Trainer
from wtmatch.scenario.periods import period_problems, strip_v2_fields, version_problems
from wtmatch.scenario.references import check_references
from wtmatch.scenario.schools import AssignmentRef, Demand, School, TravelOverride
from wtmatch.scenario.settings import ScenarioSettings, Weights
from wtmatch.scenario.time import DatedSlot, WeeklySlot
from wtmatch.scenario.training import Calendar, Cohort, Group, Period, Programme, Session, Venue


class Scenario(Model):
    """A whole planning scenario: the pool, the schools, the training year.

    Every section is optional. Construction validates fields *and* the
    cross-reference rules and reports every problem at once; use
    :func:`wtmatch.scenario.from_data` or :func:`wtmatch.load` to get them as
    a :class:`~wtmatch.errors.ScenarioError`.
    """

    format: Literal["wtmatch/1", "wtmatch/2"] = "wtmatch/2"
    name: str = ""
    settings: ScenarioSettings = Field(default_factory=ScenarioSettings)
    employers: list[Employer] = Field(default_factory=list)
    instructors: list[Instructor] = Field(default_factory=list)
    schools: list[School] = Field(default_factory=list)
    pinned: list[AssignmentRef] = Field(default_factory=list)
    previous_plan: list[AssignmentRef] = Field(default_factory=list)
    travel_km: list[TravelOverride] = Field(default_factory=list)
    calendar: Calendar | None = None
    trainers: list[Trainer] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    venues: list[Venue] = Field(default_factory=list)
    programmes: list[Programme] = Field(default_factory=list)
    cohorts: list[Cohort] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    # Set on the per-period copies of part A (wtmatch.assign.unfold), never read from a file.
    _period_copies: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _validate_everything(cls, data: Any, handler: Any) -> Scenario:
        # Field errors and cross-reference errors are gathered in one pass, so
        # a planner fixing a file sees every problem at once, not one per run.
        if isinstance(data, Scenario):
            return data
        details: list[InitErrorDetails] = []
        model = None
        try:
            model = handler(data)
        except ValidationError as exc:
            details.extend(_as_details(exc))
        raw = data if isinstance(data, dict) else None
        if raw is None and model is not None:
            raw = model.model_dump(mode="json", by_alias=True)
        # A misspelt section or field comes first: the problems it causes follow from it.
        typos = unknown_fields(raw, cls)[0]
        if typos:
            details[:0] = [InitErrorDetails(
                type=PydanticCustomError("reference", "{msg}", {"msg": p.message}),
                loc=_path_to_loc(p.path), input=None) for p in typos]
        for problem in [*version_problems(raw), *check_references(raw), *period_problems(raw)]:
            details.append(
                InitErrorDetails(
                    type=PydanticCustomError("reference", "{msg}", {"msg": problem.message}),
                    loc=_path_to_loc(problem.path),
                    input=None,
                )
            )
        if model is not None and not details:
            for problem in objective_range_problems(model):
                details.append(InitErrorDetails(
                    type=PydanticCustomError("objective_range", "{msg}", {"msg": problem.message}),
                    loc=_path_to_loc(problem.path), input=None))
        if details:
            raise ValidationError.from_exception_data(cls.__name__, details)
        return model

    @model_serializer(mode="wrap")
    def _as_its_version(self, handler: Any) -> Any:
        out = handler(self)
        if self.format == "wtmatch/1" and isinstance(out, dict):
            strip_v2_fields(out)
        return out

    # ---- periods (§8) --------------------------------------------------
    @cached_property
    def periods(self) -> list[Period]:
        """Part A's periods in date order; empty for a scenario without periods."""
        return self.calendar.ordered_periods() if self.calendar is not None else []

    @property
    def period_copies(self) -> Any:
        """How an unfolded scenario's copies relate (:class:`~wtmatch.assign.unfold.PeriodCopies`).

        None for a scenario as read from a file.
        """
        return self._period_copies

    @cached_property
    def weeks(self) -> dict[str, int]:
        """``weeks(p)`` of each period (distinct ISO weeks with one of its school days)."""
        return self.calendar.weeks() if self.calendar is not None else {}

    # ---- lookups -------------------------------------------------------
    @cached_property
    def employer_by_id(self) -> dict[str, Employer]:
        return {e.id: e for e in self.employers}

    @cached_property
    def instructor_by_id(self) -> dict[str, Instructor]:
        return {i.id: i for i in self.instructors}

    @cached_property
    def school_by_id(self) -> dict[str, School]:
        return {s.id: s for s in self.schools}

    @cached_property
    def demand_by_id(self) -> dict[str, Demand]:
        return {d.id: d for s in self.schools for d in s.demands}

    @cached_property
    def school_of_demand(self) -> dict[str, School]:
        return {d.id: s for s in self.schools for d in s.demands}

    @cached_property
    def trainer_by_id(self) -> dict[str, Trainer]:
        return {t.id: t for t in self.trainers}

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def venue_by_id(self) -> dict[str, Venue]:
        return {v.id: v for v in self.venues}

    @cached_property
    def programme_by_id(self) -> dict[str, Programme]:
        return {p.id: p for p in self.programmes}

    @cached_property
    def cohort_by_id(self) -> dict[str, Cohort]:
        return {c.id: c for c in self.cohorts}

    @cached_property
    def group_by_id(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups}

    def session_of(self, cohort: str, session: str) -> Session | None:
        """The programme session ``session`` of cohort ``cohort``, if both exist."""
        coh = self.cohort_by_id.get(cohort)
        prog = self.programme_by_id.get(coh.programme) if coh else None
        if prog is None:
            return None
        return next((s for s in prog.sessions if s.id == session), None)

    @cached_property
    def persons(self) -> dict[str, Person]:
        """Every person by id, merged over roles (union of unavailability, min hours).

        Roles: instructor, trainer, participant, and member (of a group).
        """
        roles: dict[str, list[str]] = {}
        hours: dict[str, float] = {}
        weekly: dict[str, set[WeeklySlot]] = {}
        dated: dict[str, set[Any]] = {}
        for role, people in (("instructor", self.instructors), ("trainer", self.trainers),
                             ("participant", self.participants)):
            for p in people:
                roles.setdefault(p.id, []).append(role)
                weekly.setdefault(p.id, set())
                dated.setdefault(p.id, set())
                mh = getattr(p, "max_hours", None)
                if mh is not None:
                    hours[p.id] = min(mh, hours.get(p.id, mh))
                weekly[p.id].update(getattr(p, "weekly_unavailable", ()))
                for ref in getattr(p, "unavailable", ()):
                    (weekly[p.id] if isinstance(ref, WeeklySlot) else dated[p.id]).add(ref)
        for grp in self.groups:
            for pid in grp.members:
                if "member" not in roles.setdefault(pid, []):
                    roles[pid].append("member")
                weekly.setdefault(pid, set())
                dated.setdefault(pid, set())
        return {
            pid: Person(id=pid, roles=tuple(r), max_hours=hours.get(pid),
                        weekly_unavailable=frozenset(weekly[pid]),
                        unavailable=frozenset(dated[pid]))
            for pid, r in roles.items()
        }

    # ---- distances -----------------------------------------------------
    @cached_property
    def distances(self) -> Distances:
        """Integer-km helper with this scenario's ``travel_km`` overrides."""
        return Distances((t.from_, t.to, t.km) for t in self.travel_km)

    def km_instructor_school(self, instructor: Instructor, school: School) -> int:
        """km(home, school) as used by H6 and S2."""
        return self.distances.km(instructor.id, _pair(instructor.location),
                                 school.id, _pair(school.location))

    def km_schools(self, a: School, b: School) -> int:
        """km between two schools, as used by H8."""
        return self.distances.km(a.id, _pair(a.location), b.id, _pair(b.location))

    def km_trainer_venue(self, trainer: Trainer, venue: Venue) -> int:
        """km(trainer, venue), as used by S23."""
        return self.distances.km(trainer.id, _pair(trainer.location),
                                 venue.id, _pair(venue.location))

    # ---- the calendar --------------------------------------------------
    def person_unavailable(self, person_id: str, slot: DatedSlot) -> bool:
        """True when the merged person cannot be used in dated ``slot`` (H23)."""
        p = self.persons.get(person_id)
        if p is None:
            return False
        return _blocked_by(slot, p.weekly_unavailable, p.unavailable)

    def venue_unavailable(self, venue: Venue, slot: DatedSlot) -> bool:
        """True when ``venue`` cannot host anything in dated ``slot`` (H23)."""
        weekly = {r for r in venue.unavailable if isinstance(r, WeeklySlot)}
        return _blocked_by(slot, weekly, set(venue.unavailable) - weekly)

    def describe(self) -> str:
        """A short, human-readable summary of what the scenario holds."""
        seats = sum(len(d.slots) * d.instructors_needed for s in self.schools for d in s.demands)
        n_dem = sum(len(s.demands) for s in self.schools)
        regions = sorted({s.region for s in self.schools if s.region})
        lines = [f"scenario {self.name!r}" if self.name else "scenario",
                 f"  part A: {len(self.instructors)} instructors, {len(self.employers)} employers, "
                 f"{len(self.schools)} schools, {n_dem} demands, {seats} seats",
                 f"          {len(self.pinned)} pins, {len(self.previous_plan)} previous-plan rows"]
        if regions:
            lines.append(f"          regions: {', '.join(regions)}")
        if self.calendar is not None:
            n_days = len(self.calendar.school_days())
            n_ses = sum(len(self.programme_by_id[c.programme].sessions) for c in self.cohorts)
            n_meet = sum(g.meetings for g in self.groups)
            lines.append(
                f"  part B: {self.calendar.start} to {self.calendar.end} ({n_days} school days), "
                f"{len(self.programmes)} programmes, {len(self.cohorts)} cohorts "
                f"({n_ses} sessions), {len(self.groups)} groups ({n_meet} meetings), "
                f"{len(self.trainers)} trainers, {len(self.participants)} participants, "
                f"{len(self.venues)} venues")
        return "\n".join(lines)


def _pair(loc: Any) -> tuple[float, float] | None:
    return None if loc is None else (loc.lat, loc.lon)


def _blocked_by(slot: DatedSlot, weekly: Any, dated: Any) -> bool:
    wd = slot.date.weekday()
    if wd < 5 and WeeklySlot(wd, slot.part) in weekly:
        return True
    return slot in dated or slot.date in dated


def _path_to_loc(path: str) -> tuple[str | int, ...]:
    """``schools[3].demands[0].id`` → ``("schools", 3, "demands", 0, "id")``."""
    loc: list[str | int] = []
    for part in path.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("[") and part.endswith("]") and part[1:-1].isdigit():
            loc.append(int(part[1:-1]))
        else:
            loc.append(part)
    return tuple(loc)


def _as_details(exc: ValidationError) -> list[InitErrorDetails]:
    """Re-wrap pydantic errors so they can be merged with our own."""
    out = []
    for err in exc.errors():
        out.append(InitErrorDetails(
            type=PydanticCustomError(err["type"], "{msg}", {"msg": err["msg"]}),
            loc=err["loc"], input=err.get("input")))
    return out


def problems_from(exc: ValidationError) -> list[Problem]:
    """The (path, message) problems of a pydantic ``ValidationError``."""
    out = []
    for err in exc.errors():
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] == "extra_forbidden" and tuple(err["loc"][:2]) == ("settings", "weights"):
            known = ", ".join(Weights.model_fields)
            msg = f"{err['loc'][-1]!r} is not a weight name (known: {known})"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field (not part of the format)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        inp = err.get("input")
        if err["type"] not in _SELF_DESCRIBING and isinstance(inp, (int, float, str, bool)):
            msg = f"{msg} (got {inp!r})"
        out.append(Problem(loc_to_path(err["loc"]), msg))
    return out


_SELF_DESCRIBING = {"reference", "weekly_slot", "dated_slot", "time_ref", "evening_slot",
                    "extra_forbidden", "missing", "date_order", "gap_order", "calendar_span",
                    "objective_range"}


def loc_to_path(loc: tuple[str | int, ...]) -> str:
    """``("schools", 3, "demands", 0)`` → ``schools[3].demands[0]``."""
    out = ""
    for part in loc:
        if part in UNION_TAGS:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out

