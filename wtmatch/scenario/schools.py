"""Schools, their weekly demands, and assignment rows (pins, previous plans)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wtmatch.scenario.base import Id, Km, Level, Location, Model, Preference, Priority, TeachingSlot, count
from wtmatch.scenario.time import WeeklySlot


class Demand(Model):
    """A school's weekly need for a skill in fixed weekly slots.

    Each slot has ``instructors_needed`` seats. ``same_instructor`` says how
    continuity over the slots is treated: ``hard`` all or nothing (H11),
    ``soft`` penalised (S3), ``none`` ignored.
    """

    id: Id
    skill: str = Field(min_length=1)
    min_level: Level = 1
    slots: list[TeachingSlot] = Field(min_length=1)
    instructors_needed: count(50, least=1) = 1
    priority: Priority = 1
    requires_qualified: bool = False
    same_instructor: Literal["hard", "soft", "none"] = "soft"
    periods: list[Id] | None = Field(default=None, min_length=1)

    def runs(self, period: str) -> bool:
        """Whether the demand runs in ``period`` (§8; all periods by default)."""
        return self.periods is None or period in self.periods


class School(Model):
    """A school (PO primary, VO secondary, MBO vocational, KO childcare).

    ``reach`` (0..5) is the school's weight in S8 (reach), default 1.
    """

    id: Id
    name: str = ""
    type: Literal["PO", "VO", "MBO", "KO"] = "PO"
    region: str | None = None
    location: Location | None = None
    reach: count(5) = 1
    preferences: dict[str, Preference] = Field(default_factory=dict)
    demands: list[Demand] = Field(default_factory=list)


class AssignmentRef(Model):
    """An (instructor, demand, slot[, period]) row: a pin or a previous-plan row.

    ``period`` is required in a scenario with periods and refused without.
    """

    instructor: Id
    demand: Id
    slot: WeeklySlot
    period: Id | None = None

    @property
    def key(self) -> tuple[str, str, WeeklySlot] | tuple[str, str, WeeklySlot, str]:
        """The row's identity: with its period when it has one."""
        if self.period is None:
            return (self.instructor, self.demand, self.slot)
        return (self.instructor, self.demand, self.slot, self.period)


class TravelOverride(Model):
    """An explicit distance between two located ids (either direction)."""

    from_: Id = Field(alias="from")
    to: Id
    km: Km

    model_config = Model.model_config | {"populate_by_name": True, "serialize_by_alias": True}
