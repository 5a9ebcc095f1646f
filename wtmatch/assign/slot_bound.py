"""An upper bound on part A's objective without a solver: demand slots priced, slots picked.

Every term but S1 and S4 is a penalty (S2, S3, S5, S6, S7 ≤ 0), and H3, H4 and
H12 alone already cap what S1 + S4 can earn: an instructor fills at most one
seat per weekly slot (H3), at most ``capacity`` slots (H4), and a demand slot
takes at most ``instructors_needed`` instructors (H12). Pricing each demand
slot's seats with μ ≥ 0 (Lagrange) leaves every instructor a trivial choice:
per slot the best candidate worth more than its price, then the
``capacity`` best of those slots. So for every μ ≥ 0

    L(μ) = Σ_t μ_t·seats_t + Σ_i (sum of the capacity_i largest of max(0, max_c (value_c − μ_t(c))) per slot)

bounds the objective of every plan (pins, H6–H11 and the penalties only
lower it), once S8 — the one other reward — is added at its most: every
school with a candidate reached (:func:`reach_ceiling`). Subgradient steps
(Polyak, towards the incumbent) lower it; the bound returned is evaluated
at prices rounded to multiples of 2⁻²⁰ (coarser when huge weights would
overflow int64) in integer arithmetic, so what it proves does not rest on
floating point.

It is the bound of part A's models too big for CP-SAT to bound in time: it
takes a second or two where CP-SAT's full model needs minutes for a bound
of the same quality (docs/benchmarks.md). On small models the LP relaxation
is tighter, so they keep CP-SAT's bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from wtmatch.assign.candidates import Candidates

SLOTS = 10
#: Prices are rounded to multiples of 1/SCALE for the exact bound.
SCALE = 1 << 20


@dataclass(frozen=True)
class SlotBound:
    """The bound and how it was reached.

    Attributes
    ----------
    bound : int
        An upper bound on every part A plan's objective.
    steps : int
        Subgradient steps taken.
    seconds : float
    """

    bound: int
    steps: int
    seconds: float


class _Cells:
    """The candidates grouped by (instructor, slot), once; then L(μ) and its subgradient per μ."""

    def __init__(self, cands: Candidates) -> None:
        pool = cands.pool
        self.n_ins = len(pool.instructor_ids)
        self.task = cands.d * SLOTS + cands.t
        self.seats = np.repeat(pool.d_needed.astype(np.int64), SLOTS)
        self.capacity = np.clip(pool.capacity, 0, SLOTS)
        cell = cands.i * SLOTS + cands.t
        self.order = np.argsort(cell, kind="stable")
        sorted_cell = cell[self.order]
        self.starts = np.flatnonzero(np.r_[True, sorted_cell[1:] != sorted_cell[:-1]])
        self.cell = sorted_cell[self.starts]
        self.sizes = np.diff(np.r_[self.starts, len(sorted_cell)])
        self.group = np.repeat(np.arange(len(self.starts)), self.sizes)
        self.value = cands.value[self.order].astype(np.int64)
        self.task_sorted = self.task[self.order]
        # int64 must hold every sum: with huge weights the prices get a coarser grid
        # (any prices ≥ 0 give a valid bound)
        terms = self.n_ins * SLOTS + int(self.seats.sum()) + 1
        biggest = max(1, int(np.abs(self.value).max(initial=0)))
        self.scale = SCALE
        while self.scale > 1 and 2 * biggest * self.scale * terms >= 2**62:
            self.scale //= 2

    def seat_bound(self) -> int:
        """Every seat filled at the best value any of its candidates brings (none below 0)."""
        best = np.zeros(len(self.seats), dtype=np.int64)
        np.maximum.at(best, self.task_sorted, self.value)
        return int(best @ self.seats)

    def evaluate(self, mu_scaled: np.ndarray) -> tuple[int, np.ndarray]:
        """L at prices ``mu_scaled`` / scale, times scale (exact), and the tasks' seats left over."""
        reduced = self.value * self.scale - mu_scaled[self.task_sorted]
        best = np.maximum.reduceat(reduced, self.starts) if len(reduced) else reduced
        grid = np.zeros(self.n_ins * SLOTS, dtype=np.int64)
        grid[self.cell] = np.maximum(best, 0)
        grid = grid.reshape(self.n_ins, SLOTS)
        # each instructor's capacity best slots (a slot's rank: its place by value)
        rank = np.argsort(np.argsort(-grid, axis=1, kind="stable"), axis=1, kind="stable")
        picked = rank < self.capacity[:, None]
        total = int(mu_scaled @ self.seats) + int(grid[picked].sum())
        # the subgradient: seats minus the picks, one best candidate per picked cell
        picked_cell = (picked & (grid > 0)).ravel()
        at_max = np.flatnonzero(reduced == best[self.group])
        first = at_max[np.r_[True, self.group[at_max[1:]] != self.group[at_max[:-1]]]] \
            if len(at_max) else at_max
        chosen = first[picked_cell[self.cell[self.group[first]]]]
        left = self.seats - np.bincount(self.task_sorted[chosen], minlength=len(self.seats))
        return total, left


