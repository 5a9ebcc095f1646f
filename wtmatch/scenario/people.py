"""People of the scenario: employers, instructors, trainers, participants."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wtmatch.scenario.base import (
    Dayparts,
    HoursBudget,
    Id,
    Km,
    Level,
    Location,
    Model,
    Preference,
    TeachingSlot,
    count,
)
from wtmatch.scenario.time import TimeRef, WeeklySlot


class Employer(Model):
    """An instructor's employer, which caps how many of its people are away at once.

    Attributes
    ----------
    max_absent_per_slot : int or None
        At most this many of its instructors teach in any one weekly slot
        (H9); ``None`` means unlimited.
    """

    id: Id
    name: str = ""
    max_absent_per_slot: count(100_000) | None = None


class Instructor(Model):
    """A member of the pool who can teach at schools (part A).

    ``max_dayparts`` defaults to the number of available slots; use
    :attr:`capacity` for the effective value. ``None`` in ``max_schools`` and
    ``max_travel_km`` means unlimited.
    """

    id: Id
    name: str = ""
    kind: Literal["hybrid", "teacher", "assistant", "side_entrant"] = "hybrid"
    employer: Id | None = None
    region: str | None = None
    location: Location | None = None
    skills: dict[str, Level] = Field(default_factory=dict)
    qualified: bool = False
    available: list[TeachingSlot] = Field(default_factory=list)
    min_dayparts: Dayparts = 0
    max_dayparts: Dayparts | None = None
    max_schools: count(1_000) | None = None
    max_travel_km: Km | None = None
    regions: list[str] | None = None
    preferences: dict[str, Preference] = Field(default_factory=dict)

    @property
    def capacity(self) -> int:
        """Effective ``max_dayparts`` (H4)."""
        return len(self.available) if self.max_dayparts is None else self.max_dayparts


class Trainer(Model):
    """A trainer of programmes (part B): certified, or a trainee (buddy)."""

    id: Id
    name: str = ""
    location: Location | None = None
    certified: list[Id] = Field(default_factory=list)
    trainee: list[Id] = Field(default_factory=list)
    max_hours: HoursBudget | None = None
    weekly_unavailable: list[WeeklySlot] = Field(default_factory=list)
    unavailable: list[TimeRef] = Field(default_factory=list)


class Participant(Model):
    """A participant of cohorts (e.g. a school leader), with an hours budget."""

    id: Id
    name: str = ""
    school: Id | None = None
    location: Location | None = None
    max_hours: HoursBudget | None = None
    weekly_unavailable: list[WeeklySlot] = Field(default_factory=list)
    unavailable: list[TimeRef] = Field(default_factory=list)


class Person(Model):
    """One human being, merged over every role they appear in.

    Built by :meth:`wtmatch.Scenario.persons`: unavailability is the union
    over roles and ``max_hours`` the smallest given.
    """

    id: Id
    roles: tuple[str, ...]
    max_hours: float | None = None
    weekly_unavailable: frozenset[WeeklySlot] = frozenset()
    unavailable: frozenset[TimeRef] = frozenset()
