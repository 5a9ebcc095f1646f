"""Is there a plan worth a target? Branch and bound on the knapsack bound.

The knapsack bound (:mod:`gapcore.knapsack_bound`) of the literature's
type C sits within one or two units of the optimum, but the last unit is the
hard one: a plan worth ``floor(bound)`` usually does not exist, and proving
that takes a search. CP-SAT's search does not re-solve an agent's knapsack
when it fixes one of its pairs, so its bound stays where the root left it;
this search does, as the exact methods for the GAP do (Ross & Soland 1975;
Posta, Ferland & Michelon 2012).

Each node fixes some pairs in and some out. Its knapsacks see the rest: the
fixed-in pairs' agents have less capacity and their tasks fewer seats. The
task prices are re-tuned by a few subgradient steps from the parent's, and
the exact bound with each pair forced in and out (one dynamic programme,
integer arithmetic) does three things at once:

* it prunes the node when even the bound is below the target;
* it fixes every pair whose forcing in (or out) drops the bound below the
  target, and the node starts again until nothing more is fixed;
* it does not rank the pairs to branch on. The knapsacks are exact, so
  every pair is either in an agent's best knapsack (forcing it in costs
  nothing) or not (forcing it out costs nothing): one side's drop is always
  zero, and the rest of a free strong branching is the other side's. Ranking
  by it was measured worse than taking the first free pair in the core's
  order, the side the knapsacks take first (by an order of magnitude in
  nodes on the type C instances; docs/benchmarks.md).

The search goes depth first, the side with the higher bound first, so it
also finds a plan when one reaches the target. On request each node also
makes a plan of its knapsacks' picks, repaired to fit
(:func:`wtmatch.core.repair.plan_from_picks`), and hands over those short of
the target: the nodes sit close to good plans (on the literature's types D
and E they improve the incumbent sooner than the neighbourhood searches).
No solver: numpy and the compiled knapsacks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gapcore.knapsack_bound import SCALE, _Knapsacks, forced_bounds, subgradient
from wtmatch.core.problem import AssignmentCore
from wtmatch.core.repair import plan_from_picks

#: Subgradient steps per node: fewer leave weaker bounds and many more nodes
#: (c20400 at 4781: 10 steps did not finish in 150 s, 60 proved it with 601 nodes).
NODE_ITERATIONS = 60
#: Their first step's share of the Polyak step: the parent's prices are close
#: already (c20400 at 4781: 303 nodes from 0.5, 397 from the root's 2.0, 341 from 0.1).
NODE_THETA = 0.5


@dataclass
class BranchResult:
    """What the search answered.

    Attributes
    ----------
    status : str
        ``"found"`` (``chosen`` is a plan worth at least the target),
        ``"none"`` (no plan is) or ``"unknown"`` (the deadline came first).
    chosen : ndarray of int or None
        The plan's pair positions, when found.
    nodes : int
        Nodes searched (by this run, for :meth:`TargetSearch.run`).
    """

    status: str
    chosen: np.ndarray | None
    nodes: int


def plan_reaching(core: AssignmentCore, mu: np.ndarray, target: int, deadline: float,
                  iterations: int = NODE_ITERATIONS) -> BranchResult:
    """Search for a plan of ``core`` worth at least ``target``, or prove there is none.

    Parameters
    ----------
    core : AssignmentCore
    mu : ndarray of float, shape (T,)
        Task prices to start from (good ones, as the knapsack bound's, make
        the tree small); ≥ 0 unless ``core.exact``.
    target : int
        The value to reach.
    deadline : float
        ``time.perf_counter()`` value after which the search gives up.
    iterations : int
        Subgradient steps at each node.

    Returns
    -------
    BranchResult

    See Also
    --------
    TargetSearch : the same search, which can stop at a deadline and go on later.
    """
    return TargetSearch(core, mu, target, iterations).run(deadline)


class TargetSearch:
    """The depth-first search of :func:`plan_reaching`, kept between runs.

    A search cut off by its deadline keeps its open nodes, so a later
    :meth:`run` goes on where it stopped instead of walking the same tree
    again (the descent gives a target a first share of time, the closing
    phase more).

    Parameters
    ----------
    core, mu, target, iterations
        As for :func:`plan_reaching`.
    on_plan : callable, optional
        Called with each plan (pair positions) short of the target that a
        node makes of its knapsacks' picks (:func:`~wtmatch.core.repair.plan_from_picks`):
        plans for an incumbent while the search goes on. Without it no node
        makes them.
    """

    def __init__(self, core: AssignmentCore, mu: np.ndarray, target: int,
                 iterations: int = NODE_ITERATIONS,
                 on_plan: Callable[[np.ndarray], None] | None = None) -> None:
        self.core, self.target, self.iterations = core, target, iterations
        self.on_plan = on_plan
        self._open = [(np.zeros(0, dtype=np.int64), np.zeros(len(core), dtype=bool),
                       np.asarray(mu, dtype=np.float64))]
        self._answer: BranchResult | None = None
        #: nodes searched over every run
        self.nodes = 0

    def run(self, deadline: float, max_nodes: int | None = None,
            stop: Callable[[], bool] | None = None) -> BranchResult:
        """Search until an answer, ``deadline``, ``max_nodes`` nodes more or ``stop()``.

        ``nodes`` in the result counts this run's. Once answered, a search
        answers the same again without searching. ``stop`` is asked before
        each node (say, whether a plan from ``on_plan`` settled the question).
        """
        if self._answer is not None:
            return BranchResult(self._answer.status, self._answer.chosen, 0)
        before = self.nodes
        while self._open:
            if time.perf_counter() > deadline or (
                    max_nodes is not None and self.nodes - before >= max_nodes) or (
                    stop is not None and stop()):
                return BranchResult("unknown", None, self.nodes - before)
            fixed_in, fixed_out, prices = self._open.pop()
            self.nodes += 1
            outcome = _node(self.core, fixed_in, fixed_out, prices, self.target, deadline,
                            self.iterations, self.on_plan)
            if isinstance(outcome, np.ndarray):
                self._answer = BranchResult("found", np.sort(outcome), 0)
                return BranchResult("found", self._answer.chosen, self.nodes - before)
            if outcome is None:
                continue
            fixed_in, fixed_out, prices, pair, in_first = outcome
            take = (np.concatenate([fixed_in, [pair]]), fixed_out, prices)
            out = fixed_out.copy()
            out[pair] = True
            leave = (fixed_in, out, prices)
            # the stack pops last first: push the second side first
            self._open.extend([leave, take] if in_first else [take, leave])
        self._answer = BranchResult("none", None, 0)
        return BranchResult("none", None, self.nodes - before)


def _node(core: AssignmentCore, fixed_in: np.ndarray, fixed_out: np.ndarray, mu: np.ndarray,
          target: int, deadline: float, iterations: int,
          on_plan: Callable[[np.ndarray], None] | None = None):
    """Bound, fix and choose a branch at one node.

    Returns a plan (pair positions) when the node's knapsacks form one worth
    the target, None when the node holds no such plan, or (fixed in, fixed
    out, prices, pair to branch on, whether to try it in first).
    """
    while True:
        sub = _restricted(core, fixed_in, fixed_out)
        if sub is None:
            return None
        node, pos, gained = sub
        if node.exact:
            # a task with as many pairs left as seats takes them all
            only = (np.bincount(node.task, minlength=node.n_tasks) == node.seats)[node.task]
            if only.any():
                fixed_in = np.concatenate([fixed_in, pos[only]])
                continue
        need = target - gained
        if len(node) == 0:
            done = not node.exact or not node.seats.any()
            return fixed_in.copy() if done and need <= 0 else None
        mu = subgradient(node, mu, need - 1, deadline, iterations, NODE_THETA).mu
        forced = forced_bounds(node, mu)
        if forced.total < need * SCALE:
            return None
        out = forced.with_pair < need * SCALE
        must = forced.without_pair < need * SCALE
        if (out & must).any():
            return None
        if not (out.any() or must.any()):
            break
        fixed_out = fixed_out.copy()
        fixed_out[pos[out]] = True
        fixed_in = np.concatenate([fixed_in, pos[must]])
    _, picked = _Knapsacks(node).picks(mu)
    if not node.violations(picked) and node.objective(picked) >= need:
        return np.concatenate([fixed_in, pos[picked]])
    if on_plan is not None:
        plan = plan_from_picks(node, picked)
        if plan is not None:
            full = np.concatenate([fixed_in, pos[plan]])
            if node.objective(plan) >= need:
                return full
            on_plan(np.sort(full))
    # the first free pair (see the module docstring), in first when a best knapsack takes it
    return fixed_in, fixed_out, mu, int(pos[0]), bool(forced.with_pair[0] == forced.total)


def _restricted(core: AssignmentCore, fixed_in: np.ndarray, fixed_out: np.ndarray):
    """The core left once ``fixed_in`` is chosen and ``fixed_out`` dropped, or None if it cannot work.

    Returns (node core, each of its pairs' position in ``core``, value of the
    fixed-in pairs). The node core has the same agents and tasks, with the
    capacity and seats the fixed-in pairs leave, and only the free pairs that
    still fit.
    """
    capacity = core.capacity - core.load(fixed_in)
    seats = core.seats - core.filled(fixed_in)
    if (capacity < 0).any() or (seats < 0).any():
        return None
    keep = ~fixed_out
    keep[fixed_in] = False
    keep &= (seats[core.task] > 0) & (core.use <= capacity[core.agent])
    pos = np.flatnonzero(keep)
    node = AssignmentCore(capacity, seats, core.agent[pos], core.task[pos], core.value[pos],
                          core.use[pos], core.exact)
    if core.exact and (np.bincount(node.task, minlength=node.n_tasks) < seats).any():
        return None     # a task short of pairs for its seats
    return node, pos, core.objective(fixed_in)
