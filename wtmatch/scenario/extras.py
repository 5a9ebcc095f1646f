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
