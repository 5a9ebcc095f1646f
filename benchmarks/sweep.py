"""Settings × instances × seeds, for researchers tuning the heuristics.

``python -m benchmarks sweep --grid FILE [--out-dir DIR]`` reads a TOML or
JSON grid::

    instances = ["gap:c515-1", "gap:d20200", "assign:60x40", "sessions:5"]
    seeds = [0, 1]
    time_limit = 5

    [variants.default]
    [variants.no_hint]
    hint = false
    [variants.no_lns]
    lns = false
    [variants.plain_lp]
    cpsat = { linearization_level = 0 }

Each variant is a set of settings fields: :class:`gapcore.GapSettings` for
GAP instances (hint, lns, lns_share, lp_guide, knapsack_bound, workers, any
CP-SAT parameter under ``cpsat``), :class:`wtmatch.Settings` for generated
scenarios, where the flat research names (hint, symmetry, lns, lns_share,
lp_guide) stand for ``assign_tuning`` and ``sessions_tuning``. Writes ``sweep.csv``, one tidy row per
improvement (variant, instance, seed, seconds, objective, gap_pct), and
``sweep.png``, gap against time per variant. GAP instances measure the gap
to the best-known value; generated scenarios the gap to the best plan any
run found (a primal gap, since their optimum is unknown).
"""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

from benchmarks import gapdata
from benchmarks.gap import gap_pct
from gapcore.search import solve_core
from gapcore.settings import GapSettings
from wtmatch.generate import generate
from wtmatch.settings import Settings
from wtmatch.solve import solve

FIELDS = ["variant", "instance", "seed", "seconds", "objective", "gap_pct", "final_status"]


def load_grid(path: str | Path) -> dict:
    """Read and check a grid file; raises ValueError naming what is wrong."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    grid = json.loads(text) if p.suffix.lower() == ".json" else tomllib.loads(text)
    unknown = set(grid) - {"instances", "seeds", "time_limit", "variants"}
    if unknown:
        raise ValueError(f"{p}: unknown grid keys: {', '.join(sorted(unknown))}")
    if not grid.get("instances"):
        raise ValueError(f"{p}: 'instances' must list at least one instance")
    for name in grid["instances"]:
        kind = name.split(":", 1)[0]
        if kind not in ("gap", "assign", "sessions") or ":" not in name:
            raise ValueError(f"{p}: instance {name!r} is not gap:NAME, assign:NxM or sessions:C")
    variants = grid.get("variants") or {"default": {}}
    kinds = {name.split(":", 1)[0] for name in grid["instances"]}
    for vname, fields in variants.items():
        for kind in kinds:
            try:
                settings_for(kind, {**fields, "time_limit": grid.get("time_limit", 5)})
            except Exception as exc:
                raise ValueError(f"{p}: variant {vname!r}: {exc}") from None
    return {"instances": grid["instances"], "seeds": grid.get("seeds", [0]),
            "time_limit": float(grid.get("time_limit", 5)), "variants": variants}


def _gap_spec(name: str) -> tuple[gapdata.GapInstance, str]:
    """``c515-1:min`` → that instance and sense; without a sense, its first listed one."""
    return gapdata.instances("all", [name])[0]


_TUNING = {"hint", "symmetry", "lns", "lns_share", "lp_guide", "presolve_limit"}


def settings_for(kind: str, fields: dict) -> GapSettings | Settings:
    """The settings of a variant's ``fields`` for an instance of ``kind`` (gap, assign, sessions)."""
    if kind == "gap":
        return GapSettings(**fields)
    assign = {k: v for k, v in fields.items() if k in _TUNING}
    sessions = {"hint": fields["hint"]} if "hint" in fields else {}
    rest = {k: v for k, v in fields.items() if k not in _TUNING and k != "knapsack_bound"}
    return Settings.from_data({**rest, "assign_tuning": assign, "sessions_tuning": sessions})


