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


class School(Model):
    """A school (PO primary, VO secondary, MBO vocational, KO childcare)."""

    id: Id
    name: str = ""
    type: Literal["PO", "VO", "MBO", "KO"] = "PO"
    region: str | None = None
    location: Location | None = None
    preferences: dict[str, Preference] = Field(default_factory=dict)
    demands: list[Demand] = Field(default_factory=list)


class AssignmentRef(Model):
    """An (instructor, demand, slot) row: a pin or a previous-plan row."""

    instructor: Id
    demand: Id
    slot: WeeklySlot

    @property
    def key(self) -> tuple[str, str, WeeklySlot]:
        return (self.instructor, self.demand, self.slot)


class TravelOverride(Model):
    """An explicit distance between two located ids (either direction)."""

    from_: Id = Field(alias="from")
    to: Id
    km: Km

    model_config = Model.model_config | {"populate_by_name": True, "serialize_by_alias": True}
