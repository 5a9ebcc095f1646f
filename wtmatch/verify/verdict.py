"""What the checker says about a plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Violation(NamedTuple):
    """A broken hard rule.

    Attributes
    ----------
    rule : str
        ``H1`` … ``H12``, ``H20`` … ``H27``, or ``PLAN`` for a plan that is
        malformed against its scenario (unknown ids, duplicate rows, a
        bound below the objective).
    message : str
    items : tuple of str
        The ids involved.
    """

    rule: str
    message: str
    items: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass(frozen=True)
class Verdict:
    """The checker's findings.

    Attributes
    ----------
    violations : list of Violation
        Every broken hard rule, in rule order.
    terms : dict of str to int
        Each objective term recomputed, signed as it enters the objective.
    assign, sessions : int
        Recomputed objective of part A and of part B.
    plan_objective : int or None
        What the plan claims.
    objective_problems : list of str
        Where the plan's objective, parts or terms differ from the recomputation.
    notes : list of str
        What the check took from the plan rather than the scenario (its weights).
    """

    violations: list[Violation]
    terms: dict[str, int]
    assign: int
    sessions: int
    plan_objective: int | None
    objective_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def objective(self) -> int:
        """The recomputed total objective (A + B)."""
        return self.assign + self.sessions

    @property
    def feasible(self) -> bool:
        """No hard rule is broken."""
        return not self.violations

    @property
    def objective_ok(self) -> bool:
        """The plan's objective, parts and terms equal the recomputation."""
        return not self.objective_problems

    @property
    def ok(self) -> bool:
        """Feasible and exact."""
        return self.feasible and self.objective_ok

    def rules(self) -> set[str]:
        """The ids of the rules broken."""
        return {v.rule for v in self.violations}

    def summary(self) -> str:
        """Human-readable lines: violations, then the objective comparison."""
        lines = [str(v) for v in self.violations]
        lines += [f"objective: {p}" for p in self.objective_problems]
        head = "plan OK" if self.ok else f"plan NOT OK ({len(lines)} findings)"
        terms = ", ".join(f"{k}={v}" for k, v in self.terms.items() if v)
        lines.insert(0, f"{head}; objective {self.objective} "
                        f"(assign {self.assign}, sessions {self.sessions}; {terms or 'all terms 0'})")
        lines[1:1] = [f"note: {n}" for n in self.notes]
        return "\n".join(lines)
