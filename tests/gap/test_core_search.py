"""The assignment core: validation, bounds, heuristics and the solver against enumeration."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gapcore import search as core_search
from gapcore.search import plain_core, solve_core
from gapcore.settings import GapSettings
from wtmatch.core import AssignmentCore, construct, lagrangian_costs, local_search, promising


def enumerate_core(core: AssignmentCore) -> list[tuple[int, np.ndarray]]:
    """Every feasible plan of a tiny core with its value (seats ≤ 1 per task)."""
    options = []
    for t in range(core.n_tasks):
        pairs = np.flatnonzero(core.task == t).tolist()
        options.append(pairs if core.exact else [None, *pairs])
    out = []
    for combo in itertools.product(*options):
        chosen = np.array([p for p in combo if p is not None], dtype=np.int64)
        if not core.violations(chosen):
            out.append((core.objective(chosen), chosen))
    return out


@st.composite
def small_cores(draw, exact: bool | None = None):
    m = draw(st.integers(1, 3))
    n = draw(st.integers(1, 6))
    value = np.array(draw(st.lists(st.integers(-20, 40), min_size=m * n, max_size=m * n))).reshape(m, n)
    use = np.array(draw(st.lists(st.integers(1, 9), min_size=m * n, max_size=m * n))).reshape(m, n)
    cap = np.array(draw(st.lists(st.integers(0, 20), min_size=m, max_size=m)))
    elig = np.array(draw(st.lists(st.booleans(), min_size=m * n, max_size=m * n))).reshape(m, n)
    ex = draw(st.booleans()) if exact is None else exact
    return AssignmentCore.from_dense(value, use, cap, exact=ex, eligible=elig)


def test_validation_names_the_problem():
    with pytest.raises(ValueError, match="'task' has 1 entries"):
        AssignmentCore([1], [1], agent=[0, 0], task=[0], value=[1, 1], use=[1, 1])
    with pytest.raises(ValueError, match="occurs twice"):
        AssignmentCore([1], [1], agent=[0, 0], task=[0, 0], value=[1, 1], use=[1, 1])
    with pytest.raises(ValueError, match="agent index"):
        AssignmentCore([1], [1], agent=[1], task=[0], value=[1], use=[1])
    with pytest.raises(ValueError, match="≥ 0"):
        AssignmentCore([1], [1], agent=[0], task=[0], value=[1], use=[-1])


def test_violations_in_words():
    core = AssignmentCore.from_dense(np.array([[5, 4]]), np.array([[3, 3]]), [4], exact=True)
    assert core.violations(np.array([0, 1])) == ["agent 0 uses 6 > capacity 4"]
    assert core.violations(np.array([0])) == ["task 1 has 0 of 1 seats"]


@settings(deadline=None)
@given(small_cores())
def test_bound_heuristics_and_fixing_agree_with_enumeration(core):
    plans = enumerate_core(core)
    lam, bound = lagrangian_costs(core, iterations=80)
    if not plans:
        assert core.exact
        return
    best = max(v for v, _ in plans)
    assert bound >= best - 1e-6, "the Lagrangian bound must bound the optimum"
    first = construct(core, lam)
    if not core.violations(first):
        assert core.objective(first) <= best
        improved = local_search(core, first, seconds=0.5)
        assert not core.violations(improved)
        assert core.objective(first) <= core.objective(improved) <= best
        keep = promising(core, lam, bound, core.objective(first))
        for value, chosen in plans:
            if value > core.objective(first):
                assert keep[chosen].all(), "reduced-cost fixing removed a pair of a better plan"


@settings(deadline=None, max_examples=25)
@given(small_cores())
def test_solve_core_is_optimal(core):
    plans = enumerate_core(core)
    res = solve_core(core, GapSettings(time_limit=5, workers=1))
    if not plans:
        assert res.status == "infeasible"
        return
    assert res.status == "optimal"
    assert not core.violations(res.chosen)
    assert res.objective == max(v for v, _ in plans) == core.objective(res.chosen)


def _gap1_first():
    from benchmarks import gapdata

    return gapdata.instances("orlib", ["c515-1:max"])[0][0]


def test_lns_path_reaches_the_known_optimum(monkeypatch):
    """gap1 problem 1 (max 336) through construction → LNS → CP-SAT."""
    monkeypatch.setattr(core_search, "DIRECT_LIMIT", 0)
    inst = _gap1_first()
    core = inst.core("max")
    # without the knapsacks: their descent by faces would prove it before the LNS runs
    res = solve_core(core, GapSettings(time_limit=3, workers=2, lns_share=0.5, knapsack_bound=False))
    assert not core.violations(res.chosen)
    assert res.objective == 336 and res.status == "optimal"
    assert res.stats["lns_rounds"] >= 1
    assert [v for _, v in res.history] == sorted(v for _, v in res.history)


def test_ctrl_c_in_the_neighbourhood_search_returns_the_best_plan_and_stops(monkeypatch):
    monkeypatch.setattr(core_search, "DIRECT_LIMIT", 0)
    real, calls = core_search._solve_sub, []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(core_search, "_solve_sub", interrupted)
    core = _gap1_first().core("max")
    res = solve_core(core, GapSettings(time_limit=30, workers=2, lns_share=0.9, knapsack_bound=False))
    assert res.stats["interrupted"] and res.stats["lns_rounds"] == 3
    assert "cpsat" not in res.stats            # no full search after Ctrl-C
    assert res.objective is not None and not core.violations(res.chosen)
    assert res.objective == core.objective(res.chosen)


def test_minimisation_and_plain_baseline_agree():
    inst = _gap1_first()
    core = inst.core("min")
    ours = solve_core(core, GapSettings(time_limit=5))
    plain = plain_core(core, GapSettings(time_limit=5))
    assert inst.objective(ours.objective, "min") == inst.objective(plain.objective, "min") == 261


def test_infeasible_exact_core():
    core = AssignmentCore.from_dense(np.array([[1, 1]]), np.array([[3, 3]]), [4], exact=True)
    assert solve_core(core, GapSettings(time_limit=2)).status == "infeasible"


def test_seats_above_one():
    # two tasks wanting two agents each, three agents with room for one task each
    value = np.array([[5, 1], [4, 1], [3, 9]])
    core = AssignmentCore.from_dense(value, np.ones((3, 2)), [1, 1, 1], seats=[2, 2], exact=False)
    res = solve_core(core, GapSettings(time_limit=2))
    assert res.objective == 5 + 4 + 9 and res.status == "optimal"


@pytest.mark.slow
def test_neighbourhoods_in_lanes_merge_into_feasible_improving_plans(monkeypatch):
    # A type-d GAP (cost falls as use rises, tight capacities) of 30 agents × 600 tasks:
    # about 6 agents per neighbourhood, room for two lanes.
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    rng = np.random.default_rng(7)
    use = rng.integers(1, 101, size=(30, 600))
    cost = 111 - use + rng.integers(-10, 11, size=(30, 600))
    core = AssignmentCore.from_dense(-cost, use, capacity=(0.8 * use.sum(axis=1) / 30).astype(int))
    seen = []
    monkeypatch.setattr(core_search._Incumbent, "note",
                        lambda self, at, value, real=core_search._Incumbent.note:
                        (seen.append(value), real(self, at, value)))
    # (without the knapsack bound, which proves this core before any neighbourhood)
    # (alone its first improvement comes 1.6 s in; the margin is for a loaded machine)
    res = solve_core(core, GapSettings(time_limit=8, workers=2, lns_share=0.9, lp_guide=False,
                                    knapsack_bound=False))
    assert res.stats["lns_lanes"] == 2 and res.stats["lns_improvements"] >= 1
    assert not core.violations(res.chosen)
    assert res.objective == core.objective(res.chosen) == max(seen)
    assert seen == sorted(seen)


def test_the_lp_guided_round_searches_the_pairs_the_lp_uses():
    # The "LP" uses exactly an optimal plan's pairs, and reduced costs rank those pairs
    # last: only through the LP can the round find the optimum.
    core = _gap1_first().core("max")
    optimum = solve_core(core, GapSettings(time_limit=10))
    assert optimum.status == "optimal"
    state = core_search._Incumbent(core, 0.0, None)
    assert state.offer(construct(core)) and state.value < optimum.objective
    solution = np.zeros(len(core))
    solution[optimum.chosen] = 1.0
    rc = solution.copy()
    stats = core_search._guided(core, state, GapSettings(), time.perf_counter() + 10, rc, solution)
    assert stats["lp_round_to"] == state.value == optimum.objective
    assert not core.violations(state.chosen)
    ranked = core.n_tasks * core_search.GUIDE_RANKS
    assert ranked < stats["lp_round_pairs"] <= ranked + 2 * core.n_tasks


@pytest.mark.slow
def test_the_core_search_takes_the_lp_bound_and_its_round(monkeypatch):
    # The type-d core of the lanes test: above the direct limit, so GLOP runs beside
    # the neighbourhood search; its bound proves or bounds the result.
    rng = np.random.default_rng(7)
    use = rng.integers(1, 101, size=(30, 600))
    cost = 111 - use + rng.integers(-10, 11, size=(30, 600))
    core = AssignmentCore.from_dense(-cost, use, capacity=(0.8 * use.sum(axis=1) / 30).astype(int))
    res = solve_core(core, GapSettings(time_limit=8, lns_share=0.9))
    assert not core.violations(res.chosen) and res.objective == core.objective(res.chosen)
    assert res.stats["lp_round_to"] >= res.stats["lp_round_from"]
    assert res.objective <= res.stats["lp_bound"]
    assert res.stats["pairs_kept_lp"] <= res.stats["pairs_kept"]
    assert res.bound <= max(res.stats["lp_bound"], res.objective)
    # An LP that GLOP would not solve within its share of the time is not tried.
    monkeypatch.setattr(core_search, "GLOP_US_PER_PAIR", 1e6)
    res = solve_core(core, GapSettings(time_limit=2, lns_share=0.9))
    assert "lp_bound" not in res.stats and "lp_round_to" not in res.stats
    assert not core.violations(res.chosen)


def test_lanes_wait_when_a_grown_neighbourhood_holds_every_agent(monkeypatch):
    # 8 agents, 2 lanes: quick proofs grow neighbourhoods to all 8 agents, and then
    # nothing is left beside a running lane (this raised from numpy before).
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(core_search, "DIRECT_LIMIT", 0)
    rng = np.random.default_rng(3)
    use = rng.integers(5, 26, size=(8, 400))
    cost = rng.integers(10, 51, size=(8, 400))
    # capacities of an even share: loose enough for quick sub-proofs, too tight for the
    # capacity-priced bound to prove the plan at once (the knapsack bound would: off)
    core = AssignmentCore.from_dense(-cost, use, capacity=(use.sum(axis=1) / 8).astype(int))
    # the search stops at a plan worth the bound, sometimes before the neighbourhoods
    # hold every agent: here it must go on growing them
    monkeypatch.setattr(core_search._Incumbent, "reached", property(lambda self: False))
    res = solve_core(core, GapSettings(time_limit=4, workers=2, lns_share=0.9, lp_guide=False,
                                    knapsack_bound=False))
    # (the last neighbourhood may have timed out and shrunk k again: the largest counts)
    assert res.stats["lns_lanes"] == 2 and res.stats["lns_most_agents"] == 8
    assert not core.violations(res.chosen) and res.objective == core.objective(res.chosen)


def test_neighbourhoods_stop_once_the_plan_has_not_improved_for_the_stall_time(monkeypatch):
    # An optimal plan: no neighbourhood can improve it, so with a stall of 0.5 s the
    # search stops long before its 20 s end, and without one it runs to the end.
    monkeypatch.setattr(core_search._Incumbent, "reached", property(lambda self: False))
    core = _gap1_first().core("max")
    optimum = solve_core(core, GapSettings(time_limit=10))
    assert optimum.status == "optimal"
    state = core_search._Incumbent(core, time.perf_counter(), None)
    assert state.offer(optimum.chosen)
    t0 = time.perf_counter()
    stats = core_search._lns(core, state, GapSettings(workers=1), t0 + 20, stall=0.5)
    assert stats["lns_stalled"] and stats["lns_rounds"] >= 1
    assert time.perf_counter() - t0 < 10
    stats = core_search._lns(core, state, GapSettings(workers=1), time.perf_counter() + 1.0)
    assert not stats["lns_stalled"]
    assert state.value == optimum.objective and not core.violations(state.chosen)


def test_the_stall_rule_and_the_long_closing_phase_hold_only_within_the_closing_gap():
    gap = core_search.CLOSING_GAP
    assert core_search._within_closing(10_000.4, 10_000 - 0.5 * gap * 10_000)
    assert not core_search._within_closing(10_000.4, 10_000 - 2 * gap * 10_000)
    s = GapSettings(time_limit=600)
    assert core_search._stall(s, closing=False) == np.inf
    assert core_search._stall(s, closing=True) == core_search.LNS_STALL_SHARE * 600
    assert core_search._stall(GapSettings(time_limit=10), closing=True) == core_search.LNS_STALL_MIN_S
