"""Part B: the calendar, venues, programmes of sessions, cohorts and groups."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from wtmatch.scenario.base import MAX_DAYS, Days, Hours, Id, Level, Location, Model, Priority, count
from wtmatch.scenario.time import PARTS, TimeRef

Part = Literal["morning", "afternoon", "evening"]
Mode = Literal["online", "physical"]


class DateRange(Model):
    """Dates ``from``–``to``, inclusive, in order."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    name: str = ""

    model_config = Model.model_config | {"populate_by_name": True, "serialize_by_alias": True}

    @model_validator(mode="after")
    def _in_order(self) -> DateRange:
        if self.to < self.from_:
            raise PydanticCustomError(
                "date_order", "'to' ({to}) is before 'from' ({frm})",
                {"to": str(self.to), "frm": str(self.from_)},
            )
        return self


class BlockedRange(DateRange):
    """Dates without sessions or meetings (a holiday), ``from``–``to`` inclusive."""


class Period(DateRange):
    """A part of the school year in which part A plans one weekly pattern (§8).

    ``from``–``to`` inclusive, within the calendar; periods do not overlap.
    """

    id: Id

    def holds(self, date: dt.date) -> bool:
        """Whether ``date`` lies in the period."""
        return self.from_ <= date <= self.to


class Calendar(Model):
    """The school year: weekdays from ``start`` to ``end`` (inclusive) minus ``blocked``.

    ``daypart_times`` gives the clock times of each daypart (for calendar
    exports); the defaults are morning 08:30–12:00, afternoon 13:00–15:00,
    evening 15:30–17:30.
    """

    start: dt.date
    end: dt.date
    blocked: list[BlockedRange] = Field(default_factory=list)
    study_days: list[dt.date] = Field(default_factory=list)
    periods: list[Period] = Field(default_factory=list)
    daypart_times: dict[Part, tuple[dt.time, dt.time]] = Field(
        default_factory=lambda: {
            "morning": (dt.time(8, 30), dt.time(12, 0)),
            "afternoon": (dt.time(13, 0), dt.time(15, 0)),
            "evening": (dt.time(15, 30), dt.time(17, 30)),
        }
    )

    @model_validator(mode="after")
    def _in_order(self) -> Calendar:
        if self.end < self.start:
            raise PydanticCustomError(
                "date_order", "'end' ({end}) is before 'start' ({start})",
                {"end": str(self.end), "start": str(self.start)},
            )
        if (self.end - self.start).days >= MAX_DAYS:
            raise PydanticCustomError(
                "calendar_span", "a calendar of {days} days; at most {most} (two school years)",
                {"days": (self.end - self.start).days + 1, "most": MAX_DAYS})
        for part, (a, b) in self.daypart_times.items():
            if b <= a:
                raise PydanticCustomError(
                    "date_order", "daypart_times.{part}: ends ({b}) before it starts ({a})",
                    {"part": part, "a": str(a), "b": str(b)})
        return self

    def blocked_dates(self) -> set[dt.date]:
        """Every date of the calendar inside a blocked range."""
        out: set[dt.date] = set()
        for b in self.blocked:
            d = max(b.from_, self.start)
            while d <= min(b.to, self.end):
                out.add(d)
                d += dt.timedelta(days=1)
        return out

    def ordered_periods(self) -> list[Period]:
        """The periods in date order (by ``from``)."""
        return sorted(self.periods, key=lambda p: p.from_)

    def weeks(self) -> dict[str, int]:
        """``weeks(p)`` of every period: distinct ISO weeks holding one of its school days."""
        found: dict[str, set[tuple[int, int]]] = {p.id: set() for p in self.periods}
        ordered = self.ordered_periods()
        for day in self.school_days():
            for p in ordered:
                if p.holds(day):
                    found[p.id].add(day.isocalendar()[:2])
                    break
        return {pid: len(w) for pid, w in found.items()}

    def school_days(self) -> list[dt.date]:
        """Weekdays from ``start`` to ``end``, not blocked, in order."""
        blocked = self.blocked_dates()
        days = []
        d = self.start
        while d <= self.end:
            if d.weekday() < 5 and d not in blocked:
                days.append(d)
            d += dt.timedelta(days=1)
        return days


class Venue(Model):
    """A room for physical sessions and meetings; hosts one thing per dated slot."""

    id: Id
    name: str = ""
    capacity: count(100_000)
    location: Location | None = None
    unavailable: list[TimeRef] = Field(default_factory=list)


class Session(Model):
    """One session of a programme.

    ``hours`` defaults to 2 × ``dayparts``. A two-daypart session takes the
    morning and afternoon of one date. ``after`` names the session (of the
    same programme) this one follows, ``min_gap_days``–``max_gap_days``
    calendar days later (H21).
    """

    id: Id
    hours: Hours | None = None
    dayparts: Literal[1, 2] = 1
    mode: Mode = "physical"
    trainers: count(3, least=1) = 1
    parts: list[Part] = Field(default_factory=lambda: list(PARTS), min_length=1)
    after: Id | None = None
    min_gap_days: Days = 0
    max_gap_days: Days | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Session:
        if self.max_gap_days is not None and self.max_gap_days < self.min_gap_days:
            raise PydanticCustomError(
                "gap_order", "max_gap_days ({mx}) is below min_gap_days ({mn})",
                {"mx": self.max_gap_days, "mn": self.min_gap_days},
            )
        return self

    @property
    def duration_hours(self) -> float:
        """Effective ``hours`` (default 2 × dayparts)."""
        return 2.0 * self.dayparts if self.hours is None else self.hours


class Grants(Model):
    """What completing a programme brings (§8): skill levels raised, a qualification.

    Grants change no rule of parts A or B; they are the data of the
    upskilling analysis (:mod:`wtmatch.analysis.upskill`).
    """

    skills: dict[str, Level] = Field(default_factory=dict)
    qualified: bool = False


class Programme(Model):
    """A train-the-trainer or course programme: ordered sessions."""

    id: Id
    name: str = ""
    sessions: list[Session] = Field(default_factory=list)
    grants: Grants | None = None


class Cohort(Model):
    """A group of participants following one programme together."""

    id: Id
    programme: Id
    participants: list[Id] = Field(default_factory=list)
    priority: Priority = 1


class Group(Model):
    """A knowledge-network group that meets ``meetings`` times a year."""

    id: Id
    name: str = ""
    kind: Literal["plg", "workgroup", "projectgroup"] = "plg"
    members: list[Id] = Field(default_factory=list)
    meetings: count(366, least=1) = 4
    hours: Hours = 2
    parts: list[Part] = Field(default_factory=lambda: list(PARTS), min_length=1)
    mode: Mode = "physical"
    min_spacing_days: Days = 0
