"""The knapsack face: every agent's pair sets a plan worth a target allows, and the descent by it."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_core_search import enumerate_core, small_cores
from test_knapsack_bound import _gap_like, _prices

from gapcore import search as core_search
from gapcore.knapsack_bound import SCALE, _scaled_prices, forced_bounds
from gapcore.knapsack_face import near_optimal_selections
from gapcore.search import plain_core, solve_core
from gapcore.settings import GapSettings
from wtmatch.core import AssignmentCore


def _sets_by_enumeration(core: AssignmentCore, mu: np.ndarray, target: int) -> set:
    """(agent, pairs) of every subset of an agent's pairs within the slack, all subsets tried."""
    mu_int = _scaled_prices(core, mu, SCALE)
    profit = core.value * SCALE - mu_int[core.task]
    best, fitting = np.zeros(core.n_agents, dtype=np.int64), []
    for a in range(core.n_agents):
        mine = np.flatnonzero(core.agent == a).tolist()
        for r in range(len(mine) + 1):
            for pick in itertools.combinations(mine, r):
                if core.use[list(pick)].sum() <= core.capacity[a]:
                    val = int(profit[list(pick)].sum())
                    best[a] = max(best[a], val)
                    fitting.append((a, pick, val))
    slack = int(mu_int @ core.seats) + int(best.sum()) - target * SCALE
    return {(a, pick) for a, pick, val in fitting if slack >= 0 and val >= best[a] - slack}


def _as_set(face) -> set:
    return {(int(face.agent[s]), tuple(sorted(face.pairs[face.starts[s]:face.starts[s + 1]].tolist())))
            for s in range(len(face))}


@settings(deadline=None, max_examples=150)
@given(small_cores(), st.data())
def test_the_face_is_every_set_within_the_slack(core, data):
    mu = _prices(core, data)
    bound = forced_bounds(core, mu).bound
    target = int(np.floor(bound)) - data.draw(st.integers(-1, 6))
    face = near_optimal_selections(core, mu, target, limit=10**6)
    assert _as_set(face) == _sets_by_enumeration(core, mu, target)
    assert len(_as_set(face)) == len(face), "a set is listed twice"
    assert (np.diff(face.agent) >= 0).all(), "each agent's sets must be contiguous"
    for s in range(len(face)):
        assert face.value[s] == core.value[face.pairs[face.starts[s]:face.starts[s + 1]]].sum()


@settings(deadline=None, max_examples=100)
@given(small_cores(), st.data())
def test_every_plan_worth_the_target_is_made_of_face_sets(core, data):
    plans = enumerate_core(core)
    if not plans:
        return
    mu = _prices(core, data)
    target = max(v for v, _ in plans) - data.draw(st.integers(0, 4))
    sets = _as_set(near_optimal_selections(core, mu, target, limit=10**6))
    for value, chosen in plans:
        if value >= target:
            for a in range(core.n_agents):
                mine = tuple(sorted(chosen[core.agent[chosen] == a].tolist()))
                assert (a, mine) in sets, f"agent {a}'s share of a plan worth {value} is missing"


def test_the_face_gives_up_beyond_its_limit_and_is_empty_above_the_bound():
    core = _gap_like(9)
    mu = np.zeros(core.n_tasks)
    bound = forced_bounds(core, mu).bound
    assert near_optimal_selections(core, mu, int(bound) - 40, limit=50) is None
    above = near_optimal_selections(core, mu, int(np.floor(bound)) + 1)
    assert above is not None and len(above) == 0


def test_small_cores_are_proven_by_the_descent_over_faces():
    """gap1–12's size: the face steps prove the optimum, each exact (checked against CP-SAT)."""
    for seed in (2, 8, 9):      # bounds 3 to 4 units above the optimum
        core = _gap_like(seed)
        best = plain_core(core, GapSettings(time_limit=20, workers=1))
        assert best.status == "optimal"
        res = solve_core(core, GapSettings(time_limit=10, workers=1))
        assert res.status == "optimal" and res.objective == best.objective
        assert not core.violations(res.chosen) and core.objective(res.chosen) == res.objective
        steps = res.stats["descent"]
        assert len(steps) >= 4
        for target, _, status, sets in steps[:-1]:
            assert status == "infeasible" and target > best.objective and sets is not None
        assert steps[-1][0] == best.objective and steps[-1][2] == "optimal"


def test_the_descent_over_faces_is_off_without_the_knapsacks_or_the_clock():
    core = _gap_like(4)
    for off in (GapSettings(time_limit=5, workers=1, knapsack_bound=False),
                GapSettings(time_limit=5, workers=1, reproducible=True)):
        res = solve_core(core, off)
        assert "descent" not in res.stats and res.status == "optimal"


def test_a_face_without_a_set_for_some_agent_or_task_is_infeasible_at_once(monkeypatch):
    def no_run(*args, **kwargs):
        raise AssertionError("CP-SAT must not run")

    monkeypatch.setattr(core_search, "run", no_run)
    core = AssignmentCore.from_dense(np.array([[5, 4], [3, 3]]), np.array([[1, 1], [1, 1]]),
                                     [2, 2], exact=True)
    # unpriced, the bound is 9 + 6: above it no agent has a set
    above = near_optimal_selections(core, np.zeros(2), 16)
    assert len(above) == 0
    assert core_search._solve_face(core, above, 16, GapSettings(time_limit=1)) == ("infeasible", None)
    # task 1 priced at 100: within a slack of 8 no set takes it, so no plan fills it
    mu = np.array([0.0, 100.0])
    uncovered = near_optimal_selections(core, mu, 100)
    assert len(uncovered) and set(uncovered.agent.tolist()) == {0, 1}
    assert 1 not in core.task[uncovered.pairs]
    assert core_search._solve_face(core, uncovered, 100, GapSettings(time_limit=1)) == ("infeasible", None)
