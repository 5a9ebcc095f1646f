"""Weekly and dated slots: the time units of DOMAIN.md §2.

A :class:`WeeklySlot` is a weekday and a daypart (``"wed:morning"``), a
:class:`DatedSlot` a calendar date and a daypart (``"2026-10-07:evening"``).
Both are immutable, ordered, hashable, and read from and written to JSON as
their string form.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
PARTS: tuple[str, ...] = ("morning", "afternoon", "evening")
TEACHING_PARTS: tuple[str, ...] = ("morning", "afternoon")
N_WEEKLY_SLOTS = len(DAYS) * len(PARTS)

_DAY_INDEX = {d: i for i, d in enumerate(DAYS)}
_PART_INDEX = {p: i for i, p in enumerate(PARTS)}
_DATED_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}):([a-z]+)$")


def part_index(part: str) -> int:
    """Position of a daypart in the day (morning 0, afternoon 1, evening 2)."""
    return _PART_INDEX[part]


def _string_schema(cls: type, pattern: str, description: str) -> Any:
    """Core schema shared by the slot types: parse from str, dump as str."""
    return core_schema.no_info_plain_validator_function(
        cls.parse,
        serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="always"),
        metadata={"pattern": pattern, "description": description},
    )


def _json_schema(pattern: str, description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern, "description": description}


@dataclass(frozen=True, order=True, slots=True)
class WeeklySlot:
    """A weekday and a daypart, e.g. ``wed:morning``.

    Ordering is chronological within the week (by day, then daypart).

    Parameters
    ----------
    day : int
        0 (mon) to 4 (fri).
    part : int
        0 (morning), 1 (afternoon) or 2 (evening).
    """

    day: int
    part: int

    PATTERN: ClassVar[str] = r"^(mon|tue|wed|thu|fri):(morning|afternoon|evening)$"

    @classmethod
    def parse(cls, value: Any) -> WeeklySlot:
        """Read ``"<day>:<part>"``; raise a pydantic-friendly error otherwise."""
        if isinstance(value, WeeklySlot):
            return value
        if isinstance(value, str):
            day, sep, part = value.partition(":")
            if sep and day in _DAY_INDEX and part in _PART_INDEX:
                return cls(_DAY_INDEX[day], _PART_INDEX[part])
        raise PydanticCustomError(
            "weekly_slot", "{value} is not a weekly slot (like 'wed:morning')", {"value": repr(value)}
        )

    @classmethod
    def of(cls, day: str, part: str) -> WeeklySlot:
        """Build from names, e.g. ``WeeklySlot.of("wed", "morning")``."""
        return cls(_DAY_INDEX[day], _PART_INDEX[part])

    @property
    def day_name(self) -> str:
        return DAYS[self.day]

    @property
    def part_name(self) -> str:
        return PARTS[self.part]

    @property
    def index(self) -> int:
        """Dense index 0..14 over the week, for arrays."""
        return self.day * len(PARTS) + self.part

    @property
    def is_evening(self) -> bool:
        return self.part == _PART_INDEX["evening"]

    def __str__(self) -> str:
        return f"{DAYS[self.day]}:{PARTS[self.part]}"

    def __repr__(self) -> str:
        return f"WeeklySlot('{self}')"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return _string_schema(cls, cls.PATTERN, "weekly slot '<day>:<part>'")

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict:
        return _json_schema(cls.PATTERN, "A weekly slot '<day>:<part>', e.g. 'wed:morning'.")


@dataclass(frozen=True, order=True, slots=True)
class DatedSlot:
    """A calendar date and a daypart, e.g. ``2026-10-07:evening``.

    Parameters
    ----------
    date : datetime.date
    part : int
        0 (morning), 1 (afternoon) or 2 (evening).
    """

    date: dt.date
    part: int

    PATTERN: ClassVar[str] = r"^\d{4}-\d{2}-\d{2}:(morning|afternoon|evening)$"

    @classmethod
    def parse(cls, value: Any) -> DatedSlot:
        """Read ``"<ISO date>:<part>"``; raise a pydantic-friendly error otherwise."""
        if isinstance(value, DatedSlot):
            return value
        if isinstance(value, str):
            m = _DATED_RE.match(value)
            if m and m.group(2) in _PART_INDEX:
                try:
                    return cls(dt.date.fromisoformat(m.group(1)), _PART_INDEX[m.group(2)])
                except ValueError:
                    pass
        raise PydanticCustomError(
            "dated_slot",
            "{value} is not a dated slot (like '2026-10-07:evening')",
            {"value": repr(value)},
        )

    @classmethod
    def of(cls, date: dt.date | str, part: str) -> DatedSlot:
        """Build from a date (or ISO string) and a daypart name."""
        d = dt.date.fromisoformat(date) if isinstance(date, str) else date
        return cls(d, _PART_INDEX[part])

    @property
    def part_name(self) -> str:
        return PARTS[self.part]

    @property
    def weekly(self) -> WeeklySlot:
        """The weekly slot this dated slot falls on (weekdays only)."""
        wd = self.date.weekday()
        if wd > 4:
            raise ValueError(f"{self} is not on a weekday")
        return WeeklySlot(wd, self.part)

    def __str__(self) -> str:
        return f"{self.date.isoformat()}:{PARTS[self.part]}"

    def __repr__(self) -> str:
        return f"DatedSlot('{self}')"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return _string_schema(cls, cls.PATTERN, "dated slot '<date>:<part>'")

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict:
        return _json_schema(cls.PATTERN, "A dated slot '<ISO date>:<part>', e.g. '2026-10-07:evening'.")


def parse_time_ref(value: Any) -> WeeklySlot | DatedSlot | dt.date:
    """Read an unavailability entry: a dated slot, a whole date or a weekly slot."""
    if isinstance(value, (WeeklySlot, DatedSlot, dt.date)):
        return value
    if isinstance(value, str):
        for parser in (WeeklySlot.parse, DatedSlot.parse):
            try:
                return parser(value)
            except PydanticCustomError:
                pass
        if len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
    raise PydanticCustomError(
        "time_ref", "{value} is not a dated slot, a date or a weekly slot", {"value": repr(value)}
    )


class TimeRef:
    """Pydantic marker type for entries of ``unavailable`` lists."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(
            parse_time_ref,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: v.isoformat() if isinstance(v, dt.date) else str(v), when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict:
        return {
            "type": "string",
            "description": "A dated slot ('2026-10-07:evening'), a date ('2026-10-07') "
            "or a weekly slot ('wed:evening').",
        }


def teaching_slot(slot: WeeklySlot) -> WeeklySlot:
    """After-validator: demand slots and availability are mornings and afternoons."""
    if slot.is_evening:
        raise PydanticCustomError(
            "evening_slot",
            "{value} is an evening slot; teaching slots are mornings and afternoons only",
            {"value": repr(str(slot))},
        )
    return slot
