"""A self-contained HTML report of a plan: plots embedded, tables, reasons, KPIs, solver facts.

One ``index.html`` with every image inlined as a data URI, so a planner can
open it from disk or mail it.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter, defaultdict
from pathlib import Path

from wtmatch.analysis.cover import backup_depth
from wtmatch.files import write_text
from wtmatch.plan import Plan
from wtmatch.report import plots
from wtmatch.scenario import Scenario

#: Section ids, in page order; a test checks every one is present.
SECTIONS = ("kpis", "plots", "uncovered", "schools", "instructors", "sessions", "solver")

CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ddd;padding:.25em .6em;
font-size:.9em;text-align:left}th{background:#f3f3f3}img{max-width:100%;margin:.5em 0}
.bad{color:#b00}.muted{color:#777}.headline{font-size:1.1em;line-height:1.5}
"""


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def html_table(head: list[str], rows: list[list]) -> str:
    """An HTML table of escaped cells (a line saying "None." when there are no rows)."""
    if not rows:
        return '<p class="muted">None.</p>'
    h = "".join(f"<th>{html.escape(str(c))}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


#: The objective's terms in a planner's words, in DOMAIN.md's order.
TERM_NAMES = {
    "S1": "coverage (filled seats × priority)", "S2": "travel to schools",
    "S3": "continuity (one face per demand)", "S4": "preferences met",
    "S5": "under-use of instructors", "S6": "schools per instructor",
    "S7": "changes from the plan in force", "S8": "schools reached",
    "S9": "handovers between periods", "S20": "sessions and meetings scheduled",
    "S21": "sessions on study days", "S22": "trainees delivering", "S23": "trainer travel",
    "S24": "meetings spread over the year",
}


def render(scenario: Scenario, plan: Plan) -> str:
    """The report as one HTML string, in a planner's words first, the solver's last."""
    k = plan.kpis
    name = _Names(scenario)
    depth = backup_depth(scenario, plan)     # stand-ins free for each filled seat
    title = html.escape(scenario.name or "plan")
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>wtmatch plan report: {title}</title><style>{CSS}</style></head><body>",
             f"<h1>Plan for {title}</h1>", _headline(scenario, plan, depth)]
    parts.append("<section id='kpis'><h2>Key figures</h2>" + html_table(["figure", "value"], [
        ["seats filled", f"{k.seats_filled} of {k.seats} ({k.coverage_pct:.1f} %)"],
        *[[f"coverage in {r}", f"{v:.1f} %"] for r, v in sorted(k.coverage_by_region.items())],
        *[[f"coverage in period {p}", f"{v:.1f} %"] for p, v in k.coverage_by_period.items()],
        ["instructors' dayparts used", f"{k.utilisation_pct:.1f} %"],
        ["travel (km per week, one way)", k.travel_km],
        ["sessions scheduled", f"{k.sessions_scheduled} of {k.sessions}"],
        ["meetings scheduled", f"{k.meetings_scheduled} of {k.meetings}"]])
        + "<h3>What the plan is worth</h3>" + html_table(["part of the objective", "term", "value"], [
            [TERM_NAMES.get(t, t), t, v] for t, v in sorted(plan.objective_terms.items(),
                                                              key=lambda tv: int(tv[0][1:]))]
            + [["total", "", plan.objective if plan.objective is not None else "no plan"]])
        + "</section>")
    figs = [("Weekly roster", plots.roster(scenario, plan)),
            ("Who teaches where", plots.coverage_map(scenario, plan)),
            ("Coverage by region", plots.coverage(scenario, plan, "region")),
            ("Coverage by skill", plots.coverage(scenario, plan, "skill")),
            ("Dayparts per instructor", plots.utilisation(scenario, plan))]
    if plan.sessions or plan.meetings:
        figs += [("The training year", plots.year_chart(scenario, plan)),
                 ("Trainers over the year", plots.gantt(scenario, plan, "trainer")),
                 ("Venues over the year", plots.gantt(scenario, plan, "venue"))]
    parts.append("<section id='plots'><h2>Pictures</h2>" + "".join(
        f"<h3>{html.escape(t)}</h3><img alt='{html.escape(t)}' src='{_png(f)}'>" for t, f in figs)
        + "</section>")
    parts.append("<section id='uncovered'><h2>Open seats and why</h2>" + html_table(
        ["school", "demand", "skill", "slot", "period", "seat", "reasons"],
        [[name.school(_school_of(scenario, u)), u.demand, name.skill(u.demand), str(u.slot),
          u.period or "", u.seat, " · ".join(r.message for r in u.reasons)]
         for u in plan.uncovered])
        + "</section>")
    by_ins = defaultdict(list)
    for a in plan.assignments:
        by_ins[a.instructor].append(a)
    parts.append(f"<section id='schools'><h2>Per school</h2>{_per_school(scenario, plan, name, depth)}"
                 "</section>")
    ins_html = html_table(["instructor", "dayparts", "schedule"], [
        [name.instructor(i.id), len(by_ins[i.id]),
         ", ".join(f"{a.slot} {name.school(a.school)}" for a in sorted(by_ins[i.id], key=_key))]
        for i in scenario.instructors])
    parts.append(f"<section id='instructors'><h2>Per instructor</h2>{ins_html}</section>")
    parts.append("<section id='sessions'><h2>Sessions and meetings</h2>" + html_table(
        ["what", "when", "trainers", "venue"],
        [[name.session(x.cohort, x.session), " + ".join(str(t) for t in x.slots),
          ", ".join(name.person(t) for t in x.trainers), name.venue(x.venue)]
         for x in plan.sessions]
        + [[f"{name.group(m.group)} meeting {m.index}", str(m.slot), "", name.venue(m.venue)]
           for m in plan.meetings])
        + html_table(["not scheduled", "reasons"], [
            [name.session(u.cohort, u.session) if u.kind == "session"
             else f"{name.group(u.group)} meeting {u.index}",
             " · ".join(r.message for r in u.reasons)] for u in plan.unscheduled])
        + "</section>")
    s = plan.solver
    parts.append("<section id='solver'><h2>How it was solved</h2>" + html_table(["fact", "value"], [
        ["status", plan.status], ["bound", plan.bound],
        ["gap", "–" if s.gap is None else f"{100 * s.gap:.3f} %"],
        ["wall time (s)", f"{s.wall_time:.2f}"], ["build time (s)", f"{s.build_time:.2f}"],
        ["workers", s.workers], ["seed", s.seed], ["CP-SAT version", s.cpsat_version]])
        + "</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _headline(scenario: Scenario, plan: Plan, depth: dict) -> str:
    """Two sentences a board member reads: what is covered, what is open and why."""
    k = plan.kpis
    if plan.status in ("infeasible", "unknown"):
        why = next((r.message for u in plan.uncovered for r in u.reasons), "")
        return (f"<p class='bad'><b>No weekly plan</b> ({html.escape(plan.status)}): "
                f"{html.escape(why)}</p>")
    reached = {a.school for a in plan.assignments}
    asking = {s.id for s in scenario.schools if s.demands}
    reasons = Counter(r.code or r.message for u in plan.uncovered for r in u.reasons[:1])
    top = ", ".join(f"{_REASON_WORDS.get(c, c)} ({n})" for c, n in reasons.most_common(3))
    regions = ", ".join(f"{r} {v:.0f} %" for r, v in sorted(k.coverage_by_region.items()))
    line = (f"<p class='headline'><b>{k.seats_filled} of {k.seats} seats filled</b> "
            f"({k.coverage_pct:.1f} %), at <b>{len(reached & asking)} of {len(asking)} schools</b>"
            + (f"; by region: {html.escape(regions)}" if regions else "") + ".")
    if plan.uncovered:
        line += (f" {len(plan.uncovered)} seat(s) stay open, mostly because: "
                 f"{html.escape(top)}.")
    alone = sum(1 for n in depth.values() if n == 0)
    if alone:
        line += f" {alone} filled seat(s) have nobody free to stand in (see per school)."
    if k.sessions or k.meetings:
        line += (f" The year holds {k.sessions_scheduled} of {k.sessions} training sessions "
                 f"and {k.meetings_scheduled} of {k.meetings} network meetings.")
    return line + "</p>"


_REASON_WORDS = {
    "no_candidate": "nobody fits the demand", "no_skill": "nobody has the skill",
    "too_far": "too far for those who could", "unqualified": "no qualified teacher free",
    "no_level": "nobody has the level", "region": "outside the regions of those who could",
    "no_availability": "nobody free at that time", "used_elsewhere": "those who could are "
    "needed elsewhere", "at_capacity": "those who could have no dayparts left",
    "max_schools": "those who could teach at enough schools already",
    "same_day_distance": "a second school that day is too far", "employer_cap":
    "employers release no more people then", "hard_continuity": "the same team is needed "
    "in every slot", "not_worth_it": "filling it would cost more than it brings",
    "search_stopped": "the search stopped before proving more",
}


def _school_of(scenario: Scenario, seat) -> str:
    if seat.school:
        return seat.school
    school = scenario.school_of_demand.get(seat.demand)
    return school.id if school else ""


def _per_school(scenario: Scenario, plan: Plan, name: _Names, depth: dict) -> str:
    """Each school's demands: skill, slot, who teaches (and how many could stand in), open seats."""
    filled = defaultdict(list)
    for a in plan.assignments:
        filled[(a.demand, str(a.slot))].append(a.instructor)
    out = []
    for sc in scenario.schools:
        rows = []
        for d in sc.demands:
            for slot in d.slots:
                who = filled[(d.id, str(slot))]
                taught = ", ".join(f"{name.instructor(i)}, {_backups(depth[(i, d.id, str(slot))])}"
                                   for i in who)
                rows.append([d.id, f"{d.skill} ≥ {d.min_level}", str(slot), taught or "–",
                             d.instructors_needed - len(who)])
        out.append(f"<h3>{html.escape(name.school(sc.id))}</h3>"
                   + html_table(["demand", "skill", "slot", "taught by (stand-ins free then)",
                             "open seats"], rows))
    return "".join(out)


def _backups(n: int) -> str:
    return "NO STAND-IN" if n == 0 else f"{n} stand-in{'s' if n > 1 else ''}"


class _Names:
    """``name (id)`` for everything the scenario names, the id alone where it has no name."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.people = {p.id: p.name for p in (*scenario.instructors, *scenario.trainers,
                                              *scenario.participants) if p.name}

    @staticmethod
    def _both(name: str | None, key: str | None) -> str:
        if not key:
            return ""
        return f"{name} ({key})" if name and name != key else key

    def school(self, key: str | None) -> str:
        s = self.scenario.school_by_id.get(key or "")
        return self._both(s.name if s else None, key)

    def instructor(self, key: str) -> str:
        return self._both(self.people.get(key), key)

    def person(self, key: str) -> str:
        return self._both(self.people.get(key), key)

    def venue(self, key: str | None) -> str:
        v = self.scenario.venue_by_id.get(key or "")
        return self._both(v.name if v else None, key) if key else "online"

    def group(self, key: str | None) -> str:
        g = self.scenario.group_by_id.get(key or "")
        return self._both(g.name if g else None, key)

    def session(self, cohort: str | None, session: str | None) -> str:
        coh = self.scenario.cohort_by_id.get(cohort or "")
        prog = self.scenario.programme_by_id.get(coh.programme) if coh else None
        what = f"{prog.name or prog.id}: " if prog else ""
        return f"{what}session {session} of cohort {cohort}"

    def skill(self, demand: str) -> str:
        d = self.scenario.demand_by_id.get(demand)
        return f"{d.skill} ≥ {d.min_level}" if d else ""


def _key(a):
    return (a.slot.day, a.slot.part, a.demand)


def write_report(scenario: Scenario, plan: Plan, out_dir: str | Path) -> Path:
    """Write ``index.html`` into ``out_dir`` (created if needed); returns its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    write_text(path, render(scenario, plan))
    return path
