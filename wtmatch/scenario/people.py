"""People of the scenario: employers, instructors, trainers, participants."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from wtmatch.scenario.base import (
    PERIOD_MAP,
    WEEKLY_LIST,
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


def _availability_form(value: Any) -> str:
    return PERIOD_MAP if isinstance(value, dict) else WEEKLY_LIST


Availability = Annotated[
    Annotated[list[TeachingSlot], Tag(WEEKLY_LIST)] | Annotated[dict[Id, list[TeachingSlot]],
                                                                Tag(PERIOD_MAP)],
    Discriminator(_availability_form)]
"""Weekly slots, or (§8) period ids mapped to weekly slots."""


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
    available: Availability = Field(default_factory=list)
    periods: list[Id] | None = Field(default=None, min_length=1)
    min_dayparts: Dayparts = 0
    max_dayparts: Dayparts | None = None
    max_schools: count(1_000) | None = None
    max_travel_km: Km | None = None
    regions: list[str] | None = None
    preferences: dict[str, Preference] = Field(default_factory=dict)

    @property
    def capacity(self) -> int:
        """Effective ``max_dayparts`` (H4) of a weekly ``available`` list."""
        return len(self.weekly_slots()) if self.max_dayparts is None else self.max_dayparts

    def weekly_slots(self, period: str | None = None) -> list[WeeklySlot]:
        """The weekly slots the instructor is available in ``period``.

        Without ``period``: the ``available`` list (empty for the mapping form,
        which only makes sense per period). With it: the mapping's slots for
        that period, or the list when the instructor is released then, else
        none (DOMAIN.md §8).
        """
        if isinstance(self.available, dict):
            return list(self.available.get(period, ())) if period is not None else []
        if period is not None and self.periods is not None and period not in self.periods:
            return []
        return list(self.available)

    def released(self, period: str) -> bool:
        """Whether the instructor is released in ``period`` (§8)."""
        if isinstance(self.available, dict):
            return period in self.available
        return self.periods is None or period in self.periods

    def capacity_in(self, period: str | None) -> int:
        """Effective ``max_dayparts`` in ``period`` (H4 holds per period)."""
        if self.max_dayparts is not None:
            return self.max_dayparts
        return len(self.weekly_slots(period))


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
