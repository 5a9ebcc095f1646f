"""``python -m benchmarks {gap,scale,sweep,treesize} ...``: run a suite, print and save its figures."""

from __future__ import annotations

import argparse
import json
import sys

from benchmarks import dask_sweep, fuzz, gap, gapdata, scale, sweep, treesize
from gapcore.settings import GapSettings
from wtmatch.files import write_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    sub = parser.add_subparsers(dest="suite", required=True)
    p = sub.add_parser("scale", help="part A and part B on generated scenarios of growing size")
    p.add_argument("--part", choices=["assign", "sessions"], default="assign")
    p.add_argument("--sizes", default=None,
                   help="part A: '60x40,300x200'; part B: cohorts '5,20,60'")
    p.add_argument("--time-limits", default="10,60", help="seconds, comma separated")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--periods", type=int, default=0,
                   help="part A: terms of the school year (DOMAIN.md §8; default none)")
    p.add_argument("--out", help="write the rows as JSON to this file")
    g = sub.add_parser("gap", help="the assignment core on the GAP literature instances")
    g.add_argument("--set", dest="which", choices=["orlib", "yagiura", "all"], default="orlib")
    g.add_argument("--instances", help="comma-separated names (c515-1, d801600, gap3, D, c515-1:min)")
    g.add_argument("--time-limit", type=float, default=10.0)
    g.add_argument("--workers", type=int, default=0)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--plain", action="store_true", help="also run plain CP-SAT on each instance")
    g.add_argument("--out", help="write the rows as JSON to this file")
    d = sub.add_parser("dask-sweep", help="the sweep engine on Dask against sequential solves")
    d.add_argument("--runs", type=int, default=100)
    d.add_argument("--size", default="300x200")
    d.add_argument("--time-limit", type=float, default=10.0)
    d.add_argument("--workers", default="1,2", help="local cluster sizes, comma separated")
    d.add_argument("--sequential", type=int, default=10,
                   help="runs solved one after the other first, for the baseline")
    d.add_argument("--out", help="write the figures as JSON to this file")
    t = sub.add_parser("treesize", help="how big the tree that would refute a target is (random dives)")
    t.add_argument("--set", dest="which", choices=["orlib", "yagiura", "all"], default="yagiura")
    t.add_argument("--instances", required=True, help="comma-separated names, as for gap")
    t.add_argument("--target", type=int,
                   help="in the instance's own terms (cost for min); default: one better than the best known")
    t.add_argument("--dives", type=int, default=1000)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    t.add_argument("--out", help="write the rows as JSON to this file")
    w = sub.add_parser("sweep", help="settings variants × instances × seeds → CSV and a plot")
    w.add_argument("--grid", required=True, help="TOML or JSON grid (see benchmarks/sweep.py)")
    w.add_argument("--out-dir", default="benchmarks/results/sweep")
    f = sub.add_parser("fuzz", help="hostile scenarios against the command line's contract")
    f.add_argument("--examples", type=int, default=200)
    f.add_argument("--seed", type=int, default=0)
    f.add_argument("--time-limit", type=float, default=2.0, help="seconds per part of each solve")
    f.add_argument("--out", help="write the counts as JSON to this file")
    p.add_argument("--baselines", default="highs,dense",
                   help="part A baselines run beside ours: highs, dense (comma separated, or none)")
    args = parser.parse_args(argv)
    if args.suite == "fuzz":
        if args.examples < 1:
            parser.error(f"--examples must be at least 1, got {args.examples}")
        counts = fuzz.run(args.examples, args.seed, args.time_limit)
        print(json.dumps({k: v for k, v in counts.items() if k != "failures"}))
        _save(counts, args.out)
        bad = counts["crashes"] + counts["hangs"] + counts["invalid_plans"] + \
            counts["unnamed_refusals"]
        return 1 if bad else 0
    if args.suite == "sweep":
        try:
            grid = sweep.load_grid(args.grid)
        except (OSError, ValueError) as exc:
            parser.error(str(exc))
        csv_path, png_path = sweep.sweep(grid, args.out_dir)
        print(f"wrote {csv_path} and {png_path}")
        return 0
    if args.suite == "dask-sweep":
        result = dask_sweep.main(args)
        print(json.dumps(result, indent=2))
        _save(result, args.out)
        return 0
    if args.suite == "treesize":
        names = [n for n in args.instances.split(",") if n]
        try:
            gapdata.instances(args.which, names)
        except ValueError as exc:
            parser.error(str(exc))
        if args.dives < 1:
            parser.error(f"--dives must be at least 1, got {args.dives}")
        _save(treesize.run(args.which, names, args.target, args.dives, args.seed, args.time_limit),
              args.out)
        return 0
    if args.suite == "gap":
        settings = GapSettings(time_limit=args.time_limit, workers=args.workers, seed=args.seed)
        names = [n for n in (args.instances or "").split(",") if n] or None
        try:
            gapdata.instances(args.which, names)   # unknown names are a usage error
        except ValueError as exc:
            parser.error(str(exc))
        # Past this point an error is a bug: it gets its traceback.
        rows = gap.run(args.which, names, settings)
        if args.plain:
            rows += gap.run(args.which, names, settings, plain=True)
        _save(rows, args.out)
        return 0
    limits = [float(x) for x in args.time_limits.split(",")]
    if args.part == "assign":
        sizes = [tuple(int(v) for v in s.split("x"))
                 for s in (args.sizes or "60x40,300x200,1000x600").split(",")]
        which = {b for b in args.baselines.split(",") if b and b != "none"}
        unknown = which - {"highs", "dense"}
        if unknown:
            parser.error(f"unknown baseline(s): {', '.join(sorted(unknown))}")
        rows = [scale.assign_row(n, m, limits, args.seed, args.workers, which, args.periods)
                for n, m in sizes]
    else:
        sizes = [int(s) for s in (args.sizes or "5,20,60").split(",")]
        rows = [scale.sessions_row(c, limits, args.seed, args.workers) for c in sizes]
    print(scale.table(rows))
    _save(rows, args.out)
    return 0


def _save(rows: list[dict] | dict, out: str | None) -> None:
    if out:
        write_text(out, json.dumps(rows, indent=2))


if __name__ == "__main__":
    sys.exit(main())
