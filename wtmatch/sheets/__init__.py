"""Scenarios in and out of spreadsheets: a folder of CSV files or one workbook.

>>> from wtmatch.sheets import import_tables, export_tables
>>> imported = import_tables("planning.xlsx")          # doctest: +SKIP
>>> export_tables(imported.scenario, "tables/")        # doctest: +SKIP

The tables and their columns are listed in :data:`TABLES`
(``wtmatch/sheets/columns.py``) and in ``docs/spreadsheets.md``.
"""

from wtmatch.sheets.build import Imported, export_tables, import_tables, scenario_tables
from wtmatch.sheets.columns import TABLES, Column, Table

__all__ = ["TABLES", "Column", "Imported", "Table", "export_tables", "import_tables",
           "scenario_tables"]
