"""The CP-SAT model of part B: H20–H27 as constraints, S20–S24 as the objective.

Each session or meeting is an optional interval over daypart indices (see
:mod:`wtmatch.sessions.items`) whose start domain is already pruned. People
and venues are ``NoOverlap`` resources (H22, H25); trainers and venues are
optional intervals sharing the item's start, present when chosen (H24,
H25). Meetings of a group are ordered by index, which also breaks the
symmetry between them (H27, S24).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from wtmatch.sessions.items import Item, Year, allowed_starts


@dataclass
class SessionsModel:
    """The built model and its variables, by item."""

    model: cp_model.CpModel
    scenario: object
    items: list[Item]
    present: list
    start: list
    trainer: dict = field(default_factory=dict)   # (item, trainer id) -> bool var
    venue: dict = field(default_factory=dict)     # (item, venue id) -> bool var
    trainers_of: dict = field(default_factory=dict)   # item -> [(trainer id, var)]
    venues_of: dict = field(default_factory=dict)     # item -> [(venue id, var)]


def build_sessions_model(year: Year, items: list[Item]) -> SessionsModel:
    """Build the part B model over pre-pruned items."""
    sc = year.scenario
    w = sc.settings.weights
    m = cp_model.CpModel()
    sm = SessionsModel(m, sc, items, [], [])
    people: dict[str, list] = {}
    venues: dict[str, list] = {}
    obj = []
    day = []
    for k, it in enumerate(items):
        p = m.new_bool_var(f"p[{it.label}]")
        dom = it.domain or [0]
        q = m.new_int_var_from_domain(cp_model.Domain.from_values(dom), f"q[{it.label}]")
        d = m.new_int_var(min(dom) // 3, max(dom) // 3, f"day[{it.label}]")
        part = m.new_int_var(0, 2, f"part[{it.label}]")
        m.add(q == 3 * d + part)
        if not it.domain:
            m.add(p == 0)
        iv = m.new_optional_fixed_size_interval_var(q, it.size, p, f"i[{it.label}]")
        sm.present.append(p)
        sm.start.append(q)
        day.append(d)
        obj.append(it.value * p)                                     # S20
        for person in it.attendees:
            people.setdefault(person, []).append(iv)
        if it.kind == "session":
            _trainers(m, sm, year, k, it, q, p, people, obj, w)
        if it.physical:
            _venues(m, sm, year, k, it, q, p, venues)
            _study_day(m, year, it, d, p, obj, w)
            _trainer_travel(m, sm, k, it, obj, w)
    for intervals in (*people.values(), *venues.values()):          # H22, H25
        if len(intervals) > 1:
            m.add_no_overlap(intervals)
    for k, it in enumerate(items):
        p, q, d = sm.present[k], sm.start[k], day[k]
        if it.after is not None:                                     # H21
            a = it.after
            m.add_implication(p, sm.present[a])
            m.add(d - day[a] >= it.min_gap).only_enforce_if(p)
            if it.max_gap is not None:
                m.add(d - day[a] <= it.max_gap).only_enforce_if(p)
            m.add(q >= sm.start[a] + items[a].size).only_enforce_if(p)
        if it.previous_meeting is not None:                          # H27, order, S24
            a = it.previous_meeting
            m.add_implication(p, sm.present[a])
            m.add(q >= sm.start[a] + 1).only_enforce_if(p)
            m.add(d - day[a] >= it.spacing).only_enforce_if(p)
            grp = sc.group_by_id[it.key[0]]
            ideal = (sc.calendar.end - sc.calendar.start).days // grp.meetings
            if w.spread > 0 and ideal > 0:
                pen = m.new_int_var(0, ideal, f"spread[{it.label}]")
                m.add(pen >= ideal - (d - day[a])).only_enforce_if(p)
                obj.append(-w.spread * pen)
    _budgets(m, sm, year, items)                                     # H26
    m.maximize(sum(obj))
    return sm


def _trainers(m, sm, year, k, it, q, p, people, obj, w) -> None:
    """H24 (and availability of trainers, H23): exactly n, one certified at least; S22."""
    chosen, certified, trainees = [], [], []
    for tid in (*it.certified, *it.trainees):
        if tid in it.attendees:
            continue  # nobody trains their own cohort
        ok = allowed_starts(it.domain, it.size, year.blocked.get(tid, set()))
        if not ok:
            continue
        u = m.new_bool_var(f"u[{it.label},{tid}]")
        m.add_implication(u, p)
        if len(ok) < len(it.domain):
            m.add_linear_expression_in_domain(q, cp_model.Domain.from_values(ok)) \
                .only_enforce_if(u)
        people.setdefault(tid, []).append(
            m.new_optional_fixed_size_interval_var(q, it.size, u, f"i[{it.label},{tid}]"))
        sm.trainer[(k, tid)] = u
        sm.trainers_of.setdefault(k, []).append((tid, u))
        chosen.append(u)
        (certified if tid in it.certified else trainees).append(u)
    m.add(sum(chosen) == it.trainers_needed * p)
    m.add(sum(certified) >= p)
    if trainees and w.trainee > 0:
        t = m.new_bool_var(f"trainee[{it.label}]")
        m.add(t <= sum(trainees))
        obj.append(w.trainee * t)


def _venues(m, sm, year, k, it, q, p, venues) -> None:
    """H25 (and availability of venues, H23): one big-enough venue when physical."""
    chosen = []
    for vid in it.venues:
        ok = allowed_starts(it.domain, it.size, year.blocked.get(vid, set()))
        if not ok:
            continue
        v = m.new_bool_var(f"v[{it.label},{vid}]")
        if len(ok) < len(it.domain):
            m.add_linear_expression_in_domain(q, cp_model.Domain.from_values(ok)) \
                .only_enforce_if(v)
        venues.setdefault(vid, []).append(
            m.new_optional_fixed_size_interval_var(q, it.size, v, f"i[{it.label},{vid}]"))
        sm.venue[(k, vid)] = v
        sm.venues_of.setdefault(k, []).append((vid, v))
        chosen.append(v)
    m.add(sum(chosen) == p)


def _study_day(m, year, it, d, p, obj, w) -> None:
    """S21: a physical cohort session on a study day."""
    if it.kind != "session" or w.study_day <= 0:
        return
    days = sorted({q // 3 for q in it.domain} & year.study)
    if not days:
        return
    s = m.new_bool_var(f"study[{it.label}]")
    m.add_implication(s, p)
    m.add_linear_expression_in_domain(d, cp_model.Domain.from_values(days)).only_enforce_if(s)
    obj.append(w.study_day * s)


def _trainer_travel(m, sm, k, it, obj, w) -> None:
    """S23: −w·km(trainer, venue) per physical session per trainer."""
    if it.kind != "session" or w.trainer_km <= 0:
        return
    sc = sm.scenario
    for tid, u in sm.trainers_of.get(k, []):
        tr = sc.trainer_by_id[tid]
        for vid, v in sm.venues_of.get(k, []):
            km = sc.km_trainer_venue(tr, sc.venue_by_id[vid])
            if km > 0:
                both = m.new_bool_var(f"tv[{it.label},{tid},{vid}]")
                m.add(both >= u + v - 1)
                obj.append(-w.trainer_km * km * both)


def _budgets(m, sm, year, items) -> None:
    """H26: hours attended or delivered within max_hours."""
    sc = year.scenario
    load: dict[str, list] = {}
    for k, it in enumerate(items):
        h = int(it.hours * year.hour_scale)
        for person in it.attendees:
            load.setdefault(person, []).append(h * sm.present[k])
    for (k, tid), u in sm.trainer.items():
        load.setdefault(tid, []).append(int(items[k].hours * year.hour_scale) * u)
    for pid, terms in load.items():
        person = sc.persons.get(pid)
        if person is None or person.max_hours is None:
            continue
        m.add(sum(terms) <= int(Fraction(str(person.max_hours)) * year.hour_scale))


@dataclass(frozen=True)
class Placed:
    """One scheduled item: start daypart, trainers and venue."""

    q: int
    trainers: tuple[str, ...]
    venue: str | None


def extract(sm: SessionsModel, values) -> dict[int, Placed]:
    """Scheduled items of a solution (values of every variable, by index)."""
    out = {}
    for k, p in enumerate(sm.present):
        if values[p.index]:
            out[k] = Placed(
                q=int(values[sm.start[k].index]),
                trainers=tuple(t for t, u in sm.trainers_of.get(k, []) if values[u.index]),
                venue=next((v for v, x in sm.venues_of.get(k, []) if values[x.index]), None))
    return out


def hint(sm: SessionsModel, placed: dict) -> None:
    """Give CP-SAT a schedule as its warm start (the rest it completes itself)."""
    m = sm.model
    for k, p in enumerate(sm.present):
        if k in placed:
            q, trainers, venue = placed[k]
            m.add_hint(p, 1)
            m.add_hint(sm.start[k], q)
            for tid, u in sm.trainers_of.get(k, []):
                m.add_hint(u, int(tid in trainers))
            for vid, v in sm.venues_of.get(k, []):
                m.add_hint(v, int(vid == venue))
        else:
            m.add_hint(p, 0)
