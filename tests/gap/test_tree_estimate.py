"""Knuth's estimate of the branch and bound's tree: unbiased, on the search's own tree."""

from __future__ import annotations

import time

import numpy as np
import pytest
from test_knapsack_bound import _gap_like
from test_knapsack_branch import _type_c_prices

from gapcore import tree_estimate as te
from gapcore.knapsack_branch import TargetSearch
from gapcore.search import plain_core
from gapcore.settings import GapSettings
from wtmatch.core import AssignmentCore


def _gap(seed: int, agents: int, jobs: int) -> AssignmentCore:
    """A type-C-like GAP, as _gap_like, of any size."""
    rng = np.random.default_rng(seed)
    cost, use = rng.integers(10, 50, (agents, jobs)), rng.integers(5, 25, (agents, jobs))
    return AssignmentCore.from_dense(-cost, use, (0.8 * use.sum(1) / agents).astype(int), exact=True)


def _refuted(core: AssignmentCore):
    """Prices and a target one above the optimum: a tree the search walks whole."""
    best = plain_core(core, GapSettings(time_limit=20, workers=1))
    assert best.status == "optimal"
    return _type_c_prices(core, best.objective), best.objective + 1


def _fake_tree(monkeypatch, children: dict[tuple, bool]) -> int:
    """Replace the node by a given tree: a path of sides → whether it branches. Returns its size.

    A node's path is the tuple of sides (1 in, 0 out) that leads to it,
    read back from the pairs fixed in and out; pair k is branched on at depth k.
    """
    def node(core, fixed_in, fixed_out, mu, target, deadline, iterations):
        depth = len(fixed_in) + int(fixed_out.sum())
        path = tuple(int(k in set(fixed_in.tolist())) for k in range(depth))
        if not children.get(path, False):
            return None
        return fixed_in, fixed_out, mu, depth, True

    monkeypatch.setattr(te, "_node", node)
    return 1 + 2 * sum(children.values())


def test_the_mean_of_many_dives_is_the_node_count_of_a_lopsided_tree(monkeypatch):
    # leaves 3 deep all under "in", a path 5 deep under "out": 17 nodes
    branching = {(): True, (1,): True, (1, 0): True, (1, 1): True}
    for d in range(1, 5):
        branching[(0,) * d] = True
    size = _fake_tree(monkeypatch, branching)
    assert size == 17
    est = te.estimate_tree(AssignmentCore.from_dense(np.ones((1, 9)), np.ones((1, 9)), [9]),
                           np.zeros(9), 0, 20_000, seed=3)
    assert len(est.estimates) == 20_000 and not est.found
    assert est.mean == pytest.approx(size, rel=0.03)
    # a dive's estimate is the complete tree as deep as the dive
    assert (est.estimates == 2.0 ** (est.depths + 1) - 1).all()
    assert set(est.depths.tolist()) == {2, 3, 4, 5}


@pytest.mark.parametrize("seed,agents,jobs", [(2, 8, 40), (4, 10, 60)])
def test_the_dives_walk_the_tree_the_search_walks(seed, agents, jobs):
    core = _gap(seed, agents, jobs)
    mu, target = _refuted(core)
    search = TargetSearch(core, mu, target)
    assert search.run(np.inf).status == "none"
    assert search.nodes >= 9       # a tree with branches, so the dives can differ
    est = te.estimate_tree(core, mu, target, 800, seed=0)
    assert not est.found and len(est.estimates) == 800
    assert est.depths.max() > est.depths.min()
    assert est.mean == pytest.approx(search.nodes, rel=0.15)


def test_a_reachable_target_is_found_by_a_dive_and_the_dives_stop():
    core = _gap_like(8)
    best = plain_core(core, GapSettings(time_limit=20, workers=1))
    mu = _type_c_prices(core, best.objective)
    est = te.estimate_tree(core, mu, best.objective, 500, seed=0)
    assert est.found and len(est.estimates) < 500


def test_the_same_seed_gives_the_same_estimate_and_another_seed_other_dives():
    core = _gap(4, 10, 60)
    mu, target = _refuted(core)
    one = te.estimate_tree(core, mu, target, 60, seed=5)
    two = te.estimate_tree(core, mu, target, 60, seed=5)
    other = te.estimate_tree(core, mu, target, 60, seed=6)
    assert (one.depths == two.depths).all() and one.nodes == two.nodes
    assert not (one.depths == other.depths).all()


def test_a_past_deadline_leaves_no_dive_and_no_estimate():
    core = _gap_like(2)
    mu, target = _refuted(core)
    est = te.estimate_tree(core, mu, target, 10, deadline=time.perf_counter() - 1)
    assert len(est.estimates) == 0 and est.nodes == 0 and not est.found
    assert np.isnan(est.mean) and np.isnan(est.median)


def test_dives_must_be_positive():
    core = _gap_like(2)
    with pytest.raises(ValueError, match="dives must be at least 1, got 0"):
        te.estimate_tree(core, np.zeros(core.n_tasks), 0, 0)
