"""Trade-off fronts: how much of one goal costs how much of another (an ε-constraint sweep).

``x`` is a goal to raise — ``coverage`` (seats filled, each counted by its
priority and, with periods, its weeks: S1 / w.coverage) or ``reach``
(S8 / w.reach) — and ``y`` a cost to keep down — ``travel`` (S2 / w.travel_km)
or ``continuity`` (S3 + S9: extra faces within and between periods). The
front's ends are the plans of most ``x`` (with the least ``y`` among them) and
of ``y`` = 0; in between, each point maximises ``x`` (then lowers ``y``) with
``y`` held at most ``ε``, for ``ε`` spread evenly. Each point is a CP-SAT solve
(proven optimal, or with its bound), a Dask task on the sweep engine's
cluster, and a verified plan; dominated points are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wtmatch.errors import WtmatchError
from wtmatch.plan import Plan
from wtmatch.scenario import Scenario
from wtmatch.settings import Settings

GOALS = {"coverage": ("coverage", "S1"), "reach": ("reach", "S8")}
COSTS = {"travel": ("travel_km", ["S2"]), "continuity": ("continuity", ["S3", "S9"])}


@dataclass
class Point:
    """One plan of the front: its goal ``x``, its cost ``y``, how it was solved."""

    eps: int
    x: int
    y: int
    status: str
    plan: Plan = field(repr=False)

    @property
    def proven(self) -> bool:
        return self.status == "optimal"


@dataclass
class Front:
    """The non-dominated points, by rising ``y``."""

    x: str
    y: str
    points: list[Point]

    def __str__(self) -> str:
        lines = [f"{len(self.points)} points: {self.x} against {self.y}"]
        lines += [f"  {self.y} ≤ {p.eps:>8,d}: {self.x} {p.x:,d}, {self.y} {p.y:,d} ({p.status})"
                  for p in self.points]
        return "\n".join(lines)


def _weights(scenario: Scenario, x: str, y: str, heavy: int) -> dict[str, int]:
    """Lexicographic weights: x first (``heavy`` per unit), then y (1 per unit), nothing else."""
    names = ["coverage", "travel_km", "continuity", "preference", "underuse", "fragmentation",
             "change", "reach", "handover"]
    w = dict.fromkeys(names, 0)
    w[GOALS[x][0]] = heavy
    w[COSTS[y][0]] = 1
    if y == "continuity":
        w["handover"] = 1
    return w


def _ceiling(scenario: Scenario, y: str) -> int:
    """More than ``y`` can ever cost: each unit of x then outweighs all of y."""
    from wtmatch.assign.candidates import Pool, build_candidates

    cands = build_candidates(Pool.of(scenario))
    pool = cands.pool
    if y == "travel":
        return int((pool.km[cands.i, cands.s] * pool.i_weeks[cands.i]).sum()) + 1
    return int((pool.d_needed * pool.d_slots.sum(axis=1) * pool.d_weeks).sum()) * 2 + 1


def front_point(data: dict[str, Any], x: str, y: str, eps: int | None, heavy: int,
                settings: dict[str, Any]) -> dict[str, Any]:
    """One point (a Dask task): the plan of most x with y ≤ eps (None: no limit)."""
    from wtmatch.assign.candidates import Pool, build_candidates
    from wtmatch.assign.evaluate import assign_terms
    from wtmatch.assign.plan_rows import assignment_rows
    from wtmatch.assign.unfold import fold
    from wtmatch.budget import Budget
    from wtmatch.scenario import from_data
    from wtmatch.solver.analysis.front import best_within
    from wtmatch.solver.cpsat.options import CpOptions

    scenario = from_data(data)
    sets = Settings.model_validate(settings)
    cands = build_candidates(Pool.of(scenario))
    pins = {r: p for r, p in enumerate(cands.find_rows(cands.pool.scenario.pinned))
            if p is not None}
    terms = COSTS[y][1]
    limit = 10**15 if eps is None else eps
    got = best_within(cands, pins, terms, 1, limit, CpOptions.of(sets),
                      Budget.start(sets.time_limit, sets.reproducible))
    if got.chosen is None:
        return {"eps": eps, "status": got.status}
    values = assign_terms(cands, got.chosen)
    plan = Plan(status="feasible", assignments=assignment_rows(cands, got.chosen))
    if scenario.periods:
        plan = fold(scenario, cands.pool.scenario, plan)
    return {"eps": eps, "status": got.status, "x": values[GOALS[x][1]] // heavy,
            "y": -sum(values.get(t, 0) for t in terms), "rows": plan.model_dump(mode="json")}


def front(scenario: Scenario, x: str = "coverage", y: str = "travel", *, points: int = 6,
          settings: Settings | None = None, client: Any = None,
          scheduler: str | None = None) -> Front:
    """Trace the front of ``x`` against ``y`` (see the module's docstring).

    Parameters
    ----------
    scenario : Scenario
    x : {"coverage", "reach"}
    y : {"travel", "continuity"}
    points : int
        ε values between the two ends (at least 2).
    settings : Settings, optional
        Time limit, seed and workers of each point's solve (default 10 s).
    client, scheduler
        Where the points run (as :func:`wtmatch.sweep.sweep`); default a
        local Dask cluster.

    Returns
    -------
    Front
        Non-dominated points, each with its verified plan.
    """
    from wtmatch.plan import SolverInfo
    from wtmatch.solver.assign.search import given_assign
    from wtmatch.sweep.engine import _cluster
    from wtmatch.verify import verify

    if x not in GOALS or y not in COSTS:
        raise WtmatchError(f"--x is one of {', '.join(GOALS)}; --y one of {', '.join(COSTS)}")
    if points < 2:
        raise WtmatchError("a front needs at least 2 points")
    settings = settings or Settings(time_limit=10)
    heavy = _ceiling(scenario, y)
    data = scenario.model_dump(mode="json", by_alias=True)
    # the front's own weights name v2 terms (S8, S9): its copy of the scenario is v2
    data["format"] = "wtmatch/2"
    data.setdefault("settings", {})["weights"] = _weights(scenario, x, y, heavy)
    sets = settings.model_dump(mode="json")
    with _cluster(client, scheduler, None) as cl:
        top = cl.submit(front_point, data, x, y, None, heavy, sets, pure=False).result()
        if "rows" not in top:
            raise WtmatchError(f"no plan for the front's end of most {x}: {top['status']}")
        eps = sorted({round(float(e)) for e in np.linspace(0, top["y"], points)[:-1]})
        n = len(eps)
        found = [top, *cl.gather(cl.map(front_point, [data] * n, [x] * n, [y] * n, eps,
                                        [heavy] * n, [sets] * n, pure=False))]
    out = []
    for p in found:
        if "rows" not in p:
            continue
        rows = Plan.model_validate(p["rows"]).assignments
        # the point's plan, valued with the scenario's own objective (not the front's)
        plan = given_assign(scenario, rows).plan.model_copy(update={
            "status": "feasible", "bound": None,
            "solver": SolverInfo(details={"front": {"x": x, "y": y, "eps": p["eps"],
                                                    "status": p["status"]}})})
        if not verify(scenario, plan).feasible:
            raise WtmatchError(f"a front point (eps {p['eps']}) broke a hard rule: a bug")
        eps_of = p["y"] if p["eps"] is None else p["eps"]
        out.append(Point(eps_of, p["x"], p["y"], p["status"], plan))
    return Front(x, y, non_dominated(out))


def write_front(result: Front, scenario: Scenario, folder: str | Path) -> list[Path]:
    """``front.png`` (or the plot), ``front.csv`` (the points) and ``point-K.json`` (their plans)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from wtmatch.files import atomic_path, write_text
    from wtmatch.scenario.fingerprint import fingerprint

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    lines = ["point,eps,x,y,status,plan"]
    for k, p in enumerate(result.points, 1):
        plan = p.plan.model_copy(update={"scenario": scenario.name,
                                         "scenario_fingerprint": fingerprint(scenario),
                                         "weights": scenario.settings.weights.model_dump()})
        path = out / f"point-{k}.json"
        plan.save(path)
        written.append(path)
        lines.append(f"{k},{p.eps},{p.x},{p.y},{p.status},{path.name}")
    write_text(out / "front.csv", "\n".join(lines) + "\n")
    written.append(out / "front.csv")
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.step([p.y for p in result.points], [p.x for p in result.points], where="post",
            color="0.6", zorder=1)
    for k, p in enumerate(result.points, 1):
        ax.scatter([p.y], [p.x], color="C0" if p.proven else "C1", zorder=2)
        ax.annotate(str(k), (p.y, p.x), textcoords="offset points", xytext=(4, -10))
    ax.set_xlabel(result.y)
    ax.set_ylabel(result.x)
    ax.set_title(f"{scenario.name or 'scenario'}: {result.x} against {result.y} "
                 "(blue proven, orange bounded)", fontsize=9)
    fig.tight_layout()
    with atomic_path(out / "front.png") as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    written.append(out / "front.png")
    return written


def non_dominated(points: list[Point]) -> list[Point]:
    """Points no other point beats on both (x higher or equal and y lower or equal, one strictly)."""
    keep = []
    for p in sorted(points, key=lambda q: (q.y, -q.x)):
        if keep and keep[-1].x >= p.x:
            continue    # as much x for less (or equal) y is already on the front
        keep.append(p)
    return keep
