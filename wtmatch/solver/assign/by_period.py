"""Part A of a school year, period by period, then joined (DOMAIN.md §8).

Only S9 (handover) links one period's rows to another's; every other rule
and term lives within a period. So a year too large for one model is
solved as one sub-model per period (each without S9, each with its own
search), and the plans are joined. Since S9 ≤ 0, the sum of the periods'
bounds bounds the whole year; the joined plan is valued exactly (S9
included), then the full model, hinted with it, searches for the rest of
the time for a better handover — its bound, when tighter, is taken too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from wtmatch.assign.candidates import Candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.unfold import fold_result, unfold
from wtmatch.budget import Budget
from wtmatch.plan import Assignment
from wtmatch.progress import Progress
from wtmatch.result import Result, Status
from wtmatch.scenario import Scenario
from wtmatch.settings import Settings
from wtmatch.solver.assign.model import build_assign_model
from wtmatch.solver.assign.outcome import plan_result
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.params import lp_portfolio
from wtmatch.solver.cpsat.run import run

#: Share of the time kept for the full model's search for a better handover.
JOIN_SHARE = 0.05
#: From this many candidate rows (all periods) a year is solved period by period.
SPLIT_FROM = 12_000


def splits(cands: Candidates) -> bool:
    """Whether the year of ``cands`` is solved period by period."""
    return len(cands.pool.blocks()) > 1 and len(cands) >= SPLIT_FROM


def solve_by_period(scenario: Scenario, unfolded: Scenario, cands: Candidates,
                    settings: Settings, budget: Budget,
                    solve_part: Callable[..., Result],
                    progress: Callable[[Progress], None] | None = None,
                    start: list[Assignment] = ()) -> Result:
    """Each period on its own (``solve_part``: part A's search), joined, then the handover.

    Returns the folded result (rows of ``scenario``, each with its period).
    """
    t0 = time.perf_counter()
    pc = unfolded.period_copies
    sizes = np.bincount(cands.pool.d_period[cands.d], minlength=len(pc.periods))
    share = (1 - JOIN_SHARE) * sizes / max(1, int(sizes.sum()))
    # each period's slice of the time, by its size (reproducible: of the deterministic units)
    whole = budget.seconds if budget.deterministic else budget.left()
    rows: list[Assignment] = []
    bound, proven, build = 0, True, 0.0
    for k, period in enumerate(pc.periods):
        part = budget.within(float(share[k]) * whole)
        alone = unfold(scenario, only=[period])
        tail = f"@{period}"
        res = solve_part(alone, settings, part, None,
                         [r for r in start if r.instructor.endswith(tail)])
        if not res.status.has_plan:
            return fold_result(scenario, unfolded, res)   # a period without a plan: the year has none
        rows += res.plan.assignments
        build += res.build_time
        proven &= res.status == Status.OPTIMAL
        bound = None if bound is None or res.bound is None else bound + res.bound
    chosen = np.array(sorted(p for p in cands.find_rows(rows) if p is not None), dtype=np.int64)
    terms = assign_terms(cands, chosen)
    objective = sum(terms.values())
    options = CpOptions.of(settings)
    t_join = time.perf_counter()
    pins = {r: p for r, p in enumerate(cands.find_rows(unfolded.pinned)) if p is not None}
    model = build_assign_model(cands, pins, symmetry=False)
    hint = np.zeros(model.builder.n_vars, dtype=np.int64)
    hint[model.x_of[chosen]] = 1
    xs = np.unique(model.x_of)
    model.builder.hint(xs, hint[xs])
    build += time.perf_counter() - t_join
    out = run(model.builder.model, lp_portfolio(options, 1), budget)
    if out.values is not None:
        better = model.chosen(out.values)
        better_terms = assign_terms(cands, better)
        if sum(better_terms.values()) > objective:
            chosen, terms, objective = better, better_terms, sum(better_terms.values())
    if out.bound is not None:
        full = math.floor(out.bound + 1e-6)
        bound = full if bound is None else min(bound, full)
    if out.status == "optimal":
        bound = min(bound, objective) if bound is not None else objective
    bound = None if bound is None else max(bound, objective)
    status = Status.OPTIMAL if bound is not None and objective >= bound else Status.FEASIBLE
    if progress is not None:
        progress(Progress(time.perf_counter() - t0, objective,
                          math.inf if bound is None else bound, part="assign"))
    result = plan_result(unfolded, cands, chosen, terms, status, bound, build,
                         time.perf_counter() - t0 - build,
                         options, {"periods_solved_apart": len(pc.periods),
                                   "periods_proven": proven, "interrupted": out.interrupted,
                                   **model.stats}, out.workers, out.version)
    return fold_result(scenario, unfolded, result)
