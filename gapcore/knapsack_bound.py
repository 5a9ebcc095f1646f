"""The core's tasks priced, its agents' knapsacks solved exactly: a bound and pair fixing.

Pricing each task's seat row with μ leaves one 0–1 knapsack per agent:

    L(μ) = Σ_t μ_t·seats_t + Σ_a max { Σ_p (value_p − μ_task(p))·x_p : Σ_p use_p·x_p ≤ capacity_a }

bounds the core's optimum from above for every μ (μ ≥ 0 where a task takes
*at most* its seats). The knapsacks keep the capacities whole, so the bound
is at least as tight as the LP relaxation's, and on the GAP literature's
type C within two units of the optimum (Ross & Soland 1975; the reduced-cost
fixing of Posta, Ferland & Michelon 2012).

Each agent's knapsack is a dynamic programme over its capacity, compiled
(:mod:`gapcore.knapsack_kernel`), over only the pairs that can pay
(value − μ > 0): with good prices an agent has a few dozen. The final bound and the fixing use prices
rounded to multiples of 2⁻²⁰ and integer arithmetic throughout, so what they
prove does not rest on floating point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gapcore import knapsack_kernel as kernel
from wtmatch.core.construct import _by_task
from wtmatch.core.problem import AssignmentCore

#: Prices are rounded to multiples of 1/SCALE for the exact bound and fixing.
SCALE = 1 << 20
#: Most dynamic-programme cells (agents × capacity × paying pairs) a relaxation may take.
MAX_CELLS = 20_000_000


def applicable(core: AssignmentCore, max_cells: int = MAX_CELLS) -> bool:
    """Whether the knapsacks are small enough to solve exactly many times.

    The estimate takes each agent's capacity and twice the pairs per agent
    of a full assignment as those that pay once prices are good.
    """
    if len(core) == 0 or core.n_agents == 0:
        return False
    per_agent = 2 * max(1.0, float(core.seats.sum()) / core.n_agents)
    return core.n_agents * (int(core.capacity.max()) + 1) * per_agent <= max_cells


@dataclass
class KnapsackBound:
    """The best bound the prices gave, and the prices.

    Attributes
    ----------
    mu : ndarray of float, shape (T,)
        Price of each task's seat.
    bound : float
        Upper bound on the core's optimum from ``mu`` (exact: see :func:`fixing`).
    iterations : int
        Subgradient steps taken.
    """

    mu: np.ndarray
    bound: float
    iterations: int


def start_prices(core: AssignmentCore, lam: np.ndarray) -> np.ndarray:
    """Task prices from capacity prices ``lam``: each task's seats-th best priced value.

    These are the LP's task duals for ``lam``, so the subgradient starts at
    (or near) the LP bound.
    """
    if len(core) == 0:
        return np.zeros(core.n_tasks)
    adj = core.value - lam[core.agent] * core.use
    order, ts, starts, _ = _by_task(core, -adj)
    counts = np.bincount(ts, minlength=core.n_tasks)
    has = (core.seats > 0) & (counts >= np.maximum(core.seats, 1))
    last = starts + np.maximum(core.seats, 1) - 1
    mu = np.where(has, adj[order][np.clip(last, 0, max(0, len(core) - 1))], 0.0)
    return mu if core.exact else np.maximum(mu, 0.0)


def subgradient(core: AssignmentCore, mu: np.ndarray, incumbent: float, deadline: float,
                iterations: int = 400, theta: float = 2.0) -> KnapsackBound:
    """Lower ``L(μ)`` by subgradient steps (Polyak, towards ``incumbent``) until ``deadline``.

    Stops early once the bound is below ``incumbent + 1`` (a proof for
    integer values) or the steps stall. ``theta`` is the first step's
    share of the Polyak step; it halves whenever ten steps in a row fail.
    """
    relax = _Knapsacks(core)
    value = np.ascontiguousarray(core.value[relax.order], dtype=np.float64)
    task = np.ascontiguousarray(core.task[relax.order], dtype=np.int64)
    seats = np.ascontiguousarray(core.seats, dtype=np.int64)
    mu, bound, steps = kernel.subgradient_steps(
        relax.cap, relax.starts, relax.use, value, task, seats, bool(core.exact),
        np.ascontiguousarray(mu, dtype=np.float64), float(incumbent), float(deadline),
        int(iterations), float(theta))
    return KnapsackBound(mu, bound, steps)


def _scaled_prices(core: AssignmentCore, mu: np.ndarray, scale: int) -> np.ndarray:
    """``mu`` rounded to multiples of 1/scale, times scale (≥ 0 where tasks take at most)."""
    mu_int = np.rint(np.asarray(mu, dtype=np.float64) * scale).astype(np.int64)
    return mu_int if core.exact else np.maximum(mu_int, 0)


@dataclass
class ForcedBounds:
    """``L(μ)`` and, per pair, ``L`` with the pair forced in or out; all times SCALE, exact.

    Computed once per prices; :meth:`fixing` then answers for any incumbent.
    """

    total: int
    with_pair: np.ndarray
    without_pair: np.ndarray

    @property
    def bound(self) -> float:
        return self.total / SCALE

    def fixing(self, incumbent: float) -> tuple[float, np.ndarray, np.ndarray]:
        """See :func:`fixing`."""
        if not np.isfinite(incumbent):
            ones = np.ones(len(self.with_pair), dtype=bool)
            return self.bound, ones, ~ones
        need = (int(incumbent) + 1) * SCALE
        return self.bound, self.with_pair >= need, self.without_pair < need


def forced_bounds(core: AssignmentCore, mu: np.ndarray) -> ForcedBounds:
    """The exact bound at ``mu`` (rounded to multiples of 1/SCALE) with each pair forced in / out."""
    mu_int = _scaled_prices(core, mu, SCALE)
    best_in, best_out, best = _Knapsacks(core).with_and_without(core.value * SCALE - mu_int[core.task])
    total = int(mu_int @ core.seats) + int(best.sum())
    rest = total - best[core.agent]
    return ForcedBounds(total, rest + best_in, rest + best_out)


def fixing(core: AssignmentCore, mu: np.ndarray, incumbent: float
           ) -> tuple[float, np.ndarray, np.ndarray]:
    """The exact bound at ``mu`` and which pairs a plan better than ``incumbent`` may or must use.

    Returns
    -------
    bound : float
        ``L(μ)`` at prices rounded to multiples of 1/SCALE, computed in integers.
    may : ndarray of bool, shape (P,)
        False where forcing the pair in drops the bound below ``incumbent + 1``:
        no plan better than the incumbent uses it.
    must : ndarray of bool, shape (P,)
        True where leaving the pair out does: every better plan uses it.
    """
    return forced_bounds(core, mu).fixing(incumbent)


def usable_pairs(core: AssignmentCore, forced: ForcedBounds, incumbent: float
                 ) -> tuple[float, np.ndarray]:
    """The knapsack bound and the pairs a plan better than ``incumbent`` may use.

    ``forced`` holds the bounds of ``core`` at some prices. A pair every
    better plan must use takes its task's only seat, so the task's other
    pairs go too.
    """
    kb, may, must = forced.fixing(incumbent)
    taken = np.zeros(core.n_tasks, dtype=bool)
    taken[core.task[must & (core.seats[core.task] == 1)]] = True
    return kb, may & (must | ~taken[core.task])


def agent_cuts(core: AssignmentCore, mu: np.ndarray, bits: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Per pair a coefficient, per agent a right-hand side: Σ coef·x ≤ rhs holds for every plan.

    The coefficient is the pair's priced value (value − μ of its task, μ
    rounded to multiples of 2^-bits, scaled to integers), the right-hand
    side its agent's knapsack optimum over those values: no plan can do
    better within one agent's capacity. With the task rows these give an LP
    the knapsack bound itself.
    """
    coef = core.value * (1 << bits) - _scaled_prices(core, mu, 1 << bits)[core.task]
    return coef, _Knapsacks(core).best(coef)