def run_one(instance: str, fields: dict) -> tuple[list[tuple[float, float, float | None]], str]:
    """(seconds, objective, gap % to best known or None) of every improvement, and the status.

    ``fields`` are the variant's settings, with its time limit and seed.
    """
    kind, name = instance.split(":", 1)
    settings = settings_for(kind, fields)
    if kind == "gap":
        inst, sense = _gap_spec(name)
        best = gapdata.best_known()[(inst.name, sense)].value
        res = solve_core(inst.core(sense), settings)
        return [(t, float(inst.objective(v, sense)), gap_pct(inst.objective(v, sense), best, sense))
                for t, v in res.history], res.status
    history: list[tuple[float, float, float | None]] = []
    if kind == "assign":
        n, m = (int(v) for v in name.split("x"))
        scenario = generate(n, m, seed=1)
        part = "assign"
    else:
        c = int(name)
        scenario = generate(max(10, 2 * c), max(6, c), c, c, seed=1)
        part = "sessions"
    res = solve(scenario, settings.model_copy(update={"part": part}),
                progress=lambda p: history.append((p.time, p.objective, None)))
    if res.objective is not None and (not history or history[-1][1] < res.objective):
        history.append((res.solve_time + res.build_time, float(res.objective), None))
    return history, res.status


def sweep(grid: dict, out_dir: str | Path, echo=print) -> tuple[Path, Path]:
    """Run the grid; write the CSV and the plot into ``out_dir``; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for vname, fields in grid["variants"].items():
        for instance in grid["instances"]:
            for seed in grid["seeds"]:
                history, status = run_one(
                    instance, {**fields, "time_limit": grid["time_limit"], "seed": seed})
                for t, v, g in history:
                    rows.append({"variant": vname, "instance": instance, "seed": seed,
                                 "seconds": round(t, 4), "objective": v, "gap_pct": g,
                                 "final_status": status})
                if echo:
                    echo(f"{vname:>12} {instance:<16} seed {seed}: {status}, "
                         f"best {history[-1][1] if history else None}")
    # generated scenarios: gap to the best plan of any run on that instance
    best: dict[str, float] = {}
    for r in rows:
        if r["gap_pct"] is None:
            best[r["instance"]] = max(best.get(r["instance"], float("-inf")), r["objective"])
    for r in rows:
        if r["gap_pct"] is None:
            b = best[r["instance"]]
            r["gap_pct"] = 100.0 * (b - r["objective"]) / max(1.0, abs(b))
    csv_path = out / "sweep.csv"
    with open(csv_path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    png_path = out / "sweep.png"
    plot(rows, grid["time_limit"]).savefig(png_path, dpi=110)
    return csv_path, png_path


def plot(rows: list[dict], time_limit: float):
    """Gap against time: one panel per instance, one step line per (variant, seed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    instances = sorted({r["instance"] for r in rows})
    fig, axes = plt.subplots(1, max(1, len(instances)), figsize=(4.5 * max(1, len(instances)), 3.6),
                             squeeze=False)
    variants = sorted({r["variant"] for r in rows})
    colours = {v: f"C{k}" for k, v in enumerate(variants)}
    for ax, inst in zip(axes[0], instances, strict=False):
        for (variant, seed) in sorted({(r["variant"], r["seed"]) for r in rows if r["instance"] == inst}):
            pts = [r for r in rows if r["instance"] == inst and r["variant"] == variant
                   and r["seed"] == seed]
            ts = [p["seconds"] for p in pts] + [time_limit]
            gs = [max(p["gap_pct"], 1e-3) for p in pts]
            gs = gs + gs[-1:]
            ax.step(ts, gs, where="post", color=colours[variant],
                    label=variant if seed == min(r["seed"] for r in rows) else None)
        ax.set_yscale("log")
        ax.set_title(inst)
        ax.set_xlabel("seconds")
        ax.set_ylabel("gap %")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
