"""Building blocks shared by the scenario models."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StringConstraints

from wtmatch.scenario.time import WeeklySlot, teaching_slot

Id = Annotated[str, StringConstraints(min_length=1)]
"""An identifier: any non-empty string."""

# Ranges a real scenario never reaches and the solver can always represent. Numbers
# are strict: "6", true or 6.0 for a count is bad input, not silently converted.
SLOTS_PER_WEEK = 10
"""Teaching slots of a week (mornings and afternoons): the most dayparts anyone can teach."""
MAX_KM = 40_000
"""Longest distance (km) a limit or an override may give: the earth's circumference."""
MAX_DAYS = 731
"""Longest span of days (a calendar, a gap, a spacing): two years."""
MAX_HOURS = 10_000
"""Largest hours budget of a person (a year has 8,784 hours)."""
MAX_WEIGHT = 10**9
"""Largest objective weight; the objective's largest value is checked as a whole too."""

Level = Annotated[int, Strict(), Field(ge=1, le=5)]
Preference = Annotated[int, Strict(), Field(ge=-2, le=2)]
Priority = Annotated[int, Strict(), Field(ge=1, le=5)]
Dayparts = Annotated[int, Strict(), Field(ge=0, le=SLOTS_PER_WEEK)]
"""A number of weekly teaching dayparts (0..10)."""
Km = Annotated[float, Strict(), Field(ge=0, le=MAX_KM)]
"""A distance in km (0..40,000)."""
Days = Annotated[int, Strict(), Field(ge=0, le=MAX_DAYS)]
"""A number of calendar days (0..731)."""
def _hundredths(value: float) -> float:
    # Part B counts hours exactly, in the smallest unit any value needs: 1e-300 h
    # would make that unit, and every coefficient, astronomically large.
    if round(value, 2) != value:
        raise ValueError(f"hours are given to at most two decimals (hundredths of an hour), "
                         f"not {value!r}")
    return value


HoursBudget = Annotated[float, Strict(), Field(ge=0, le=MAX_HOURS), AfterValidator(_hundredths)]
"""A person's hours budget (0..10,000, to the hundredth)."""
Hours = Annotated[float, Strict(), Field(gt=0, le=24), AfterValidator(_hundredths)]
"""The hours of one session or meeting (more than 0, at most a day, to the hundredth)."""
Weight = Annotated[int, Strict(), Field(ge=0, le=MAX_WEIGHT)]
"""An objective weight (0..10⁹)."""


def count(most: int, least: int = 0) -> object:
    """A strict integer in ``least..most``."""
    return Annotated[int, Strict(), Field(ge=least, le=most)]
# Tags of the two forms of ``available``: pydantic puts them in error locations, from
# which :func:`wtmatch.scenario.scenario.loc_to_path` drops them again.
WEEKLY_LIST = "<weekly slots>"
PERIOD_MAP = "<slots by period>"
UNION_TAGS = frozenset({WEEKLY_LIST, PERIOD_MAP})

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

    lat: Annotated[float, Strict()] = Field(ge=-90, le=90)
    lon: Annotated[float, Strict()] = Field(ge=-180, le=180)

    @property
    def pair(self) -> tuple[float, float]:
        return (self.lat, self.lon)
