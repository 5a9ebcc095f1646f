"""Scale suite: generated scenarios of growing size, figures per time limit.

Part A row: candidates, time to build pool+candidates, the CP-SAT model (and
µs per candidate), a first verified plan (the greedy), and per time limit the
status, objective, bound and gap, plus the greedy baseline's objective (what
a planner does by hand) and the ratio. Part B row: items, build time, and per
time limit how much was scheduled, objective, bound, gap.
"""

from __future__ import annotations

import resource
import time

from wtmatch.assign.candidates import Pool, build_candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.greedy import greedy
from wtmatch.assign.plan_rows import assignment_rows
from wtmatch.assign.unfold import fold
from wtmatch.generate import generate
from wtmatch.plan import Plan
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.solver.assign.model import build_assign_model
from wtmatch.verify import verify

#: Largest model (candidate triples) each baseline is run on; beyond, it is reported as skipped.
BASELINE_LIMITS = {"highs": 200_000, "dense": 60_000}


def _time_to_reach(history: list[tuple[float, float]], target: float, fallback: float) -> float:
    """First time an objective ≥ target was reported (the run's wall time if never)."""
    return next((t for t, v in history if v >= target - 1e-6), fallback)


def _baselines(scenario, cands, model, limit: float, workers: int, ours: dict,
               history: list[tuple[float, float]], which: set[str]) -> dict:
    """HiGHS on the same formulation and the plain dense CP-SAT model, at the same time limit."""
    from benchmarks.baselines.dense import solve_dense
    from benchmarks.baselines.highs import solve_highs

    out: dict = {}
    if "highs" in which:
        if len(cands) > BASELINE_LIMITS["highs"]:
            out["highs"] = "skipped (model too large for the baseline run)"
        else:
            h = solve_highs(model.builder.model, limit)
            reach = _time_to_reach(history, h.objective, ours["wall_s"]) if h.objective is not None \
                else None
            out["highs"] = {
                "status": h.status, "objective": h.objective, "bound": h.bound,
                "gap_pct": None if h.objective is None or h.bound is None else
                round(100 * abs(h.bound - h.objective) / max(1.0, abs(h.objective)), 3),
                "wall_s": round(h.wall_time, 2),
                "ours_time_to_highs_objective_s": None if reach is None else round(reach, 2),
                "speedup_vs_highs": None if reach is None else round(h.wall_time / max(reach, 1e-3), 1)}
    if "dense" in which:
        if len(cands) > BASELINE_LIMITS["dense"]:
            out["dense"] = "skipped (model too large for the baseline run)"
        else:
            d = solve_dense(cands, Settings(time_limit=limit, workers=workers))
            obj = None if d.chosen is None else int(sum(assign_terms(cands, d.chosen).values()))
            rows = None if d.chosen is None else Plan(
                status="feasible", assignments=assignment_rows(cands, d.chosen))
            if rows is not None and scenario.periods:
                rows = fold(scenario, cands.pool.scenario, rows)
            ok = None if rows is None else verify(scenario, rows).feasible
            out["dense"] = {
                "status": d.status, "objective": obj, "bound": d.bound, "verified": ok,
                "variables": d.variables, "build_s": round(d.build_time, 2),
                "objective_ratio_ours_vs_dense": None if not obj else round(ours["objective"] / obj, 4),
                "bound_ours_tighter": None if d.bound is None or ours["bound"] is None
                else ours["bound"] <= d.bound + 1e-6}
    return out


_REBUILD_UP_TO = 200_000   # candidates; larger models are built once


