"""Spreadsheet tables to a scenario and back, every problem located at its cell.

Reading happens in two passes, so that a planner sees every problem at once:
first each cell is read as its column says (a bad cell is reported at
file, row and column); then the assembled document is validated as any
scenario is, and each problem the validation finds (a level of 7, an unknown
instructor id, a duplicate id) is traced back to the cell it came from.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wtmatch.errors import Problem, ScenarioError
from wtmatch.scenario import Scenario, from_data
from wtmatch.scenario.extras import near_miss_names
from wtmatch.scenario.periods import version_problems
from wtmatch.scenario.settings import Weights
from wtmatch.sheets import cells
from wtmatch.sheets.columns import (
    TABLE_BY_NAME,
    TABLES,
    Column,
    Table,
    normal_header,
    normal_table_name,
)
from wtmatch.sheets.workbook import RawTable, column_letter, read_tables, write_tables


def _each(read: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    return lambda value: [read(item) for item in cells.split_list(value)]


READERS: dict[str, Callable[[Any], Any]] = {
    "id": cells.text, "text": cells.text, "int": cells.as_int, "float": cells.as_float,
    "bool": cells.as_bool, "date": cells.as_date, "dates": _each(cells.as_date),
    "weekly_slot": cells.as_weekly_slot, "weekly_slots": _each(cells.as_weekly_slot),
    "time_refs": _each(cells.as_time_ref), "ids": _each(cells.text),
    "texts": _each(cells.text), "parts": _each(cells.as_part), "numbers": cells.as_key_numbers,
    "mode": cells.as_mode, "times": cells.as_times,
}
"""How a cell of each column kind is read."""


@dataclass(frozen=True)
class Cell:
    """Where a value came from: a table, a row and (unless the whole row) a column."""

    source: str
    row: int
    column: int | None = None
    header: str = ""

    def __str__(self) -> str:
        if self.column is None:
            return f"{self.source}, row {self.row}"
        return f"{self.source}, row {self.row}, column {column_letter(self.column)} ({self.header})"


@dataclass
class Imported:
    """A scenario read from spreadsheets, with notes on what was kept but is not in the format.

    Attributes
    ----------
    scenario : Scenario
    notes : list of Problem
        Columns outside the format (kept as extra fields), sheets skipped on
        purpose (their name starts with ``_``), empty sheets.
    """

    scenario: Scenario
    notes: list[Problem] = field(default_factory=list)


def import_tables(path: str | Path, name: str | None = None) -> Imported:
    """Read a scenario from a folder of CSV files or one ``.xlsx`` workbook.

    Each table (sheet, or CSV file named after it) is one section of the
    scenario; see :data:`wtmatch.sheets.columns.TABLES` for the tables and
    their columns. Dutch names are accepted for weekdays (``ma di wo do
    vr``), dayparts (``ochtend middag avond``), yes/no (``ja``/``nee``) and
    dates (``7-10-2026``).

    Parameters
    ----------
    path : str or Path
        A folder of ``.csv`` files, or an ``.xlsx`` workbook.
    name : str, optional
        The scenario's name when the settings table gives none; default the
        file or folder name.

    Returns
    -------
    Imported
        The validated scenario and notes.

    Raises
    ------
    ScenarioError
        With every problem, each located as ``file, row N, column X (header)``.
    """
    p = Path(path)
    builder = _Builder()
    doc = builder.build(read_tables(p))
    doc.setdefault("name", name or p.stem)
    if version_problems(doc):
        doc["format"] = "wtmatch/2"     # periods, reach or grants: the newest format
    # One pass: the cells that could not be read, then what validation finds in the
    # rest (a cell already named is not named again for the value it lacks).
    problems = list(builder.problems)
    try:
        scenario = from_data(doc)
    except ScenarioError as exc:
        problems += [builder.locate(r) for r in exc.problems if not builder.already_named(r.path)]
        scenario = None
    if problems or scenario is None:
        raise ScenarioError(problems, source=str(p))
    notes = builder.notes + [builder.locate(q) for q in near_miss_names(doc)]
    return Imported(scenario, notes)


class _Builder:
    """Assembles the scenario document, remembering the cell of every value."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.origin: dict[str, Cell] = {}
        self.unread: set[str] = set()      # document paths of cells already reported
        self.doc: dict[str, Any] = {"format": "wtmatch/1"}

    # ---- tables -------------------------------------------------------
    def build(self, raws: list[RawTable]) -> dict[str, Any]:
        chosen: dict[str, RawTable] = {}
        for raw in raws:
            key = normal_table_name(raw.name)
            if key.startswith(("_", "#")):
                self.notes.append(Problem(raw.source, "skipped: its name starts with '_'"))
                continue
            table = TABLE_BY_NAME.get(key)
            if table is None:
                close = difflib.get_close_matches(key, list(TABLE_BY_NAME), n=1, cutoff=0.7)
                hint = (f"did you mean {close[0]!r}?" if close else
                        f"known tables: {', '.join(t.name for t in TABLES)}")
                self.problems.append(Problem(raw.source, f"not a table of the format ({hint}); "
                                             f"name it with a leading '_' to keep it aside"))
                continue
            if table.name in chosen:
                self.problems.append(Problem(raw.source, f"a second {table.name!r} table "
                                             f"(the first is {chosen[table.name].source})"))
                continue
            chosen[table.name] = raw
        for table in TABLES:
            if table.name in chosen:
                self._table(table, chosen[table.name])
        return self.doc

    def _table(self, table: Table, raw: RawTable) -> None:
        if not raw.headers:
            self.notes.append(Problem(raw.source, "empty: nothing to read"))
            return
        # Rows are read even under a faulty header, so every problem shows at once.
        columns = self._columns(table, raw)
        width = len(raw.headers)
        for number, row in raw.rows:
            extra = [k for k in range(width, len(row)) if not cells.is_blank(row[k])]
            if extra:
                self.problems.append(Problem(
                    f"{raw.source}, row {number}, column {column_letter(extra[0])}",
                    f"{cells.text(row[extra[0]])!r} stands beyond the last header (a list "
                    f"separator that split the cell? quote it, or separate the list with ',')"))
            self._row(table, raw, columns, number, row)

    def _columns(self, table: Table, raw: RawTable) -> list[tuple[int, str, Column | None]]:
        """(index, header, column spec or None for a kept extra) of every usable column."""
        out: list[tuple[int, str, Column | None]] = []
        seen: dict[str, int] = {}
        known = [c.name for c in table.columns]
        for k, header in enumerate(raw.headers):
            where = f"{raw.source}, column {column_letter(k)}"
            if cells.is_blank(header):
                if any(k < len(r) and not cells.is_blank(r[k]) for _, r in raw.rows):
                    self.problems.append(Problem(where, "cells under a column without a header"))
                continue
            name = normal_header(cells.text(header))
            if name in seen:
                self.problems.append(Problem(where, f"{name!r} is also column "
                                             f"{column_letter(seen[name])}"))
                continue
            seen[name] = k
            spec = table.column(name)
            prefix = next((pre for pre in table.wide if name.startswith(pre)), None)
            if spec is None and prefix is None:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
                if close:
                    self.problems.append(Problem(where, f"{cells.text(header)!r} is not a column "
                                                 f"of {table.name}; did you mean {close[0]!r}?"))
                    continue
                self.notes.append(Problem(where, f"{cells.text(header)!r} is not part of the "
                                          f"format; kept as it is"))
            out.append((k, name, spec))
        missing = [c.name for c in table.columns if c.required and c.name not in seen]
        if missing:
            self.problems.append(Problem(f"{raw.source}, row 1",
                                         f"required column{'s' if len(missing) > 1 else ''} "
                                         f"missing: {', '.join(missing)}"))
        return out

    # ---- rows ---------------------------------------------------------
    def _row(self, table: Table, raw: RawTable, columns: list[tuple[int, str, Column | None]],
             number: int, row: list[Any]) -> None:
        item: dict[str, Any] = {}
        where: dict[str, Cell] = {}
        unread: list[str] = []          # fields whose cell could not be read
        parent_id: tuple[str, Cell] | None = None
        for k, name, spec in columns:
            value = row[k] if k < len(row) else None
            cell = Cell(raw.source, number, k, name)
            if cells.is_blank(value):
                if spec is not None and spec.required:
                    self.problems.append(Problem(str(cell), "required, but empty"))
                    unread.append(spec.field)
                continue
            try:
                if table.parent and name == table.parent[0]:
                    parent_id = (cells.text(value), cell)
                elif spec is not None:
                    _put(item, spec.field, READERS[spec.kind](value))
                    where[spec.field] = cell
                elif prefix := next((pre for pre in table.wide if name.startswith(pre)), None):
                    key = name[len(prefix):]
                    mapping = item.setdefault(table.wide[prefix], {})
                    mapping[key] = READERS[table.wide_kinds.get(prefix, "int")](value)
                    where[f"{table.wide[prefix]}.{key}"] = cell
                else:
                    item[name] = cells.text(value)
                    where[name] = cell
            except cells.CellError as exc:
                self.problems.append(Problem(str(cell), str(exc)))
                if spec is not None:
                    unread.append(spec.field)
        for column in set(table.wide.values()):
            if column in where and any(w.startswith(f"{column}.") for w in where):
                self.problems.append(Problem(str(Cell(raw.source, number)),
                                             f"{column} given both in the {column!r} column "
                                             f"and in separate columns; use one"))
        path = self._place(table, raw, item, number, parent_id)
        if path is None:
            return
        self.unread.update(f"{path}.{f}" for f in unread)
        self.origin[path] = Cell(raw.source, number)
        for key, cell in where.items():
            self.origin[f"{path}.{key}"] = cell

    def _place(self, table: Table, raw: RawTable, item: dict[str, Any], number: int,
               parent_id: tuple[str, Cell] | None) -> str | None:
        """Put a row's item where its table's section says; its document path."""
        doc = self.doc
        if table.name == "settings":
            return self._setting(item, raw, number)
        if table.single:
            if table.section in doc:
                self.problems.append(Problem(str(Cell(raw.source, number)),
                                             f"{table.name} has one row only"))
                return None
            doc[table.section] = item
            return table.section
        if table.parent:
            parent_section, child = table.section.split(".")
            pid, cell = parent_id  # type: ignore[misc]  # a required column: always read
            parents = doc.get(parent_section, [])
            index = next((k for k, p in enumerate(parents) if p.get("id") == pid), None)
            if index is None:
                self.problems.append(Problem(str(cell), f"{pid!r} is not in the "
                                             f"{table.parent[1]} table"))
                return None
            rows = parents[index].setdefault(child, [])
            rows.append(item)
            return f"{parent_section}[{index}].{child}[{len(rows) - 1}]"
        if "." in table.section:  # blocked ranges live inside the calendar
            owner, child = table.section.split(".")
            if owner not in doc:
                self.problems.append(Problem(str(Cell(raw.source, number)),
                                             f"the {table.name} table needs a {owner} table"))
                return None
            rows = doc[owner].setdefault(child, [])
            rows.append(item)
            return f"{owner}.{child}[{len(rows) - 1}]"
        rows = doc.setdefault(table.section, [])
        rows.append(item)
        return f"{table.section}[{len(rows) - 1}]"

    def _setting(self, item: dict[str, Any], raw: RawTable, number: int) -> str | None:
        name = normal_header(str(item.get("name", "")))
        value = item.get("value")
        cell = Cell(raw.source, number)
        weight = name.split(".", 1)[1] if name.startswith("weights.") else name
        settings = self.doc.setdefault("settings", {})
        try:
            if name == "name":
                target, path, read = self.doc, "name", cells.text(value)
            elif name == "same_day_max_km":
                target, path, read = settings, "settings.same_day_max_km", cells.as_float(value)
            elif weight in Weights.model_fields:
                target = settings.setdefault("weights", {})
                path, read = f"settings.weights.{weight}", cells.as_int(value)
            else:
                known = ", ".join(["name", "same_day_max_km", *Weights.model_fields])
                self.problems.append(Problem(str(cell), f"{name!r} is not a setting "
                                             f"(known: {known})"))
                return None
        except cells.CellError as exc:
            self.problems.append(Problem(str(cell), str(exc)))
            return None
        key = path.rsplit(".", 1)[-1]
        if key in target and path in self.origin:
            self.problems.append(Problem(str(cell), f"{name!r} is also set at {self.origin[path]}"))
            return None
        target[key] = read
        self.origin[path] = cell
        return None

    # ---- problems back to cells ---------------------------------------
    def already_named(self, path: str) -> bool:
        """Whether ``path`` (or what holds it) is a cell already reported as unreadable."""
        return any(path == u or path.startswith((f"{u}.", f"{u}[")) for u in self.unread)

    def locate(self, problem: Problem) -> Problem:
        """The problem, its path replaced by the cell (or row) the value came from.

        Document paths inside the message (``already used by instructors[2].id``)
        are replaced by their cells too.
        """
        message = _DOC_PATH.sub(lambda m: self._where(m.group(0))[0], problem.message)
        where, rest = self._where(problem.path)
        # A field no column gave, e.g. the lon of a location that has only a lat.
        if rest and not rest.startswith("["):
            message = f"{rest}: {message}"
        return Problem(where, message)

    def _where(self, path: str) -> tuple[str, str]:
        """(the cell or row of the longest known prefix of ``path``, the part below it)."""
        head = path
        while head:
            if head in self.origin:
                return str(self.origin[head]), path[len(head):].lstrip(".")
            cut = max(head.rfind("."), head.rfind("["))
            head = head[:cut] if cut > 0 else ""
        return path, ""


