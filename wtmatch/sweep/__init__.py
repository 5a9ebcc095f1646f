"""What-if sweeps: scenarios × variants × seeds, each run a Dask task, one tidy row per run.

>>> from wtmatch.sweep import load_grid, sweep
>>> table = sweep(load_grid("grid.toml"), out="results/")      # doctest: +SKIP

:mod:`~wtmatch.sweep.grid` reads the grid, :mod:`~wtmatch.sweep.row` runs one
solve and turns it into a row, :mod:`~wtmatch.sweep.engine` runs them on a
Dask cluster (a local one by default) and keeps the table on disk.
"""

from wtmatch.sweep.engine import sweep
from wtmatch.sweep.grid import Grid, RunSpec, load_grid
from wtmatch.sweep.row import run_one

__all__ = ["Grid", "RunSpec", "load_grid", "run_one", "sweep"]
