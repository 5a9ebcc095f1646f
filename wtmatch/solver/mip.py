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


@dataclass(frozen=True)
class MipResult:
    status: str
    objective: float | None
    bound: float | None
    values: np.ndarray | None
    wall_time: float


def proto_arrays(model: cp_model.CpModel):
    """(lo, hi, obj, offset, sign, A (csr data, indices, indptr), row_lo, row_hi) of a proto."""
    proto = model.proto
    n = len(proto.variables)
    # The proto's repeated fields do not index from the end: read them as lists.
    doms = [list(v.domain) for v in proto.variables]
    lo = np.array([d[0] for d in doms], dtype=float)
    hi = np.array([d[-1] for d in doms], dtype=float)
    obj = np.zeros(n)
    o = proto.objective
    obj[list(o.vars)] = list(o.coeffs)
    data, indices, indptr, rlo, rhi = [], [], [0], [], []
    for ct in proto.constraints:
        if len(ct.enforcement_literal):
            raise ValueError("enforced constraints are not supported by the MIP export")
        lin = ct.linear
        indices.extend(lin.vars)
        data.extend(lin.coeffs)
        indptr.append(len(indices))
        dom = list(lin.domain)
        rlo.append(dom[0])
        rhi.append(dom[-1])
    return (lo, hi, obj, o.offset, o.scaling_factor or 1.0,
            (np.array(data, float), np.array(indices, np.int32), np.array(indptr, np.int32)),
            np.array(rlo, float), np.array(rhi, float))


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
        run = subprocess.run([sys.executable, "-m", "wtmatch.solver.highs_worker", str(path)],
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
