"""Reading a plan: text summary, plots, HTML report, iCalendar and spreadsheet export.

The plotting and spreadsheet modules load matplotlib/openpyxl only when used.
"""

from wtmatch.report.summary import summary

_LAZY = {"coverage": "plots", "coverage_map": "plots", "gantt": "plots", "roster": "plots",
         "utilisation": "plots", "recruitment_curve": "plots", "write_report": "html",
         "export_xlsx": "xlsx"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"wtmatch.report.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'wtmatch.report' has no attribute {name!r}")


__all__ = ["summary", *_LAZY]
