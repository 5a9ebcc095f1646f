"""The GAP literature suite: the assignment core against best-known values.

``python -m benchmarks gap [--set orlib|yagiura|all] [--instances NAMES] [--time-limit S]
[--workers N] [--plain] [--out FILE.json]``
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks import gapdata
from gapcore.knapsack_kernel import compile_kernels
from gapcore.search import plain_core, solve_core
from gapcore.settings import GapSettings

#: Times at which the gap to the best-known value is read off the improvement history.
CHECKPOINTS = (1.0, 10.0, 60.0)


def gap_pct(objective: int | None, best: int, sense: str) -> float | None:
    """How far ``objective`` is from the best-known value, in % of it (≥ 0 unless better)."""
    if objective is None:
        return None
    diff = objective - best if sense == "min" else best - objective
    return 100.0 * diff / max(1, abs(best))


def at(history: list[tuple[float, int]], seconds: float) -> int | None:
    """The best core value found within ``seconds``."""
    found = [v for t, v in history if t <= seconds]
    return max(found) if found else None


def _bound(core_bound: float, sense: str) -> int | None:
    """The proven bound on the instance's own objective (costs are integers): ≥ for min, ≤ for max."""
    if not np.isfinite(core_bound):
        return None
    return int(np.ceil(-core_bound - 1e-6)) if sense == "min" else int(np.floor(core_bound + 1e-6))


def run_instance(inst: gapdata.GapInstance, sense: str, best: gapdata.BestKnown,
                 settings: GapSettings, plain: bool = False) -> dict:
    """Solve one instance; one row of figures."""
    core = inst.core(sense)
    start = time.perf_counter()
    result = (plain_core if plain else solve_core)(core, settings)
    wall = time.perf_counter() - start
    obj = None if result.objective is None else inst.objective(result.objective, sense)
    row = {
        "instance": inst.name, "set": inst.set, "sense": sense, "agents": inst.shape[0],
        "jobs": inst.shape[1], "method": "plain CP-SAT" if plain else "wtmatch core",
        "time_limit": settings.time_limit, "best_known": best.value,
        "best_known_proven": best.proven, "objective": obj,
        "gap_pct": gap_pct(obj, best.value, sense), "status": result.status,
        "proven_optimal": result.status == "optimal",
        "time_to_best": round(result.time_to_best, 3), "wall": round(wall, 3),
        "bound": _bound(result.bound, sense),
    }
    for c in CHECKPOINTS:
        if c <= settings.time_limit:
            v = at(result.history, c)
            row[f"gap_pct_at_{c:g}s"] = gap_pct(None if v is None else inst.objective(v, sense),
                                                 best.value, sense)
    if obj is not None and inst.objective(result.objective, sense) != obj:
        raise AssertionError("objective mismatch")
    if result.objective is not None and core.violations(result.chosen):
        raise AssertionError(f"{inst.name}: infeasible plan returned: {core.violations(result.chosen)[:3]}")
    return row


def run(which: str, names: list[str] | None, settings: GapSettings, plain: bool = False,
        echo=print) -> list[dict]:
    """Every selected instance, in order; ``echo`` gets a line per instance as it finishes."""
    best = gapdata.best_known()
    if not plain and settings.knapsack_bound:
        # once per install: kept out of the first instance's wall time
        compiled = compile_kernels()
        if compiled > 0.05 and echo:
            echo(f"the knapsack kernels took {compiled:.1f} s to compile or load (not timed below)")
    rows = []
    for inst, sense in gapdata.instances(which, names):
        row = run_instance(inst, sense, best[(inst.name, sense)], settings, plain)
        rows.append(row)
        if echo:
            echo(line(row))
    return rows


def line(row: dict) -> str:
    g = "—" if row["gap_pct"] is None else f"{row['gap_pct']:.3f}%"
    return (f"{row['instance']:>9} {row['sense']} {row['method']:<13} obj {row['objective']} "
            f"best {row['best_known']} gap {g} {row['status']} ttb {row['time_to_best']:.2f}s "
            f"wall {row['wall']:.2f}s")
