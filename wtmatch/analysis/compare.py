"""Plans side by side: what each option gives, and what changes between them.

Boards decide between options ("recruit two more, or train three?"): each
option is a (scenario, plan) pair. :func:`compare` lays their key figures
side by side with the difference to the first, lists who moves where, every
seat that changes state (filled or open, and why), and the sessions and
meetings gained or lost.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wtmatch.errors import WtmatchError
from wtmatch.plan import Plan
from wtmatch.scenario import Scenario


@dataclass(frozen=True)
class Option:
    """One side of the comparison."""

    label: str
    scenario: Scenario
    plan: Plan


@dataclass
class Comparison:
    """Options side by side.

    Attributes
    ----------
    options : list of Option
    figures : list of (str, list)
        Each key figure and its value per option.
    moves, seats, year : dict of str to list of str
        Per option after the first (by label): who moves where, every seat
        that changes state and why, sessions and meetings gained or lost.
    """

    options: list[Option]
    figures: list[tuple[str, list]] = field(default_factory=list)
    moves: dict[str, list[str]] = field(default_factory=dict)
    seats: dict[str, list[str]] = field(default_factory=dict)
    year: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        labels = [o.label for o in self.options]
        width = max(len(f) for f, _ in self.figures) if self.figures else 10
        lines = [f"{'':<{width}}  " + "  ".join(f"{x:>14}" for x in labels)]
        for name, values in self.figures:
            cells = [cell_text(v, values[0], k) for k, v in enumerate(values)]
            lines.append(f"{name:<{width}}  " + "  ".join(f"{c:>14}" for c in cells))
        for label in labels[1:]:
            for title, part in (("moves", self.moves), ("seats", self.seats),
                                ("year", self.year)):
                if part.get(label):
                    lines.append(f"\n{label} against {labels[0]}, {title}:")
                    lines += [f"  {x}" for x in part[label]]
        return "\n".join(lines)


def cell_text(value: object, first: object, k: int) -> str:
    """The value of option ``k``, with its difference to the first option's where both are numbers."""
    if value is None:
        return "–"
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    if k and isinstance(value, int | float) and isinstance(first, int | float) and value != first:
        diff = value - first
        text += f" ({diff:+,.1f})" if isinstance(diff, float) else f" ({diff:+,})"
    return text


def compare(options: list[Option]) -> Comparison:
    """Lay two or more options side by side (the first is the reference).

    Raises
    ------
    WtmatchError
        With fewer than two options, or two with the same label.
    """
    if len(options) < 2:
        raise WtmatchError("compare needs at least two (scenario, plan) pairs")
    labels = [o.label for o in options]
    if len(set(labels)) != len(labels):
        raise WtmatchError(f"two options have the same label: {labels}")
    out = Comparison(options, _figures(options))
    first = options[0]
    for other in options[1:]:
        out.moves[other.label] = _moves(first.plan, other.plan)
        out.seats[other.label] = _seats(first, other)
        out.year[other.label] = _year(first.plan, other.plan)
    return out


def _figures(options: list[Option]) -> list[tuple[str, list]]:
    regions = sorted({r for o in options for r in o.plan.kpis.coverage_by_region})
    rows: list[tuple[str, list]] = [
        ("objective", [o.plan.objective for o in options]),
        ("seats filled", [o.plan.kpis.seats_filled for o in options]),
        ("seats", [o.plan.kpis.seats for o in options]),
        ("coverage %", [round(o.plan.kpis.coverage_pct, 1) for o in options]),
        ("schools reached", [len({a.school for a in o.plan.assignments}) for o in options]),
        *[(f"coverage % {r}", [round(o.plan.kpis.coverage_by_region.get(r, 0.0), 1)
                                for o in options]) for r in regions],
        ("travel km / week", [o.plan.kpis.travel_km for o in options]),
        ("instructors teaching", [len({a.instructor for a in o.plan.assignments})
                                  for o in options]),
        ("sessions scheduled", [len(o.plan.sessions) for o in options]),
        ("meetings scheduled", [len(o.plan.meetings) for o in options]),
    ]
    return rows


def _moves(a: Plan, b: Plan) -> list[str]:
    """Per instructor, the rows they lose and gain from plan ``a`` to plan ``b``."""
    rows_a, rows_b = defaultdict(set), defaultdict(set)
    for r in a.assignments:
        rows_a[r.instructor].add((r.demand, r.school, str(r.slot)))
    for r in b.assignments:
        rows_b[r.instructor].add((r.demand, r.school, str(r.slot)))
    out = []
    for who in sorted(set(rows_a) | set(rows_b)):
        lost = sorted(rows_a[who] - rows_b[who])
        won = sorted(rows_b[who] - rows_a[who])
        if lost or won:
            was = ", ".join(f"{d} at {s} {t}" for d, s, t in lost) or "nothing"
            now = ", ".join(f"{d} at {s} {t}" for d, s, t in won) or "nothing"
            out.append(f"{who}: {was} → {now}")
    return out


def _seats(a: Option, b: Option) -> list[str]:
    """Every demand slot whose filled seats change, with who fills it or why it stays open."""
    def filled(plan: Plan) -> dict[tuple[str, str], list[str]]:
        out = defaultdict(list)
        for r in plan.assignments:
            out[(r.demand, str(r.slot))].append(r.instructor)
        return out

    fa, fb = filled(a.plan), filled(b.plan)
    why_open = defaultdict(list)
    for u in b.plan.uncovered:
        why_open[(u.demand, str(u.slot))] += [r.message for r in u.reasons[:1]]
    out = []
    for key in sorted(set(fa) | set(fb) | set(why_open)):
        before, after = sorted(fa.get(key, [])), sorted(fb.get(key, []))
        if len(before) == len(after):
            continue
        demand, slot = key
        if len(after) > len(before):
            out.append(f"{demand} {slot}: {len(before)} → {len(after)} filled "
                       f"(now {', '.join(after)})")
        else:
            why = "; ".join(dict.fromkeys(why_open.get(key, []))) or "not in the other plan"
            out.append(f"{demand} {slot}: {len(before)} → {len(after)} filled ({why})")
    return out


def _year(a: Plan, b: Plan) -> list[str]:
    """Sessions and meetings scheduled in one plan and not the other (with why, when known)."""
    def items(plan: Plan) -> set[str]:
        return ({f"session {s.cohort}/{s.session}" for s in plan.sessions}
                | {f"meeting {m.group} #{m.index}" for m in plan.meetings})

    why = {}
    for u in b.unscheduled:
        key = (f"session {u.cohort}/{u.session}" if u.kind == "session"
               else f"meeting {u.group} #{u.index}")
        why[key] = "; ".join(r.message for r in u.reasons[:1])
    ia, ib = items(a), items(b)
    return ([f"+ {x}" for x in sorted(ib - ia)]
            + [f"- {x}" + (f" ({why[x]})" if why.get(x) else "") for x in sorted(ia - ib)])
