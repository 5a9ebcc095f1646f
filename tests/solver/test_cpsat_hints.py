"""Completing a partial hint: the assignment part fixed, the rest filled by CP-SAT."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from wtmatch.assign.candidates import Pool, build_candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.greedy import greedy
from wtmatch.budget import Budget
from wtmatch.generate import generate
from wtmatch.solver.assign.model import build_assign_model
from wtmatch.solver.cpsat.hints import complete_hint


def _model_and_plan(seed: int = 1):
    cands = build_candidates(Pool.of(generate(20, 10, seed=seed)))
    model = build_assign_model(cands)
    plan = greedy(cands)
    x = np.zeros(model.builder.n_vars, dtype=np.int64)
    x[model.x_of[plan]] = 1
    xs = np.unique(model.x_of)
    return cands, model, plan, xs, x[xs]


def test_the_completion_keeps_the_plan_and_scores_it_exactly():
    cands, model, plan, xs, values = _model_and_plan()
    full = complete_hint(model.builder.model, xs, values, Budget.start(2.0))
    assert full is not None and len(full) == model.builder.n_vars
    assert np.array_equal(full[xs], values)
    # Fixing every variable to the completion is feasible, and the model's
    # objective there is the plan's exact S1–S7: no penalty variable left high.
    check = cp_model.CpModel()
    check.proto.copy_from(model.builder.proto)
    for v, val in enumerate(full.tolist()):
        dom = check.proto.variables[v].domain
        dom.clear()
        dom.extend((val, val))
    solver = cp_model.CpSolver()
    assert solver.solve(check) == cp_model.OPTIMAL
    assert round(solver.objective_value) == sum(assign_terms(cands, plan).values())


def test_a_hint_that_breaks_a_rule_has_no_completion():
    _, model, _, xs, values = _model_and_plan()
    assert complete_hint(model.builder.model, xs, np.ones_like(values), Budget.start(2.0)) is None


def test_the_copy_counts_against_the_time_given():
    _, model, _, xs, values = _model_and_plan()
    assert complete_hint(model.builder.model, xs, values, Budget.start(0.0)) is None
