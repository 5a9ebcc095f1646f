"""A first plan for the core: Lagrangian-guided regret construction.

Relaxing the agents' capacities with multipliers λ ≥ 0 splits the core into
one trivial choice per task; a few dozen subgradient steps on λ price scarce
capacity. Tasks are then filled in order of *regret* — how much is lost if
their best still-feasible agent is taken away — with the priced values
(Martello & Toth's MTH rule with Lagrangian desirabilities). The relaxation
also gives an upper bound on the core's optimum.
"""

from __future__ import annotations

import numpy as np

from wtmatch.core.dense import dense, dense_ok
from wtmatch.core.problem import AssignmentCore
from wtmatch.core.repair import repair_overload


def lagrangian_costs(core: AssignmentCore, iterations: int = 150,
                     incumbent: float | None = None) -> tuple[np.ndarray, float]:
    """Capacity prices λ (per agent) by subgradient, and the best upper bound found.

    The bound is valid for the core's optimum: for every λ ≥ 0,
    ``Σ_t (best seats of value − λ·use) + Σ_a λ_a·capacity_a`` bounds it from above.
    Returns the λ of the best bound.
    """
    lam = np.zeros(core.n_agents)
    if len(core) == 0:
        return lam, 0.0
    relax = _Relaxation(core)
    best_lam, best_bound = lam, np.inf
    theta, stall = 2.0, 0
    for _ in range(iterations):
        bound, load, complete = relax.solve(lam)
        if not complete:
            return lam, -np.inf  # some task cannot be filled at all: infeasible
        if bound < best_bound - 1e-9:
            best_bound, best_lam, stall = bound, lam, 0
        else:
            stall += 1
            if stall >= 5:
                theta, stall = theta / 2, 0
                if theta < 1e-4:
                    break
        g = core.capacity - load
        g = np.where((lam <= 0) & (g > 0), 0.0, g)
        norm = g @ g
        if norm == 0:
            break  # the relaxed choice is feasible for the capacities: bound is tight
        # Polyak step towards a target a little below the best bound (or the incumbent)
        target = incumbent if incumbent is not None else best_bound - 0.01 * max(1.0, abs(best_bound))
        step = theta * max(bound - target, 1e-6 * max(1.0, abs(bound))) / norm
        lam = np.maximum(0.0, lam - step * g)
    return best_lam, float(best_bound)


class _Relaxation:
    """The core without capacities, priced by λ: each task takes its best seats."""

    def __init__(self, core: AssignmentCore) -> None:
        self.core = core
        self.matrix = dense_ok(core) and bool((core.seats <= 1).all())
        if self.matrix:
            self.v, self.u, _ = dense(core)
            self.needed = core.seats > 0
        else:
            order_task = np.argsort(core.task, kind="stable")
            task_sorted = core.task[order_task]
            starts = np.searchsorted(task_sorted, np.arange(core.n_tasks))
            self.rank = np.arange(len(core)) - starts[task_sorted]
            self.task_sorted = task_sorted

    def reduced_costs(self, lam: np.ndarray) -> np.ndarray:
        """Per pair: how much the relaxed bound drops if the pair is forced into the plan."""
        core = self.core
        if len(core) == 0:
            return np.zeros(0)
        adj = core.value - lam[core.agent] * core.use
        order, ts, starts, rank = _by_task(core, -adj)
        adj_o = adj[order]
        # value of the last seat a task fills (its seats-th best), or 0 if not exact and fewer
        # positive pairs than seats: a forced pair then replaces nothing or that last seat
        counts = np.bincount(ts, minlength=core.n_tasks)
        last_idx = starts + np.minimum(core.seats, counts) - 1
        has = (core.seats > 0) & (counts > 0)
        last = np.where(has, adj_o[np.clip(last_idx, 0, len(adj_o) - 1)], -np.inf)
        if not core.exact:
            last = np.maximum(last, 0.0)
        inside = rank < core.seats[core.task]
        if not core.exact:
            inside &= adj > 0
        return np.where(inside, 0.0, last[core.task] - adj)

    def choice(self, lam: np.ndarray) -> np.ndarray:
        """Agent per task (−1: none) — matrix form only."""
        adj = self.v - lam[:, None] * self.u
        best = np.argmax(adj, axis=0)
        val = adj[best, np.arange(adj.shape[1])]
        keep = self.needed & np.isfinite(val) & (val > 0 if not self.core.exact else True)
        return np.where(keep, best, -1)

    def solve(self, lam: np.ndarray) -> tuple[float, np.ndarray, bool]:
        core = self.core
        if self.matrix:
            adj = self.v - lam[:, None] * self.u
            best = np.argmax(adj, axis=0)
            val = adj[best, np.arange(adj.shape[1])]
            take = self.needed & np.isfinite(val)
            complete = bool(take[self.needed].all()) if core.exact else True
            if not core.exact:
                take &= val > 0
            load = np.bincount(best[take], weights=self.u[best[take], np.flatnonzero(take)],
                               minlength=core.n_agents)
            return float(val[take].sum() + lam @ core.capacity), load, complete
        adj = core.value - lam[core.agent] * core.use
        order = np.lexsort((-adj, core.task))
        adj_o = adj[order]
        take = self.rank < core.seats[self.task_sorted]
        if not core.exact:
            take &= adj_o > 0
        chosen = order[take]
        complete = not core.exact or bool(
            (np.bincount(core.task[chosen], minlength=core.n_tasks) >= core.seats).all())
        load = np.bincount(core.agent[chosen], weights=core.use[chosen], minlength=core.n_agents)
        return float(adj_o[take].sum() + lam @ core.capacity), load, complete


