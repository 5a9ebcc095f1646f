"""The tables a planner's spreadsheet may hold, and the columns of each.

This module is the documentation of the spreadsheet format: one
:class:`Table` per sheet (or CSV file), named as the scenario section it
fills; each :class:`Column` names the scenario field it fills and how its
cells are read (see :mod:`wtmatch.sheets.cells`). Column headers are matched
without regard to case, spaces or dashes (``Max travel km`` is
``max_travel_km``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["id", "text", "int", "float", "bool", "date", "dates", "weekly_slot", "weekly_slots",
               "time_refs", "ids", "texts", "parts", "numbers", "mode", "times"]


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes
    ----------
    name : str
        The header.
    kind : str
        How a cell is read: ``int``, ``float``, ``bool`` (ja/nee, yes/no),
        ``date`` (2026-10-07 or 7-10-2026), ``weekly_slots`` (a list of
        ``wo ochtend`` / ``wed:morning``), ``time_refs`` (dates, dated or
        weekly slots), ``numbers`` (``robotics 3; coding 2``), ``ids`` /
        ``texts`` / ``dates`` / ``parts`` (lists separated by ``;``, ``,``
        or line breaks), ``times`` (``08:30-12:00``) …
    path : str
        The field it fills, dotted (``location.lat``); defaults to ``name``.
    required : bool
        The header must be present and no row may leave it empty.
    """

    name: str
    kind: Kind = "text"
    path: str = ""
    required: bool = False
    help: str = ""

    @property
    def field(self) -> str:
        return self.path or self.name


@dataclass(frozen=True)
class Table:
    """One sheet or CSV file.

    Attributes
    ----------
    name : str
        The sheet name or file stem (``instructors`` → ``instructors.csv``).
    section : str
        The scenario section its rows go to.
    columns : tuple of Column
    aliases : tuple of str
        Other accepted names (Dutch).
    parent : tuple of (str, str), optional
        (column, table): rows are nested in the row of that table whose
        ``id`` the column names (demands in schools, sessions in programmes).
    wide : dict
        Column-name prefixes that spread one mapping over many columns:
        ``skill:robotics`` holds the level of ``robotics`` in ``skills``.
    wide_kinds : dict
        How a wide column's cells are read, by prefix (default ``int``):
        ``available:T1`` holds the weekly slots of period ``T1``.
    single : bool
        At most one row (the calendar).
    """

    name: str
    section: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    parent: tuple[str, str] | None = None
    wide: dict[str, str] = field(default_factory=dict)
    wide_kinds: dict[str, Kind] = field(default_factory=dict)
    single: bool = False
    help: str = ""

    def column(self, header: str) -> Column | None:
        return next((c for c in self.columns if c.name == header), None)


def _located(*cols: Column) -> tuple[Column, ...]:
    return (*cols, Column("lat", "float", "location.lat", help="latitude, degrees"),
            Column("lon", "float", "location.lon", help="longitude, degrees"))


_ID = Column("id", "id", required=True)
_NAME = Column("name")
_UNAVAILABLE = (Column("weekly_unavailable", "weekly_slots"), Column("unavailable", "time_refs"))

