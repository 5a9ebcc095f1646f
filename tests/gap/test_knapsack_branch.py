"""The branch and bound on the knapsacks: whether a plan reaches a target, against enumeration."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_core_search import enumerate_core, small_cores
from test_knapsack_bound import _gap_like, _prices

from gapcore import knapsack_branch as kb
from gapcore import search as core_search
from gapcore.knapsack_bound import (
    _Knapsacks,
    forced_bounds,
    start_prices,
    subgradient,
    usable_pairs,
)
from gapcore.knapsack_branch import TargetSearch, plan_reaching
from gapcore.search import plain_core, solve_core
from gapcore.settings import GapSettings
from wtmatch.core import AssignmentCore, lagrangian_costs
from wtmatch.core.repair import plan_from_picks


@settings(deadline=None, max_examples=200)
@given(small_cores(), st.data())
def test_the_search_answers_exactly_whether_a_plan_reaches_the_target(core, data):
    plans = enumerate_core(core)
    best = max((v for v, _ in plans), default=0)
    target = best + data.draw(st.integers(-3, 2))
    res = plan_reaching(core, _prices(core, data), target, np.inf)
    if any(v >= target for v, _ in plans):
        assert res.status == "found"
        assert not core.violations(res.chosen) and core.objective(res.chosen) >= target
    else:
        assert res.status == "none" and res.chosen is None
    assert res.nodes >= 1


def _type_c_prices(core, incumbent):
    lam, _ = lagrangian_costs(core)
    return subgradient(core, start_prices(core, lam), incumbent, np.inf).mu


def test_type_c_like_cores_the_optimum_is_found_and_one_unit_more_refuted():
    for seed in (2, 8, 9):      # knapsack bounds 3 to 4 units above the optimum
        core = _gap_like(seed)
        best = plain_core(core, GapSettings(time_limit=20, workers=1))
        assert best.status == "optimal"
        mu = _type_c_prices(core, best.objective)
        assert forced_bounds(core, mu).bound >= best.objective + 1     # the bound alone cannot tell
        above = plan_reaching(core, mu, best.objective + 1, np.inf)
        assert above.status == "none"
        at = plan_reaching(core, mu, best.objective, np.inf)
        assert at.status == "found" and core.objective(at.chosen) == best.objective
        assert not core.violations(at.chosen)


def test_the_search_gives_up_at_its_deadline():
    core = _gap_like(9)
    mu = np.zeros(core.n_tasks)
    res = plan_reaching(core, mu, -10**6, time.perf_counter() - 1)
    assert res.status == "unknown" and res.chosen is None and res.nodes == 0


def test_the_descent_searches_by_branch_and_bound_where_faces_are_too_large(monkeypatch):
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    monkeypatch.setattr(core_search, "FACE_LIMIT", 0)
    monkeypatch.setattr(core_search, "CLOSING_GAP", 1.0)

    def no_face(*args, **kwargs):
        raise AssertionError("no face step: every face is over the limit")

    monkeypatch.setattr(core_search, "_solve_face", no_face)
    for seed in (8, 9):
        core = _gap_like(seed)
        best = plain_core(core, GapSettings(time_limit=20, workers=1))
        res = solve_core(core, GapSettings(time_limit=10, workers=1))
        assert res.status == "optimal" and res.objective == best.objective
        assert not core.violations(res.chosen)
        steps = res.stats["descent"]
        assert len(steps) >= 2 and res.stats["branch_nodes"] >= len(steps)
        for target, _, status, sets in steps[:-1]:
            assert status == "infeasible" and target > best.objective and sets is None
        # the last step finds the optimum, or refutes one more than the optimum a node's
        # plan already gave the incumbent
        assert steps[-1][:3:2] in ((best.objective, "optimal"), (best.objective + 1, "infeasible"))


def test_a_close_bound_gets_a_closing_descent_by_branch_and_bound(monkeypatch):
    """No descent before: the closing search alone proves the plan, from the bound down."""
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    monkeypatch.setattr(core_search, "DESCENT_TIME_SHARE", 0.0)
    monkeypatch.setattr(core_search, "CLOSING_GAP", 1.0)
    monkeypatch.setattr(core_search, "CLOSING_SHARE", 1.0)
    for seed in (8, 9):
        core = _gap_like(seed)
        best = plain_core(core, GapSettings(time_limit=20, workers=1))
        res = solve_core(core, GapSettings(time_limit=5, workers=1))
        assert "cpsat" not in res.stats, "the closing search proves it: no final search"
        assert res.status == "optimal" and res.objective == best.objective
        assert not core.violations(res.chosen)
        steps = res.stats["closing"]
        targets = [target for target, *_ in steps]
        assert targets == list(range(targets[0], targets[0] - len(steps), -1)), "one unit at a time"
        assert all(status == "infeasible" and target > best.objective
                   for target, _, status, _ in steps[:-1])
        # the last step finds the optimum, or proves the incumbent (already optimal) is
        assert steps[-1][:3:2] in ((best.objective, "optimal"), (best.objective + 1, "infeasible"))


def test_a_search_cut_off_goes_on_where_it_stopped():
    """One node a run gives the same answer, plan and tree as one run to the end."""
    for seed in (8, 9):
        core = _gap_like(seed)
        best = plain_core(core, GapSettings(time_limit=20, workers=1))
        mu = _type_c_prices(core, best.objective)
        for target in (best.objective + 1, best.objective):
            whole = TargetSearch(core, mu, target)
            once = whole.run(np.inf)
            sliced = TargetSearch(core, mu, target)
            runs = []
            while not runs or runs[-1].status == "unknown":
                runs.append(sliced.run(np.inf, max_nodes=1))
                assert runs[-1].nodes <= 1
            assert len(runs) == once.nodes == whole.nodes == sliced.nodes >= 2
            assert runs[-1].status == once.status
            assert np.array_equal(runs[-1].chosen, once.chosen) if once.chosen is not None \
                else runs[-1].chosen is None
            again = sliced.run(np.inf)
            assert (again.status, again.nodes) == (once.status, 0), "answered: no more search"


def test_the_closing_phase_takes_up_the_tree_the_descent_left_open(monkeypatch):
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    monkeypatch.setattr(core_search, "FACE_LIMIT", 0)
    monkeypatch.setattr(core_search, "CLOSING_GAP", 0.0)    # the open tree alone calls for it
    made = []

    class FirstRunOneNode(TargetSearch):
        """A search whose first run stops after one node (as at the descent step's limit)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

        def run(self, deadline, max_nodes=None, stop=None):
            return super().run(deadline, 1 if self.nodes == 0 else max_nodes, stop)

    monkeypatch.setattr(core_search, "TargetSearch", FirstRunOneNode)
    core = _gap_like(9)
    best = plain_core(core, GapSettings(time_limit=20, workers=1))
    res = solve_core(core, GapSettings(time_limit=10, workers=1))
    assert res.status == "optimal" and res.objective == best.objective
    assert not core.violations(res.chosen)
    descent, closing = res.stats["descent"], res.stats["closing"]
    assert descent[-1][2] == "unknown", "the descent's last tree was cut off"
    assert closing[0][:2] == descent[-1][:2], "the closing search starts at the open tree's target"
    open_target = descent[-1][0]
    trees = [s for s in made if s.target == open_target]
    assert len(trees) == 1 and trees[0].nodes > 1, "taken up, not searched again from its root"


@settings(deadline=None, max_examples=200)
@given(small_cores(), st.data())
def test_a_plan_from_the_knapsacks_picks_is_feasible_or_none(core, data):
    mu = _prices(core, data)
    _, picked = _Knapsacks(core).picks(mu)
    plan = plan_from_picks(core, picked)
    if plan is not None:
        assert not core.violations(plan)
    elif not core.exact:
        pytest.fail("a core that only caps seats always keeps a plan: the picks, thinned")


@settings(deadline=None, max_examples=150)
@given(small_cores(), st.data())
def test_a_node_branches_on_its_first_free_pair_on_the_side_that_costs_nothing(core, data):
    plans = enumerate_core(core)
    target = max((v for v, _ in plans), default=0) + data.draw(st.integers(-3, 2))
    outcome = kb._node(core, np.zeros(0, dtype=np.int64), np.zeros(len(core), dtype=bool),
                       _prices(core, data), target, np.inf, kb.NODE_ITERATIONS)
    if not isinstance(outcome, tuple):
        return      # pruned or a plan: no branch
    fixed_in, fixed_out, mu, pair, in_first = outcome
    node, pos, _ = kb._restricted(core, fixed_in, fixed_out)
    assert pair == pos[0], "the first pair still free"
    forced = forced_bounds(node, mu)
    # the knapsacks are exact: one side of every pair leaves the bound where it is
    assert (np.maximum(forced.with_pair, forced.without_pair) == forced.total).all()
    assert (forced.with_pair if in_first else forced.without_pair)[0] == forced.total


def test_picks_that_clash_become_a_plan():
    """Both agents' knapsacks take task 0, none takes task 1: each task ends with one agent."""
    core = AssignmentCore.from_dense(np.array([[9, 1], [8, 2]]), np.array([[3, 3], [3, 3]]),
                                     np.array([3, 3]), exact=True)
    plan = plan_from_picks(core, np.array([0, 2]))     # (agent 0, task 0) and (agent 1, task 0)
    assert plan is not None and not core.violations(plan)
    assert core.objective(plan) == 9 + 2


def test_the_search_hands_its_nodes_plans_over_and_answers_the_same():
    for seed in (8, 9):
        core = _gap_like(seed)
        best = plain_core(core, GapSettings(time_limit=20, workers=1))
        mu = _type_c_prices(core, best.objective)
        plans = []
        search = TargetSearch(core, mu, best.objective + 1, on_plan=plans.append)
        res = search.run(np.inf)
        assert res.status == plan_reaching(core, mu, best.objective + 1, np.inf).status == "none"
        assert plans, "the nodes' picks made plans"
        for plan in plans:
            assert not core.violations(plan) and core.objective(plan) <= best.objective


def test_a_search_asked_to_stop_stops_and_goes_on_later():
    core = _gap_like(9)
    best = plain_core(core, GapSettings(time_limit=20, workers=1))
    mu = _type_c_prices(core, best.objective)
    search = TargetSearch(core, mu, best.objective)
    held = search.run(np.inf, stop=lambda: True)
    assert (held.status, held.nodes) == ("unknown", 0)
    assert search.run(np.inf).status == "found"


def test_a_descent_step_ends_when_a_nodes_plan_reaches_its_target(monkeypatch):
    """The incumbent a node's plan gives may settle the step: the tree stops, the step is optimal."""
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    monkeypatch.setattr(core_search, "FACE_LIMIT", 0)
    core = _gap_like(9)
    best = plain_core(core, GapSettings(time_limit=20, workers=1))
    cell = {(a, t): i for i, (a, t) in enumerate(zip(core.agent, core.task, strict=True))}
    ran = []

    class OffersTheOptimum(TargetSearch):
        """At the optimum's target, a node first hands over the optimal plan; above it, none."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.target != best.objective:
                self.on_plan = None

        def run(self, deadline, max_nodes=None, stop=None):
            if self.target == best.objective:
                mine = {(a, t): i for i, (a, t) in enumerate(zip(self.core.agent, self.core.task,
                                                                 strict=True))}
                plan = [mine[(core.agent[p], core.task[p])] for p in best.chosen
                        if cell[(core.agent[p], core.task[p])] == p]
                self.on_plan(np.sort(np.array(plan)))
            res = super().run(deadline, max_nodes, stop)
            ran.append((self.target, res.nodes))
            return res

    monkeypatch.setattr(core_search, "TargetSearch", OffersTheOptimum)
    res = solve_core(core, GapSettings(time_limit=10, workers=1))
    assert res.status == "optimal" and res.objective == best.objective
    assert not core.violations(res.chosen)
    assert res.stats["descent"][-1][::2] == (best.objective, "optimal")
    assert (best.objective, 0) in ran, "the tree at the optimum's target searched no node"


@settings(deadline=None, max_examples=150)
@given(small_cores(exact=True), st.data())
def test_a_steps_own_prices_keep_every_plan_that_reaches_its_target(core, data):
    plans = enumerate_core(core)
    if not plans:
        return
    best = max(v for v, _ in plans)
    target = best + data.draw(st.integers(-2, 1))
    mu, forced = core_search._step_prices(core, _prices(core, data), target, np.inf, np.inf)
    assert forced.bound >= best - 1e-9
    keep = usable_pairs(core, forced, target - 1)[1]
    for value, chosen in plans:
        if value >= target:
            assert keep[chosen].all(), "a step's prices dropped a pair of a plan reaching it"
    res = plan_reaching(*core.subset(keep)[:1], mu, target, np.inf)
    assert res.status == ("found" if best >= target else "none")


def test_a_steps_own_prices_bound_it_at_least_as_tightly_as_the_first_ones():
    fewer = []
    for seed in (2, 8, 9):
        core = _gap_like(seed)
        best = plain_core(core, GapSettings(time_limit=20, workers=1))
        first = _type_c_prices(core, best.objective - 50)     # tuned towards a poor plan
        mu, forced = core_search._step_prices(core, first, best.objective + 1, np.inf, np.inf)
        assert best.objective <= forced.bound <= forced_bounds(core, first).bound + 1e-9
        keep = usable_pairs(core, forced, best.objective)[1]
        kept_before = usable_pairs(core, forced_bounds(core, first),
                                                   best.objective)[1]
        fewer.append(keep.sum() < kept_before.sum())
        sub, _ = core.subset(keep)
        assert plan_reaching(sub, mu, best.objective + 1, np.inf).status == "none"
    assert any(fewer), "prices tuned to the step leave fewer pairs on some core"


@pytest.mark.parametrize("min_seconds", [0.0, np.inf])
def test_tree_steps_with_time_enough_are_re_priced(monkeypatch, min_seconds):
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    monkeypatch.setattr(core_search, "STEP_PRICE_MIN_S", min_seconds)
    real, calls = core_search._step_prices, []
    monkeypatch.setattr(core_search, "_step_prices",
                        lambda *args: (calls.append(args[2]), real(*args))[1])
    core = _gap_like(8)
    best = plain_core(core, GapSettings(time_limit=20, workers=1))
    res = solve_core(core, GapSettings(time_limit=10, workers=1))
    assert res.status == "optimal" and res.objective == best.objective
    steps = res.stats["descent"] + res.stats.get("closing", [])
    if np.isfinite(min_seconds):
        assert calls == [target for target, *_ in steps][:len(calls)] and calls
    else:
        assert not calls


def test_a_re_priced_step_searches_the_pairs_its_own_prices_leave(monkeypatch):
    """Not cut further by the first prices' fixing: that cut cost c401600 its optimum."""
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    monkeypatch.setattr(core_search, "STEP_PRICE_MIN_S", 0.0)
    priced, searched = [], []
    real_prices, real_search = core_search._step_prices, core_search.TargetSearch

    def step_prices(core, prices, target, *rest):
        mu, forced = real_prices(core, prices, target, *rest)
        priced.append((target, int(usable_pairs(core, forced, target - 1)[1].sum())))
        return mu, forced

    def target_search(sub, mu, target, **options):
        searched.append((target, len(sub)))
        return real_search(sub, mu, target, **options)

    monkeypatch.setattr(core_search, "_step_prices", step_prices)
    monkeypatch.setattr(core_search, "TargetSearch", target_search)
    core = _gap_like(8)
    res = solve_core(core, GapSettings(time_limit=10, workers=1))
    assert res.status == "optimal" and not core.violations(res.chosen)
    assert searched and searched == priced
