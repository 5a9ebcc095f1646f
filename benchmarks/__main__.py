"""``python -m benchmarks scale ...``: run a benchmark suite and print/save its figures."""

from __future__ import annotations

import argparse
import json
import sys

from benchmarks import scale


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
    p.add_argument("--out", help="write the rows as JSON to this file")
    args = parser.parse_args(argv)
    limits = [float(x) for x in args.time_limits.split(",")]
    if args.part == "assign":
        sizes = [tuple(int(v) for v in s.split("x"))
                 for s in (args.sizes or "60x40,300x200,1000x600").split(",")]
        rows = [scale.assign_row(n, m, limits, args.seed, args.workers) for n, m in sizes]
    else:
        sizes = [int(s) for s in (args.sizes or "5,20,60").split(",")]
        rows = [scale.sessions_row(c, limits, args.seed, args.workers) for c in sizes]
    print(scale.table(rows))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(rows, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
