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
    """The weekly roster: one row per instructor, one column per teaching slot.

    Each filled cell is coloured by school and labelled with the school's id,
    so schools stay apart even when colours repeat; the legend names them.
    """
    ids = [i.id for i in scenario.instructors]
    row = {i: n for n, i in enumerate(ids)}
    col = {s: n for n, s in enumerate(_TEACHING)}
    schools = sorted({a.school for a in plan.assignments})
    colour = _colour_of(schools)
    fig = PlotFigure(figsize=(10, max(2.5, 0.24 * len(ids) + 1.4)))
    ax = fig.add_subplot()
    for a in plan.assignments:
        r, c = row[a.instructor], col[(a.slot.day, a.slot.part)]
        ax.add_patch(_rect(c, r, colour[a.school]))
        ax.text(c + 0.5, r + 0.5, a.school, ha="center", va="center", fontsize=5.5)
    ax.set_xlim(0, len(_TEACHING))
    ax.set_ylim(len(ids), 0)
    ax.set_xticks(np.arange(len(_TEACHING)) + 0.5,
                  [f"{DAYS[d]}\n{PARTS[p][:3]}" for d, p in _TEACHING], fontsize=8)
    names = {i.id: i.name for i in scenario.instructors}
    ax.set_yticks(np.arange(len(ids)) + 0.5, [_named(names, i) for i in ids], fontsize=6)
    ax.set_title("Weekly roster (each cell: the school taught)")
    ax.set_xlabel("slot")
    ax.set_ylabel("instructor")
    if schools:
        from matplotlib.patches import Patch

        school_names = {s.id: s.name for s in scenario.schools}
        ax.legend(handles=[Patch(color=colour[s], label=_named(school_names, s)) for s in schools],
                  fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1), title="school",
                  title_fontsize=7, ncol=1 if len(schools) <= 30 else 2)
    fig.tight_layout()
    return fig


def _named(names: dict[str, str], key: str) -> str:
    """``name (id)``, or the id alone when there is no name."""
    name = names.get(key) or ""
    return f"{name} ({key})" if name and name != key else key


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
    """Schools, instructors' homes and who teaches where, on the map.

    Schools are squares, green when every seat is filled and red with their
    count of open seats when not; instructors are grey dots; a line joins an
    instructor to each school they teach at. Each school is named, and each
    region at the centre of its schools.
    """
    fig = PlotFigure(figsize=(8, 7))
    ax = fig.add_subplot()
    schools = {s.id: s for s in scenario.schools if s.location}
    homes = {i.id: i for i in scenario.instructors if i.location}
    links = {(a.instructor, a.school) for a in plan.assignments}
    for ins, sch in sorted(links):
        if ins in homes and sch in schools:
            a, b = homes[ins].location, schools[sch].location
            ax.plot([a.lon, b.lon], [a.lat, b.lat], color="tab:blue", lw=0.6, alpha=0.5, zorder=1)
    if homes:
        ax.scatter([i.location.lon for i in homes.values()], [i.location.lat for i in homes.values()],
                   marker="o", s=12, color="0.45", label="instructor's home", zorder=2)
    open_seats = Counter(_school_of(scenario, u) for u in plan.uncovered)
    full = [s for s in schools.values() if not open_seats[s.id]]
    short = [s for s in schools.values() if open_seats[s.id]]
    for group, colour, label in ((full, "tab:green", "school, every seat filled"),
                                 (short, "tab:red", "school with open seats (count)")):
        if group:
            ax.scatter([s.location.lon for s in group], [s.location.lat for s in group],
                       marker="s", s=46, color=colour, edgecolor="black", linewidth=0.4,
                       label=label, zorder=3)
    for s in schools.values():
        text = s.name or s.id
        if open_seats[s.id]:
            text += f" ({open_seats[s.id]} open)"
        ax.annotate(text, (s.location.lon, s.location.lat), textcoords="offset points",
                    xytext=(4, 3), fontsize=5.5, color="tab:red" if open_seats[s.id] else "0.2",
                    zorder=4)
    regions: dict[str, list] = defaultdict(list)
    for s in schools.values():
        if s.region:
            regions[s.region].append(s.location)
    for region, where in regions.items():
        ax.text(np.mean([w.lon for w in where]), np.mean([w.lat for w in where]), region.upper(),
                fontsize=9, fontweight="bold", color="0.35", alpha=0.6, ha="center", zorder=0)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Who teaches where")
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def _school_of(scenario: Scenario, seat) -> str | None:
    if seat.school:
        return seat.school
    school = scenario.school_of_demand.get(seat.demand)
    return school.id if school else None


def year_chart(scenario: Scenario, plan: Plan) -> Figure:
    """The training year: one row per cohort and per group, each session and meeting named."""
    import matplotlib.dates as mdates

    rows: list[tuple[str, list[tuple]]] = []
    for coh in scenario.cohorts:
        prog = scenario.programme_by_id.get(coh.programme)
        title = f"{coh.id}: {prog.name or prog.id}" if prog else coh.id
        rows.append((title, [(slot, s.session, "tab:blue") for s in plan.sessions
                             if s.cohort == coh.id for slot in s.slots[:1]]))
    for grp in scenario.groups:
        rows.append((f"{grp.name or grp.id} ({grp.kind})",
                     [(m.slot, f"#{m.index}", "tab:purple") for m in plan.meetings
                      if m.group == grp.id]))
    fig = PlotFigure(figsize=(11, max(2.5, 0.35 * len(rows) + 1.6)))
    ax = fig.add_subplot()
    for n, (_, events) in enumerate(rows):
        for slot, label, colour in events:
            start = mdates.date2num(slot.date)
            ax.broken_barh([(start, 2.5)], (n + 0.35, 0.6), color=colour)
            ax.text(start + 1.25, n + 0.3, label, ha="center", va="bottom", fontsize=6)
    ax.set_yticks(np.arange(len(rows)) + 0.5, [t for t, _ in rows], fontsize=7)
    ax.set_ylim(max(1, len(rows)), 0)
    ax.xaxis_date()
    ax.set_xlabel("date")
    ax.set_title("The training year: sessions (blue, by id) and meetings (purple, by number)")
    fig.autofmt_xdate()
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


__all__ = ["coverage", "coverage_map", "gantt", "recruitment_curve", "roster", "utilisation",
           "year_chart"]
