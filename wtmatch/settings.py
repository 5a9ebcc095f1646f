"""Solver settings: one pydantic object, loadable from TOML or JSON.

:class:`Settings` holds what a user sets (time, workers, seed, weights, …).
The knobs researchers turn to tune the searches live apart, one object per
part: :class:`AssignTuning` (``Settings.assign_tuning``) and
:class:`SessionsTuning` (``Settings.sessions_tuning``). Their defaults are
the measured best (docs/benchmarks.md); a planner never needs them.
"""

from __future__ import annotations

import json
import tomllib
import warnings
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from wtmatch.errors import Problem, ScenarioError
from wtmatch.scenario.base import Model, Weight
from wtmatch.scenario.scenario import problems_from
from wtmatch.scenario.settings import Weights

_STRICT = Model.model_config | {"extra": "forbid"}


class AssignTuning(Model):
    """Research knobs of part A's search (the weekly assignment).

    Attributes
    ----------
    hint : bool
        Give CP-SAT the greedy plan as a warm start.
    symmetry : bool
        Order interchangeable instructors (symmetry breaking).
    lns : bool
        Improve the greedy plan with large-neighbourhood search over clusters
        of nearby schools and chains from open seats (small CP-SAT sub-models,
        one per core at once) before the full search, on models too large for
        CP-SAT alone to prove (:mod:`wtmatch.solver.assign.strategy` says where);
        never in reproducible mode, whose plans must not depend on the clock.
    lns_share : float
        Share of part A's time given to the neighbourhood search before the
        full search (all of it, when the LP relaxation's bound is known by then).
    lp_guide : bool
        Once GLOP has solved the LP relaxation beside the neighbourhood search,
        give one round to the candidates the LP uses (plus the plan's rows):
        relaxation-induced neighbourhood search. Off: the LP only gives the bound.
    presolve_limit : int
        Above this many variables, CP-SAT's presolve is kept short (a full
        presolve of a million-variable model takes longer than the search).
    """

    model_config = _STRICT

    hint: bool = True
    symmetry: bool = True
    lns: bool = True
    lns_share: float = Field(default=0.7, ge=0, lt=1)
    lp_guide: bool = True
    presolve_limit: int = Field(default=200_000, ge=0)


class SessionsTuning(Model):
    """Research knobs of part B's search (the school year).

    Attributes
    ----------
    hint : bool
        Give CP-SAT the greedy schedule as a warm start.
    """

    model_config = _STRICT

    hint: bool = True


# Flat names of earlier versions, still read from settings files and keywords.
_MOVED_TO_ASSIGN = ("symmetry", "lns", "lns_share", "lp_guide", "presolve_limit")
_GONE = {
    "knapsack_bound": "the knapsack bound is a switch of the GAP benchmark "
                      "(gapcore.GapSettings), not of wtmatch",
    "stable": "a stable plan is an analysis: wtmatch.analysis.stable_plan, or "
              "'wtmatch stability SCENARIO PLAN --solve-stable'",
}


