"""A sweep's grid: scenarios, variants (settings, weights, scenario edits) and seeds.

A grid file (TOML or YAML) reads::

    scenarios = ["twente.json"]          # paths relative to the grid file
    seeds = [1, 2]
    time_limit = 5                       # seconds per run (a variant may override it)
    [variants.default]
    [variants.far]
    weights = { travel_km = 5 }
    [variants.without_I001]
    remove_instructors = ["I001"]

A variant takes any :class:`~wtmatch.settings.Settings` field, ``weights``,
and the scenario edits of :class:`Edits`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wtmatch.errors import Problem, ScenarioError
from wtmatch.scenario.parse import parse_text
from wtmatch.settings import Settings


class Grant(BaseModel):
    """An instructor who has followed a programme: its ``grants`` applied to them."""

    model_config = ConfigDict(extra="forbid")
    instructor: str
    programme: str


class Edits(BaseModel):
    """Changes a variant makes to each scenario before it is solved."""

    model_config = ConfigDict(extra="forbid")
    remove_instructors: list[str] = Field(default_factory=list)
    remove_demands: list[str] = Field(default_factory=list)
    add_instructors: list[dict[str, Any]] = Field(default_factory=list)
    add_demands: list[dict[str, Any]] = Field(
        default_factory=list, description="each a demand of DOMAIN.md §3 plus 'school'")
    grants: list[Grant] = Field(default_factory=list)


EDIT_KEYS = frozenset(Edits.model_fields)


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep: a scenario file, a variant, a seed.

    ``settings`` and ``edits`` are plain data, so a run travels to a Dask
    worker as it is.
    """

    scenario: str
    variant: str
    seed: int
    settings: dict[str, Any]
    edits: dict[str, Any]
    parameters: dict[str, Any]

    @property
    def key(self) -> str:
        """The run's identity in the table: scenario | variant | seed."""
        return f"{Path(self.scenario).name}|{self.variant}|{self.seed}"


class Grid(BaseModel):
    """A sweep: every scenario × variant × seed is one run."""

    model_config = ConfigDict(extra="forbid")
    scenarios: list[str] = Field(min_length=1)
    seeds: list[int] = Field(default_factory=lambda: [0], min_length=1)
    time_limit: float = Field(default=10.0, gt=0)
    workers: int = Field(default=1, ge=0, description="CP-SAT workers per run")
    variants: dict[str, dict[str, Any]] = Field(default_factory=lambda: {"default": {}})
    base: str = Field(default=".", description="folder the scenario paths are relative to")

    def runs(self) -> list[RunSpec]:
        """Every run, in grid order (scenario, variant, seed)."""
        out = []
        for scenario in self.scenarios:
            path = str((Path(self.base) / scenario).resolve())
            for name, variant in self.variants.items():
                settings, edits = split_variant(name, variant)
                for seed in self.seeds:
                    out.append(RunSpec(
                        path, name, seed,
                        {"time_limit": self.time_limit, "workers": self.workers,
                         **settings, "seed": seed},
                        edits, flatten(variant)))
        return out


def split_variant(name: str, variant: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A variant's settings fields and its scenario edits, both checked.

    Raises
    ------
    ScenarioError
        Naming the variant and the field that is wrong.
    """
    edits = {k: v for k, v in variant.items() if k in EDIT_KEYS}
    settings = {k: v for k, v in variant.items() if k not in EDIT_KEYS}
    problems = []
    try:
        Edits.model_validate(edits)
        Settings.model_validate(settings)
    except ValidationError as exc:
        problems += [Problem(f"variants.{name}.{'.'.join(map(str, e['loc']))}", e["msg"])
                     for e in exc.errors()]
    if problems:
        raise ScenarioError(problems, source="grid")
    return settings, edits


def flatten(variant: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A variant's parameters as flat columns (``weights.travel_km``)."""
    out: dict[str, Any] = {}
    for k, v in variant.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v if isinstance(v, (int, float, str, bool)) else str(v)
    return out


def load_grid(path: str | Path) -> Grid:
    """Read a grid file (TOML, or YAML by its suffix); scenario paths are relative to it.

    Raises
    ------
    ScenarioError
        Every problem of the grid, each with its path.
    """
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    try:
        data = parse_text(text, source=str(p)) if p.suffix.lower() in (".yaml", ".yml", ".json") \
            else tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem("", f"not TOML: {exc}")], source=str(p)) from None
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", "a grid is a mapping of keys")], source=str(p))
    try:
        grid = Grid.model_validate({**data, "base": str(p.parent)})
    except ValidationError as exc:
        raise ScenarioError([Problem(".".join(map(str, e["loc"])), e["msg"])
                             for e in exc.errors()], source=str(p)) from None
    for name, variant in grid.variants.items():
        split_variant(name, variant)
    missing = [s for s in grid.scenarios if not (p.parent / s).exists()]
    if missing:
        raise ScenarioError([Problem(f"scenarios[{grid.scenarios.index(s)}]",
                                     f"{s!r}: no such file") for s in missing], source=str(p))
    return grid
