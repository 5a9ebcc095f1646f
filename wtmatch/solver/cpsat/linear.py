"""A CP-SAT model's linear rows as arrays, for LP and MIP solvers.

Part A's model is linear with integer domains (enforcement literals only on
single positive literals), so it can be handed to GLOP
(:mod:`wtmatch.solver.assign.lp_bound`) or, by the benchmarks, to HiGHS.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model


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
