"""Filling a CP-SAT model proto in bulk from numpy arrays.

The Python expression layer of ``cp_model`` costs about ten times more per
term than writing the proto directly. Every constraint here is a linear
``lo ≤ Σ coef·var ≤ hi`` given as parallel arrays (group, var, coef), so a
whole rule is emitted in one call.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model, cp_model_helper

# Any odd multiplier would do: rows only share a prototype once compared term by term.
HASH_BASE = np.uint64(0x9E3779B97F4A7C15)


def _powers(length: int) -> np.ndarray:
    """``HASH_BASE**p`` mod 2^64 for p < length."""
    factors = np.full(length, HASH_BASE, dtype=np.uint64)
    factors[0] = 1
    return np.cumprod(factors, dtype=np.uint64)


def _group_order(group: np.ndarray, var: np.ndarray) -> np.ndarray:
    """The order sorting terms by (group, var): one key and an unstable sort where it fits.

    Terms with equal (group, var) are merged after, so their order is free.
    """
    if len(group) and group.min() >= 0 and var.min() >= 0:
        base = int(var.max()) + 1
        if int(group.max()) < (1 << 62) // base:
            return np.argsort(group * base + var)
    return np.lexsort((var, group))


class _Model(cp_model.CpModel):
    """A ``CpModel`` without the deprecated CamelCase aliases.

    ``CpModel()`` sets up about sixty of them, 4 ms a model: as much as
    writing a thousand candidates, and the neighbourhood search builds a
    sub-model every round.
    """

    def __init__(self) -> None:
        cp_model_helper.CpBaseModel.__init__(self, None)


def empty_model() -> cp_model.CpModel:
    """A new, empty ``CpModel``, without the cost of the deprecated aliases."""
    return _Model()


class ProtoBuilder:
    """A CP-SAT model under construction, with bulk helpers."""

    def __init__(self) -> None:
        self.model = empty_model()
        self.proto = self.model.proto
        self.n_vars = 0

    def new_vars(self, count: int, lo: int | np.ndarray, hi: int | np.ndarray) -> np.ndarray:
        """``count`` integer variables with domains [lo, hi]; returns their indices."""
        # One prototype per distinct domain, copied in by a single extend: the
        # C++ side copies each, several times faster than add() and a domain
        # per variable.
        if np.ndim(lo) == 0 and np.ndim(hi) == 0:
            doms, which = np.array([[int(lo), int(hi)]]), np.zeros(count, dtype=np.int64)
        else:
            lo_a = np.broadcast_to(np.asarray(lo, dtype=np.int64), (count,))
            hi_a = np.broadcast_to(np.asarray(hi, dtype=np.int64), (count,))
            # distinct (lo, hi) pairs by one lexsort (np.unique over rows is far slower)
            order = np.lexsort((hi_a, lo_a))
            new = np.ones(count, dtype=bool)
            new[1:] = (lo_a[order][1:] != lo_a[order][:-1]) | (hi_a[order][1:] != hi_a[order][:-1])
            doms = np.stack([lo_a[order][new], hi_a[order][new]], axis=1)
            which = np.empty(count, dtype=np.int64)
            which[order] = np.cumsum(new) - 1
        protos = []
        for a, b in doms.tolist():
            proto = cp_model_helper.IntegerVariableProto()
            proto.domain.extend((a, b))
            protos.append(proto)
        if len(protos) == 1:
            self.proto.variables.extend(protos * count)
        elif count:
            self.proto.variables.extend([protos[k] for k in which.reshape(-1).tolist()])
        first = self.n_vars
        self.n_vars += count
        return np.arange(first, self.n_vars, dtype=np.int64)

    def fix(self, var: int, value: int) -> None:
        """Restrict a variable's domain to one value."""
        dom = self.proto.variables[var].domain
        dom.clear()
        dom.extend((value, value))

    def name(self, var: int, text: str) -> None:
        self.proto.variables[var].name = text

    def linear_groups(self, group: np.ndarray, var: np.ndarray, coef: np.ndarray | int,
                      lo: np.ndarray | int, hi: np.ndarray | int,
                      enforcement: np.ndarray | None = None) -> int:
        """One constraint ``lo[g] ≤ Σ coef·var ≤ hi[g]`` per distinct group id ``g``.

        Terms with the same (group, var) are merged. ``lo``/``hi`` are scalars
        or arrays indexed by the group's rank in ``np.unique(group)``.
        Returns the number of constraints added.
        """
        group = np.asarray(group, dtype=np.int64)
        if len(group) == 0:
            return 0
        var = np.asarray(var, dtype=np.int64)
        coef = np.broadcast_to(np.asarray(coef, dtype=np.int64), group.shape)
        order = _group_order(group, var)
        g, v, c = group[order], var[order], coef[order]
        # merge duplicate (group, var) terms
        keep = np.ones(len(g), dtype=bool)
        keep[1:] = (g[1:] != g[:-1]) | (v[1:] != v[:-1])
        if not keep.all():
            idx = np.cumsum(keep) - 1
            c = np.bincount(idx, weights=c).astype(np.int64)
            g, v = g[keep], v[keep]
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        ends = np.r_[starts[1:], len(g)]
        n = len(starts)
        lo_a = np.broadcast_to(np.asarray(lo, dtype=np.int64), (n,))
        hi_a = np.broadcast_to(np.asarray(hi, dtype=np.int64), (n,))
        constraints = self.proto.constraints
        first = len(constraints)
        constraints.extend(self._row_prototypes(starts, ends, c, lo_a, hi_a))
        v_l = v.tolist()
        if enforcement is None:
            for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
                constraints[first + k].linear.vars.extend(v_l[a:b])
        else:
            enf = np.broadcast_to(enforcement, (n,)).tolist()
            for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
                ct = constraints[first + k]
                ct.enforcement_literal.append(enf[k])
                ct.linear.vars.extend(v_l[a:b])
        return n

    @staticmethod
    def _row_prototypes(starts: np.ndarray, ends: np.ndarray, coef: np.ndarray,
                        lo: np.ndarray, hi: np.ndarray) -> list:
        """One constraint proto per row with its coefficients and bounds, variables left out.

        Rows alike in coefficients and bounds share one prototype (the C++
        side copies it per row), so a rule of a hundred thousand rows costs a
        few hundred protos built in Python. Rows are grouped by a hash of
        their coefficient sequence, then every row is compared with its
        group's first term by term: a row that only collided gets a prototype
        of its own, so sharing never depends on the hash.
        """
        n = len(starts)
        lengths = ends - starts
        row_of = np.repeat(np.arange(n), lengths)
        pos = np.arange(len(coef)) - starts[row_of]
        coef = np.ascontiguousarray(coef, dtype=np.int64)
        # Σ coef·B^pos in uint64 arithmetic, which wraps (mod 2^64) by design
        code = np.add.reduceat(coef.view(np.uint64) * _powers(int(lengths.max()))[pos], starts)
        columns = (lengths, hi, lo, code.view(np.int64))
        order = np.lexsort(columns)
        new = np.zeros(n, dtype=bool)
        new[0] = True
        for col in columns:
            new[1:] |= col[order][1:] != col[order][:-1]
        which = np.empty(n, dtype=np.int64)
        which[order] = np.cumsum(new) - 1
        first = order[new]
        same = coef == coef[starts[first[which]][row_of] + pos]
        collided = np.flatnonzero(~np.logical_and.reduceat(same, starts))
        which[collided] = len(first) + np.arange(len(collided))
        first = np.r_[first, collided]
        coef_l, lo_l, hi_l = coef.tolist(), lo.tolist(), hi.tolist()
        starts_l, ends_l = starts.tolist(), ends.tolist()
        protos = []
        for r in first.tolist():
            proto = cp_model_helper.ConstraintProto()
            lin = proto.linear
            lin.coeffs.extend(coef_l[starts_l[r]:ends_l[r]])
            lin.domain.extend((lo_l[r], hi_l[r]))
            protos.append(proto)
        return [protos[k] for k in which.tolist()]

    def maximize(self, var: np.ndarray, coef: np.ndarray, offset: int = 0) -> None:
        """Set the objective to maximise ``Σ coef·var + offset`` (terms merged)."""
        var = np.asarray(var, dtype=np.int64)
        coef = np.asarray(coef, dtype=np.int64)
        total = np.bincount(var, weights=coef, minlength=self.n_vars).astype(np.int64)
        nz = np.flatnonzero(total)
        obj = self.proto.objective
        obj.vars.extend(nz.tolist())
        # CP-SAT minimises; a maximisation is the negated minimisation scaled by -1.
        obj.coeffs.extend((-total[nz]).tolist())
        obj.offset = float(-offset)
        obj.scaling_factor = -1.0

    def hint(self, var: np.ndarray, value: np.ndarray) -> None:
        hint = self.proto.solution_hint
        hint.vars.extend(np.asarray(var, dtype=np.int64).tolist())
        hint.values.extend(np.asarray(value, dtype=np.int64).tolist())
