"""Raw tables in and out of files: a folder of CSV files, or one workbook with a sheet per table.

Nothing here knows the scenario format; :mod:`wtmatch.sheets.build` turns raw
tables into a scenario and back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wtmatch.errors import Problem, ScenarioError
from wtmatch.files import atomic_path


@dataclass
class RawTable:
    """A table as read: its header row and data rows with their spreadsheet row numbers.

    Attributes
    ----------
    name : str
        Sheet name or CSV file stem.
    source : str
        For messages: ``instructors.csv`` or ``planning.xlsx[instructors]``.
    headers : list
        The first row.
    rows : list of (int, list)
        Row number as a spreadsheet shows it (the header is row 1) and cells.
    """

    name: str
    source: str
    headers: list[Any]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _blank_row(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(name: str, source: str, rows: list[list[Any]]) -> RawTable:
    # Rows are numbered as a spreadsheet shows them; wholly empty rows carry
    # no data (spreadsheets are full of them), so they are skipped.
    numbered = [(k + 1, r) for k, r in enumerate(rows)]
    while numbered and _blank_row(numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        return RawTable(name, source, [])
    (_, headers), *data = numbered
    while headers and (headers[-1] is None or str(headers[-1]).strip() == ""):
        headers = headers[:-1]
    return RawTable(name, source, list(headers), [(n, list(r)) for n, r in data
                                                  if not _blank_row(r)])


def _decode(raw: bytes, source: str) -> str:
    # Excel writes UTF-8 with a byte-order mark, or Windows-1252 when it saves "CSV".
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ScenarioError([Problem("", "not UTF-8 or Windows-1252 text")], source=source)


def read_csv(path: Path) -> RawTable:
    """One CSV file; the delimiter (``,``, ``;`` or tab) is taken from the header line."""
    text = _decode(path.read_bytes(), path.name)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return _table(path.stem, path.name, rows)


def read_workbook(path: Path) -> list[RawTable]:
    """Every sheet of an ``.xlsx`` workbook, with cell values as openpyxl gives them."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ScenarioError([Problem("", f"cannot read the workbook: {exc}")],
                            source=str(path)) from None
    try:
        tables = [_table(ws.title, f"{path.name}[{ws.title}]",
                         [list(r) for r in ws.iter_rows(values_only=True)])
                  for ws in wb.worksheets]
    finally:
        wb.close()
    _uncomputed_formulas(path, tables)
    return tables


def _uncomputed_formulas(path: Path, tables: list[RawTable]) -> None:
    """Refuse formulas whose value was never computed (the file was written by a program,
    not saved by a spreadsheet): their cells would read as empty and be lost."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    problems = []
    try:
        for ws, table in zip(wb.worksheets, tables, strict=True):
            values = dict(table.rows)
            values[1] = table.headers
            for n, row in enumerate(ws.iter_rows(values_only=True), 1):
                for k, cell in enumerate(row):
                    if isinstance(cell, str) and cell.startswith("="):
                        got = values.get(n, [])
                        if k >= len(got) or got[k] is None:
                            problems.append(Problem(
                                f"{table.source}, row {n}, column {column_letter(k)}",
                                f"the formula {cell!r} has no computed value; open the "
                                f"workbook in a spreadsheet program and save it"))
    finally:
        wb.close()
    if problems:
        raise ScenarioError(problems, source=str(path))


def read_tables(path: str | Path) -> list[RawTable]:
    """The raw tables of a folder of ``.csv`` files or of one ``.xlsx`` workbook.

    Raises
    ------
    ScenarioError
        When the path does not exist, or is neither a folder nor a workbook.
    """
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.csv"))
        if not files:
            raise ScenarioError([Problem("", "the folder holds no .csv files")], source=str(p))
        return [read_csv(f) for f in files]
    if not p.exists():
        raise ScenarioError([Problem("", "no such file or folder")], source=str(p))
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return read_workbook(p)
    if p.suffix.lower() == ".csv":
        return [read_csv(p)]
    raise ScenarioError([Problem("", "expected a folder of .csv files or an .xlsx workbook")],
                        source=str(p))


def _cell_text(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return "" if value is None else value


def write_tables(tables: dict[str, tuple[list[str], list[list[Any]]]], path: str | Path) -> Path:
    """Write ``{name: (headers, rows)}`` as a workbook (``.xlsx`` path) or a folder of CSVs.

    Returns
    -------
    Path
        The workbook or the folder.
    """
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        wb.remove(wb.active)
        for name, (headers, rows) in tables.items():
            ws = wb.create_sheet(name)
            ws.append(headers)
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in rows:
                ws.append([_cell_text(v) for v in row])
            ws.freeze_panes = "A2"
        p.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(p) as tmp:
            wb.save(tmp)
        return p
    p.mkdir(parents=True, exist_ok=True)
    for name, (headers, rows) in tables.items():
        with atomic_path(p / f"{name}.csv") as tmp, tmp.open("w", newline="",
                                                              encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(headers)
            w.writerows([[_cell_text(v) for v in row] for row in rows])
    return p