TABLES: tuple[Table, ...] = (
    Table("employers", "employers", (_ID, _NAME, Column("max_absent_per_slot", "int")),
          aliases=("werkgevers",)),
    Table("instructors", "instructors", (
        _ID, _NAME, Column("kind", help="hybrid | teacher | assistant | side_entrant"),
        Column("employer", "id"), Column("region"),
        *_located(),
        Column("skills", "numbers", help="skill and level 1–5, e.g. 'robotics 3; coding 2'"),
        Column("qualified", "bool"),
        Column("available", "weekly_slots",
               help="weekly slots; or, per period, columns 'available:T1', 'available:T2' …"),
        Column("periods", "ids", help="periods released in (default: all)"),
        Column("min_dayparts", "int"), Column("max_dayparts", "int"),
        Column("max_schools", "int"), Column("max_travel_km", "float"),
        Column("regions", "texts", help="allow-list of regions"),
        Column("preferences", "numbers", help="school id and −2..2, e.g. 'S1 2; S7 -1'")),
        aliases=("instructeurs", "docenten"),
        wide={"skill:": "skills", "pref:": "preferences", "available:": "available"},
        wide_kinds={"available:": "weekly_slots"}),
    Table("schools", "schools", (
        _ID, _NAME, Column("type", help="PO | VO | MBO | KO"), Column("region"), *_located(),
        Column("reach", "int", help="weight of the school in S8 reach, 0–5"),
        Column("preferences", "numbers", help="instructor id and −2..2")),
        aliases=("scholen",), wide={"pref:": "preferences"}),
    Table("demands", "schools.demands", (
        Column("school", "id", required=True, help="id of a row of the schools table"),
        _ID, Column("skill", required=True), Column("min_level", "int"),
        Column("slots", "weekly_slots", required=True), Column("instructors_needed", "int"),
        Column("priority", "int"), Column("requires_qualified", "bool"),
        Column("same_instructor", help="hard | soft | none"),
        Column("periods", "ids", help="periods it runs in (default: all)")),
        aliases=("vragen", "behoeften"), parent=("school", "schools")),
    Table("pinned", "pinned", (Column("instructor", "id", required=True),
                               Column("demand", "id", required=True),
                               Column("slot", "weekly_slot", required=True),
                               Column("period", "id", help="with periods: required")),
          aliases=("vastgezet",)),
    Table("previous_plan", "previous_plan", (Column("instructor", "id", required=True),
                                             Column("demand", "id", required=True),
                                             Column("slot", "weekly_slot", required=True),
                                             Column("period", "id")),
          aliases=("vorig_plan",)),
    Table("travel_km", "travel_km", (Column("from", "id", required=True),
                                     Column("to", "id", required=True),
                                     Column("km", "float", required=True)),
          aliases=("afstanden",)),
    Table("settings", "settings", (
        Column("name", required=True, help="same_day_max_km, or a weight name (coverage, "
                                           "travel_km, …)"),
        Column("value", required=True)),
        aliases=("instellingen",),
        help="one row per setting: same_day_max_km, or a weight of DOMAIN.md §4–5"),
    Table("calendar", "calendar", (
        Column("start", "date", required=True), Column("end", "date", required=True),
        Column("study_days", "dates"),
        *(Column(f"{p}_times", "times", f"daypart_times.{p}", help="e.g. 08:30-12:00")
          for p in ("morning", "afternoon", "evening"))),
        aliases=("kalender",), single=True),
    Table("blocked", "calendar.blocked", (Column("from", "date", required=True),
                                          Column("to", "date", required=True), _NAME),
          aliases=("vakanties", "holidays")),
    Table("periods", "calendar.periods", (_ID, _NAME, Column("from", "date", required=True),
                                          Column("to", "date", required=True)),
          aliases=("perioden", "terms"),
          help="terms of the school year in which part A plans one weekly pattern"),
    Table("trainers", "trainers", (
        _ID, _NAME, *_located(), Column("certified", "ids", help="programme ids"),
        Column("trainee", "ids", help="programme ids"), Column("max_hours", "float"),
        *_UNAVAILABLE)),
    Table("participants", "participants", (
        _ID, _NAME, Column("school", "id"), *_located(), Column("max_hours", "float"),
        *_UNAVAILABLE), aliases=("deelnemers",)),
    Table("venues", "venues", (
        _ID, _NAME, Column("capacity", "int", required=True), *_located(),
        Column("unavailable", "time_refs")), aliases=("locaties", "zalen")),
    Table("programmes", "programmes", (
        _ID, _NAME,
        Column("grants", "numbers", "grants.skills",
               help="skill levels the programme grants, e.g. 'robotics 3'"),
        Column("grants_qualified", "bool", "grants.qualified",
               help="completing it qualifies (yes/no)")),
        aliases=("programmas", "programma's")),
    Table("sessions", "programmes.sessions", (
        Column("programme", "id", required=True, help="id of a row of the programmes table"),
        _ID, Column("hours", "float"), Column("dayparts", "int"), Column("mode", "mode"),
        Column("trainers", "int"), Column("parts", "parts"), Column("after", "id"),
        Column("min_gap_days", "int"), Column("max_gap_days", "int")),
        aliases=("sessies", "bijeenkomsten"), parent=("programme", "programmes")),
    Table("cohorts", "cohorts", (
        _ID, Column("programme", "id", required=True), Column("participants", "ids"),
        Column("priority", "int")), aliases=("cohorten",)),
    Table("groups", "groups", (
        _ID, _NAME, Column("kind", help="plg | workgroup | projectgroup"),
        Column("members", "ids"), Column("meetings", "int"), Column("hours", "float"),
        Column("parts", "parts"), Column("mode", "mode"), Column("min_spacing_days", "int")),
        aliases=("groepen",)),
)
"""Every table, in the order a workbook lists them (parents before children)."""

TABLE_BY_NAME: dict[str, Table] = {
    alias: t for t in TABLES for alias in (t.name, *t.aliases)
}


def normal_header(header: str) -> str:
    """``' Max travel-km '`` → ``max_travel_km`` (wide prefixes keep what follows the colon)."""
    head, colon, rest = str(header).strip().partition(":")
    head = "_".join(head.lower().replace("-", " ").split())
    return f"{head}:{rest.strip()}" if colon else head


def normal_table_name(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())