def slot_bound(cands: Candidates, incumbent: float, deadline: float = np.inf,
               iterations: int = 2000) -> SlotBound:
    """The Lagrangian bound L(μ) of the module docstring, lowered towards ``incumbent``.

    Parameters
    ----------
    cands : Candidates
    incumbent : float
        The objective of a known plan: the Polyak steps aim at it, and the
        steps stop once the bound is below ``incumbent + 1`` (a proof).
    deadline : float
        ``time.perf_counter()`` value after which no step starts.
    iterations : int
        Most subgradient steps.

    Returns
    -------
    SlotBound
    """
    start = time.perf_counter()
    if len(cands) == 0:
        return SlotBound(0, 0, 0.0)     # no seat can be filled, and every other term is ≤ 0
    reach = reach_ceiling(cands)
    incumbent -= reach
    cells = _Cells(cands)
    mu = np.zeros(len(cells.seats), dtype=np.float64)
    best_total, best_mu = None, np.zeros(len(cells.seats), dtype=np.int64)
    theta, fails, steps = 2.0, 0, 0
    while steps < iterations and time.perf_counter() < deadline:
        mu_scaled = np.rint(mu * cells.scale).astype(np.int64)
        total, left = cells.evaluate(mu_scaled)
        steps += 1
        if best_total is None or total < best_total:
            best_total, best_mu, fails = total, mu_scaled, 0
        else:
            fails += 1
            if fails >= 10:
                theta, fails = theta / 2, 0
        value = total / cells.scale
        norm = float(left.astype(np.float64) @ left)
        if best_total < (incumbent + 1) * cells.scale or norm == 0 or theta < 1e-6:
            break
        step = theta * max(value - incumbent, 1.0) / norm
        mu = np.maximum(0.0, mu - step * left)
    if best_total is None:
        best_total = cells.evaluate(best_mu)[0]
    # Never looser than the two one-line bounds, whatever the steps reached: every
    # instructor's best slots (L at zero prices), and every seat filled by its best
    # candidate.
    bound = min(best_total // cells.scale, cells.evaluate(np.zeros_like(best_mu))[0] // cells.scale,
                cells.seat_bound())
    return SlotBound(int(bound) + reach, steps, time.perf_counter() - start)


def reach_ceiling(cands: Candidates) -> int:
    """S8 at its most: every school (copy) with a candidate reached."""
    pool = cands.pool
    w = pool.scenario.settings.weights
    if w.reach <= 0 or len(cands) == 0:
        return 0
    reachable = np.zeros(len(pool.school_ids), dtype=bool)
    reachable[cands.s] = True
    return int(w.reach * (pool.s_reach * pool.s_weeks)[reachable].sum())