class _Knapsacks:
    """Every agent's 0–1 knapsack over its pairs (:mod:`gapcore.knapsack_kernel` solves them)."""

    def __init__(self, core: AssignmentCore) -> None:
        self.core = core
        self.cap = np.ascontiguousarray(core.capacity, dtype=np.int64)
        self.width = int(core.capacity.max()) + 1
        self.rows = np.arange(core.n_agents)
        self.cols = np.arange(self.width)
        self.base = (self.rows * self.width)[:, None]
        # the kernels take the pairs grouped by agent
        self.order = np.argsort(core.agent, kind="stable")
        count = np.bincount(core.agent, minlength=core.n_agents)
        self.starts = np.concatenate([[0], np.cumsum(count)]).astype(np.int64)
        self.use = np.ascontiguousarray(core.use[self.order], dtype=np.int64)

    def items(self, profit: np.ndarray, pick: np.ndarray):
        """Pairs in ``pick`` that fit: (item, use, profit) as (agents × K), padded with -1, 0, 0."""
        core = self.core
        pay = np.flatnonzero(pick & (core.use <= self.cap[core.agent]))
        order = pay[np.argsort(core.agent[pay], kind="stable")]
        agent = core.agent[order]
        count = np.bincount(agent, minlength=core.n_agents)
        k_max = int(count.max()) if len(order) else 0
        slot = np.arange(len(order)) - np.repeat(np.cumsum(count) - count, count)
        item = np.full((core.n_agents, k_max), -1, dtype=np.int64)
        item[agent, slot] = order
        w = np.where(item >= 0, core.use[np.maximum(item, 0)], 0)
        p = np.where(item >= 0, profit[np.maximum(item, 0)], 0)
        return item, w, p

    def step(self, table: np.ndarray, w: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One item per agent added to ``table`` (best value per capacity): new table, taken."""
        src = self.cols[None, :] - w[:, None]
        cand = np.take(table, self.base + np.maximum(src, 0)) + p[:, None]
        take = (src >= 0) & (cand > table)
        return np.where(take, cand, table), take

    def picks(self, mu: np.ndarray) -> tuple[float, np.ndarray]:
        """``L(μ)`` (floating point) and the pairs the knapsacks take (positions)."""
        core = self.core
        profit = np.ascontiguousarray((core.value - mu[core.task])[self.order], dtype=np.float64)
        best, taken = kernel.best_and_picks(self.cap, self.starts, self.use, profit)
        return float(mu @ core.seats + best.sum()), self.order[taken]

    def best(self, profit: np.ndarray) -> np.ndarray:
        """Each agent's integer knapsack optimum for int64 ``profit``."""
        return kernel.best_and_picks(self.cap, self.starts, self.use, self._sorted(profit))[0]

    def with_and_without(self, profit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Integer knapsack values per pair with the pair forced in and forced out, per agent best.

        ``profit`` is int64. A pair that cannot fit gets ``NONE`` forced in.
        """
        best_in, best_out, best = kernel.with_and_without(self.cap, self.starts, self.use,
                                                          self._sorted(profit))
        # back from the kernels' order (grouped by agent) to the core's
        in_core, out_core = np.empty_like(best_in), np.empty_like(best_out)
        in_core[self.order], out_core[self.order] = best_in, best_out
        return in_core, out_core, best

    def _sorted(self, profit: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(np.asarray(profit)[self.order], dtype=np.int64)
