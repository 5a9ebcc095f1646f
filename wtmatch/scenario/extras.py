"""Fields a document has that the format does not: typos are errors, the rest is kept.

A key close to a known field name (``max_dayparst``) is almost surely a typo
and is reported with the field it resembles; any other unknown key is
kept on the model as it is (round trips preserve it) and listed as a note,
so nothing the user wrote is silently dropped or silently ignored.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel

from wtmatch.errors import Problem


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic model classes inside a field annotation (list[X], X | None …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out += _models_in(arg)
    return out


def unknown_fields(data: Any, model: type[BaseModel], path: str = "") -> tuple[list[Problem],
                                                                                list[Problem]]:
    """(typos, other unknown keys) of a raw document against a model class."""
    typos: list[Problem] = []
    notes: list[Problem] = []
    if not isinstance(data, dict):
        return typos, notes
    fields = {(f.alias or name): f for name, f in model.model_fields.items()}
    fields.update(dict(model.model_fields.items()))
    for key, value in data.items():
        where = f"{path}.{key}" if path else str(key)
        field = fields.get(key)
        if field is None:
            close = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.75)
            if close:
                typos.append(Problem(where, f"unknown field; did you mean {close[0]!r}?"))
            else:
                notes.append(Problem(where, "not part of the format; kept as it is"))
            continue
        for sub in _models_in(field.annotation):
            if isinstance(value, dict):
                t, n = unknown_fields(value, sub, where)
                typos += t
                notes += n
            elif isinstance(value, list):
                for k, item in enumerate(value):
                    t, n = unknown_fields(item, sub, f"{where}[{k}]")
                    typos += t
                    notes += n
    return typos, notes


def near_miss_names(data: Any) -> list[Problem]:
    """Notes on skills and regions named once that look like a misspelling of a used one.

    A skill asked by one demand and held by nobody, or a region given once,
    is legal input — a rare skill exists — but when it is a near-miss of a
    name used elsewhere (``robotcs`` beside ``robotics``), it is almost
    surely a typo that would silently leave seats uncovered.
    """
    if not isinstance(data, dict):
        return []
    places: dict[str, dict[str, list[str]]] = {"skill": {}, "region": {}}

    def seen(kind: str, name: Any, where: str) -> None:
        if isinstance(name, str) and name:
            places[kind].setdefault(name, []).append(where)

    for i, ins in _dicts(data.get("instructors")):
        for skill in (ins.get("skills") or {}) if isinstance(ins.get("skills"), dict) else {}:
            seen("skill", skill, f"instructors[{i}].skills.{skill}")
        seen("region", ins.get("region"), f"instructors[{i}].region")
        for k, region in enumerate(ins.get("regions") or []):
            seen("region", region, f"instructors[{i}].regions[{k}]")
    for s, school in _dicts(data.get("schools")):
        seen("region", school.get("region"), f"schools[{s}].region")
        for d, dem in _dicts(school.get("demands")):
            seen("skill", dem.get("skill"), f"schools[{s}].demands[{d}].skill")
    notes = []
    for kind, names in places.items():
        common = [n for n, where in names.items() if len(where) > 1]
        for name, where in names.items():
            if len(where) != 1:
                continue
            close = difflib.get_close_matches(name, common, n=1, cutoff=0.8)
            if close:
                notes.append(Problem(where[0], f"the {kind} {name!r} is named nowhere else; "
                                               f"did you mean {close[0]!r}?"))
    return notes


def _dicts(seq: Any) -> list[tuple[int, dict]]:
    return [(k, v) for k, v in enumerate(seq) if isinstance(v, dict)] if isinstance(seq, list) \
        else []
