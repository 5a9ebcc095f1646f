"""The agents' 0–1 knapsacks as compiled loops (numba): the hot path of the knapsack bound.

The bound, its subgradient and the branch and bound solve every agent's
knapsack thousands of times, each over a few dozen paying pairs and a
capacity of a few hundred. In numpy each item of each programme is a handful
of array calls on tiny arrays, so call overhead, not arithmetic, took the
time (c20400 at 4,781: 0.46 ms per programme, 12 µs per item). Here each
agent's programme is one tight loop.

The inputs are the core's pairs grouped by agent (``starts``: each agent's
first position in that order, and one past the last). Profits may be float
or integer; a pair enters an agent's programme only when its profit is
positive and it fits the capacity. Items are taken in order and an item
replaces the table's value only when strictly better, so ties resolve the
same way on every run. The subgradient loop that calls them is compiled too
(:func:`subgradient_steps`): with the programmes this fast, the Python
around each step took a third of the time.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit, objmode

#: "No way": far below any value, safe to add to (the forced-in value of a pair that cannot fit).
NONE = np.iinfo(np.int64).min // 4


@njit(cache=True)
def _paying(lo, hi, use, profit, cap, out):
    """Positions in ``lo:hi`` whose profit is positive and use fits ``cap``, into ``out``: how many."""
    k = 0
    for i in range(lo, hi):
        if profit[i] > 0 and use[i] <= cap:
            out[k] = i
            k += 1
    return k


@njit(cache=True)
def _most_paying(capacity, starts, use, profit):
    """The most paying pairs any agent has (the tables' height)."""
    most = 0
    for a in range(len(capacity)):
        k = 0
        for i in range(starts[a], starts[a + 1]):
            if profit[i] > 0 and use[i] <= capacity[a]:
                k += 1
        most = max(most, k)
    return most


@njit(cache=True)
def _tables(tables, items, k, cap, use, profit):
    """Fill tables[j + 1, :cap + 1] with the best value of items[:j + 1] per capacity.

    Row j + 1 from row j, not in place, so the loop has no dependence
    between capacities and compiles to vector instructions (3× faster
    than one row updated downwards).
    """
    tables[0, :cap + 1] = 0
    for j in range(k):
        w = use[items[j]]
        p = profit[items[j]]
        old = tables[j]
        new = tables[j + 1]
        for c in range(w):
            new[c] = old[c]
        for c in range(w, cap + 1):
            new[c] = max(old[c], old[c - w] + p)


@njit(cache=True)
def best_and_picks(capacity, starts, use, profit):
    """Each agent's knapsack optimum and the pairs one optimal solution takes.

    Parameters
    ----------
    capacity : int64 array (A,)
    starts : int64 array (A + 1,)
        Agent ``a`` owns positions ``starts[a]:starts[a + 1]``.
    use : int64 array (P,)
    profit : float64 or int64 array (P,)

    Returns
    -------
    best : array (A,), the dtype of ``profit``
    taken : bool array (P,)
        An item is taken where it raised the table's value at the capacity
        left, so among equal solutions the later items stay out.
    """
    n_agents = len(capacity)
    best = np.zeros(n_agents, dtype=profit.dtype)
    taken = np.zeros(len(use), dtype=np.bool_)
    if n_agents == 0:
        return best, taken
    most = _most_paying(capacity, starts, use, profit)
    # one set of buffers for all agents: the programmes are small and many
    items = np.empty(most, dtype=np.int64)
    tables = np.empty((most + 1, capacity.max() + 1), dtype=profit.dtype)
    for a in range(n_agents):
        cap = capacity[a]
        k = _paying(starts[a], starts[a + 1], use, profit, cap, items)
        _tables(tables, items, k, cap, use, profit)
        best[a] = tables[k, cap]
        c = cap
        for j in range(k - 1, -1, -1):
            if tables[j + 1, c] != tables[j, c]:
                taken[items[j]] = True
                c -= use[items[j]]
    return best, taken


@njit(cache=True)
def _add_item(table, w, p):
    """The table (best value per capacity) with one more item, in place."""
    for c in range(len(table) - 1, w - 1, -1):
        cand = table[c - w] + p
        if cand > table[c]:
            table[c] = cand


@njit(cache=True)
def _combined(first, second, cap):
    """max over c of first[c] + second[cap − c]: two item sets sharing capacity ``cap``."""
    out = NONE
    for c in range(cap + 1):
        v = first[c] + second[cap - c]
        if v > out:
            out = v
    return out


@njit(cache=True)
def with_and_without(capacity, starts, use, profit):
    """Per pair the agent's knapsack optimum with the pair forced in and forced out (int64).

    A pair that cannot fit gets :data:`NONE` forced in. Forcing a pair that
    does not pay out leaves the optimum; forcing it in leaves the rest of the
    capacity to the others. A paying pair's two values come from the tables of
    the items before it and after it.

    Returns
    -------
    best_in, best_out : int64 arrays (P,)
    best : int64 array (A,)
    """
    n_agents = len(capacity)
    best = np.zeros(n_agents, dtype=np.int64)
    best_in = np.empty(len(use), dtype=np.int64)
    best_out = np.empty(len(use), dtype=np.int64)
    if n_agents == 0:
        return best_in, best_out, best
    most = _most_paying(capacity, starts, use, profit)
    items = np.empty(most, dtype=np.int64)
    forward = np.empty((most + 1, capacity.max() + 1), dtype=np.int64)
    for a in range(n_agents):
        cap = capacity[a]
        lo, hi = starts[a], starts[a + 1]
        k_max = _paying(lo, hi, use, profit, cap, items)
        _tables(forward, items, k_max, cap, use, profit)
        full = forward[k_max]
        best[a] = full[cap]
        for i in range(lo, hi):
            room = cap - use[i]
            best_out[i] = full[cap]
            best_in[i] = profit[i] + full[room] if room >= 0 else NONE
        backward = np.zeros(cap + 1, dtype=np.int64)
        for j in range(k_max - 1, -1, -1):
            i = items[j]
            left = cap - use[i]
            best_out[i] = _combined(forward[j], backward, cap)
            best_in[i] = profit[i] + _combined(forward[j], backward, left) if left >= 0 else NONE
            _add_item(backward, use[i], profit[i])
    return best_in, best_out, best


@njit(cache=True)
def _now():
    with objmode(t="float64"):
        t = time.perf_counter()
    return t


@njit(cache=True)
def subgradient_steps(capacity, starts, use, value, task, seats, exact, mu, incumbent, deadline,
                      iterations, theta):
    """Subgradient steps on the task prices: the loop of :func:`gapcore.knapsack_bound.subgradient`.

    ``value`` and ``task`` are per pair in the kernels' order (grouped by
    agent); ``mu`` the starting prices (float64). Each step solves the
    knapsacks at ``mu``, keeps the lowest bound, and moves ``mu`` by a
    Polyak step towards ``incumbent`` along seats − seats filled; ``theta``
    halves after ten steps in a row without a lower bound. Stops once the
    bound is below ``incumbent + 1``, ``theta`` < 1e-3, ``deadline``
    (``time.perf_counter()``) passes or the knapsacks fill every seat.

    Returns
    -------
    best_mu : float64 array (T,)
    best_bound : float
    steps : int
    """
    n_tasks = len(seats)
    mu = mu.copy()
    best_mu = mu.copy()
    best_bound = np.inf
    profit = np.empty(len(use), dtype=np.float64)
    filled = np.zeros(n_tasks, dtype=np.int64)
    g = np.zeros(n_tasks, dtype=np.float64)
    stall = 0
    steps = 0
    for it in range(iterations):
        for i in range(len(use)):
            profit[i] = value[i] - mu[task[i]]
        best, taken = best_and_picks(capacity, starts, use, profit)
        bound = 0.0
        for t in range(n_tasks):
            bound += mu[t] * seats[t]
        for a in range(len(best)):
            bound += best[a]
        steps = it + 1
        if bound < best_bound - 1e-9:
            best_bound = bound
            best_mu[:] = mu
            stall = 0
        else:
            stall += 1
            if stall >= 10:
                theta /= 2
                stall = 0
        if best_bound < incumbent + 1 - 1e-6 or theta < 1e-3 or _now() > deadline:
            break
        filled[:] = 0
        for i in range(len(use)):
            if taken[i]:
                filled[task[i]] += 1
        norm = 0.0
        for t in range(n_tasks):
            g[t] = seats[t] - filled[t]     # ∂L/∂μ
            if not exact and mu[t] <= 0 and g[t] > 0:
                g[t] = 0.0
            norm += g[t] * g[t]
        if norm == 0:
            break       # the knapsacks fill every seat exactly: the bound is the optimum
        step = theta * max(bound - incumbent, 1e-3) / norm
        for t in range(n_tasks):
            mu[t] -= step * g[t]
            if not exact and mu[t] < 0:
                mu[t] = 0.0
    return best_mu, best_bound, steps


def compile_kernels() -> float:
    """Compile every kernel for the types the knapsack bound calls them with: the seconds it took.

    numba compiles a kernel on its first call and caches the machine code on
    disk (``__pycache__`` beside this module, or numba's user cache when that
    is read-only), so only the first process after an install or an edit of
    this module pays: about 15 s on 2 cores, against microseconds once
    cached. :func:`gapcore.search.solve_core` calls this before
    its clock starts, so a cold cache costs wall time but never search time.
    """
    start = time.perf_counter()
    capacity = np.array([2], dtype=np.int64)
    starts = np.array([0, 1], dtype=np.int64)
    use = np.array([1], dtype=np.int64)
    best_and_picks(capacity, starts, use, np.array([1.0]))
    best_and_picks(capacity, starts, use, np.array([1], dtype=np.int64))
    with_and_without(capacity, starts, use, np.array([1], dtype=np.int64))
    subgradient_steps(capacity, starts, use, np.array([1.0]), np.array([0], dtype=np.int64),
                      np.array([1], dtype=np.int64), True, np.array([0.0]), 0.0, np.inf, 1, 1.0)
    return time.perf_counter() - start
