"""Making an overloaded plan fit: shifts and swaps that lower the overload, cheapest first.

A plan from priced (Lagrangian) choices is cheap but may overload some
agents. Each step takes the most overloaded agent and applies the move that
lowers total overload most — a shift of one of its tasks to another agent, or
else a swap with a task elsewhere — preferring, among equal overload cuts,
the one that loses least value. Works on dense matrices (see
:mod:`wtmatch.core.dense`).

:func:`plan_from_picks` makes a plan of the knapsack bound's picks this way;
the branch and bound tries it at its nodes.
"""

from __future__ import annotations

import numpy as np

from wtmatch.core.dense import dense, dense_ok
from wtmatch.core.problem import AssignmentCore


def repair_overload(v: np.ndarray, u: np.ndarray, capacity: np.ndarray, agent: np.ndarray,
                    task: np.ndarray, max_steps: int | None = None) -> bool:
    """Move tasks in place (``agent`` is updated) until no agent is overloaded.

    Parameters
    ----------
    v, u : ndarray (A, T)
        Values (−inf where ineligible) and uses.
    capacity : ndarray (A,)
    agent, task : ndarray (K,)
        The chosen pairs; ``agent`` is changed in place.

    Returns
    -------
    bool
        True when the plan fits the capacities.
    """
    n_agents = len(capacity)
    load = np.bincount(agent, weights=u[agent, task], minlength=n_agents).astype(np.int64)
    holds = np.zeros(v.shape, dtype=bool)
    holds[agent, task] = True
    eligible = np.isfinite(v)
    steps = max_steps or 20 * len(task) + 100
    with np.errstate(invalid="ignore"):
        for _ in range(steps):
            over = np.maximum(0, load - capacity)
            if not over.any():
                return True
            a = int(np.argmax(over))
            mine = np.flatnonzero(agent == a)
            if _best_shift(v, u, capacity, load, holds, eligible, agent, task, a, mine):
                continue
            if not _best_swap(v, u, capacity, load, holds, eligible, agent, task, a, mine):
                return False
    return not (load > capacity).any()


def _overload(load, capacity):
    return np.maximum(0, load - capacity)


def _best_shift(v, u, cap, load, holds, eligible, agent, task, a, mine) -> bool:
    t = task[mine]
    # overload change on a (losing t) and on every b (gaining t)
    d_a = _overload(load[a] - u[a, t], cap[a]) - _overload(load[a], cap[a])          # (k,)
    d_b = _overload(load[:, None] + u[:, t], cap[:, None]) - _overload(load, cap)[:, None]  # (A, k)
    delta = d_a[None, :] + d_b
    ok = eligible[:, t] & ~holds[:, t]
    ok[a] = False
    delta = np.where(ok, delta, 1)
    if not (delta < 0).any():
        return False
    loss = np.where(ok, v[a, t][None, :] - v[:, t], np.inf)
    # most overload removed first, then least value lost
    score = delta.astype(float) * 1e12 + np.where(np.isfinite(loss), loss, 1e11)
    b, k = np.unravel_index(np.argmin(score), score.shape)
    _move(u, load, holds, agent, task, mine[k], a, int(b))
    return True


def _best_swap(v, u, cap, load, holds, eligible, agent, task, a, mine) -> bool:
    others = np.flatnonzero(agent != a)
    if len(others) == 0 or len(mine) == 0:
        return False
    t1 = task[mine][:, None]        # leaves a
    t2 = task[others][None, :]      # comes to a
    b = agent[others][None, :]
    new_a = load[a] - u[a, t1] + u[a, t2]
    new_b = load[b] - u[b, t2] + u[b, t1]
    delta = (_overload(new_a, cap[a]) - _overload(load[a], cap[a])
             + _overload(new_b, cap[b]) - _overload(load[b], cap[b]))
    ok = eligible[b, t1] & eligible[a, t2] & ~holds[b, t1] & ~holds[a, t2]
    delta = np.where(ok, delta, 1)
    if not (delta < 0).any():
        return False
    loss = v[a, t1] + v[b, t2] - v[b, t1] - v[a, t2]
    score = delta.astype(float) * 1e12 + np.where(ok & np.isfinite(loss), loss, 1e11)
    i, j = np.unravel_index(np.argmin(score), score.shape)
    k1, k2 = mine[i], others[j]
    bb = int(agent[k2])
    _move(u, load, holds, agent, task, k1, a, bb)
    _move(u, load, holds, agent, task, k2, bb, a)
    return True


def _move(u, load, holds, agent, task, k, src, dst) -> None:
    t = task[k]
    holds[src, t], holds[dst, t] = False, True
    load[src] -= u[src, t]
    load[dst] += u[dst, t]
    agent[k] = dst


def plan_from_picks(core: AssignmentCore, picked: np.ndarray) -> np.ndarray | None:
    """A feasible plan near the agents' knapsack picks (a Lagrangian heuristic), or None.

    The knapsacks of the knapsack bound each take their best pairs at the
    task prices, so some tasks end up taken twice and some not at all. Each
    task keeps its most valuable picks up to its seats; a task left short
    (``exact`` cores) takes its most valuable pair that fits the capacity
    left, or else its most valuable pair, and :func:`repair_overload` then
    moves tasks until every agent fits. On cores that only cap seats, a short
    task takes a pair only where it fits and pays.

    Parameters
    ----------
    core : AssignmentCore
    picked : ndarray of int
        Pair positions the knapsacks took.

    Returns
    -------
    ndarray of int or None
        Pair positions of a plan with no violation, or None when the
        overload could not be repaired (or the core is too big to go dense).
    """
    if not dense_ok(core):
        return None
    picked = np.asarray(picked, dtype=np.int64)
    by_task = picked[np.lexsort((-core.value[picked], core.task[picked]))]
    task = core.task[by_task]
    first = np.r_[True, task[1:] != task[:-1]] if len(task) else np.zeros(0, dtype=bool)
    rank = np.arange(len(task)) - np.maximum.accumulate(np.where(first, np.arange(len(task)), 0))
    kept = list(by_task[rank < core.seats[task]])
    left = core.capacity - core.load(np.asarray(kept, dtype=np.int64))
    filled = core.filled(np.asarray(kept, dtype=np.int64))
    for t in np.flatnonzero(filled < core.seats):
        pairs = np.flatnonzero(core.task == t)
        pairs = pairs[~np.isin(pairs, kept)]
        for _ in range(core.seats[t] - filled[t]):
            fits = core.use[pairs] <= left[core.agent[pairs]]
            pool = pairs[fits] if fits.any() or not core.exact else pairs
            if not core.exact:
                pool = pool[core.value[pool] > 0]
            if len(pool) == 0:
                break
            best = pool[np.argmax(core.value[pool])]
            kept.append(best)
            left[core.agent[best]] -= core.use[best]
            pairs = pairs[pairs != best]
    chosen = np.asarray(kept, dtype=np.int64)
    if core.exact and (core.filled(chosen) < core.seats).any():
        return None     # a task with fewer pairs than seats
    v, u, pos = dense(core)
    agent, task = core.agent[chosen].copy(), core.task[chosen].copy()
    if not repair_overload(v, u, core.capacity, agent, task):
        return None
    plan = np.sort(pos[agent, task])
    return None if core.violations(plan) else plan
