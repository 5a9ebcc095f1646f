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
        lin = ct.linear
        vs, cs = list(lin.vars), list(lin.coeffs)
        dom = list(lin.domain)
        a, b = float(dom[0]), float(dom[-1])
        enf = list(ct.enforcement_literal)
        if len(enf) > 1 or (enf and enf[0] < 0):
            raise ValueError("only single positive enforcement literals can be linearised")
        if enf:
            # e ⇒ a ≤ Σ ≤ b, as big-M rows: Σ + (max − b)·e ≤ max, Σ − (a − min)·e ≥ min.
            smin = sum(c * (lo[v] if c > 0 else hi[v]) for v, c in zip(vs, cs, strict=True))
            smax = sum(c * (hi[v] if c > 0 else lo[v]) for v, c in zip(vs, cs, strict=True))
            if b < smax:
                indices.extend([*vs, enf[0]])
                data.extend([*cs, smax - b])
                indptr.append(len(indices))
                rlo.append(-1e18)
                rhi.append(smax)
            if a > smin:
                indices.extend([*vs, enf[0]])
                data.extend([*cs, -(a - smin)])
                indptr.append(len(indices))
                rlo.append(smin)
                rhi.append(1e18)
            continue
        indices.extend(vs)
        data.extend(cs)
        indptr.append(len(indices))
        rlo.append(a)
        rhi.append(b)
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
        # Run as a file, not ``-m wtmatch...``: importing the package would load OR-Tools.
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
