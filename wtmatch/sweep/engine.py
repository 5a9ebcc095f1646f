"""Run a sweep's runs as Dask tasks and keep the table on disk as it grows.

Each run is one task (:func:`~wtmatch.sweep.row.run_one`) on a Dask
distributed cluster: the one given (``client``), one at a scheduler address,
or a ``LocalCluster`` of one single-threaded worker process per core. Rows
are written to ``DIR/sweep.csv`` (or ``.parquet``) as runs finish, so a sweep
that is stopped and started again skips the runs it has (failed runs are
tried again).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from distributed import Client, LocalCluster, as_completed

from wtmatch.errors import WtmatchError
from wtmatch.files import atomic_path
from wtmatch.sweep.grid import Grid
from wtmatch.sweep.row import run_one

#: Seconds between two writes of the table while runs finish.
SAVE_EVERY_S = 2.0


def sweep(grid: Grid, *, client: Client | None = None, scheduler: str | None = None,
          out: str | Path | None = None, n_workers: int | None = None,
          parquet: bool = False, progress: bool = True) -> pd.DataFrame:
    """Run every scenario × variant × seed of ``grid``; one row per run.

    Parameters
    ----------
    grid : Grid
    client : distributed.Client, optional
        Run on this cluster (left open).
    scheduler : str, optional
        Else, the address of a running Dask scheduler (``tcp://host:8786``).
    out : str or Path, optional
        Folder for ``sweep.csv`` (or ``sweep.parquet``) and ``sweep.png``; the
        runs already in its table are not run again.
    n_workers : int, optional
        Workers of the local cluster (default: one per core).
    parquet : bool
        Write Parquet instead of CSV (needs ``pyarrow``).
    progress : bool
        A progress line on stderr.

    Returns
    -------
    pandas.DataFrame
        In grid order: the run's key, scenario, variant, seed and parameters
        (``param:…``), ``status`` (``error`` for a run that failed, with
        ``error``), objective, bound, ``gap_pct``, every objective term, the
        key figures and ``wall_s``.
    """
    runs = grid.runs()
    table = None if out is None else Path(out) / ("sweep.parquet" if parquet else "sweep.csv")
    if parquet:
        _needs_pyarrow()
    have = _read(table)
    done = {r["key"]: r for r in have if r.get("status") != "error"}
    todo = [r for r in runs if r.key not in done]
    rows = dict(done)
    bar = _Bar(len(runs), len(done), progress)
    if todo:
        with _cluster(client, scheduler, n_workers) as cl:
            futures = cl.map(run_one, todo, key=[f"wtmatch-run-{r.key}" for r in todo],
                             pure=False)
            last = time.perf_counter()
            run_of = {f.key: r for f, r in zip(futures, todo, strict=True)}
            for future in as_completed(futures):
                run = run_of[future.key]
                rows[run.key] = _result_of(future, run)
                bar.update(rows[run.key])
                if table is not None and time.perf_counter() - last > SAVE_EVERY_S:
                    _write(_frame(rows, runs), table)
                    last = time.perf_counter()
    bar.close()
    frame = _frame(rows, runs)
    if table is not None:
        _write(frame, table)
        _plot(frame, table.parent / "sweep.png")
    return frame


def _result_of(future: Any, run: Any) -> dict[str, Any]:
    try:
        return future.result()
    except Exception as exc:  # a worker died or the task was lost: still a row
        return {"key": run.key, "scenario": Path(run.scenario).name, "variant": run.variant,
                "seed": run.seed, "status": "error", "error": f"{type(exc).__name__}: {exc}"}


@contextmanager
def _cluster(client: Client | None, scheduler: str | None,
             n_workers: int | None) -> Iterator[Client]:
    if client is not None:
        yield client
        return
    if scheduler is not None:
        try:
            cl = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise WtmatchError(f"no Dask scheduler at {scheduler}: {exc}") from None
        with cl:
            yield cl
        return
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as cl:
        yield cl


def _frame(rows: dict[str, dict], runs: list) -> pd.DataFrame:
    order = [r.key for r in runs if r.key in rows]
    order += [k for k in rows if k not in set(order)]   # rows of runs the grid no longer has
    return pd.DataFrame([rows[k] for k in order])


def _read(table: Path | None) -> list[dict[str, Any]]:
    if table is None or not table.exists():
        return []
    frame = pd.read_parquet(table) if table.suffix == ".parquet" else pd.read_csv(table)
    return [{k: v for k, v in r.items() if not (isinstance(v, float) and pd.isna(v))}
            for r in frame.to_dict("records")]


def _write(frame: pd.DataFrame, table: Path) -> None:
    table.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(table) as tmp:
        if table.suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False)


def _needs_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise WtmatchError("Parquet needs pyarrow (pip install pyarrow); CSV needs "
                           "nothing more") from None


def _plot(frame: pd.DataFrame, path: Path) -> None:
    """Objective and coverage per variant (mean over seeds, min–max as bars), per scenario."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = frame[frame["status"].isin(["optimal", "feasible"])] if "status" in frame else frame
    if ok.empty:
        return
    scenarios = list(dict.fromkeys(ok["scenario"]))
    fig, axes = plt.subplots(len(scenarios), 2, figsize=(10, 3 * len(scenarios)), squeeze=False)
    for ax_row, name in zip(axes, scenarios, strict=True):
        part = ok[ok["scenario"] == name]
        for ax, column in zip(ax_row, ("objective", "coverage_pct"), strict=True):
            stats = part.groupby("variant", sort=False)[column].agg(["mean", "min", "max"])
            ax.bar(stats.index, stats["mean"],
                   yerr=[stats["mean"] - stats["min"], stats["max"] - stats["mean"]], capsize=3)
            ax.set_title(f"{name}: {column}")
            ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)


class _Bar:
    """``[#####.....] 12/40 runs, 1 failed`` on stderr, redrawn as runs finish."""

    def __init__(self, total: int, done: int, show: bool) -> None:
        self.total, self.done, self.failed, self.show = total, done, 0, show and total > 0
        self._draw()

    def update(self, row: dict[str, Any]) -> None:
        self.done += 1
        self.failed += row.get("status") == "error"
        self._draw()

    def _draw(self) -> None:
        if not self.show:
            return
        width = 30
        filled = width * self.done // max(1, self.total)
        failed = f", {self.failed} failed" if self.failed else ""
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} runs{failed}",
              end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.show:
            print(file=sys.stderr)