class Settings(Model):
    """How to solve.

    Attributes
    ----------
    time_limit : float
        Seconds for each part (A, B), model building included (wall clock;
        CP-SAT's deterministic time units in ``reproducible`` mode). When
        building part A's model alone would overrun it, the verified greedy
        plan is returned.
    workers : int
        CP-SAT workers; 0 (default): the solver chooses — a full portfolio (8,
        or every core if more), except that part A on fewer than 8 cores runs
        the two LP subsolvers ``max_lp`` and ``default_lp`` on every core.
    seed : int
        Random seed of CP-SAT and of the neighbourhood search.
    log : bool
        Print CP-SAT's search log to standard error.
    reproducible : bool
        Same plan for the same scenario, settings and seed, bit for bit:
        interleaved search and a deterministic time limit.
    part : {"all", "assign", "sessions"}
        Which parts to solve: both (A, then B with A's teaching blocking its
        slots), or one.
    weights : dict of str to int
        Objective weights that override the scenario's.
    memory_limit_mb : int
        Most memory (MB) part A's full CP-SAT search may be expected to take;
        0 (default): three quarters of the machine's physical memory. A model
        whose search would need more is not searched: the verified greedy plan
        is the answer, and ``solver.details["cpsat_skipped"]`` says why.
    cpsat : dict
        Any CP-SAT parameter by name, passed through (wins over the above);
        checked against CP-SAT's parameters when a solve starts.
    assign_tuning : AssignTuning
        Research knobs of part A's search.
    sessions_tuning : SessionsTuning
        Research knobs of part B's search.
    """

    # A mistyped setting must not silently fall back to its default.
    model_config = _STRICT

    time_limit: float = Field(default=10.0, gt=0)
    workers: int = Field(default=0, ge=0)
    seed: int = Field(default=0, ge=0)
    log: bool = False
    reproducible: bool = False
    part: Literal["assign", "sessions", "all"] = "all"
    weights: dict[str, Weight] = Field(default_factory=dict)
    memory_limit_mb: int = Field(default=0, ge=0)
    cpsat: dict[str, Any] = Field(default_factory=dict)
    assign_tuning: AssignTuning = Field(default_factory=AssignTuning)
    sessions_tuning: SessionsTuning = Field(default_factory=SessionsTuning)

    @model_validator(mode="before")
    @classmethod
    def _earlier_names(cls, data: Any) -> Any:
        """Read the flat tuning names of earlier versions into the nested objects."""
        if not isinstance(data, dict):
            return data
        for name, why in _GONE.items():
            if name in data:
                raise PydanticCustomError("setting_gone", "'{name}' is no longer a setting: {why}",
                                          {"name": name, "why": why})
        moved = [k for k in (*_MOVED_TO_ASSIGN, "hint") if k in data]
        if not moved:
            return data
        warnings.warn(f"settings {', '.join(moved)} moved to assign_tuning (hint: to "
                      "assign_tuning and sessions_tuning)", DeprecationWarning, stacklevel=2)
        data = dict(data)
        assign = dict(data.get("assign_tuning") or {})
        sessions = dict(data.get("sessions_tuning") or {})
        for k in moved:
            value = data.pop(k)
            assign.setdefault(k, value)
            if k == "hint":
                sessions.setdefault(k, value)
        data["assign_tuning"], data["sessions_tuning"] = assign, sessions
        return data

    @model_validator(mode="after")
    def _known_weights(self) -> Settings:
        unknown = sorted(set(self.weights) - set(Weights.model_fields))
        if unknown:
            raise PydanticCustomError("weight_name", "unknown weight name(s): {names}",
                                      {"names": ", ".join(unknown)})
        bad = [k for k in self.weights if self.weights[k] < 0]
        if bad:
            raise PydanticCustomError(
                "weight_sign", "weights must be non-negative (the sign of each term is fixed "
                "by its definition): {names}", {"names": ", ".join(bad)})
        return self

    @classmethod
    def load(cls, path: str | Path) -> Settings:
        """Read settings from a TOML or JSON file.

        Raises
        ------
        ScenarioError
            When the file is missing, unreadable or holds invalid settings.
        """
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise ScenarioError([Problem("", f"cannot read settings: {exc.strerror or exc}")],
                                source=str(p)) from None
        try:
            data = json.loads(text) if p.suffix.lower() == ".json" else tomllib.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ScenarioError([Problem("", f"not valid {p.suffix.lstrip('.') or 'TOML'}: {exc}")],
                                source=str(p)) from None
        return cls.from_data(data, source=str(p))

    @classmethod
    def from_data(cls, data: Any, source: str | None = None) -> Settings:
        """Validate plain data into settings; raise :class:`ScenarioError` listing problems."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(problems_from(exc), source=source) from None
