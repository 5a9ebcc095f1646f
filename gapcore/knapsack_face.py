"""Every agent's pair sets that a plan worth a target could give it, under the knapsack prices.

With task prices μ every plan's value splits by agent (see
:mod:`gapcore.knapsack_bound`), scaled by SCALE:

    value·SCALE ≤ Σ_t μ_t·seats_t + Σ_a P_a(S_a),   P_a(S) = Σ_{p∈S} (value_p·SCALE − μ_task(p))

(equal when every task is filled, as in the GAP), and no ``P_a`` beats its
agent's knapsack optimum ``K_a``. So in a plan worth ``target`` each agent's
set ``S_a`` lies within ``slack = L(μ)·SCALE − target·SCALE`` of ``K_a``. When
the bound is close to the target few sets qualify, and a plan worth the
target is one set per agent that fills every task: a small set-partitioning
problem, exact where a search over pairs is not (the descent of
:mod:`gapcore.search`; Posta, Ferland & Michelon 2012 fix pairs
with the same bound).

The sets are enumerated breadth first over each agent's pairs, all agents at
once in numpy. A dynamic programme over the remaining pairs gives, per
capacity, the most they can add, so a partial set lives only while it can
still end within the slack: every partial set kept extends to at least one
qualifying set, and the work is linear in the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gapcore.knapsack_bound import SCALE, _Knapsacks, _scaled_prices
from wtmatch.core.problem import AssignmentCore

#: Most cells (pairs per agent × agents × capacity) the programme over remaining pairs may take.
MAX_CELLS = 4_000_000


@dataclass(frozen=True)
class Selections:
    """Pair sets per agent, each one a candidate for the agent's share of a plan.

    Attributes
    ----------
    agent : ndarray of int, shape (S,)
        The agent of each set.
    value : ndarray of int, shape (S,)
        The set's value (the pairs' ``value`` summed, unpriced).
    starts : ndarray of int, shape (S + 1,)
        Set ``s`` holds ``pairs[starts[s]:starts[s + 1]]``.
    pairs : ndarray of int
        Pair positions of all sets, one after another.
    """

    agent: np.ndarray
    value: np.ndarray
    starts: np.ndarray
    pairs: np.ndarray

    def __len__(self) -> int:
        return len(self.agent)

    def members(self) -> tuple[np.ndarray, np.ndarray]:
        """(set, pair) for every pair of every set."""
        return np.repeat(np.arange(len(self)), np.diff(self.starts)), self.pairs


def near_optimal_selections(core: AssignmentCore, mu: np.ndarray, target: int, limit: int = 20_000
                            ) -> Selections | None:
    """Every agent's pair sets within the slack that a plan worth ``target`` allows.

    Parameters
    ----------
    core : AssignmentCore
    mu : ndarray of float, shape (T,)
        Task prices (≥ 0 unless ``core.exact``), rounded to multiples of 1/SCALE
        as in :func:`~gapcore.knapsack_bound.forced_bounds`.
    target : int
        The plan value to reach.
    limit : int
        Most sets (partial ones included) to hold; beyond it, or when the
        programme over the remaining pairs would take more than MAX_CELLS
        cells, the answer is None.

    Returns
    -------
    Selections or None
        Every qualifying set of every agent (the empty set too, when it
        qualifies); no set at all for an agent means no plan reaches
        ``target``. None when there are more than ``limit``.
    """
    mu_int = _scaled_prices(core, mu, SCALE)
    profit = core.value * SCALE - mu_int[core.task]
    knap = _Knapsacks(core)
    best = knap.best(profit)
    slack = int(mu_int @ core.seats) + int(best.sum()) - target * SCALE
    empty = Selections(*(np.zeros(n, dtype=np.int64) for n in (0, 0, 1, 0)))
    if slack < 0:
        return empty
    floor = best - slack                      # each agent's least priced value
    # every pair that fits its agent, as (agents × K) matrices padded with -1
    item, w, p = knap.items(profit, np.ones(len(core), dtype=bool))
    k_max = item.shape[1]
    if k_max * core.n_agents * knap.width > MAX_CELLS:
        return None
    # rest[k][a, c]: the most items k.. of agent a add within capacity c
    rest = [np.zeros((core.n_agents, knap.width), dtype=np.int64)]
    for k in range(k_max - 1, -1, -1):
        rest.append(knap.step(rest[-1], w[:, k], p[:, k])[0])
    rest.reverse()
    # partial sets: agent, capacity left, priced value so far
    s_agent = np.arange(core.n_agents)
    s_cap = core.capacity.copy()
    s_acc = np.zeros(core.n_agents, dtype=np.int64)
    live = s_acc + rest[0][s_agent, s_cap] >= floor[s_agent]
    s_agent, s_cap, s_acc = s_agent[live], s_cap[live], s_acc[live]
    parents, took = [], []
    for k in range(k_max):
        it = item[s_agent, k]
        wk, pk = w[s_agent, k], p[s_agent, k]
        nxt = rest[k + 1]
        skip = s_acc + nxt[s_agent, s_cap] >= floor[s_agent]
        can = (it >= 0) & (wk <= s_cap)
        left = np.where(can, s_cap - wk, 0)
        take = can & (s_acc + pk + nxt[s_agent, left] >= floor[s_agent])
        i_skip, i_take = np.flatnonzero(skip), np.flatnonzero(take)
        if len(i_skip) + len(i_take) > limit:
            return None
        parents.append(np.concatenate([i_skip, i_take]))
        took.append(np.concatenate([np.zeros(len(i_skip), dtype=bool), np.ones(len(i_take), dtype=bool)]))
        s_agent = np.concatenate([s_agent[i_skip], s_agent[i_take]])
        s_cap = np.concatenate([s_cap[i_skip], left[i_take]])
        s_acc = np.concatenate([s_acc[i_skip], s_acc[i_take] + pk[i_take]])
    if len(s_agent) > limit:
        return None
    if len(s_agent) == 0:
        return empty
    # walk each set back to the items it took
    n_sets = len(s_agent)
    at = np.arange(n_sets)
    member_set, member_pair = [], []
    for k in range(k_max - 1, -1, -1):
        t = took[k][at]
        member_set.append(np.flatnonzero(t))
        member_pair.append(item[s_agent[t], k])
        at = parents[k][at]
    which = np.concatenate([*member_set, np.zeros(0, dtype=np.int64)])
    pairs = np.concatenate([*member_pair, np.zeros(0, dtype=np.int64)])
    value = np.zeros(n_sets, dtype=np.int64)
    np.add.at(value, which, core.value[pairs])
    # sets numbered agent by agent, each one's pairs contiguous
    by_agent = np.argsort(s_agent, kind="stable")
    rank = np.empty(n_sets, dtype=np.int64)
    rank[by_agent] = np.arange(n_sets)
    which = rank[which]
    order = np.argsort(which, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(which, minlength=n_sets))]).astype(np.int64)
    return Selections(s_agent[by_agent], value[by_agent], starts, pairs[order])
