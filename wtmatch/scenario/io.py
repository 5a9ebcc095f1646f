"""Reading and writing scenario files (JSON or YAML in, JSON out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wtmatch.errors import Problem, ScenarioError
from wtmatch.files import write_text
from wtmatch.scenario.parse import MAX_BYTES, parse_bytes, parse_text
from wtmatch.scenario.scenario import Scenario, problems_from

__all__ = ["dumps", "from_data", "json_schema", "load", "parse_text", "read_document", "save"]


def read_document(path: str | Path) -> Any:
    """Parse a JSON or YAML file into plain data (:mod:`wtmatch.scenario.parse`'s rules).

    Raises
    ------
    ScenarioError
        When the file cannot be read, is too large or too deep, or is neither
        JSON nor YAML; the problem says where.
    """
    p = Path(path)
    try:
        with p.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError([Problem("", "file not found")], source=str(p)) from None
    except IsADirectoryError:
        raise ScenarioError([Problem("", "is a directory, not a file")], source=str(p)) from None
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot read the file: {exc.strerror or exc}")],
                            source=str(p)) from None
    return parse_bytes(raw, yaml_allowed=p.suffix.lower() != ".json", source=str(p))


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
    write_text(path, dumps(scenario))


def json_schema() -> dict:
    """The JSON Schema of the scenario format, generated from the models."""
    return Scenario.model_json_schema(by_alias=True)
