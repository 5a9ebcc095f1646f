"""Weekly and dated slots."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic_core import PydanticCustomError

from wtmatch.scenario.time import DatedSlot, WeeklySlot, parse_time_ref


def test_weekly_slot_parses_prints_and_orders():
    s = WeeklySlot.parse("wed:afternoon")
    assert (s.day_name, s.part_name, str(s), s.index) == ("wed", "afternoon", "wed:afternoon", 7)
    assert WeeklySlot.parse("mon:evening") < WeeklySlot.parse("tue:morning")
    assert WeeklySlot.of("wed", "afternoon") == s


@pytest.mark.parametrize("text", ["wed:noon", "sat:morning", "wed", "Wed:morning", "", 3, None])
def test_weekly_slot_rejects(text):
    with pytest.raises(PydanticCustomError, match="is not a weekly slot"):
        WeeklySlot.parse(text)


def test_dated_slot_parses_prints_and_knows_its_weekday():
    s = DatedSlot.parse("2026-10-07:evening")
    assert s.date == dt.date(2026, 10, 7) and str(s) == "2026-10-07:evening"
    assert s.weekly == WeeklySlot.parse("wed:evening")
    assert DatedSlot.parse("2026-10-07:evening") > DatedSlot.parse("2026-10-07:morning")


@pytest.mark.parametrize("text", ["2026-02-30:morning", "2026-10-07:noon", "2026-10-07",
                                  "07-10-2026:evening"])
def test_dated_slot_rejects(text):
    with pytest.raises(PydanticCustomError, match="is not a dated slot"):
        DatedSlot.parse(text)


def test_unavailability_accepts_three_forms():
    assert parse_time_ref("wed:evening") == WeeklySlot.parse("wed:evening")
    assert parse_time_ref("2026-10-07:evening") == DatedSlot.parse("2026-10-07:evening")
    assert parse_time_ref("2026-10-07") == dt.date(2026, 10, 7)
    with pytest.raises(PydanticCustomError, match="not a dated slot, a date or a weekly slot"):
        parse_time_ref("2026-13-01")
