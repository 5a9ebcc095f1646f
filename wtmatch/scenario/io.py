"""Reading and writing scenario files (JSON or YAML in, JSON out)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from wtmatch.errors import Problem, ScenarioError
from wtmatch.scenario.scenario import Scenario, problems_from


def read_document(path: str | Path) -> Any:
    """Parse a JSON or YAML file into plain data.

    Raises
    ------
    ScenarioError
        When the file cannot be read or is neither JSON nor YAML.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem("", "file not found")], source=str(p)) from None
    except IsADirectoryError:
        raise ScenarioError([Problem("", "is a directory, not a file")], source=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem("", f"cannot read the file: {exc}")], source=str(p)) from None
    return parse_text(text, yaml_allowed=p.suffix.lower() != ".json", source=str(p))


def parse_text(text: str, yaml_allowed: bool = True, source: str | None = None) -> Any:
    """Parse JSON (or, when allowed, YAML) text into plain data."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        json_error = f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    if not yaml_allowed:
        raise ScenarioError([Problem("", json_error)], source=source)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ScenarioError([Problem("", f"neither valid JSON nor valid YAML{where}")],
                            source=source) from None


def from_data(data: Any, source: str | None = None) -> Scenario:
    """Validate plain data (a dict from JSON/YAML) into a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        With every problem found, each with its path.
    """
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", f"a scenario is a mapping of sections, "
                                         f"not {type(data).__name__}")], source=source)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from(exc), source=source) from None


def load(path: str | Path) -> Scenario:
    """Load and validate a scenario from a JSON or YAML file.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        When the file is missing, unreadable, not JSON/YAML, or breaks the
        format; the error lists every problem with its path.
    """
    return from_data(read_document(path), source=str(path))


def dumps(scenario: Scenario) -> str:
    """The scenario as JSON text (defaults included, stable field order)."""
    return scenario.model_dump_json(indent=2, by_alias=True) + "\n"


def save(scenario: Scenario, path: str | Path) -> None:
    """Write the scenario as a JSON file."""
    Path(path).write_text(dumps(scenario), encoding="utf-8")


def json_schema() -> dict:
    """The JSON Schema of the scenario format, generated from the models."""
    return Scenario.model_json_schema(by_alias=True)
