"""How big is a refutation tree? Knuth's estimate from random dives.

A descent step's branch and bound (:mod:`gapcore.knapsack_branch`)
either finds a plan worth its target or walks its whole tree to prove there
is none. Before giving the second hours, random dives say how big that tree
is (Knuth 1975): a dive goes from the root to a leaf and takes one side at
random at each branching node; ``1 + 2 + 4 + … + 2^depth``, the nodes of
a complete tree as deep as the dive, is an unbiased estimate of the tree's
node count. Unbiased, not reliable: the few deep dives that carry most of
the mean are rare, so the mean of a few hundred dives usually falls short
(by a factor of two to three on the trees walked to the end;
docs/benchmarks.md). Read it as an order of magnitude,
more likely low than high.

The dives call the same node as the search, so they see the same tree:
same fixing, same prices handed down, same pruning. No solver.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from gapcore.knapsack_branch import NODE_ITERATIONS, _node
from wtmatch.core.problem import AssignmentCore


@dataclass
class TreeEstimate:
    """What the dives saw.

    Attributes
    ----------
    estimates : ndarray of float
        Per finished dive, its estimate of the tree's node count.
    depths : ndarray of int
        Per finished dive, the branchings it passed.
    nodes : int
        Nodes the dives visited (a dive cut off by the deadline included).
    seconds : float
        Time the dives took.
    found : bool
        Whether a dive reached a plan worth the target. Then there is no
        refutation tree: the target is reachable, and the dives stopped.
    """

    estimates: np.ndarray
    depths: np.ndarray
    nodes: int
    seconds: float
    found: bool

    @property
    def mean(self) -> float:
        """The unbiased estimate of the tree's node count (nan without a finished dive)."""
        return float(self.estimates.mean()) if len(self.estimates) else float("nan")

    @property
    def median(self) -> float:
        """The median dive's estimate: a typical dive, below the mean on heavy-tailed trees."""
        return float(np.median(self.estimates)) if len(self.estimates) else float("nan")

    @property
    def nodes_per_second(self) -> float:
        """How fast the dives went: the search's own pace, node for node."""
        return self.nodes / self.seconds if self.seconds > 0 else float("nan")


def estimate_tree(core: AssignmentCore, mu: np.ndarray, target: int, dives: int,
                  seed: int = 0, deadline: float = np.inf,
                  iterations: int = NODE_ITERATIONS) -> TreeEstimate:
    """Estimate the nodes :class:`~gapcore.knapsack_branch.TargetSearch` needs at ``target``.

    Parameters
    ----------
    core : AssignmentCore
        The pairs the search would get (a descent step's fixed core).
    mu : ndarray
        The root's task prices, as the search would get them.
    target : int
        The value a plan must reach.
    dives : int
        Dives to make (at least 1).
    seed : int
        Seeds the sides the dives take: the same seed gives the same estimate.
    deadline : float
        ``time.perf_counter()`` value after which no node is started; a dive
        cut off is not counted.
    iterations : int
        Subgradient steps per node, as for the search.

    Returns
    -------
    TreeEstimate
    """
    if dives < 1:
        raise ValueError(f"dives must be at least 1, got {dives}")
    rng = np.random.default_rng(seed)
    root_out = np.zeros(len(core), dtype=bool)
    root_mu = np.asarray(mu, dtype=np.float64)
    estimates, depths, nodes, found = [], [], 0, False
    start = time.perf_counter()
    for _ in range(dives):
        fixed_in, fixed_out, prices = np.zeros(0, dtype=np.int64), root_out, root_mu
        estimate, width, depth, cut = 1.0, 1.0, 0, False
        while True:
            if time.perf_counter() > deadline:
                cut = True
                break
            outcome = _node(core, fixed_in, fixed_out, prices, target, deadline, iterations)
            nodes += 1
            if outcome is None:
                break
            if isinstance(outcome, np.ndarray):
                found = True
                break
            fixed_in, fixed_out, prices, pair, _ = outcome
            width *= 2.0
            estimate += width
            depth += 1
            if rng.random() < 0.5:
                fixed_in = np.concatenate([fixed_in, [pair]])
            else:
                fixed_out = fixed_out.copy()
                fixed_out[pair] = True
        if cut or found or time.perf_counter() > deadline:
            break       # a dive the deadline may have shortened would bias the estimate
        estimates.append(estimate)
        depths.append(depth)
    return TreeEstimate(np.asarray(estimates, dtype=np.float64), np.asarray(depths, dtype=np.int64),
                        nodes, time.perf_counter() - start, found)
