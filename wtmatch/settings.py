"""Solver settings: one pydantic object, loadable from TOML or JSON."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from wtmatch.errors import Problem, ScenarioError
from wtmatch.scenario.base import Model
from wtmatch.scenario.scenario import problems_from
from wtmatch.scenario.settings import Weights


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
        CP-SAT workers; 0 chooses: a full portfolio (8, or every core if
        more), except that part A on fewer than 8 cores runs the two LP
        subsolvers ``max_lp`` and ``default_lp`` on every core (plus one
        neighbourhood worker on large models), which proves 2–3× sooner there.
    seed : int
        CP-SAT's random seed.
    log : bool
        Print CP-SAT's search log to standard error.
    hint : bool
        Give CP-SAT the greedy plan as a warm start.
    symmetry : bool
        Order interchangeable instructors (symmetry breaking).
    reproducible : bool
        Same plan for the same scenario, settings and seed, bit for bit:
        interleaved search and a deterministic time limit.
    weights : dict of str to int
        Objective weights that override the scenario's.
    lns : bool
        Improve part A's greedy plan with large-neighbourhood search over
        clusters of nearby schools and chains from open seats (small CP-SAT
        sub-models, one per core at once), then search the full model again
        from that plan for the bound. From 8,000 to 20,000 candidate triples
        the LP relaxation is solved (GLOP) beside the search; once its bound
        is known, the search keeps the whole time limit instead. Used for models
        of 3,000–50,000 candidate triples (smaller ones are proven optimal by
        CP-SAT alone; larger ones need all the time for a bound), and not in
        ``reproducible`` mode, whose plans must not depend on the clock.
        The assignment core on its own (the GAP benchmark) searches
        neighbourhoods of a few agents above 6,000 pairs; below, when the
        knapsack bound leaves the plan unproven, it first searches the kernel
        (each task's 3 best pairs by the knapsack prices) for up to half the
        time. Off: neither.
    lp_guide : bool
        Once GLOP has solved the LP relaxation beside the neighbourhood search,
        give one round to the candidates the LP uses (plus the plan's rows), on
        every core: a RINS-like round (relaxation induced neighbourhood search).
        Part A does this where it solves the LP (8,000–20,000 candidate triples);
        the assignment core on its own (``wtmatch.solver.core_search``) above
        6,000 pairs. Off: part A still takes the LP's bound; the core solves no LP.
    knapsack_bound : bool
        The assignment core on its own (the GAP benchmark): price the tasks and
        solve every agent's knapsack exactly (up to 15 % of the time limit), for
        a bound tighter than the LP's and exact reduced-cost fixing of pairs.
        Off: only the capacity-priced bound and the LP. Part A does not use it.
    lns_share : float
        Share of part A's time limit given to the neighbourhood search before
        the full search (all of it, when the LP bound is known by then).
    presolve_limit : int
        Above this many variables, CP-SAT's presolve is kept short (a full
        presolve of a million-variable model takes longer than the search).
    memory_limit_mb : int
        Most memory (MB) part A's full CP-SAT search may be expected to take;
        0 (default): three quarters of the machine's physical memory. A model
        whose search would need more (about 17 KB per candidate triple on
        2 cores, more with more workers: 20 GB at 3000 × 2000) is not
        searched: the verified greedy plan is the answer, and
        ``solver.details["cpsat_skipped"]`` says why.
    stable : bool
        Part A returns the best plan without blocking pairs among the plans of
        best coverage (:func:`wtmatch.analysis.stable_plan`); its
        ``solver.details`` say what that cost (``stability_cost``).
    cpsat : dict
        Any CP-SAT parameter by name, passed through (wins over the above).
    """

    # A mistyped setting must not silently fall back to its default.
    model_config = Model.model_config | {"extra": "forbid"}

    time_limit: float = Field(default=10.0, gt=0)
    workers: int = Field(default=0, ge=0)
    seed: int = Field(default=0, ge=0)
    log: bool = False
    hint: bool = True
    symmetry: bool = True
    reproducible: bool = False
    part: Literal["assign", "sessions", "all"] = "all"
    weights: dict[str, int] = Field(default_factory=dict)
    lns: bool = True
    lns_share: float = Field(default=0.7, ge=0, lt=1)
    lp_guide: bool = True
    knapsack_bound: bool = True
    presolve_limit: int = Field(default=200_000, ge=0)
    memory_limit_mb: int = Field(default=0, ge=0)
    stable: bool = False
    cpsat: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_names(self) -> Settings:
        unknown = sorted(set(self.weights) - set(Weights.model_fields))
        if unknown:
            raise PydanticCustomError("weight_name", "unknown weight name(s): {names}",
                                      {"names": ", ".join(unknown)})
        bad = [k for k in self.weights if self.weights[k] < 0]
        if bad:
            raise PydanticCustomError(
                "weight_sign", "weights must be non-negative (the sign of each term is fixed "
                "by its definition): {names}", {"names": ", ".join(bad)})
        if self.cpsat:
            from wtmatch.solver.params import unknown_parameters

            wrong = unknown_parameters(self.cpsat)
            if wrong:
                raise PydanticCustomError("cpsat_param", "not CP-SAT parameters: {names}",
                                          {"names": ", ".join(wrong)})
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
