"""Markdown tables from benchmark JSON files: ``python -m benchmarks.tables results/*.json``."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def assign_table(rows: list[dict]) -> str:
    out = ["| size | candidates | variables / constraints | build model (µs / candidate) | "
           "first verified plan | time limit | status | objective | bound | gap | "
           "time to optimal | vs greedy | verified |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        for run in r["runs"]:
            out.append(
                f"| {r['size']} | {r['candidates']:,} | {r['variables']:,} / {r['constraints']:,} "
                f"| {r['model_build_s']:.2f} s ({_build_us(r)}) "
                f"| {r['first_verified_plan_s']:.2f} s | {run['time_limit']:g} s "
                f"| {run['status']} | {run['objective']:,} | "
                f"{'–' if run['bound'] is None else format(run['bound'], ',')} | "
                f"{'–' if run['gap_pct'] is None else str(run['gap_pct']) + ' %'} | "
                f"{'–' if run['time_to_optimal_s'] is None else str(run['time_to_optimal_s']) + ' s'}"
                f" | {run['vs_greedy']} | {run['verified']} |")
    return "\n".join(out)


def _build_us(r: dict) -> str:
    """µs per candidate of the first build, and the best of several where measured."""
    first = f"{r['build_us_per_candidate']:.1f}"
    if r.get("builds", 1) > 1:
        return f"{first}; best of {r['builds']} {r['build_us_best']:.1f}"
    return first


def _seconds(value: float | None) -> str:
    """A time in seconds, or 'never' for a figure the run did not reach."""
    return "never" if value is None else f"{value:g} s"


def sessions_table(rows: list[dict]) -> str:
    out = ["| size | trainers / venues | items | build | time limit | status | scheduled | "
           "all scheduled at | objective (B) | gap | wall | verified |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        for run in r["runs"]:
            out.append(
                f"| {r['size']} | {r['trainers']} / {r['venues']} | {run.get('items')} "
                f"| {run['build_s']:.2f} s | {run['time_limit']:g} s | {run['status']} "
                f"| {run['scheduled']} | {_seconds(run.get('all_scheduled_s'))} "
                f"| {run['objective_sessions']:,} "
                f"| {'–' if run['gap_pct'] is None else str(run['gap_pct']) + ' %'} "
                f"| {run['wall_s']} s | {run['verified']} |")
    return "\n".join(out)


def _size_key(row: dict) -> tuple[int, ...]:
    # '300x200', or '300x200x3p' for a school year of 3 periods
    return tuple(int(k.rstrip("p")) for k in str(row["size"]).split("x"))


def main(paths: list[str]) -> None:
    rows = [r for p in paths for r in json.loads(Path(p).read_text())]
    # scale rows only (GAP results in the same folder have no part); smallest first
    a = sorted((r for r in rows if r.get("part") == "assign"), key=_size_key)
    b = [r for r in rows if r.get("part") == "sessions"]
    if a:
        print(assign_table(a))
        print()
    if b:
        print(sessions_table(b))


if __name__ == "__main__":
    main(sys.argv[1:])
