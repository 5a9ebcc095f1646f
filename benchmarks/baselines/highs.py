"""The same model, handed to HiGHS as a MIP (or its LP relaxation).

Used by the benchmarks as "what an OR user picks instead" and to measure
the strength of the formulation (its LP bound). Only linear constraints
and integer domains are supported — which is all the part A model uses.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ortools.sat.python import cp_model

from wtmatch.solver.cpsat.linear import proto_arrays


@dataclass(frozen=True)
class MipResult:
    status: str
    objective: float | None
    bound: float | None
    values: np.ndarray | None
    wall_time: float


def solve_highs(model: cp_model.CpModel, time_limit: float, relax: bool = False,
                threads: int = 1) -> MipResult:
    """Solve the CP-SAT model's proto with HiGHS (maximisation preserved).

    HiGHS runs in a child process: OR-Tools bundles its own HiGHS, and the
    two cannot be loaded into one interpreter.
    """
    lo, hi, obj, offset, scale, (data, indices, indptr), rlo, rhi = proto_arrays(model)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.npz"
        np.savez(path, lo=lo, hi=hi, obj=obj, offset=offset, scale=scale, data=data,
                 indices=indices, indptr=indptr, rlo=rlo, rhi=rhi,
                 opts=np.array([time_limit, float(relax), threads]))
        t = time.perf_counter()
        # Run as a file, not as a module of a package: importing wtmatch would load OR-Tools.
        worker = Path(__file__).with_name("highs_worker.py")
        run = subprocess.run([sys.executable, str(worker), str(path)],
                             capture_output=True, text=True, timeout=time_limit * 3 + 60)
        wall = time.perf_counter() - t
        if run.returncode != 0:
            raise RuntimeError(f"HiGHS failed: {run.stderr.strip()[-500:]}")
        out = np.load(Path(tmp) / "model.out.npz", allow_pickle=False)
        status = str(out["status"])
        has = bool(out["has"])
        return MipResult(status, float(out["objective"]) if has else None,
                         float(out["bound"]) if not np.isnan(out["bound"]) else None,
                         out["values"] if has else None, float(out["wall"]) or wall)