def _by_task(core: AssignmentCore, key: np.ndarray):
    """Pairs ordered by (task, key): (order, task of each, each task's first place, rank).

    ``rank`` is each pair's place among its task's pairs (0 = least ``key``; ties
    by position).
    """
    order = np.lexsort((key, core.task))
    ts = core.task[order]
    starts = np.searchsorted(ts, np.arange(core.n_tasks))
    rank = np.empty(len(core), dtype=np.int64)
    rank[order] = np.arange(len(core)) - starts[ts]
    return order, ts, starts, rank


def task_ranks(core: AssignmentCore, key: np.ndarray) -> np.ndarray:
    """Each pair's place among its task's pairs by ascending ``key`` (0 = least)."""
    return _by_task(core, key)[3]


def reduced_costs(core: AssignmentCore, lam: np.ndarray) -> np.ndarray:
    """Per pair: how much forcing it into the relaxation priced by ``lam`` lowers the bound."""
    return _Relaxation(core).reduced_costs(lam)


def promising(core: AssignmentCore, lam: np.ndarray, bound: float, incumbent: float) -> np.ndarray:
    """Pairs that can be part of a plan better than ``incumbent`` (reduced-cost fixing).

    Forcing a pair into the relaxation priced by ``lam`` lowers its bound by the
    pair's reduced cost; when that leaves no room above the incumbent, no
    better plan uses the pair. Values are integers, so "better" means at least
    ``incumbent + 1``. Returns a boolean mask over the pairs.
    """
    if not np.isfinite(bound) or not np.isfinite(incumbent):
        return np.ones(len(core), dtype=bool)
    rc = reduced_costs(core, lam)
    # a little slack for the floating-point prices
    return bound - rc >= incumbent + 1 - 1e-6 * max(1.0, abs(bound))


def construct(core: AssignmentCore, lam: np.ndarray | None = None) -> np.ndarray:
    """A plan for ``core`` as chosen pair positions (feasible; for ``exact`` cores as full as found).

    Parameters
    ----------
    core : AssignmentCore
    lam : ndarray, optional
        Capacity prices; computed with :func:`lagrangian_costs` when omitted.

    Returns
    -------
    ndarray of int
        Positions into the core's pair arrays.
    """
    if len(core) == 0:
        return np.zeros(0, dtype=np.int64)
    if lam is None:
        lam, _ = lagrangian_costs(core)
    priced = core.value - lam[core.agent] * core.use
    if core.exact and dense_ok(core) and (core.seats <= 1).all():
        plan = _from_relaxation(core, lam)
        if plan is not None:
            return plan
    if not dense_ok(core):
        return _sorted_greedy(core, priced)
    v, u, pos = dense(core, priced)
    if not core.exact:
        v[:, :] = np.where(dense(core)[0] > 0, v, -np.inf)
    slack = core.capacity.astype(np.int64).copy()
    open_seats = core.seats.copy()
    open_tasks = np.flatnonzero(open_seats > 0)
    chosen: list[int] = []
    big = 1e18
    while len(open_tasks):
        cols_v = v[:, open_tasks]
        fits = u[:, open_tasks] <= slack[:, None]
        w = np.where(fits, cols_v, -np.inf)
        # best and second-best feasible agent per open task
        top2 = -np.partition(-w, 1, axis=0)[:2] if w.shape[0] > 1 else np.vstack([w.max(0), np.full(
            w.shape[1], -np.inf)])
        best, second = top2[0], top2[1]
        dead = ~np.isfinite(best)
        if dead.all():
            break
        with np.errstate(invalid="ignore"):
            regret = np.where(np.isfinite(second), best - second, big)
        regret[dead] = -np.inf
        k = int(np.argmax(regret))
        t = int(open_tasks[k])
        a = int(np.argmax(w[:, k]))
        chosen.append(int(pos[a, t]))
        slack[a] -= u[a, t]
        v[a, t] = -np.inf  # an agent takes a task once
        open_seats[t] -= 1
        if open_seats[t] == 0:
            open_tasks = open_tasks[open_tasks != t]
    result = np.asarray(chosen, dtype=np.int64)
    if core.exact and len(result) < core.seats.sum():
        result = _repair(core, result)
    return np.sort(result)


