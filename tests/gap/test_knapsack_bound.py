"""The task-priced knapsack relaxation: its bound, fixing and cuts against enumeration."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_core_search import enumerate_core, small_cores

from gapcore import search as core_search
from gapcore.knapsack_bound import agent_cuts, fixing, forced_bounds, start_prices, subgradient
from gapcore.search import solve_core
from gapcore.settings import GapSettings
from wtmatch.core import AssignmentCore, construct, lagrangian_costs


def _prices(core, data):
    """Any prices (μ ≥ 0 where a task takes at most its seats): the bound holds for all."""
    mu = np.array(data.draw(st.lists(st.floats(-30, 40), min_size=core.n_tasks,
                                     max_size=core.n_tasks)))
    return mu if core.exact else np.abs(mu)


@settings(deadline=None, max_examples=150)
@given(small_cores(), st.data())
def test_bound_fixing_and_cuts_hold_for_every_plan(core, data):
    plans = enumerate_core(core)
    if not plans:
        return
    mu = _prices(core, data)
    best = max(v for v, _ in plans)
    incumbent = best - data.draw(st.integers(1, 5))
    bound, may, must = fixing(core, mu, incumbent)
    assert bound >= best - 1e-9, "the knapsack bound must bound the optimum"
    coef, rhs = agent_cuts(core, mu)
    for value, chosen in plans:
        per_agent = np.bincount(core.agent[chosen], weights=coef[chosen], minlength=core.n_agents)
        assert (per_agent <= rhs).all(), "a plan breaks an agent's knapsack cut"
        if value > incumbent:
            assert may[chosen].all(), "fixing removed a pair of a better plan"
            assert set(np.flatnonzero(must)) <= set(chosen.tolist()), \
                "a pair every better plan must use is missing from one"


@settings(deadline=None, max_examples=60)
@given(small_cores())
def test_subgradient_prices_bound_the_optimum(core):
    plans = enumerate_core(core)
    if not plans:
        return
    best = max(v for v, _ in plans)
    lam, _ = lagrangian_costs(core, iterations=40)
    kb = subgradient(core, start_prices(core, lam), best - 1, deadline=np.inf, iterations=60)
    assert kb.bound >= best - 1e-6
    assert fixing(core, kb.mu, best - 1)[0] >= best - 1e-9


def _two_bins() -> AssignmentCore:
    """Agents of capacity 10, items of use 6: the LP packs 1⅔ per agent, a plan only one.

    Six tasks (value 10 each, or 1 with the dummy agent 2 of unlimited room) on
    two real agents: the optimum is 10 + 10 + 4·1 = 24, the LP's bound about 37.
    """
    n = 6
    value = np.vstack([np.full(n, 10), np.full(n, 10), np.ones(n, dtype=int)])
    use = np.vstack([np.full(n, 6), np.full(n, 6), np.ones(n, dtype=int)])
    return AssignmentCore.from_dense(value, use, np.array([10, 10, n]), exact=True)


def test_the_knapsack_bound_proves_what_the_lp_cannot(monkeypatch):
    core = _two_bins()
    _, cap_bound = lagrangian_costs(core)
    assert cap_bound > 30                         # the capacity-priced (LP) bound is loose
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    res = solve_core(core, GapSettings(time_limit=5, workers=1))
    assert res.status == "optimal" and res.objective == 24
    assert res.stats["knapsack_bound"] < 25       # the knapsacks see one item per agent
    off = solve_core(core, GapSettings(time_limit=5, workers=1, knapsack_bound=False))
    assert off.objective == 24 and "knapsack_bound" not in off.stats


def test_small_cores_are_priced_for_the_proof_alone():
    """Below KNAPSACK_MIN_PAIRS the prices serve the descent by faces, not the pair fixing."""
    core = _two_bins()
    res = solve_core(core, GapSettings(time_limit=5, workers=1))
    assert res.status == "optimal" and res.objective == 24
    assert res.stats["knapsack_bound"] < 25 and res.stats["pairs_kept"] == len(core)
    assert "kernel_pairs" not in res.stats


def _relaxation_by_enumeration(core, mu_int, scale):
    """L(μ)·scale and, per pair, L with the pair forced in / out: every agent's subsets tried."""
    profit = core.value * scale - mu_int[core.task]
    best = np.zeros(core.n_agents, dtype=np.int64)
    best_in = np.full(len(core), np.iinfo(np.int64).min // 4)
    best_out = np.full(len(core), np.iinfo(np.int64).min // 4)
    for a in range(core.n_agents):
        mine = np.flatnonzero(core.agent == a)
        for mask in range(1 << len(mine)):
            pick = mine[[(mask >> k) & 1 == 1 for k in range(len(mine))]]
            if core.use[pick].sum() > core.capacity[a]:
                continue
            val = int(profit[pick].sum())
            best[a] = max(best[a], val)
            inside = np.isin(mine, pick)
            best_in[mine[inside]] = np.maximum(best_in[mine[inside]], val)
            best_out[mine[~inside]] = np.maximum(best_out[mine[~inside]], val)
    total = int(mu_int @ core.seats) + int(best.sum())
    rest = total - best[core.agent]
    return total, rest + best_in, rest + best_out


@settings(deadline=None, max_examples=150)
@given(small_cores(), st.data())
def test_fixing_is_exactly_the_relaxation_with_each_pair_forced(core, data):
    from gapcore.knapsack_bound import SCALE

    # prices on a grid of quarters: rounding them to 1/SCALE changes nothing
    mu = _prices(core, data).round() / 4
    mu_int = np.rint(mu * SCALE).astype(np.int64)
    incumbent = data.draw(st.integers(-40, 120))
    total, forced_in, forced_out = _relaxation_by_enumeration(core, mu_int, SCALE)
    bound, may, must = fixing(core, mu, incumbent)
    need = (incumbent + 1) * SCALE
    assert bound == total / SCALE
    assert may.tolist() == (forced_in >= need).tolist()
    assert must.tolist() == (forced_out < need).tolist()


def _gap_like(seed: int) -> AssignmentCore:
    """A type-C-like GAP: 5 agents, 30 jobs, capacities at 80 % of an even share."""
    rng = np.random.default_rng(seed)
    cost, use = rng.integers(10, 50, (5, 30)), rng.integers(5, 25, (5, 30))
    return AssignmentCore.from_dense(-cost, use, (0.8 * use.sum(1) / 5).astype(int), exact=True)


def test_the_descent_proves_each_target_above_the_optimum_empty(monkeypatch):
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    core = _gap_like(9)
    best = core_search.plain_core(core, GapSettings(time_limit=20, workers=1))
    assert best.status == "optimal"
    res = solve_core(core, GapSettings(time_limit=10, workers=1))
    assert res.status == "optimal" and res.objective == best.objective
    assert not core.violations(res.chosen)
    steps = res.stats["descent"]
    assert len(steps) >= 2                       # the bound sits units above the optimum here
    for target, pairs, status, _ in steps[:-1]:
        assert status == "infeasible" and target > best.objective and pairs < len(core)
    # the last step finds the optimum, or refutes one more than the optimum a tree
    # node's plan already gave the incumbent
    assert steps[-1][:3:2] in ((best.objective, "optimal"), (best.objective + 1, "infeasible"))


def _tight(seed: int, agents: int = 6, jobs: int = 48) -> AssignmentCore:
    """A type-D-like GAP: cost falls as use rises, capacities at 80 % of an even share."""
    rng = np.random.default_rng(seed)
    use = rng.integers(1, 100, (agents, jobs))
    cost = 111 - use + rng.integers(-10, 11, (agents, jobs))
    return AssignmentCore.from_dense(-cost, use, (0.8 * use.sum(1) / agents).astype(int), exact=True)


def test_the_kernel_keeps_each_tasks_best_rated_pairs_and_improves_the_plan():
    core = _tight(3)
    lam, _ = lagrangian_costs(core)
    first = construct(core, lam)
    assert not core.violations(first)
    mu = subgradient(core, start_prices(core, lam), core.objective(first), np.inf).mu
    state = core_search._Incumbent(core, time.perf_counter(), None)
    state.offer(first)
    stats = core_search._kernel(core, forced_bounds(core, mu), mu, state,
                                GapSettings(time_limit=2, workers=1),
                                time.perf_counter() + 2)
    # each task's KERNEL_RANKS best rated pairs, plus the incumbent's where it is not among them
    assert core.n_tasks * core_search.KERNEL_RANKS <= stats["kernel_pairs"] \
        <= core.n_tasks * (core_search.KERNEL_RANKS + 1)
    assert stats["kernel_from"] == core.objective(first) <= stats["kernel_to"] == state.value
    assert not core.violations(state.chosen) and core.objective(state.chosen) == state.value


@pytest.mark.slow
def test_the_kernel_runs_when_the_bound_leaves_a_gap_and_the_plan_stays_exact(monkeypatch):
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    monkeypatch.setattr(core_search, "DESCENT_TIME_SHARE", 0.0)   # leave the gap to the kernel
    core = _tight(5, agents=5, jobs=30)
    res = solve_core(core, GapSettings(time_limit=4, workers=1))
    if res.status == "optimal" and "kernel_pairs" not in res.stats:
        return      # the construction met the bound: nothing was left to search
    assert "kernel_pairs" in res.stats
    assert res.objective >= res.stats["kernel_to"] >= res.stats["kernel_from"]
    assert not core.violations(res.chosen) and core.objective(res.chosen) == res.objective
    best = core_search.plain_core(core, GapSettings(time_limit=20, workers=1))
    assert best.status == "optimal" and best.objective >= res.objective
    assert res.status != "optimal" or res.objective == best.objective
    # neither without neighbourhoods nor in reproducible mode (it runs on the clock)
    for off in (GapSettings(time_limit=1, workers=1, lns=False),
                GapSettings(time_limit=1, workers=1, reproducible=True)):
        assert "kernel_pairs" not in solve_core(core, off).stats


def test_ctrl_c_in_the_kernel_round_keeps_the_plan_and_stops(monkeypatch):
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    monkeypatch.setattr(core_search, "DESCENT_TIME_SHARE", 0.0)
    real, calls = core_search.run, []

    def interrupted(*args, **kwargs):
        calls.append(1)
        return dataclasses.replace(real(*args, **kwargs), interrupted=True)

    monkeypatch.setattr(core_search, "run", interrupted)
    core = _tight(5, agents=5, jobs=30)
    res = solve_core(core, GapSettings(time_limit=4, workers=1))
    assert res.stats.get("kernel_pairs") and res.stats["interrupted"]
    assert len(calls) == 1 and "kernel_lns_rounds" not in res.stats and "cpsat" not in res.stats
    assert not core.violations(res.chosen) and core.objective(res.chosen) == res.objective


@pytest.mark.slow
def test_a_plan_worth_the_proven_bound_stops_every_search_after_it(monkeypatch):
    core = _tight(5, agents=5, jobs=30)
    best = core_search.plain_core(core, GapSettings(time_limit=20, workers=1))
    assert best.status == "optimal"
    monkeypatch.setattr(core_search, "KNAPSACK_MIN_PAIRS", 0)
    # the descent proves the optimum's value as the bound but finds no plan worth it
    monkeypatch.setattr(core_search, "_descend",
                        lambda *args, **kwargs: (float(best.objective), None))
    res = solve_core(core, GapSettings(time_limit=30, workers=1))
    assert res.stats["kernel_from"] < best.objective, "the construction was optimal: nothing tested"
    assert res.status == "optimal" and res.objective == best.objective == res.bound
    assert res.stats["kernel_to"] == best.objective
    # the kernel's round or its neighbourhoods found it, and stopped there: no final search
    # (the kernel's share ends 15 s in)
    assert "cpsat" not in res.stats and res.stats["kernel_s"] < 14
    assert not core.violations(res.chosen) and core.objective(res.chosen) == res.objective


def test_compiling_the_kernels_comes_before_the_clock(monkeypatch):
    """A cold numba cache costs wall time, never the search's time limit."""
    def slow_compile():
        time.sleep(1.0)
        return 1.0

    monkeypatch.setattr(core_search, "compile_kernels", slow_compile)
    core = _tight(5, agents=5, jobs=30)
    res = solve_core(core, GapSettings(time_limit=5, workers=1))
    assert res.stats["compile_time"] == 1.0
    # the first plan's time counts from after the compile
    assert res.history and res.history[0][0] < 1.0
    assert not core.violations(res.chosen) and core.objective(res.chosen) == res.objective
    # without the knapsacks nothing is compiled
    monkeypatch.setattr(core_search, "compile_kernels", lambda: pytest.fail("compiled"))
    res = solve_core(core, GapSettings(time_limit=2, workers=1, knapsack_bound=False))
    assert "compile_time" not in res.stats
