"""Reports of a plan for people: text summaries (plots and HTML come later)."""

from wtmatch.report.summary import summary

__all__ = ["summary"]
