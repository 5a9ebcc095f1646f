"""Reading one spreadsheet cell: numbers, yes/no, dates, slots, lists — in Dutch or English.

Every reader takes the raw cell (a string from CSV, or whatever openpyxl
gives: ``int``, ``float``, ``bool``, ``datetime``) and returns the value in
the scenario format's JSON form, or raises :class:`CellError` with a message
a planner understands. Ranges (a level of 7, a negative capacity) are left
to the scenario's own validation, which reports them at the same cell.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from wtmatch.scenario.time import DAYS, PARTS


class CellError(ValueError):
    """A cell that cannot be read as what its column holds."""


DAY_WORDS: dict[str, str] = {
    **{d: d for d in DAYS},
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
    "ma": "mon", "di": "tue", "wo": "wed", "do": "thu", "vr": "fri",
    "maandag": "mon", "dinsdag": "tue", "woensdag": "wed", "donderdag": "thu", "vrijdag": "fri",
}
"""Weekday names accepted in slots: English, English abbreviations, Dutch, Dutch abbreviations."""

PART_WORDS: dict[str, str] = {
    **{p: p for p in PARTS},
    "ochtend": "morning", "middag": "afternoon", "avond": "evening",
}
"""Daypart names accepted in slots and ``parts``: English and Dutch."""

_TRUE = {"yes", "y", "true", "1", "x", "ja", "j", "waar", "wahr"}
_FALSE = {"no", "n", "false", "0", "nee", "onwaar"}

_SPLIT = re.compile(r"[;,\n|]+")
_SLOT = re.compile(r"^([a-z]+)\s*[:\s/\-]\s*([a-z]+)$")
_KEY_NUMBER = re.compile(r"^(.+?)\s*[:=]?\s*([+-]?\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def is_blank(value: Any) -> bool:
    """True for an empty cell (``None`` or only white space)."""
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A cell as text; numbers that are whole come out without ``.0`` (ids like 1234)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return as_date(value)
    return str(value).strip()


def as_int(value: Any) -> int:
    """A whole number (``3``, ``3.0`` from a workbook, ``" 3 "``)."""
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"{value!r} is not a whole number")
    s = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", s):
        return int(s)
    if re.fullmatch(r"[+-]?\d+[.,]0+", s):
        return int(s.replace(",", ".").split(".")[0])
    raise CellError(f"{s!r} is not a whole number")


def as_float(value: Any) -> float:
    """A number; a Dutch decimal comma (``52,22``) is accepted."""
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).strip()
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        raise CellError(f"{str(value).strip()!r} is not a number") from None


def as_bool(value: Any) -> bool:
    """yes/no in English or Dutch (ja/nee, waar/onwaar), true/false, 1/0, x."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError(f"{str(value).strip()!r} is not yes or no (ja/nee, true/false, 1/0)")


def as_date(value: Any) -> str:
    """An ISO date string from a workbook date, ``2026-10-07`` or Dutch ``7-10-2026``."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).strip()
    m = _ISO_DATE.match(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DUTCH_DATE.match(s)
        if not m:
            raise CellError(f"{s!r} is not a date (like 2026-10-07 or 7-10-2026)")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError as exc:
        raise CellError(f"{s!r} is not a date: {exc}") from None


def split_list(value: Any) -> list[str]:
    """The items of a list cell, separated by ``;``, ``,``, ``|`` or line breaks."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [text(value)]
    return [p.strip() for p in _SPLIT.split(str(value)) if p.strip()]


def _part(word: str, whole: str) -> str:
    part = PART_WORDS.get(word)
    if part is None:
        raise CellError(f"{whole!r}: {word!r} is not a daypart "
                        f"(ochtend/middag/avond or morning/afternoon/evening)")
    return part


def as_weekly_slot(value: Any) -> str:
    """``wed:morning``, ``wo ochtend``, ``woensdag-middag``, ``woensdagochtend`` …"""
    s = str(value).strip().lower()
    m = _SLOT.match(s)
    if m:
        day_word, part_word = m.groups()
    else:
        # Dutch writes the slot as one word: "woensdagochtend", "woochtend".
        day_word = next((d for d in sorted(DAY_WORDS, key=len, reverse=True)
                         if s.startswith(d) and s[len(d):] in PART_WORDS), None)
        if day_word is None:
            raise CellError(f"{str(value).strip()!r} is not a weekly slot "
                            f"(like 'wo ochtend' or 'wed:morning')")
        part_word = s[len(day_word):]
    day = DAY_WORDS.get(day_word)
    if day is None:
        raise CellError(f"{str(value).strip()!r}: {day_word!r} is not a weekday "
                        f"(ma/di/wo/do/vr or mon–fri)")
    return f"{day}:{_part(part_word, str(value).strip())}"


def as_dated_slot(value: Any) -> str:
    """``2026-10-07:evening``, ``7-10-2026 avond`` …"""
    s = str(value).strip()
    m = re.match(r"^(\S+?)\s*[:\s]\s*([A-Za-z]+)$", s)
    if not m:
        raise CellError(f"{s!r} is not a dated slot (like '2026-10-07:avond')")
    return f"{as_date(m.group(1))}:{_part(m.group(2).lower(), s)}"


def as_time_ref(value: Any) -> str:
    """A date, a dated slot or a weekly slot (``unavailable`` cells)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return as_date(value)
    s = str(value).strip()
    for reader in (as_date, as_dated_slot, as_weekly_slot):
        try:
            return reader(s)
        except CellError:
            continue
    raise CellError(f"{s!r} is not a date, a dated slot ('2026-10-07:avond') "
                    f"or a weekly slot ('wo ochtend')")


def as_part(value: Any) -> str:
    """A daypart name, Dutch or English."""
    s = str(value).strip()
    return _part(s.lower(), s)


def as_key_numbers(value: Any) -> dict[str, int]:
    """``robotics 3; coding 2`` or ``robotics=3, coding:2`` → ``{"robotics": 3, "coding": 2}``."""
    out: dict[str, int] = {}
    for item in split_list(value):
        m = _KEY_NUMBER.match(item)
        if not m:
            raise CellError(f"{item!r} is not a name and a number (like 'robotics 3')")
        key, number = m.group(1).strip(), int(m.group(2))
        if key in out:
            raise CellError(f"{key!r} is given twice")
        out[key] = number
    return out


_MODES = {"online": "online", "physical": "physical", "fysiek": "physical",
          "op locatie": "physical", "live": "physical"}
_TIMES = re.compile(r"^(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})$")


def as_mode(value: Any) -> str:
    """``online`` or ``physical`` (Dutch ``fysiek`` / ``op locatie``)."""
    s = str(value).strip()
    mode = _MODES.get(s.lower())
    if mode is None:
        raise CellError(f"{s!r} is not a mode (online, or physical / fysiek)")
    return mode


def as_times(value: Any) -> list[str]:
    """``08:30-12:00`` (or ``8.30–12.00``) → ``["08:30", "12:00"]``."""
    s = str(value).strip()
    m = _TIMES.match(s)
    if not m:
        raise CellError(f"{s!r} is not a time range (like 08:30-12:00)")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
        raise CellError(f"{s!r} is not a time range (like 08:30-12:00)")
    return [f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"]