_DOC_PATH = re.compile(r"\b[a-z_]+\[\d+\](?:\.[a-z_]+(?:\[\d+\])?)*")


def _put(item: dict[str, Any], dotted: str, value: Any) -> None:
    *heads, last = dotted.split(".")
    for h in heads:
        item = item.setdefault(h, {})
    item[last] = value


def _get(item: dict[str, Any], dotted: str) -> Any:
    for h in dotted.split("."):
        if not isinstance(item, dict) or h not in item:
            return None
        item = item[h]
    return item


# ---- out -------------------------------------------------------------------
def _cell_out(value: Any, kind: str) -> Any:
    """A scenario value as the text a planner would type in its column."""
    if value is None:
        return ""
    if kind == "numbers":
        return "; ".join(f"{k} {v}" for k, v in value.items())
    if kind == "times":
        return "-".join(t[:5] for t in value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


_NESTED = {"demands", "sessions", "blocked", "periods", "daypart_times"}


def scenario_tables(scenario: Scenario, include_empty: bool = False
                    ) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The scenario as tables ``{name: (headers, rows)}``, the inverse of :func:`import_tables`.

    Tables without rows are left out unless ``include_empty`` (a template);
    instructors, schools and demands are always written. Fields outside the
    format are written as extra columns.
    """
    data = scenario.model_dump(mode="json", by_alias=True)
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for table in TABLES:
        items = _items(table, data)
        if not items and not include_empty and table.name not in ("instructors", "schools",
                                                                   "demands"):
            continue
        fields = {c.field.split(".")[0] for c in table.columns}
        extras = sorted({k for _, it in items for k in it if k not in fields | _NESTED})
        # the mapping form of `available` (§8): one column of slots per period
        used = {p for _, it in items if isinstance(it.get("available"), dict)
                for p in it["available"]}
        spread = [p.id for p in scenario.periods if p.id in used] + sorted(
            used - {p.id for p in scenario.periods})
        headers = [c.name for c in table.columns] + [f"available:{p}" for p in spread] + extras
        rows = []
        for parent, it in items:
            mapped = it.get("available") if isinstance(it.get("available"), dict) else None
            row = [parent if table.parent and c.name == table.parent[0]
                   else "" if mapped is not None and c.name == "available"
                   else _cell_out(_get(it, c.field), c.kind) for c in table.columns]
            row += [_cell_out((mapped or {}).get(p), "weekly_slots") for p in spread]
            row += [_extra_out(it.get(k)) for k in extras]
            rows.append(row)
        out[table.name] = (headers, rows)
    return out


def _extra_out(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float)) else json.dumps(value)


def _items(table: Table, data: dict[str, Any]) -> list[tuple[str | None, dict[str, Any]]]:
    if table.name == "settings":
        rows = [{"name": "name", "value": data.get("name", "")}] if data.get("name") else []
        settings = data.get("settings", {})
        if settings.get("same_day_max_km") is not None:
            rows.append({"name": "same_day_max_km", "value": settings["same_day_max_km"]})
        default = Weights().model_dump()
        rows += [{"name": k, "value": v} for k, v in settings.get("weights", {}).items()
                 if default.get(k) != v]
        return [(None, r) for r in rows]
    if table.single:
        return [] if data.get(table.section) is None else [(None, data[table.section])]
    owner, _, child = table.section.partition(".")
    if not child:
        return [(None, it) for it in data.get(owner, [])]
    if table.parent:
        return [(p["id"], it) for p in data.get(owner, []) for it in p.get(child, [])]
    container = data.get(owner) or {}
    return [(None, it) for it in container.get(child, [])]


def export_tables(scenario: Scenario, path: str | Path, include_empty: bool = False) -> Path:
    """Write a scenario as spreadsheets: an ``.xlsx`` workbook, or a folder of CSV files.

    What is written reads back with :func:`import_tables` to the same scenario.

    Returns
    -------
    Path
    """
    return write_tables(scenario_tables(scenario, include_empty), path)
