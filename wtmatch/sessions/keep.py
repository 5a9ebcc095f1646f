"""Keeping the school year of a plan in force: what stays, what must move, and why.

A re-plan changes the weekly teaching (someone leaves, a demand arrives);
the sessions and meetings already planned should move only where the
change breaks them. Each planned item is held to its old date, trainers and
venue when that still keeps every rule that does not depend on other
choices (the item's day and part, the people's unavailability and new
weekly teaching, the trainers' certification, the venue's size and
availability); the search then places it there or leaves it out, and
places the others anew. Items before ``from_date`` are history: they are
held where they were, never moved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from wtmatch.plan import ScheduledMeeting, ScheduledSession
from wtmatch.sessions.items import Item, Year, allowed_starts


@dataclass(frozen=True)
class YearInForce:
    """The sessions and meetings of a plan in force, and from when the change applies.

    Attributes
    ----------
    sessions, meetings : list
        The plan's rows.
    from_date : datetime.date or None
        Items before it stay where they were; None: every item may move
        where the change breaks it.
    """

    sessions: list[ScheduledSession]
    meetings: list[ScheduledMeeting]
    from_date: dt.date | None = None


@dataclass
class Held:
    """What :func:`hold` did: items held to their old place, and why the others move."""

    held: set[int] = field(default_factory=set)            # item indices held in place
    broken: dict[int, str] = field(default_factory=dict)   # item index -> why it cannot stay


def hold(year: Year, items: list[Item], old: YearInForce) -> Held:
    """Restrict the items of ``old`` to their old place where it still holds.

    Items are changed in place (domain, trainers, venues); an item of the
    past that no longer holds gets an empty domain (it stays out, with the
    reason in ``broken``); one of the future is left free.
    """
    index = {it.key: k for k, it in enumerate(items)}
    out = Held()
    rows = [((r.cohort, r.session), r.slots[0], tuple(r.trainers), r.venue) for r in old.sessions]
    rows += [((r.group, r.index), r.slot, (), r.venue) for r in old.meetings]
    for key, slot, trainers, venue in rows:
        k = index.get(key)
        if k is None:
            continue            # the cohort or group is gone from the scenario
        it = items[k]
        q = year.q_of(slot)
        past = old.from_date is not None and slot.date < old.from_date
        why = _why_not(year, it, q, trainers, venue)
        if why is None:
            it.domain = [q]
            it.certified = tuple(t for t in it.certified if t in trainers)
            it.trainees = tuple(t for t in it.trainees if t in trainers)
            it.venues = (venue,) if venue is not None else ()
            out.held.add(k)
        else:
            out.broken[k] = why
            if past:
                it.domain = []
                it.why_empty.append(f"it took place before the change, and {why}")
    return out


def _why_not(year: Year, it: Item, q: int, trainers: tuple[str, ...], venue: str | None
             ) -> str | None:
    """Why the item cannot stay at start ``q`` with these trainers and venue, or None."""
    when = year.slot_of(q)
    if q not in it.domain:
        busy = [p for p in it.attendees if not allowed_starts([q], it.size, year.blocked.get(p, set()))]
        if busy:
            return f"{', '.join(busy)} {'is' if len(busy) == 1 else 'are'} not free on {when} any more"
        return f"{when} is no longer allowed for it"
    for t in trainers:
        if t not in it.certified and t not in it.trainees:
            return f"trainer {t} may no longer deliver it"
        if t in it.attendees or not allowed_starts([q], it.size, year.blocked.get(t, set())):
            return f"trainer {t} is not free on {when} any more"
    if len(trainers) != it.trainers_needed:
        return f"it needs {it.trainers_needed} trainer(s) now"
    if it.physical:
        if venue is None or venue not in it.venues:
            return f"venue {venue} no longer suits it"
        if not allowed_starts([q], it.size, year.blocked.get(venue, set())):
            return f"venue {venue} is not available on {when} any more"
    elif venue is not None:
        return "it is online now"
    return None