def _from_relaxation(core: AssignmentCore, lam: np.ndarray) -> np.ndarray | None:
    """Each task at its best priced agent, then overloads repaired; None when that fails."""
    relax = _Relaxation(core)
    choice = relax.choice(lam)
    tasks = np.flatnonzero(core.seats > 0)
    if (choice[tasks] < 0).any():
        return None
    v, u, pos = dense(core)
    agent = choice[tasks].copy()
    if not repair_overload(v, u, core.capacity, agent, tasks):
        return None
    return np.sort(pos[agent, tasks])


def _sorted_greedy(core: AssignmentCore, priced: np.ndarray) -> np.ndarray:
    """Best priced pairs first, taken while they fit (for cores too big for dense matrices)."""
    order = np.argsort(-priced, kind="stable")
    if not core.exact:
        order = order[core.value[order] > 0]
    slack = core.capacity.copy()
    seats = core.seats.copy()
    chosen = []
    for p, a, t, w in zip(order.tolist(), core.agent[order].tolist(), core.task[order].tolist(),
                          core.use[order].tolist(), strict=True):
        if seats[t] > 0 and slack[a] >= w:
            chosen.append(p)
            seats[t] -= 1
            slack[a] -= w
    return np.sort(np.asarray(chosen, dtype=np.int64))


def _repair(core: AssignmentCore, chosen: np.ndarray) -> np.ndarray:
    """Fill the open seats of an exact core by ejecting one task to make room (one level)."""
    v, u, pos = dense(core)
    holds = np.zeros(v.shape, dtype=bool)
    holds[core.agent[chosen], core.task[chosen]] = True
    slack = core.capacity - core.load(chosen)
    open_seats = core.seats - core.filled(chosen)
    eligible = np.isfinite(v)
    for t in np.flatnonzero(open_seats > 0).tolist():
        while open_seats[t] > 0:
            done = False
            direct = np.flatnonzero(eligible[:, t] & ~holds[:, t] & (u[:, t] <= slack))
            if len(direct):
                a = int(direct[np.argmax(v[direct, t])])
                holds[a, t] = True
                slack[a] -= u[a, t]
                open_seats[t] -= 1
                continue
            for a in np.flatnonzero(eligible[:, t] & ~holds[:, t]).tolist():
                need = u[a, t] - slack[a]
                # a task k on a that frees enough room and fits on some other agent b
                for k in np.flatnonzero(holds[a] & (u[a] >= need)).tolist():
                    if k == t:
                        continue
                    dest = np.flatnonzero(eligible[:, k] & ~holds[:, k] & (u[:, k] <= slack))
                    dest = dest[dest != a]
                    if len(dest):
                        b = int(dest[np.argmax(v[dest, k])])
                        holds[a, k] = False
                        holds[b, k] = True
                        slack[a] += u[a, k]
                        slack[b] -= u[b, k]
                        holds[a, t] = True
                        slack[a] -= u[a, t]
                        open_seats[t] -= 1
                        done = True
                        break
                if done:
                    break
            if not done:
                break
    a_idx, t_idx = np.nonzero(holds)
    return pos[a_idx, t_idx]
