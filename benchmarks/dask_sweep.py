"""The sweep engine's cost: a sweep of generated variants on Dask against plain sequential solves.

``python -m benchmarks dask-sweep --runs 100 --size 300x200 --time-limit 10 --workers 1,2
--sequential 10`` writes one scenario, then

* solves ``--sequential`` of the runs one after the other in this process
  (CP-SAT on one thread, as each Dask worker runs it): the time a run takes
  without the engine;
* runs all ``--runs`` as one sweep (:func:`wtmatch.sweep.sweep`) on a
  LocalCluster of each number of ``--workers`` (one single-threaded process
  each): throughput and the engine's overhead per task, i.e. the wall time
  beyond what the runs themselves took, shared out over the tasks.

The projection for a larger cluster assumes what these runs show: tasks
of equal length, no shared state, the scheduler's per-task cost as measured.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from wtmatch.files import write_text
from wtmatch.generate import generate
from wtmatch.scenario import dumps
from wtmatch.sweep import Grid, run_one, sweep


def _grid(folder: Path, runs: int, size: str, time_limit: float) -> Grid:
    n, m = (int(v) for v in size.split("x"))
    write_text(folder / "scenario.json", dumps(generate(n, m, seed=1)))
    variants = max(1, runs // 4)
    return Grid(scenarios=["scenario.json"], seeds=list(range(runs // variants)),
                time_limit=time_limit, workers=1, base=str(folder),
                variants={f"travel_x{k + 1}": {"weights": {"travel_km": k + 1}}
                          for k in range(variants)})


def run(runs: int, size: str, time_limit: float, workers: list[int], sequential: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        grid = _grid(Path(tmp), runs, size, time_limit)
        specs = grid.runs()
        seq = []
        for spec in specs[:sequential]:
            t = time.perf_counter()
            row = run_one(spec)
            seq.append(time.perf_counter() - t)
            assert row["status"] in ("optimal", "feasible"), row
        per_run = statistics.mean(seq) if seq else None
        out = {"runs": len(specs), "size": size, "time_limit": time_limit,
               "sequential_runs": len(seq),
               "sequential_s_per_run": None if per_run is None else round(per_run, 3),
               "sweeps": []}
        for w in workers:
            t = time.perf_counter()
            frame = sweep(grid, n_workers=w, progress=False)
            wall = time.perf_counter() - t
            inside = float(frame["wall_s"].sum())          # each run's own time, on its worker
            ok = int(frame["status"].isin(["optimal", "feasible"]).sum())
            overhead = (wall * w - inside) / len(frame)     # worker-seconds beyond the runs, per task
            out["sweeps"].append({
                "workers": w, "wall_s": round(wall, 1), "runs_ok": ok,
                "runs_per_minute": round(60 * len(frame) / wall, 2),
                "mean_run_s": round(inside / len(frame), 3),
                "overhead_s_per_task": round(overhead, 3),
                "overhead_pct_of_task": round(100 * overhead / time_limit, 2),
                "vs_sequential": None if per_run is None else
                round(per_run * len(frame) / wall, 2)})
        if out["sweeps"]:
            best = out["sweeps"][-1]
            task = best["mean_run_s"] + max(0.0, best["overhead_s_per_task"])
            out["projection_32_workers"] = {
                "runs_per_minute": round(60 * 32 / task, 1),
                "wall_s_for_these_runs": round(task * -(-len(specs) // 32), 1)}
        return out


def main(args) -> dict:
    workers = [int(w) for w in args.workers.split(",") if w]
    t = time.perf_counter()
    result = run(args.runs, args.size, args.time_limit, workers, args.sequential)
    result["total_s"] = round(time.perf_counter() - t, 1)
    return result