def assign_row(n_ins: int, n_sch: int, limits: list[float], seed: int, workers: int,
               baselines: set[str] = frozenset({"highs", "dense"}), periods: int = 0) -> dict:
    scenario = generate(n_ins, n_sch, seed=seed, periods=periods)
    t0 = time.perf_counter()
    pool = Pool.of(scenario)          # with periods: the per-period copies, unfolding timed too
    cands = build_candidates(pool)
    t1 = time.perf_counter()
    start = greedy(cands)
    plan = Plan(status="feasible", assignments=assignment_rows(cands, start))
    if periods:
        plan = fold(scenario, pool.scenario, plan)
    verdict = verify(scenario, plan)
    t2 = time.perf_counter()
    model = build_assign_model(cands, names=False)
    t3 = time.perf_counter()
    # The machine's speed varies by tens of percent from minute to minute: two more
    # builds (where cheap) give a steadier figure than the first alone.
    builds = [t3 - t2]
    for _ in range(2 if len(cands) <= _REBUILD_UP_TO else 0):
        t = time.perf_counter()
        build_assign_model(cands, names=False)
        builds.append(time.perf_counter() - t)
    greedy_obj = int(sum(assign_terms(cands, start).values()))
    row = {"part": "assign", "size": f"{n_ins}x{n_sch}" + (f"x{periods}p" if periods else ""),
           "seed": seed,
           "candidates": len(cands), "variables": model.stats["variables"],
           "constraints": model.stats["constraints"],
           "candidates_s": round(t1 - t0, 3),
           "first_verified_plan_s": round(t2 - t0, 3), "first_plan_ok": verdict.feasible,
           "model_build_s": round(t3 - t2, 3),
           "build_us_per_candidate": round((t3 - t2) / max(1, len(cands)) * 1e6, 2),
           "build_us_best": round(min(builds) / max(1, len(cands)) * 1e6, 2),
           "builds": len(builds),
           "greedy_objective": greedy_obj, "runs": []}
    for limit in limits:
        history: list[tuple[float, float]] = []
        t = time.perf_counter()
        res = solve(scenario, Settings(time_limit=limit, workers=workers),
                    progress=lambda p, h=history: h.append((p.time, p.objective)))
        wall = time.perf_counter() - t
        first = [h[0] for h in history[:1]]   # the warm start, when it is complete
        ok = verify(scenario, res.plan).ok
        row["runs"].append({
            "time_limit": limit, "status": res.status, "objective": res.objective,
            "bound": res.bound, "gap_pct": None if res.gap is None else round(100 * res.gap, 3),
            "wall_s": round(wall, 2), "first_plan_s": round(first[0], 2) if first
            else None, "time_to_optimal_s": round(res.solve_time, 2)
            if res.status == "optimal" else None,
            "vs_greedy": round(res.objective / greedy_obj, 4) if greedy_obj else None,
            "verified": ok})
        row["runs"][-1].update(_baselines(scenario, cands, model, limit, workers, row["runs"][-1],
                                          history, set(baselines)))
    del model
    # Peak resident memory of the whole process so far (Linux: kB).
    row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return row


def sessions_row(cohorts: int, limits: list[float], seed: int, workers: int) -> dict:
    groups = cohorts
    scenario = generate(max(10, cohorts * 2), max(6, cohorts), cohorts, groups, seed=seed)
    row = {"part": "sessions", "size": f"{cohorts} cohorts, {groups} groups",
           "trainers": len(scenario.trainers), "venues": len(scenario.venues), "runs": []}
    for limit in limits:
        # Part B alone (no weekly teaching), so its figures are its own.
        res = solve(scenario, Settings(time_limit=limit, workers=workers, part="sessions"))
        k = res.plan.kpis
        b_terms = {t: v for t, v in res.terms.items() if t.startswith("S2") and len(t) == 3}
        ok = verify(scenario, res.plan).ok
        details = res.plan.solver.details
        row["runs"].append({
            "time_limit": limit, "status": res.status,
            "scheduled": f"{k.sessions_scheduled}/{k.sessions} sessions, "
                         f"{k.meetings_scheduled}/{k.meetings} meetings",
            "objective_sessions": res.plan.objective_parts.sessions,
            "gap_pct": None if res.gap is None else round(100 * res.gap, 3),
            "items": details.get("sessions_items", details.get("items")), "build_s": round(res.build_time, 3),
            "all_scheduled_s": details.get("sessions_all_scheduled_s"),
            "wall_s": round(res.solve_time + res.build_time, 2), "verified": ok,
            "terms": b_terms})
    row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return row


def table(rows: list[dict]) -> str:
    """Rows as a Markdown table."""
    out = []
    for r in rows:
        head = {k: v for k, v in r.items() if k != "runs"}
        out.append("  ".join(f"{k}={v}" for k, v in head.items()))
        for run in r["runs"]:
            out.append("    " + "  ".join(f"{k}={v}" for k, v in run.items()))
    return "\n".join(out)


__all__ = ["assign_row", "sessions_row", "table"]
