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
    """Build the part B model over pre-pruned items.

    Variables and rows are made item by item, each rule by its function below;
    the order is part of the model (CP-SAT's search follows it), so a rule
    added later goes after the ones here.
    """
    sc = year.scenario
    w = sc.settings.weights
    m = cp_model.CpModel()
    sm = SessionsModel(m, sc, items, [], [])
    people: dict[str, list] = {}
    venues: dict[str, list] = {}
    obj: list = []
    day: list = []
    for k, it in enumerate(items):
        interval = _item_vars(m, sm, it, day)
        obj += s20_scheduled(sm, k, it)
        for person in it.attendees:
            people.setdefault(person, []).append(interval)
        if it.kind == "session":
            trainees = h24_trainers(m, sm, year, k, it, people)
            obj += s22_trainee_progression(m, it, trainees, w.trainee)
        if it.physical:
            h25_venue(m, sm, year, k, it, venues)
            obj += s21_study_days(m, year, it, day[k], sm.present[k], w.study_day)
            obj += s23_trainer_travel(m, sm, k, it, w.trainer_km)
    h22_no_clash(m, sm, year, people, venues)
    for k, it in enumerate(items):
        if it.after is not None:
            h21_order(m, sm, items, day, k, it)
        if it.previous_meeting is not None:
            h27_group_rhythm(m, sm, day, k, it)
            obj += s24_spread(m, sm, day, k, it, w.spread)
    h26_budgets(m, sm, year, items)
    m.maximize(sum(obj))
    return sm


def _item_vars(m: cp_model.CpModel, sm: SessionsModel, it: Item, day: list
               ) -> cp_model.IntervalVar:
    """H20: one optional interval per item (scheduled at most once), over its pruned starts.

    The start ``q`` is a daypart index, ``3·day + part``; an item with no
    start left is never present.
    """
    p = m.new_bool_var(f"p[{it.label}]")
    dom = it.domain or [0]
    q = m.new_int_var_from_domain(cp_model.Domain.from_values(dom), f"q[{it.label}]")
    d = m.new_int_var(min(dom) // 3, max(dom) // 3, f"day[{it.label}]")
    part = m.new_int_var(0, 2, f"part[{it.label}]")
    m.add(q == 3 * d + part)
    if not it.domain:
        m.add(p == 0)
    interval = m.new_optional_fixed_size_interval_var(q, it.size, p, f"i[{it.label}]")
    sm.present.append(p)
    sm.start.append(q)
    day.append(d)
    return interval


def h21_order(m: cp_model.CpModel, sm: SessionsModel, items: list[Item], day: list, k: int,
              it: Item) -> None:
    """H21: after its predecessor (present too), within the day gaps, in a later daypart."""
    p, q, d, a = sm.present[k], sm.start[k], day[k], it.after
    m.add_implication(p, sm.present[a])
    m.add(d - day[a] >= it.min_gap).only_enforce_if(p)
    if it.max_gap is not None:
        m.add(d - day[a] <= it.max_gap).only_enforce_if(p)
    m.add(q >= sm.start[a] + items[a].size).only_enforce_if(p)


def h22_no_clash(m: cp_model.CpModel, sm: SessionsModel, year: Year, people: dict[str, list],
                 venues: dict[str, list]) -> None:
    """H22 (and H23, H25's one thing per slot): a no-overlap per person and per venue.

    People's and venues' blocked dayparts (unavailability, weekly teaching)
    are fixed intervals in the same no-overlap, for trainers and venues, whose
    presence is a choice; attendees' blocked dayparts are pruned from the
    items' start domains beforehand.
    """
    chosen_people = {tid for (_, tid) in sm.trainer}
    for who, intervals in (*people.items(), *venues.items()):
        if who in chosen_people or who in venues:
            intervals = intervals + _blocked_intervals(m, year, who)
        if len(intervals) > 1:
            m.add_no_overlap(intervals)


def h27_group_rhythm(m: cp_model.CpModel, sm: SessionsModel, day: list, k: int, it: Item
                     ) -> None:
    """H27: a meeting after the group's previous one (by index), ``spacing`` days apart.

    Ordering the meetings by index also breaks the symmetry between them.
    """
    p, q, d, a = sm.present[k], sm.start[k], day[k], it.previous_meeting
    m.add_implication(p, sm.present[a])
    m.add(q >= sm.start[a] + 1).only_enforce_if(p)
    m.add(d - day[a] >= it.spacing).only_enforce_if(p)


def s20_scheduled(sm: SessionsModel, k: int, it: Item) -> list:
    """S20: the item's value (session weight × priority, or meeting weight) when scheduled."""
    return [it.value * sm.present[k]]


def s24_spread(m: cp_model.CpModel, sm: SessionsModel, day: list, k: int, it: Item,
               weight: int) -> list:
    """S24: −w·max(0, ideal − gap) between a meeting and the group's previous one."""
    sc = sm.scenario
    grp = sc.group_by_id[it.key[0]]
    ideal = (sc.calendar.end - sc.calendar.start).days // grp.meetings
    if weight <= 0 or ideal <= 0:
        return []
    p, d, a = sm.present[k], day[k], it.previous_meeting
    pen = m.new_int_var(0, ideal, f"spread[{it.label}]")
    m.add(pen >= ideal - (d - day[a])).only_enforce_if(p)
    return [-weight * pen]


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


def h24_trainers(m: cp_model.CpModel, sm: SessionsModel, year: Year, k: int, it: Item,
                 people: dict[str, list]) -> list:
    """H24 (and H23 for trainers): exactly n trainers, at least one certified.

    Returns the trainees' literals (for S22).
    """
    p, q = sm.present[k], sm.start[k]
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
    return trainees


def s22_trainee_progression(m: cp_model.CpModel, it: Item, trainees: list, weight: int) -> list:
    """S22: +w per session with at least one trainee among its trainers."""
    if not trainees or weight <= 0:
        return []
    t = m.new_bool_var(f"trainee[{it.label}]")
    m.add(t <= sum(trainees))
    return [weight * t]


def h25_venue(m: cp_model.CpModel, sm: SessionsModel, year: Year, k: int, it: Item,
              venues: dict[str, list]) -> None:
    """H25 (and H23 for venues): one big-enough venue when physical.

    ``it.venues`` holds only venues big enough; one thing per venue and slot
    is the venue's no-overlap (:func:`h22_no_clash`).
    """
    p, q = sm.present[k], sm.start[k]
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


def s21_study_days(m: cp_model.CpModel, year: Year, it: Item, d: cp_model.IntVar,
                   p: cp_model.IntVar, weight: int) -> list:
    """S21: +w per physical cohort session on a study day."""
    if it.kind != "session" or weight <= 0:
        return []
    days = sorted({q // 3 for q in it.domain} & year.study)
    if not days:
        return []
    # One literal per reachable study day keeps the day variable unencoded.
    on = []
    for day in days:
        b = m.new_bool_var(f"study[{it.label},{day}]")
        m.add(d == day).only_enforce_if(b)
        on.append(b)
    m.add(sum(on) <= p)
    return [weight * sum(on)]


def s23_trainer_travel(m: cp_model.CpModel, sm: SessionsModel, k: int, it: Item,
                       weight: int) -> list:
    """S23: −w·km(trainer, venue) per physical session per trainer."""
    if it.kind != "session" or weight <= 0:
        return []
    sc = sm.scenario
    terms = []
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
        terms.append(-weight * t)
    return terms


def h26_budgets(m: cp_model.CpModel, sm: SessionsModel, year: Year, items: list[Item]) -> None:
    """H26: hours attended or delivered within max_hours (a two-daypart session once)."""
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
