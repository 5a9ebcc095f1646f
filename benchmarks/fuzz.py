"""Hostile scenarios against the command line's contract.

``python -m benchmarks fuzz --examples N [--seed S] [--time-limit T] [--out F]``
writes N hostile scenario files — a valid generated scenario with one thing
made wrong: a field replaced by an extreme number, a wrong type, a deep
nest, a YAML alias bomb, a duplicated key, a byte-order mark, a lone
surrogate, a huge integer literal, a missing or unknown field — and runs
``wtmatch solve`` on each in a child process under a memory limit. The
contract: exit 0 with a plan that ``wtmatch check`` passes, or exit 2 with
each problem on a line that names where it is; never a traceback, a hang or
an invalid plan. The counts go on docs/benchmarks.md.

The same generator (:func:`hostile_file`) drives the fuzz test of
``tests/test_hostile.py``, in-process, with fewer examples.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from wtmatch.generate import generate_data

# Values that break a number field one way or another.
EXTREMES: list[Any] = [-1, 0, 2**63, 2**64 + 1, 10**30, 1e300, -1e300, 1.5, 1e-300, "6", "",
                       True, False, None, [], {}, "x" * 5000]
MEMORY_LIMIT = 4 * 2**30       # a child process may use at most this much


def hostile_file(seed: int) -> tuple[str, str, str]:
    """A hostile scenario file: (what was done, file suffix, file text)."""
    rng = random.Random(seed)
    data = generate_data(rng.randint(3, 10), rng.randint(2, 6), rng.randint(0, 2),
                         rng.randint(0, 2), seed, rng.random() < 0.5)
    kind = rng.choice(["value", "value", "value", "type", "deep", "alias", "duplicate", "bom",
                       "surrogate", "digits", "unknown", "missing", "weights"])
    if kind == "alias":
        bomb = "a: &a [" + ",".join(["x"] * 10) + "]\n"
        for k in range(1, 9):
            bomb += f"{'abcdefghij'[k]}: &{'abcdefghij'[k]} [" + ",".join(
                [f"*{'abcdefghij'[k - 1]}"] * 10) + "]\n"
        return "YAML alias bomb", ".yaml", bomb + json.dumps(data)[1:-1].replace('", "', '",\n"')
    if kind == "deep":
        depth = rng.choice([40, 1000, 10000])
        return f"nesting {depth} deep", ".json", json.dumps(data)[:-1] + ', "x": ' + \
            "[" * depth + "]" * depth + "}"
    if kind == "duplicate":
        text = json.dumps(data)
        return "a key given twice", ".json", text.replace('"name": ', '"name": "a", "name": ', 1)
    if kind == "bom":
        return "a byte-order mark", rng.choice([".json", ".yaml"]), "\ufeff" + json.dumps(data)
    if kind == "surrogate":
        return "a lone surrogate", ".json", json.dumps({**data, "name": "\ud800"})
    if kind == "digits":
        return "a 5,000-digit integer", ".json", json.dumps(data)[:-1] + ', "x": ' + "9" * 5000 + "}"
    if kind == "weights":
        weights = {k: rng.choice([10**9, 10**12, 10**18, -5]) for k in rng.sample(
            ["coverage", "travel_km", "continuity", "change", "session", "spread"], 2)}
        data["settings"]["weights"] = weights
        return f"weights {weights}", ".json", json.dumps(data)
    paths = _leaves(data)
    path = rng.choice(paths)
    if kind == "unknown":
        while not isinstance(_parent(data, path), dict):
            path = path[:-1]
        _parent(data, path)["not_a_field"] = rng.choice(EXTREMES)
        return f"an unknown field beside {_dotted(path)}", ".json", json.dumps(data)
    if kind == "missing":
        parent = _parent(data, path)
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
        return f"{_dotted(path)} left out", ".json", json.dumps(data)
    value = rng.choice(EXTREMES) if kind == "value" else rng.choice(
        [rng.choice(EXTREMES), "2026-13-45", "wed:noon", [[["x"]]], {"a": {"b": None}}])
    _parent(data, path)[path[-1]] = value
    return f"{_dotted(path)} = {value!r:.40}", ".json", json.dumps(data)


def _leaves(data: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every scalar in ``data``."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))]
    if isinstance(data, list):
        return [p for k, v in enumerate(data) for p in _leaves(v, (*path, k))]
    return [path]


def _parent(data: Any, path: tuple) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


def _dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(examples: int, seed: int = 0, time_limit: float = 2.0, timeout: float = 60.0,
        echo=print) -> dict:
    """Run ``examples`` hostile files through ``wtmatch solve`` and ``check``; count outcomes."""
    counts = {"tried": 0, "plans": 0, "refused": 0, "crashes": 0, "hangs": 0, "invalid_plans": 0,
              "unnamed_refusals": 0}
    failures = []
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(examples):
            what, suffix, text = hostile_file(seed + k)
            path = Path(tmp) / f"s{k}{suffix}"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            plan = Path(tmp) / f"p{k}.json"
            counts["tried"] += 1
            t0 = time.perf_counter()
            try:
                out = subprocess.run([sys.executable, "-m", "wtmatch", "solve", str(path), "-q",
                                      "--time-limit", str(time_limit), "-o", str(plan)],
                                     capture_output=True, text=True, timeout=timeout,
                                     preexec_fn=_limit_memory)
            except subprocess.TimeoutExpired:
                counts["hangs"] += 1
                failures.append((seed + k, what, "hang"))
                continue
            slowest = max(slowest, time.perf_counter() - t0)
            outcome = _judge(out, path, plan, timeout)
            counts[outcome] += 1
            if outcome not in ("plans", "refused"):
                failures.append((seed + k, what, outcome, out.stderr[-300:]))
            if echo:
                echo(f"{seed + k:>6} {outcome:<16} {what}")
    return {**counts, "slowest_s": round(slowest, 2), "failures": failures,
            "time_limit": time_limit, "seed": seed}


def _judge(out: subprocess.CompletedProcess, scenario: Path, plan: Path, timeout: float) -> str:
    if "Traceback" in out.stderr or out.returncode not in (0, 1, 2):
        return "crashes"
    if out.returncode == 2:
        lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
        # every problem line names the file and a place in it (or the file as a whole)
        named = lines and all(ln.startswith(str(scenario)) or ln.startswith("wtmatch:")
                              for ln in lines)
        return "refused" if named else "unnamed_refusals"
    check = subprocess.run([sys.executable, "-m", "wtmatch", "check", str(scenario), str(plan)],
                           capture_output=True, text=True, timeout=timeout)
    return "plans" if check.returncode == 0 else "invalid_plans"
