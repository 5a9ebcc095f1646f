"""Cross-reference rules of a scenario (DOMAIN.md §3 and §7).

These rules look across sections: ids unique over the scenario (persons
excepted), every reference resolving, pins naming real demand slots, no
cycle in ``after``. They run on the *raw* document (dicts and lists, as
loaded from JSON or YAML), tolerating malformed items, so that one pass can
report them together with the field-level problems pydantic finds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from wtmatch.errors import Problem
from wtmatch.scenario.time import WeeklySlot

PERSON_SECTIONS = ("instructors", "trainers", "participants")
ID_SECTIONS = ("employers", "instructors", "schools", "trainers", "participants",
               "venues", "programmes", "cohorts", "groups")
LOCATED_SECTIONS = ("instructors", "schools", "trainers", "participants", "venues")


def _items(data: Any, key: str) -> Iterator[tuple[int, dict]]:
    """(index, item) for the dict items of list ``data[key]``; skips malformed ones."""
    seq = data.get(key) if isinstance(data, dict) else None
    if isinstance(seq, list):
        for i, item in enumerate(seq):
            if isinstance(item, dict):
                yield i, item


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _slot_key(value: Any) -> str | None:
    """Canonical text of a weekly slot, or None when it is not one."""
    if isinstance(value, str):
        try:
            return str(WeeklySlot.parse(value))
        except Exception:  # malformed: pydantic reports it at its own path
            return None
    return None


def _dupes(values: Any, path: str, what: str, out: list[Problem]) -> None:
    """Report entries of a list that repeat an earlier one."""
    if not isinstance(values, list):
        return
    seen: set = set()
    for j, v in enumerate(values):
        key = _slot_key(v) or (v if isinstance(v, (str, int, float)) else None)
        if key is None:
            continue
        if key in seen:
            out.append(Problem(f"{path}[{j}]", f"{what} {v!r} is listed twice"))
        seen.add(key)


class _Ids:
    """Every id of the scenario, by section, with the path that declared it."""

    def __init__(self, data: dict, out: list[Problem]) -> None:
        self.by_section: dict[str, dict[str, str]] = {s: {} for s in ID_SECTIONS}
        self.demands: dict[str, tuple[str, dict]] = {}
        self.sessions: dict[str, dict[str, dict]] = {}
        owner: dict[str, tuple[str, str]] = {}  # id -> (section, path) of first declaration

        def declare(section: str, ident: str, path: str) -> None:
            prev = owner.get(ident)
            if prev is not None:
                psec, ppath = prev
                both_persons = section in PERSON_SECTIONS and psec in PERSON_SECTIONS
                if not both_persons or psec == section:
                    out.append(Problem(path, f"id {ident!r} is already used by {ppath}"))
                    return
            else:
                owner[ident] = (section, path)

        # In the document's own order, so the later of two clashing ids is the one flagged.
        sections = [k for k in data if k in ID_SECTIONS]
        for section in sections:
            for i, item in _items(data, section):
                ident = _str(item.get("id"))
                if ident is None:
                    continue
                path = f"{section}[{i}].id"
                declare(section, ident, path)
                self.by_section[section].setdefault(ident, path)
                if section == "schools":
                    for j, dem in _items(item, "demands"):
                        did = _str(dem.get("id"))
                        if did is not None:
                            declare("demands", did, f"schools[{i}].demands[{j}].id")
                            self.demands.setdefault(did, (ident, dem))
        for i, prog in _items(data, "programmes"):
            pid = _str(prog.get("id"))
            sessions: dict[str, dict] = {}
            for j, ses in _items(prog, "sessions"):
                sid = _str(ses.get("id"))
                if sid is None:
                    continue
                if sid in sessions:
                    out.append(Problem(f"programmes[{i}].sessions[{j}].id",
                                       f"session id {sid!r} is used twice in this programme"))
                sessions.setdefault(sid, ses)
            if pid is not None:
                self.sessions.setdefault(pid, sessions)

    def has(self, section: str, ident: Any) -> bool:
        return isinstance(ident, str) and ident in self.by_section[section]

    def is_person(self, ident: Any) -> bool:
        return any(self.has(s, ident) for s in PERSON_SECTIONS)

    def non_person(self, ident: Any) -> str | None:
        """The section that declares ``ident`` as something other than a person."""
        if not isinstance(ident, str):
            return None
        if ident in self.demands:
            return "demands"
        return next((s for s in ID_SECTIONS if s not in PERSON_SECTIONS
                     and ident in self.by_section[s]), None)

    def is_located(self, ident: Any) -> bool:
        return any(self.has(s, ident) for s in LOCATED_SECTIONS)


def _ref(out: list[Problem], path: str, value: Any, ok: bool, what: str) -> None:
    if isinstance(value, str) and not ok:
        out.append(Problem(path, f"{value!r} is not {what}"))


def check_references(data: Any) -> list[Problem]:
    """Every cross-reference problem of a raw scenario document.

    Parameters
    ----------
    data : Any
        The document as loaded from JSON/YAML. Anything that is not a dict is
        left to field validation.

    Returns
    -------
    list of Problem
    """
    out: list[Problem] = []
    if not isinstance(data, dict):
        return out
    ids = _Ids(data, out)

    for i, ins in _items(data, "instructors"):
        p = f"instructors[{i}]"
        _ref(out, f"{p}.employer", ins.get("employer"), ids.has("employers", ins.get("employer")),
             "an employer id")
        prefs = ins.get("preferences")
        if isinstance(prefs, dict):
            for k in prefs:
                _ref(out, f"{p}.preferences.{k}", k, ids.has("schools", k), "a school id")
        _dupes(ins.get("available"), f"{p}.available", "slot", out)
        _dupes(ins.get("regions"), f"{p}.regions", "region", out)

    for i, sch in _items(data, "schools"):
        prefs = sch.get("preferences")
        if isinstance(prefs, dict):
            for k in prefs:
                _ref(out, f"schools[{i}].preferences.{k}", k, ids.has("instructors", k),
                     "an instructor id")
        for j, dem in _items(sch, "demands"):
            _dupes(dem.get("slots"), f"schools[{i}].demands[{j}].slots", "slot", out)

    for section in ("pinned", "previous_plan"):
        seen: set[tuple] = set()
        # A previous plan is history: it may name an instructor or demand that is gone
        # (the re-planning case); such rows simply cannot be kept (S7). Pins must resolve.
        strict = section == "pinned"
        for i, row in _items(data, section):
            p = f"{section}[{i}]"
            ins, dem, slot = row.get("instructor"), row.get("demand"), row.get("slot")
            if strict:
                _ref(out, f"{p}.instructor", ins, ids.has("instructors", ins),
                     "an instructor id")
                _ref(out, f"{p}.demand", dem, isinstance(dem, str) and dem in ids.demands,
                     "a demand id")
            key = _slot_key(slot)
            if strict and isinstance(dem, str) and dem in ids.demands and key is not None:
                dem_slots = ids.demands[dem][1].get("slots")
                keys = {_slot_key(s) for s in dem_slots} if isinstance(dem_slots, list) else set()
                if key not in keys:
                    out.append(Problem(f"{p}.slot", f"{slot!r} is not a slot of demand {dem!r}"))
            row_key = (ins, dem, key, row.get("period"))
            if all(isinstance(v, str) for v in row_key[:3]):
                if row_key in seen:
                    out.append(Problem(p, "this row repeats an earlier one"))
                seen.add(row_key)

    pairs: dict[frozenset, tuple[str, Any]] = {}
    for i, row in _items(data, "travel_km"):
        p = f"travel_km[{i}]"
        a, b = row.get("from"), row.get("to")
        _ref(out, f"{p}.from", a, ids.is_located(a), "the id of a located item")
        _ref(out, f"{p}.to", b, ids.is_located(b), "the id of a located item")
        if isinstance(a, str) and isinstance(b, str):
            pair = frozenset((a, b))
            if pair in pairs and pairs[pair][1] != row.get("km"):
                out.append(Problem(p, f"the distance {a!r}–{b!r} is also given, differently, "
                                      f"by {pairs[pair][0]}"))
            pairs.setdefault(pair, (p, row.get("km")))

    for i, tr in _items(data, "trainers"):
        for field in ("certified", "trainee"):
            progs = tr.get(field)
            if isinstance(progs, list):
                for j, prog in enumerate(progs):
                    _ref(out, f"trainers[{i}].{field}[{j}]", prog, ids.has("programmes", prog),
                         "a programme id")
            _dupes(progs, f"trainers[{i}].{field}", "programme", out)

    for i, par in _items(data, "participants"):
        _ref(out, f"participants[{i}].school", par.get("school"),
             ids.has("schools", par.get("school")), "a school id")

    for i, prog in _items(data, "programmes"):
        sessions = ids.sessions.get(_str(prog.get("id")) or "", {})
        after: dict[str, str] = {}
        for j, ses in _items(prog, "sessions"):
            a, sid = ses.get("after"), _str(ses.get("id"))
            if isinstance(a, str):
                if a not in sessions:
                    out.append(Problem(f"programmes[{i}].sessions[{j}].after",
                                       f"{a!r} is not a session of this programme"))
                elif sid is not None:
                    after.setdefault(sid, a)
        for sid in _cycle(after):
            j = next(j for j, s in _items(prog, "sessions") if s.get("id") == sid)
            out.append(Problem(f"programmes[{i}].sessions[{j}].after",
                               f"session {sid!r} is part of a cycle of 'after'"))

    for i, coh in _items(data, "cohorts"):
        prog = coh.get("programme")
        _ref(out, f"cohorts[{i}].programme", prog, ids.has("programmes", prog), "a programme id")
        parts = coh.get("participants")
        if isinstance(parts, list):
            for j, who in enumerate(parts):
                # Anyone may follow a course (a trainee trainer too): any person id.
                _ref(out, f"cohorts[{i}].participants[{j}]", who, ids.is_person(who),
                     "a person (participant, trainer or instructor) id")
        _dupes(parts, f"cohorts[{i}].participants", "participant", out)

    for i, grp in _items(data, "groups"):
        members = grp.get("members")
        if isinstance(members, list):
            for j, who in enumerate(members):
                # "Group member" is a role of its own (DOMAIN §3): an id seen only here is
                # a person too; it must just not name a school, a venue or the like.
                other = ids.non_person(who)
                if other is not None:
                    out.append(Problem(f"groups[{i}].members[{j}]",
                                       f"{who!r} is an id of {other}, not a person"))
        _dupes(members, f"groups[{i}].members", "member", out)

    if data.get("calendar") is None:
        for section in ("cohorts", "groups"):
            if any(True for _ in _items(data, section)):
                out.append(Problem("calendar", f"a calendar is needed to schedule {section}"))
                break
    return out


def _cycle(after: dict[str, str]) -> list[str]:
    """Sessions on a cycle of the ``after`` relation, in the order they are listed."""
    graph = nx.DiGraph(list(after.items()))
    looped = {n for n, m in graph.edges if n == m}
    on = looped.union(*(c for c in nx.strongly_connected_components(graph) if len(c) > 1))
    return [s for s in after if s in on]
