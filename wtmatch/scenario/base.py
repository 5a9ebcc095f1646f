"""Building blocks shared by the scenario models."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from wtmatch.scenario.time import WeeklySlot, teaching_slot

Id = Annotated[str, StringConstraints(min_length=1)]
"""An identifier: any non-empty string."""

Level = Annotated[int, Field(ge=1, le=5)]
Preference = Annotated[int, Field(ge=-2, le=2)]
Priority = Annotated[int, Field(ge=1, le=5)]
NonNegInt = Annotated[int, Field(ge=0)]
NonNegFloat = Annotated[float, Field(ge=0)]
TeachingSlot = Annotated[WeeklySlot, AfterValidator(teaching_slot)]
"""A weekly slot in the morning or afternoon (demands and availability)."""


class Model(BaseModel):
    """Base of every scenario model: immutable; unknown fields kept.

    Unknown fields are kept as they are (round trips preserve them); one
    that looks like a typo of a known field (``max_dayparst``) is reported
    as an error by :func:`wtmatch.scenario.extras.unknown_fields`.
    """

    model_config = ConfigDict(frozen=True, extra="allow", validate_default=False)


class Location(Model):
    """A point on the map, in degrees."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)

    @property
    def pair(self) -> tuple[float, float]:
        return (self.lat, self.lon)
