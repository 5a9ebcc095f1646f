"""Readers for the GAP literature instances in ``../shared/benchmarks/gap`` (see its README).

Files are one stream of whitespace-separated integers: ``m n``, the cost
matrix (m rows), the resource matrix (m rows), the capacities. OR-Library
files hold several problems after a leading count.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wtmatch.core import AssignmentCore

#: Where the shared benchmark data lives, relative to this repository.
DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "gap"

#: OR-Library's gap1..gap12 files: (agents, jobs) per file, for the instance names c515-k …
_ORLIB_SIZES = {1: (5, 15), 2: (5, 20), 3: (5, 25), 4: (5, 30), 5: (8, 24), 6: (8, 32),
                7: (8, 40), 8: (8, 48), 9: (10, 30), 10: (10, 40), 11: (10, 50), 12: (10, 60)}


@dataclass(frozen=True, eq=False)
class GapInstance:
    """One GAP instance: assign every job to one agent within capacities."""

    name: str
    set: str
    cost: np.ndarray       # (m, n)
    use: np.ndarray        # (m, n)
    capacity: np.ndarray   # (m,)

    @property
    def shape(self) -> tuple[int, int]:
        return self.cost.shape

    def core(self, sense: str) -> AssignmentCore:
        """The instance as an exact core; ``min`` negates the costs (the core maximises)."""
        value = -self.cost if sense == "min" else self.cost
        return AssignmentCore.from_dense(value, self.use, self.capacity, exact=True)

    def objective(self, core_value: int, sense: str) -> int:
        return -core_value if sense == "min" else core_value


def _parse(tokens: list[int], at: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    m, n = tokens[at], tokens[at + 1]
    at += 2
    size = m * n
    cost = np.array(tokens[at:at + size], dtype=np.int64).reshape(m, n)
    at += size
    use = np.array(tokens[at:at + size], dtype=np.int64).reshape(m, n)
    at += size
    cap = np.array(tokens[at:at + m], dtype=np.int64)
    at += m
    if len(cap) != m:
        raise ValueError("file ends inside an instance")
    return cost, use, cap, at


def read_file(path: Path, set_name: str, names: list[str]) -> list[GapInstance]:
    """Read a single- or multi-instance file; ``names`` gives one name per problem."""
    tokens = [int(t) for t in Path(path).read_text().split()]
    if len(names) == 1:
        cost, use, cap, at = _parse(tokens, 0)
        out = [GapInstance(names[0], set_name, cost, use, cap)]
    else:
        count, at, out = tokens[0], 1, []
        if count != len(names):
            raise ValueError(f"{path}: holds {count} problems, expected {len(names)}")
        for name in names:
            cost, use, cap, at = _parse(tokens, at)
            out.append(GapInstance(name, set_name, cost, use, cap))
    if at != len(tokens):
        raise ValueError(f"{path}: {len(tokens) - at} tokens left over")
    for inst in out:
        if inst.shape[0] != len(inst.capacity):
            raise ValueError(f"{path}: {inst.name} has a malformed header")
    return out


def orlib(data: Path = DATA) -> list[GapInstance]:
    """OR-Library gap1 … gap12 (60 problems, type C, small)."""
    out = []
    for k, (m, n) in _ORLIB_SIZES.items():
        names = [f"c{m}{n}-{i}" for i in range(1, 6)]
        out += read_file(data / "orlib" / f"gap{k}.txt", f"gap{k}", names)
    return out


def yagiura(data: Path = DATA) -> list[GapInstance]:
    """Yagiura's types A–E (57 single-instance files)."""
    out = []
    for path in sorted((data / "yagiura").iterdir(), key=_size_key):
        if re.fullmatch(r"[a-e]\d{5,6}", path.name):
            out.append(read_file(path, path.name[0].upper(), [path.name])[0])
    return out


def _size_key(path: Path) -> tuple:
    m = re.fullmatch(r"([a-e])(\d\d)(\d+)", path.name)
    return (m.group(1), int(m.group(3)), int(m.group(2))) if m else ("z", 0, 0)


@dataclass(frozen=True)
class BestKnown:
    value: int
    proven: bool


def best_known(data: Path = DATA) -> dict[tuple[str, str], BestKnown]:
    """(instance, sense) → best-known value and whether it is proven optimal."""
    with open(data / "best_known.csv", newline="") as f:
        return {(r["instance"], r["sense"]): BestKnown(int(r["best_known"]), r["proven_optimal"] == "yes")
                for r in csv.DictReader(f)}


def instances(which: str = "all", names: list[str] | None = None, data: Path = DATA
              ) -> list[tuple[GapInstance, str]]:
    """(instance, sense) pairs of a set: ``orlib`` (gap1–12, both senses), ``yagiura`` (min), ``all``.

    ``names`` keeps only these instance names (or set names such as ``gap3``, ``D``).
    """
    out: list[tuple[GapInstance, str]] = []
    if which in ("orlib", "all"):
        out += [(inst, sense) for inst in orlib(data) for sense in ("max", "min")]
    if which in ("yagiura", "all"):
        out += [(inst, "min") for inst in yagiura(data)]
    if names:
        wanted = set(names)
        unknown = wanted - {i.name for i, _ in out} - {i.set for i, _ in out} \
            - {f"{i.name}:{s}" for i, s in out}
        if unknown:
            raise ValueError(f"unknown instance(s): {', '.join(sorted(unknown))}")
        out = [(i, s) for i, s in out if i.name in wanted or i.set in wanted
               or f"{i.name}:{s}" in wanted]
    return out
