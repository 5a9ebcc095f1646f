"""Tabu search with strategic oscillation for the GAP-shaped core.

The exact core with one seat per task is the Generalized Assignment Problem.
On its tight instances (the literature's type D) CP-SAT improves a plan
slowly; a tabu search that may overfill agents for a while, at a price that
adapts per agent, moves through the tight region much faster (Díaz and
Fernández 2001; Yagiura, Ibaraki and Glover 2004 use the same oscillation).

Every iteration evaluates all shifts (a task to another agent) and the swaps
of a sample of tasks with all others at once with numpy, and takes the best
move that is not tabu (or that gives the best feasible plan so far). A task
taken away from an agent may not return to it for a few iterations. Each
overfilled agent's price rises, and all prices fall while the plan fits,
so the search oscillates around the capacity boundary. Only feasible plans
are kept as results.
"""

from __future__ import annotations

import time

import numpy as np

from wtmatch.core.dense import dense, dense_ok
from wtmatch.core.problem import AssignmentCore

# Prices of overfilling: an overfilled agent's price grows by RAISE each
# iteration it stays overfilled; while the plan fits, all prices shrink by LOWER.
RAISE = 1.1
LOWER = 0.95
# Swaps of at most this many tasks (sampled anew each iteration) with all others.
SWAP_ROWS = 64
# A task leaves an agent for a random tenure in [TENURE_MIN, TENURE_MIN + TENURE_SPAN).
TENURE_MIN = 5
# Without a new best plan for this many iterations, the search restarts from the best.
RESTART_AFTER = 2_000


def applicable(core: AssignmentCore) -> bool:
    """Whether the tabu search runs on ``core``: every task has exactly one seat, dense is cheap."""
    return bool(core.exact and len(core.seats) and (core.seats == 1).all() and dense_ok(core))


def tabu_search(core: AssignmentCore, chosen: np.ndarray, *, seconds: float | None = None,
                iterations: int | None = None, seed: int = 0) -> np.ndarray:
    """Improve a feasible plan (chosen pair positions) of a GAP-shaped core.

    Parameters
    ----------
    core : AssignmentCore
        Must satisfy :func:`applicable`; other cores return ``chosen`` unchanged.
    chosen : ndarray of int
        A feasible plan: every task once, every agent within capacity.
    seconds, iterations : optional
        Stop after this much time or this many moves (the first reached); at
        least one must be given. Iterations alone make the result reproducible.
    seed : int
        Seeds the swap samples and tenures.

    Returns
    -------
    ndarray of int
        The best feasible plan seen, sorted; never worth less than ``chosen``.
    """
    if seconds is None and iterations is None:
        raise ValueError("tabu_search: give seconds, iterations or both")
    chosen = np.sort(np.asarray(chosen, dtype=np.int64))
    if not applicable(core) or len(chosen) != core.n_tasks or core.violations(chosen):
        return chosen
    end = np.inf if seconds is None else time.perf_counter() + seconds
    limit = np.iinfo(np.int64).max if iterations is None else iterations
    search = _Search(core, chosen, np.random.default_rng(seed))
    it = 0
    while it < limit and (it % 16 or time.perf_counter() < end):
        search.step(it)
        it += 1
    return search.best_plan()


