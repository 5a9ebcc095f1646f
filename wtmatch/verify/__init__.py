"""The independent plan checker: every hard rule, the objective recomputed.

It is the second opinion on the solver: it shares nothing with it but the
scenario models and the slot and distance helpers.
"""

from __future__ import annotations

from wtmatch.plan import Plan
from wtmatch.scenario import Scenario
from wtmatch.verify import assign, sessions
from wtmatch.verify.verdict import Verdict, Violation

_RULE_ORDER = [f"H{i}" for i in range(1, 13)] + [f"H{i}" for i in range(20, 28)] + ["PLAN"]


def verify(scenario: Scenario, plan: Plan) -> Verdict:
    """Check ``plan`` against ``scenario``.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan

    Returns
    -------
    Verdict
        Every violated hard rule (H1–H12, H20–H27, or ``PLAN`` for malformed
        rows) with the items involved, the objective recomputed per term and
        per part, and where the plan's own figures differ from it.
    """
    out: list[Violation] = []
    rows = assign.well_formed_rows(scenario, plan, out)
    assign.check_rules(scenario, rows, out, plan.status in ("optimal", "feasible"))
    terms = assign.objective_terms(scenario, rows)
    terms.update(sessions.check(scenario, plan, out))
    a = sum(terms[f"S{i}"] for i in range(1, 8))
    b = sum(terms[f"S{i}"] for i in range(20, 25))
    problems = _compare(plan, terms, a, b)
    if plan.objective is not None and plan.bound is not None and plan.bound < plan.objective:
        out.append(Violation("PLAN", f"bound {plan.bound} is below objective {plan.objective}"))
    out.sort(key=lambda v: _RULE_ORDER.index(v.rule))
    return Verdict(out, terms, a, b, plan.objective, problems)


def _compare(plan: Plan, terms: dict[str, int], a: int, b: int) -> list[str]:
    if plan.objective is None:
        if plan.status in ("optimal", "feasible"):
            return [f"a {plan.status} plan must report its objective ({a + b})"]
        return []
    problems = []
    if plan.objective != a + b:
        problems.append(f"plan says {plan.objective}, recomputed {a + b}")
    if plan.objective_parts.assign != a:
        problems.append(f"part assign: plan says {plan.objective_parts.assign}, recomputed {a}")
    if plan.objective_parts.sessions != b:
        problems.append(f"part sessions: plan says {plan.objective_parts.sessions}, recomputed {b}")
    for name, value in plan.objective_terms.items():
        if name not in terms:
            problems.append(f"unknown term {name!r}")
        elif terms[name] != value:
            problems.append(f"term {name}: plan says {value}, recomputed {terms[name]}")
    return problems


__all__ = ["Verdict", "Violation", "verify"]
