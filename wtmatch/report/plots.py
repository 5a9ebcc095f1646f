"""Plots of a plan, each a function returning a matplotlib Figure.

Figures are built with the object API (no pyplot state), so they work in
notebooks, scripts and headless servers alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from wtmatch.plan import Plan
from wtmatch.scenario import Scenario
from wtmatch.scenario.time import DAYS, PARTS, TEACHING_PARTS

_TEACHING = [(d, p) for d in range(len(DAYS)) for p in range(len(TEACHING_PARTS))]



class PlotFigure(Figure):
    """A matplotlib figure that shows itself in notebooks as a PNG.

    The plots are made without pyplot (no global state, safe in servers and
    threads); Jupyter then needs this ``_repr_png_`` to draw them instead of
    printing ``<Figure size …>``.
    """

    def _repr_png_(self) -> bytes:
        import io

        buf = io.BytesIO()
        FigureCanvasAgg(self).print_png(buf)
        return buf.getvalue()


def _colour_of(keys: list[str]) -> dict[str, tuple]:
    from matplotlib import colormaps

    cmap = colormaps["tab20"]
    return {k: cmap(n % 20) for n, k in enumerate(sorted(keys))}


def roster(scenario: Scenario, plan: Plan) -> Figure:
    """The weekly roster: one row per instructor, one column per teaching slot, coloured by school."""
    ids = [i.id for i in scenario.instructors]
    row = {i: n for n, i in enumerate(ids)}
    col = {s: n for n, s in enumerate(_TEACHING)}
    schools = sorted({a.school for a in plan.assignments})
    colour = _colour_of(schools)
    fig = PlotFigure(figsize=(8, max(2.5, 0.22 * len(ids) + 1.2)))
    ax = fig.add_subplot()
    for a in plan.assignments:
        r, c = row[a.instructor], col[(a.slot.day, a.slot.part)]
        ax.add_patch(_rect(c, r, colour[a.school]))
    ax.set_xlim(0, len(_TEACHING))
    ax.set_ylim(len(ids), 0)
    ax.set_xticks(np.arange(len(_TEACHING)) + 0.5,
                  [f"{DAYS[d]}\n{PARTS[p][:3]}" for d, p in _TEACHING], fontsize=8)
    ax.set_yticks(np.arange(len(ids)) + 0.5, ids, fontsize=7)
    ax.set_title("Weekly roster (colour = school)")
    ax.set_xlabel("slot")
    ax.set_ylabel("instructor")
    if schools and len(schools) <= 20:
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=colour[s], label=s) for s in schools], fontsize=7,
                  loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


def _rect(x, y, colour):
    from matplotlib.patches import Rectangle

    return Rectangle((x + 0.05, y + 0.1), 0.9, 0.8, color=colour)


def coverage(scenario: Scenario, plan: Plan, by: str = "region") -> Figure:
    """Seats filled and open per region (``by="region"``) or per skill (``by="skill"``)."""
    if by not in ("region", "skill"):
        raise ValueError(f"coverage by {by!r}: choose 'region' or 'skill'")
    need: Counter = Counter()
    filled: Counter = Counter()
    school_of = scenario.school_of_demand
    demand_of = scenario.demand_by_id

    def key(demand_id: str) -> str:
        return (school_of[demand_id].region or "(none)") if by == "region" \
            else demand_of[demand_id].skill

    for s in scenario.schools:
        for d in s.demands:
            need[key(d.id)] += d.instructors_needed * len(d.slots)
    for a in plan.assignments:
        filled[key(a.demand)] += 1
    keys = sorted(need)
    fig = PlotFigure(figsize=(max(4, 0.7 * len(keys) + 2), 3.6))
    ax = fig.add_subplot()
    x = np.arange(len(keys))
    f = np.array([filled[k] for k in keys])
    n = np.array([need[k] for k in keys])
    ax.bar(x, f, color="tab:green", label="filled")
    ax.bar(x, n - f, bottom=f, color="tab:red", alpha=0.5, label="open")
    ax.set_xticks(x, keys, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("seats (demand slots × instructors)")
    ax.set_title(f"Coverage by {by}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def coverage_map(scenario: Scenario, plan: Plan) -> Figure:
    """Schools (squares) and instructors (dots) on lat/lon; a line per instructor–school link.

    Schools with an uncovered seat are marked with a red cross.
    """
    fig = PlotFigure(figsize=(6.5, 5.5))
    ax = fig.add_subplot()
    schools = {s.id: s for s in scenario.schools if s.location}
    homes = {i.id: i for i in scenario.instructors if i.location}
    links = {(a.instructor, a.school) for a in plan.assignments}
    for ins, sch in sorted(links):
        if ins in homes and sch in schools:
            a, b = homes[ins].location, schools[sch].location
            ax.plot([a.lon, b.lon], [a.lat, b.lat], color="0.6", lw=0.7, zorder=1)
    if schools:
        ax.scatter([s.location.lon for s in schools.values()], [s.location.lat for s in schools.values()],
                   marker="s", s=28, color="tab:blue", label="school", zorder=2)
    if homes:
        ax.scatter([i.location.lon for i in homes.values()], [i.location.lat for i in homes.values()],
                   marker="o", s=14, color="tab:orange", label="instructor", zorder=3)
    open_schools = sorted({u.school for u in plan.uncovered if u.school in schools})
    if open_schools:
        ax.scatter([schools[s].location.lon for s in open_schools],
                   [schools[s].location.lat for s in open_schools],
                   marker="x", s=70, color="tab:red", label="uncovered seat", zorder=4)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Schools, instructors and assignments")
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def gantt(scenario: Scenario, plan: Plan, by: str = "trainer") -> Figure:
    """The year's sessions and meetings on a timeline, one row per trainer (or venue)."""
    if by not in ("trainer", "venue"):
        raise ValueError(f"gantt by {by!r}: choose 'trainer' or 'venue'")
    rows: dict[str, list[tuple]] = defaultdict(list)
    for s in plan.sessions:
        for who in (s.trainers if by == "trainer" else [s.venue] if s.venue else []):
            for slot in s.slots:
                rows[who].append((slot.date, slot.part, "session", s.cohort))
    for m in plan.meetings:
        if by == "venue" and m.venue:
            rows[m.venue].append((m.slot.date, m.slot.part, "meeting", m.group))
    keys = sorted(rows)
    fig = PlotFigure(figsize=(10, max(2.5, 0.3 * len(keys) + 1.5)))
    ax = fig.add_subplot()
    import matplotlib.dates as mdates

    colour = {"session": "tab:blue", "meeting": "tab:purple"}
    for n, k in enumerate(keys):
        for day, part, kind, _label in rows[k]:
            start = mdates.date2num(day) + part / len(PARTS)
            ax.broken_barh([(start, 1 / len(PARTS))], (n + 0.1, 0.8), color=colour[kind])
    ax.set_yticks(np.arange(len(keys)) + 0.5, keys, fontsize=8)
    ax.set_ylim(max(1, len(keys)), 0)
    ax.xaxis_date()
    ax.set_xlabel("date")
    ax.set_ylabel(by)
    ax.set_title(f"Training year by {by} (blue: sessions, purple: meetings)")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def utilisation(scenario: Scenario, plan: Plan) -> Figure:
    """Assigned dayparts per instructor against their minimum and maximum."""
    used = Counter(a.instructor for a in plan.assignments)
    ids = [i.id for i in scenario.instructors]
    fig = PlotFigure(figsize=(max(5, 0.22 * len(ids) + 2), 3.6))
    ax = fig.add_subplot()
    x = np.arange(len(ids))
    ax.bar(x, [used[i] for i in ids], color="tab:green", label="assigned dayparts")
    maxes = [i.max_dayparts if i.max_dayparts is not None else len(i.available)
             for i in scenario.instructors]
    ax.scatter(x, maxes, marker="_", s=120, color="black", label="max dayparts", zorder=3)
    ax.scatter(x, [i.min_dayparts for i in scenario.instructors], marker="_", s=120,
               color="tab:red", label="min dayparts", zorder=3)
    ax.set_xticks(x, ids, rotation=90, fontsize=7)
    ax.set_ylabel("dayparts per week")
    ax.set_title("Utilisation of instructors")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def recruitment_curve(advice) -> Figure:
    """Coverage and objective against the number of recruits (a RecruitAdvice)."""
    ks = [p.k for p in advice.curve]
    fig = PlotFigure(figsize=(6, 3.6))
    ax = fig.add_subplot()
    ax.plot(ks, [p.coverage_pct for p in advice.curve], marker="o", color="tab:blue",
            label="coverage %")
    for p, step in zip(advice.curve[1:], advice.steps, strict=True):
        # the recruit this step adds (and any it swaps out), not the last id of the set
        label = "+" + ", +".join(step.added) if step.added else "no recruit pays"
        if step.left:
            label += " −" + ", −".join(step.left)
        ax.annotate(label, (p.k, p.coverage_pct), textcoords="offset points", xytext=(4, -12),
                    fontsize=7)
    ax.set_xticks(ks)
    ax.set_xlabel("recruits")
    ax.set_ylabel("seats covered (%)")
    twin = ax.twinx()
    twin.plot(ks, [p.objective for p in advice.curve], marker="s", linestyle="--",
              color="tab:orange", label="objective")
    twin.set_ylabel("objective")
    ax.set_title("What recruiting buys")
    fig.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


__all__ = ["coverage", "coverage_map", "gantt", "recruitment_curve", "roster", "utilisation"]