class _Search:
    """State of one tabu search: assignment, loads, prices, tabu list, best plan."""

    def __init__(self, core: AssignmentCore, chosen: np.ndarray, rng: np.random.Generator) -> None:
        self.v, self.u, self.pos = dense(core)
        self.u = self.u.astype(np.float64)
        self.rng = rng
        n_agents, n_tasks = self.v.shape
        self.cols = np.arange(n_tasks)
        self.cap = core.capacity.astype(np.float64)
        self.assign = np.empty(n_tasks, dtype=np.int64)
        self.assign[core.task[chosen]] = core.agent[chosen]
        self.load = np.bincount(self.assign, weights=self.u[self.assign, self.cols], minlength=n_agents)
        # a price that makes one unit of overfill cost about as much as a typical value spread
        finite = np.where(np.isfinite(self.v), self.v, np.nan)
        spread = np.nanmax(finite, axis=0) - np.nanmin(finite, axis=0)
        per_unit = np.nanmedian(spread) / max(1.0, float(np.median(core.use)))
        self.base = max(1e-3, float(per_unit))
        self.price = np.full(n_agents, self.base)
        self.tabu_until = np.zeros((n_agents, n_tasks), dtype=np.int64)
        self.tenure_span = max(2, int(np.sqrt(n_tasks)))
        self.value = float(self.v[self.assign, self.cols].sum())
        self.best_value, self.best_assign = self.value, self.assign.copy()
        self.since_best = 0

    def best_plan(self) -> np.ndarray:
        return np.sort(self.pos[self.best_assign, self.cols])

    def step(self, it: int) -> None:
        over = np.maximum(0.0, self.load - self.cap)
        total_over = over.sum()
        shift = self._shifts(over, total_over, it)
        swap = self._swaps(over, total_over, it)
        move = max((m for m in (shift, swap) if m is not None), key=lambda m: m[0], default=None)
        if move is not None:
            _, gain, moves = move
            for task, dest in moves:
                self._move(task, dest, it)
            self.value += gain
        over = np.maximum(0.0, self.load - self.cap)
        if over.sum() <= 1e-9:
            self.price = np.maximum(self.price * LOWER, 1e-3 * self.base)
            if self.value > self.best_value + 1e-9:
                self.best_value, self.best_assign = self.value, self.assign.copy()
                self.since_best = 0
        else:
            self.price[over > 0] = np.minimum(self.price[over > 0] * RAISE, 1e3 * self.base)
        self.since_best += 1
        if self.since_best > RESTART_AFTER:
            self._restart()

    def _move(self, task: int, dest: int, it: int) -> None:
        src = self.assign[task]
        self.load[src] -= self.u[src, task]
        self.load[dest] += self.u[dest, task]
        self.assign[task] = dest
        self.tabu_until[src, task] = it + TENURE_MIN + int(self.rng.integers(self.tenure_span))

    def _restart(self) -> None:
        self.assign = self.best_assign.copy()
        self.load = np.bincount(self.assign, weights=self.u[self.assign, self.cols],
                                minlength=len(self.cap))
        self.value = self.best_value
        self.price[:] = self.base
        self.since_best = 0

    def _shifts(self, over, total_over, it):
        """Best admissible shift as (score, value gain, [(task, dest)]), or None."""
        a, cols = self.assign, self.cols
        cur_v, cur_u = self.v[a, cols], self.u[a, cols]
        gain = self.v - cur_v                                        # (A, T), −inf where ineligible
        dest_over = np.maximum(0.0, self.load[:, None] + self.u - self.cap[:, None]) - over[:, None]
        src_over = np.maximum(0.0, self.load[a] - cur_u - self.cap[a]) - over[a]
        score = gain - self.price[:, None] * dest_over - (self.price[a] * src_over)[None, :]
        after = total_over + dest_over + src_over[None, :]
        allowed = (self.tabu_until <= it) | ((after <= 1e-9) & (self.value + gain > self.best_value + 1e-9))
        allowed[a, cols] = False
        score = np.where(allowed & np.isfinite(gain), score, -np.inf)
        flat = int(np.argmax(score))
        dest, task = divmod(flat, len(cols))
        if not np.isfinite(score.flat[flat]):
            return None
        return float(score.flat[flat]), float(gain[dest, task]), [(task, dest)]

    def _swaps(self, over, total_over, it):
        """Best admissible swap of a sampled task with any other, or None."""
        a, cols = self.assign, self.cols
        n = len(cols)
        rows = cols if n <= SWAP_ROWS else self.rng.choice(n, size=SWAP_ROWS, replace=False)
        a1, a2 = a[rows][:, None], a[None, :]
        t1, t2 = rows[:, None], cols[None, :]
        cur_v, cur_u = self.v[a, cols], self.u[a, cols]
        gain = self.v[a2, t1] + self.v[a1, t2] - cur_v[rows][:, None] - cur_v[None, :]
        load1 = self.load[a1] - cur_u[rows][:, None] + self.u[a1, t2]
        load2 = self.load[a2] - cur_u[None, :] + self.u[a2, t1]
        d1 = np.maximum(0.0, load1 - self.cap[a1]) - over[a1]
        d2 = np.maximum(0.0, load2 - self.cap[a2]) - over[a2]
        score = gain - self.price[a1] * d1 - self.price[a2] * d2
        after = total_over + d1 + d2
        free = (self.tabu_until[a2, t1] <= it) & (self.tabu_until[a1, t2] <= it)
        allowed = (free | ((after <= 1e-9) & (self.value + gain > self.best_value + 1e-9))) & (a1 != a2)
        score = np.where(allowed & np.isfinite(gain), score, -np.inf)
        flat = int(np.argmax(score))
        i, j = divmod(flat, n)
        if not np.isfinite(score.flat[flat]):
            return None
        x, y = int(rows[i]), j
        return float(score.flat[flat]), float(gain[i, j]), [(x, int(a[y])), (y, int(a[x]))]
