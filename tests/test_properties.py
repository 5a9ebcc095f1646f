"""Properties over generated scenarios: lossless round trips, robust rejection."""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from wtmatch.errors import ScenarioError
from wtmatch.generate import generate_data
from wtmatch.scenario import dumps, from_data

scenarios = st.builds(generate_data, st.integers(1, 12), st.integers(1, 8), st.integers(0, 2),
                      st.integers(0, 2), st.integers(0, 10**6), st.booleans())


@given(scenarios)
def test_json_round_trip_is_lossless(data):
    scenario = from_data(data)
    text = dumps(scenario)
    again = from_data(json.loads(text))
    assert again == scenario and dumps(again) == text


@given(scenarios)
def test_yaml_round_trip_is_lossless(data):
    scenario = from_data(data)
    text = yaml.safe_dump(scenario.model_dump(mode="json", by_alias=True), sort_keys=False)
    again = from_data(yaml.safe_load(text))
    assert again == scenario and dumps(again) == dumps(scenario)


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    """Paths to every scalar or list value of a document."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _leaves(v, (*path, k))
    elif isinstance(node, list):
        out.append(path)
        for i, v in enumerate(node):
            out += _leaves(v, (*path, i))
    else:
        out.append(path)
    return out


def _text(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def never_valid() -> dict:
    """A value no scalar or list field of the format accepts: a mapping."""
    return {"not": "valid"}


@given(scenarios, st.data())
def test_one_invalid_value_is_rejected_with_its_path(data, draw):
    leaves = [p for p in _leaves(data) if p]
    path = draw.draw(st.sampled_from(leaves))
    target = data
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = never_valid()
    try:
        from_data(data)
    except ScenarioError as exc:
        where = _text(path)
        assert any(p.path == where or p.path.startswith(where + ".")
                   or p.path.startswith(where + "[") for p in exc.problems), (where, exc.problems)
    else:
        raise AssertionError(f"{_text(path)} = {never_valid()} was accepted")
