"""A self-contained HTML report of a plan: plots embedded, tables, reasons, KPIs, solver facts.

One ``index.html`` with every image inlined as a data URI, so a planner can
open it from disk or mail it.
"""

from __future__ import annotations

import base64
import html
import io
from collections import defaultdict
from pathlib import Path

from wtmatch.files import write_text
from wtmatch.plan import Plan
from wtmatch.report import plots
from wtmatch.scenario import Scenario

#: Section ids, in page order; a test checks every one is present.
SECTIONS = ("kpis", "solver", "plots", "uncovered", "schools", "instructors", "sessions")

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ddd;padding:.25em .6em;
font-size:.9em;text-align:left}th{background:#f3f3f3}img{max-width:100%;margin:.5em 0}
.bad{color:#b00}.muted{color:#777}
"""


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _table(head: list[str], rows: list[list]) -> str:
    if not rows:
        return '<p class="muted">None.</p>'
    h = "".join(f"<th>{html.escape(str(c))}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def render(scenario: Scenario, plan: Plan) -> str:
    """The report as one HTML string."""
    k = plan.kpis
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>wtmatch plan report</title><style>{_CSS}</style></head><body>",
             "<h1>wtmatch plan report</h1>",
             f"<p>Status: <b>{html.escape(plan.status)}</b> · objective {plan.objective}"
             f" (assign {plan.objective_parts.assign}, sessions {plan.objective_parts.sessions})</p>"]
    parts.append("<section id='kpis'><h2>Key figures</h2>" + _table(["figure", "value"], [
        ["seats filled", f"{k.seats_filled} of {k.seats} ({k.coverage_pct:.1f} %)"],
        *[[f"coverage {r}", f"{v:.1f} %"] for r, v in sorted(k.coverage_by_region.items())],
        ["instructor utilisation", f"{k.utilisation_pct:.1f} %"],
        ["travel (km per week)", k.travel_km],
        ["sessions scheduled", f"{k.sessions_scheduled} of {k.sessions}"],
        ["meetings scheduled", f"{k.meetings_scheduled} of {k.meetings}"],
        *[[f"term {t}", v] for t, v in sorted(plan.objective_terms.items())]]) + "</section>")
    s = plan.solver
    parts.append("<section id='solver'><h2>Solver</h2>" + _table(["fact", "value"], [
        ["status", plan.status], ["bound", plan.bound], ["wall time (s)", f"{s.wall_time:.2f}"],
        ["build time (s)", f"{s.build_time:.2f}"], ["workers", s.workers], ["seed", s.seed],
        ["CP-SAT version", s.cpsat_version]]) + "</section>")
    figs = [("Weekly roster", plots.roster(scenario, plan)),
            ("Coverage by region", plots.coverage(scenario, plan, "region")),
            ("Coverage by skill", plots.coverage(scenario, plan, "skill")),
            ("Map", plots.coverage_map(scenario, plan)),
            ("Utilisation", plots.utilisation(scenario, plan))]
    if plan.sessions or plan.meetings:
        figs += [("Training year by trainer", plots.gantt(scenario, plan, "trainer")),
                 ("Training year by venue", plots.gantt(scenario, plan, "venue"))]
    parts.append("<section id='plots'><h2>Plots</h2>" + "".join(
        f"<h3>{html.escape(t)}</h3><img alt='{html.escape(t)}' src='{_png(f)}'>" for t, f in figs)
        + "</section>")
    parts.append("<section id='uncovered'><h2>Uncovered seats and why</h2>" + _table(
        ["school", "demand", "slot", "seat", "reasons"],
        [[u.school, u.demand, str(u.slot), u.seat, " · ".join(r.message for r in u.reasons)]
         for u in plan.uncovered]) + "</section>")
    by_school = defaultdict(list)
    by_ins = defaultdict(list)
    for a in plan.assignments:
        by_school[a.school].append(a)
        by_ins[a.instructor].append(a)
    school_html = "".join(
        f"<h3>{html.escape(sc.id)} {html.escape(sc.name)}</h3>" + _table(
            ["demand", "slot", "instructor"],
            [[a.demand, str(a.slot), a.instructor] for a in sorted(by_school[sc.id], key=_key)])
        for sc in scenario.schools)
    parts.append(f"<section id='schools'><h2>Per school</h2>{school_html}</section>")
    ins_html = _table(["instructor", "dayparts", "schedule"], [
        [i.id, len(by_ins[i.id]), ", ".join(f"{a.slot} {a.school}" for a in sorted(by_ins[i.id], key=_key))]
        for i in scenario.instructors])
    parts.append(f"<section id='instructors'><h2>Per instructor</h2>{ins_html}</section>")
    parts.append("<section id='sessions'><h2>Sessions and meetings</h2>" + _table(
        ["what", "when", "trainers", "venue"],
        [[f"{x.cohort}/{x.session}", " + ".join(str(t) for t in x.slots), ", ".join(x.trainers),
          x.venue or ""] for x in plan.sessions]
        + [[f"{m.group} #{m.index}", str(m.slot), "", m.venue or ""] for m in plan.meetings])
        + _table(["unscheduled", "reasons"], [
            [f"{u.kind} {u.cohort or u.group}/{u.session or u.index}",
             " · ".join(r.message for r in u.reasons)] for u in plan.unscheduled])
        + "</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _key(a):
    return (a.slot.day, a.slot.part, a.demand)


def write_report(scenario: Scenario, plan: Plan, out_dir: str | Path) -> Path:
    """Write ``index.html`` into ``out_dir`` (created if needed); returns its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    write_text(path, render(scenario, plan))
    return path
