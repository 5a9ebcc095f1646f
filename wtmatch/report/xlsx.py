"""A plan as a workbook: a sheet per school, per instructor, of uncovered seats, of sessions."""

from __future__ import annotations

import re
from pathlib import Path

from wtmatch.files import atomic_path
from wtmatch.plan import Plan
from wtmatch.scenario import Scenario


def _sheet_name(prefix: str, name: str, taken: set[str]) -> str:
    # Excel: ≤ 31 characters, none of []:*?/\ , unique ignoring case
    base = re.sub(r"[\[\]:*?/\\]", "_", f"{prefix}{name}")[:31]
    out, n = base, 2
    while out.lower() in taken:
        suffix = f"~{n}"
        out, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(out.lower())
    return out


def export_xlsx(scenario: Scenario, plan: Plan, path: str | Path) -> Path:
    """Write the workbook to ``path``; returns it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()

    def sheet(title: str, head: list[str], rows: list[list]):
        ws = wb.create_sheet(title)
        ws.append(head)
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append([str(v) if not isinstance(v, int | float) and v is not None else v for v in r])
        ws.freeze_panes = "A2"
        return ws

    sheet(_sheet_name("", "uncovered", taken), ["school", "demand", "slot", "period", "seat",
                                                "reasons"],
          [[u.school, u.demand, str(u.slot), u.period or "", u.seat,
            " · ".join(r.message for r in u.reasons)]
           for u in plan.uncovered])
    sheet(_sheet_name("", "sessions", taken), ["kind", "cohort/group", "session/index", "when",
                                                "trainers", "venue"],
          [["session", s.cohort, s.session, " + ".join(str(x) for x in s.slots), ", ".join(s.trainers),
            s.venue or ""] for s in plan.sessions]
          + [["meeting", m.group, m.index, str(m.slot), "", m.venue or ""] for m in plan.meetings]
          + [[f"unscheduled {u.kind}", u.cohort or u.group, u.session or u.index, "", "",
              " · ".join(r.message for r in u.reasons)] for u in plan.unscheduled])
    # with periods (§8) each row says its period; the weeks of one period come together
    order = {p.id: k for k, p in enumerate(scenario.periods)}
    week = sorted(plan.assignments, key=lambda a: (order.get(a.period, -1), a.slot.index,
                                                   a.demand, a.instructor))
    for sc in scenario.schools:
        sheet(_sheet_name("school ", sc.id, taken), ["slot", "period", "demand", "instructor"],
              [[str(a.slot), a.period or "", a.demand, a.instructor]
               for a in week if a.school == sc.id])
    for ins in scenario.instructors:
        sheet(_sheet_name("instructor ", ins.id, taken), ["slot", "period", "school", "demand"],
              [[str(a.slot), a.period or "", a.school, a.demand]
               for a in week if a.instructor == ins.id])
    out = Path(path)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return out
