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
    chosen_people = {tid for (_, tid) in sm.trainer}
    for who, intervals in (*people.items(), *venues.items()):       # H22, H23, H25
        if who in chosen_people or who in venues:
            intervals = intervals + _blocked_intervals(m, year, who)
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


def _blocked_intervals(m, year: Year, who: str) -> list:
    """Fixed intervals covering the dayparts ``who`` is blocked (merged into runs)."""
    qs = sorted(year.blocked.get(who, ()))
    out = []
    k = 0
    while k < len(qs):
        j = k
        while j + 1 < len(qs) and qs[j + 1] == qs[j] + 1:
            j += 1
        out.append(m.new_fixed_size_interval_var(qs[k], qs[j] - qs[k] + 1,
                                                 f"blocked[{who},{qs[k]}]"))
        k = j + 1
    return out


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
        # The trainer's own unavailability is a set of fixed intervals in their
        # no-overlap (see _blocked_intervals), not a domain: no encoding of q needed.
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
    # One literal per reachable study day keeps the day variable unencoded.
    on = []
    for day in days:
        b = m.new_bool_var(f"study[{it.label},{day}]")
        m.add(d == day).only_enforce_if(b)
        on.append(b)
    m.add(sum(on) <= p)
    obj.append(w.study_day * sum(on))


def _trainer_travel(m, sm, k, it, obj, w) -> None:
    """S23: −w·km(trainer, venue) per physical session per trainer."""
    if it.kind != "session" or w.trainer_km <= 0:
        return
    sc = sm.scenario
    venues = sm.venues_of.get(k, [])
    for tid, u in sm.trainers_of.get(k, []):
        tr = sc.trainer_by_id[tid]
        km = [sc.km_trainer_venue(tr, sc.venue_by_id[vid]) for vid, _ in venues]
        if not venues or max(km) == 0:
            continue
        # travel ≥ km of the chosen venue when this trainer delivers (0 otherwise):
        # one integer per (session, trainer) instead of one boolean per venue too.
        big = max(km)
        t = m.new_int_var(0, big, f"travel[{it.label},{tid}]")
        m.add(t >= sum(c * v for c, (_, v) in zip(km, venues, strict=True)) - big * (1 - u))
        obj.append(-w.trainer_km * t)


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
