"""The independent plan checker: every hard rule, the objective recomputed.

It is the second opinion on the solver: it shares nothing with it but the
scenario models and the slot and distance helpers.
"""

from __future__ import annotations

from wtmatch.errors import PlanMismatch
from wtmatch.plan import Plan
from wtmatch.scenario import Scenario
from wtmatch.scenario.fingerprint import fingerprint
from wtmatch.verify import assign, sessions
from wtmatch.verify.verdict import Verdict, Violation

_RULE_ORDER = [f"H{i}" for i in range(1, 14)] + [f"H{i}" for i in range(20, 28)] + ["PLAN"]


def verify(scenario: Scenario, plan: Plan, *, force: bool = False) -> Verdict:
    """Check ``plan`` against ``scenario``.

    Parameters
    ----------
    scenario : Scenario
    plan : Plan
        When it records the weights it was solved with, the objective is
        recomputed with them (they define its objective); the verdict's
        ``notes`` say where they differ from the scenario's.
    force : bool
        Check a plan that names another scenario anyway.

    Returns
    -------
    Verdict
        Every violated hard rule (H1–H13, H20–H27, or ``PLAN`` for malformed
        rows) with the items involved, the objective recomputed per term and
        per part, and where the plan's own figures differ from it.

    Raises
    ------
    PlanMismatch
        When the plan records the fingerprint of another scenario (and not ``force``).
    """
    check_scenario(scenario, plan, force)
    scenario, notes = with_plan_weights(scenario, plan)
    out: list[Violation] = []
    rows = assign.well_formed_rows(scenario, plan, out)
    assign.check_rules(scenario, rows, out, plan.status in ("optimal", "feasible"))
    terms = assign.objective_terms(scenario, rows)
    terms.update(sessions.check(scenario, plan, out))
    a = sum(terms.get(f"S{i}", 0) for i in range(1, 10))
    b = sum(terms[f"S{i}"] for i in range(20, 25))
    problems = _compare(plan, terms, a, b)
    if plan.objective is not None and plan.bound is not None and plan.bound < plan.objective:
        out.append(Violation("PLAN", f"bound {plan.bound} is below objective {plan.objective}"))
    out.sort(key=lambda v: _RULE_ORDER.index(v.rule))
    return Verdict(out, terms, a, b, plan.objective, problems, notes)


def check_scenario(scenario: Scenario, plan: Plan, force: bool = False) -> None:
    """Raise :class:`PlanMismatch` when ``plan`` was solved against another scenario."""
    if force or plan.scenario_fingerprint is None:
        return
    if plan.scenario_fingerprint != fingerprint(scenario):
        raise PlanMismatch(
            f"the plan was solved against another scenario ({plan.scenario or 'unnamed'}, "
            f"{plan.scenario_fingerprint[:19]}…), not this one ({scenario.name or 'unnamed'}, "
            f"{fingerprint(scenario)[:19]}…); use --force to use it anyway")


def with_plan_weights(scenario: Scenario, plan: Plan) -> tuple[Scenario, list[str]]:
    """The scenario with the weights the plan was solved with, and a note per difference."""
    if not plan.weights:
        return scenario, []
    own = scenario.settings.weights.model_dump()
    changed = {k: v for k, v in plan.weights.items() if k in own and own[k] != v}
    if not changed:
        return scenario, []
    weights = scenario.settings.weights.model_copy(update=changed)
    scenario = scenario.model_copy(update={
        "settings": scenario.settings.model_copy(update={"weights": weights})})
    said = ", ".join(f"{k} {v} (the scenario says {own[k]})" for k, v in sorted(changed.items()))
    return scenario, [f"the objective is recomputed with the plan's weights: {said}"]


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


__all__ = ["Verdict", "Violation", "check_scenario", "verify", "with_plan_weights"]
