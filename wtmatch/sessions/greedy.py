"""A greedy school-year schedule: the warm start of part B's CP-SAT model.

Items are placed one by one — cohort sessions by cohort priority and in
programme order, then group meetings — each at the first start daypart
where its people, enough trainers (one certified at least) and a venue are
free and within budget, and its precedence window holds. Meetings aim at
the group's ideal spacing.
"""

from __future__ import annotations

from fractions import Fraction

from wtmatch.sessions.items import Item, Year


def greedy_schedule(year: Year, items: list[Item]) -> dict[int, tuple[int, tuple, str | None]]:
    """item index → (start daypart, trainers, venue) for the items placed."""
    sc = year.scenario
    busy: dict[str, set[int]] = {}
    hours: dict[str, Fraction] = {}
    cap = {pid: Fraction(str(p.max_hours)) for pid, p in sc.persons.items()
           if p.max_hours is not None}
    placed: dict[int, tuple[int, tuple, str | None]] = {}
    cal = sc.calendar
    order = sorted(range(len(items)), key=lambda k: (
        items[k].kind != "session", -items[k].value, k))

    def free(who: str, q: int, size: int) -> bool:
        taken = busy.get(who, set())
        blocked = year.blocked.get(who, set())
        return all(q + j not in taken and q + j not in blocked for j in range(size))

    def within_budget(who: str, h: Fraction) -> bool:
        return who not in cap or hours.get(who, Fraction(0)) + h <= cap[who]

    for k in order:
        it = items[k]
        if not it.domain or not all(within_budget(p, it.hours) for p in it.attendees):
            continue
        prev = it.after if it.after is not None else it.previous_meeting
        if prev is not None and prev not in placed:
            continue
        candidates = it.domain
        if it.previous_meeting is not None:
            q0 = placed[prev][0]
            grp = sc.group_by_id[it.key[0]]
            ideal = (cal.end - cal.start).days // grp.meetings
            target = q0 + 3 * ideal
            candidates = sorted(it.domain, key=lambda q: (abs(q - target), q))
        for q in candidates:
            if prev is not None:
                q0 = placed[prev][0]
                gap = q // 3 - q0 // 3
                lo = it.min_gap if it.after is not None else it.spacing
                if gap < lo or q < q0 + items[prev].size:
                    continue
                if it.after is not None and it.max_gap is not None and gap > it.max_gap:
                    continue
            if not all(free(p, q, it.size) for p in it.attendees):
                continue
            trainers: tuple = ()
            if it.kind == "session":
                ok = [t for t in (*it.certified, *it.trainees)
                      if t not in it.attendees and free(t, q, it.size)
                      and within_budget(t, it.hours)]
                cert = [t for t in ok if t in it.certified]
                if not cert:
                    continue
                rest = [t for t in ok if t != cert[0]]
                # A trainee along when there is room: progression (S22).
                rest.sort(key=lambda t: t in it.certified)
                if len(rest) < it.trainers_needed - 1:
                    continue
                trainers = (cert[0], *rest[:it.trainers_needed - 1])
            venue = None
            if it.physical:
                venue = next((v for v in it.venues if free(v, q, it.size)), None)
                if venue is None:
                    continue
            for who in (*it.attendees, *trainers, *([venue] if venue else [])):
                busy.setdefault(who, set()).update(q + j for j in range(it.size))
            for who in (*it.attendees, *trainers):
                hours[who] = hours.get(who, Fraction(0)) + it.hours
            placed[k] = (q, trainers, venue)
            break
    return placed
