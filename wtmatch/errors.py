"""Exceptions raised by wtmatch.

All of them derive from :class:`WtmatchError`, so an application can catch
everything wtmatch raises about its input with one ``except`` clause.
"""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with an input, located by its path.

    Attributes
    ----------
    path : str
        Where the problem is, e.g. ``schools[3].demands[0].slots[1]``; empty
        for the document as a whole.
    message : str
        What is wrong, in words a planner understands.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class WtmatchError(Exception):
    """Base class of every exception wtmatch raises on purpose."""


class ScenarioError(WtmatchError, ValueError):
    """A scenario (or plan, or settings) file breaks the format.

    Every problem found is reported at once, each with its path.

    Parameters
    ----------
    problems : list of Problem
        The problems, in document order.
    source : str, optional
        The file or object the problems were found in, for the message.
    """

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        n = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{head}{n} problem{'s' if n != 1 else ''} in the input:\n{lines}")


class PlanMismatch(WtmatchError):
    """A plan was solved against another scenario than the one it is used with.

    Plans record their scenario's fingerprint; checking, reporting or
    re-planning a plan against another scenario would only list the
    differences as broken rules.
    """


class NotForPeriods(WtmatchError):
    """An analysis that does not yet plan over periods (DOMAIN.md §8) was given a scenario with them."""


def refuse_periods(scenario, what: str) -> None:
    """Raise :class:`NotForPeriods` when ``scenario`` has periods: ``what`` cannot use them yet.

    Better a clear refusal before any work than an answer that silently
    ignores the school year.
    """
    if getattr(scenario, "periods", None):
        raise NotForPeriods(
            f"{what} does not handle periods (DOMAIN.md §8) yet, and this scenario has "
            f"{len(scenario.periods)}; every other command does")
