"""How far is a proof? The size of the tree that would refute a target, estimated.

``python -m benchmarks treesize [--set orlib|yagiura|all] --instances NAMES
[--target T] [--dives N] [--seed S] [--time-limit S] [--out FILE.json]``

For each instance the core is priced towards the target as a descent step
prices it (:func:`gapcore.knapsack_bound.subgradient` towards target − 1),
fixed to the pairs a plan worth the target may use, and the branch and bound's
tree over them estimated by Knuth's random dives
(:mod:`gapcore.tree_estimate`). The target is in the instance's own
objective: a cost at most ``T`` for min, a profit at least ``T`` for max. By
default it is one better than the best-known value — the tree whose
refutation would prove the best known optimal (c801600: 16,284).
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks import gapdata
from gapcore.knapsack_bound import SCALE, forced_bounds, start_prices, subgradient, usable_pairs
from gapcore.knapsack_kernel import compile_kernels
from gapcore.tree_estimate import estimate_tree
from wtmatch.core import lagrangian_costs

#: Subgradient steps for the root's prices (they stop sooner once they stall).
PRICE_ITERATIONS = 4000


def core_target(target: int, sense: str) -> int:
    """The core's target (it maximises; min negates the costs) for a target in the instance's terms."""
    return -target if sense == "min" else target


def default_target(best: int, sense: str) -> int:
    """One better than the best known: the target whose refutation proves it optimal."""
    return best - 1 if sense == "min" else best + 1


def run_instance(inst: gapdata.GapInstance, sense: str, best: gapdata.BestKnown, target: int | None,
                 dives: int, seed: int, time_limit: float) -> dict:
    """Price, fix and dive on one instance; one row of figures."""
    start = time.perf_counter()
    target = default_target(best.value, sense) if target is None else target
    core = inst.core(sense)
    goal = core_target(target, sense)
    lam, _ = lagrangian_costs(core)
    mu = subgradient(core, start_prices(core, lam), goal - 1, np.inf, PRICE_ITERATIONS).mu
    forced = forced_bounds(core, mu)
    _, keep = usable_pairs(core, forced, goal - 1)
    sub, _ = core.subset(keep)
    bound = forced.bound
    row = {
        "instance": inst.name, "sense": sense, "target": target, "best_known": best.value,
        "best_known_proven": best.proven,
        "root_bound": float(-bound if sense == "min" else bound),
        "pairs": len(sub), "of_pairs": len(core),
        "refuted_at_root": bool(forced.total < goal * SCALE),
        "pricing_s": round(time.perf_counter() - start, 3),
    }
    est = estimate_tree(sub, mu, goal, dives, seed=seed, deadline=start + time_limit)
    rate = est.nodes_per_second
    done = len(est.estimates) > 0 and np.isfinite(rate) and rate > 0
    row.update({
        "dives": len(est.estimates), "found": est.found, "nodes": est.nodes,
        "seconds": round(est.seconds, 3), "nodes_per_second": round(rate, 2) if np.isfinite(rate) else None,
        "mean": est.mean if done else None, "median": est.median if done else None,
        "max": float(est.estimates.max()) if done else None,
        "mean_depth": float(est.depths.mean()) if done else None,
        # the search runs one node at a time: at the dives' pace, on one core
        "seconds_at_mean": est.mean / rate if done else None,
        "seconds_at_median": est.median / rate if done else None,
    })
    return row


def run(which: str, names: list[str] | None, target: int | None, dives: int, seed: int,
        time_limit: float, echo=print) -> list[dict]:
    """Every selected instance, in order; ``echo`` gets a line per instance as it finishes."""
    best = gapdata.best_known()
    compile_kernels()
    rows = []
    for inst, sense in gapdata.instances(which, names):
        row = run_instance(inst, sense, best[(inst.name, sense)], target, dives, seed, time_limit)
        rows.append(row)
        if echo:
            echo(line(row))
    return rows


def line(row: dict) -> str:
    if row["found"]:
        verdict = "a dive found a plan worth the target: nothing to refute"
    elif not row["dives"]:
        verdict = "no dive finished within the time limit"
    else:
        verdict = (f"tree ~{row['mean']:.3g} nodes (median dive {row['median']:.3g}), "
                   f"{row['nodes_per_second']:.1f} nodes/s: ~{duration(row['seconds_at_mean'])} "
                   f"(median {duration(row['seconds_at_median'])}) on one core")
    return (f"{row['instance']:>9} {row['sense']} target {row['target']} root bound "
            f"{row['root_bound']:.2f} pairs {row['pairs']}/{row['of_pairs']} "
            f"dives {row['dives']}: {verdict}")


def duration(seconds: float) -> str:
    """Seconds in the unit that reads best: s, h or years."""
    if seconds < 3600:
        return f"{seconds:.3g} s"
    if seconds < 365 * 86400:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds / (365 * 86400):.3g} years"
