"""The plan file (DOMAIN.md §6, ``"format": "wtmatch-plan/1"``).

A plan is what a solve returns and what :mod:`wtmatch.verify` checks. It is
written and read back without loss: ``Plan.loads(plan.dumps()) == plan`` and
the JSON text of the two is identical.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_serializer, model_validator

from wtmatch.errors import ScenarioError
from wtmatch.files import write_text
from wtmatch.scenario.base import Id
from wtmatch.scenario.io import read_document
from wtmatch.scenario.scenario import problems_from
from wtmatch.scenario.time import DatedSlot, WeeklySlot

Status = Literal["optimal", "feasible", "infeasible", "unknown", "invalid_input"]


class _Row(BaseModel):
    # Plans from other tools may carry fields of their own: kept, never dropped.
    model_config = ConfigDict(frozen=True, extra="allow")


class Reason(_Row):
    """Why a seat is uncovered or an item unscheduled: a stable code and words.

    Attributes
    ----------
    code : str
        Machine-readable, e.g. ``no_skill``, ``used_elsewhere``.
    message : str
        The same in a sentence a planner understands.
    items : list of str
        Ids involved (candidates, pins, persons), when there are any.
    """

    code: str = ""
    message: str
    items: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _a_sentence(cls, data: Any) -> Any:
        # DOMAIN §6 asks for human-readable reasons: another tool may give a sentence alone.
        return {"message": data} if isinstance(data, str) else data


class _Periodic(_Row):
    # ``period`` is written only by plans with periods (wtmatch-plan/2): a plan
    # without periods stays exactly as v1 wrote it.
    @model_serializer(mode="wrap")
    def _without_no_period(self, handler: Any) -> Any:
        out = handler(self)
        if isinstance(out, dict) and out.get("period", "") is None:
            del out["period"]
        return out


class Assignment(_Periodic):
    """An instructor covering a seat of a demand in a weekly slot (of a period, §8)."""

    instructor: Id
    demand: Id
    school: Id
    slot: WeeklySlot
    period: Id | None = None


class ScheduledSession(_Row):
    """A cohort's programme session placed on 1 or 2 dated slots."""

    cohort: Id
    session: Id
    slots: list[DatedSlot] = Field(min_length=1, max_length=2)
    trainers: list[Id] = Field(default_factory=list)
    venue: Id | None = None


class ScheduledMeeting(_Row):
    """The ``index``-th meeting (in date order) of a group."""

    group: Id
    index: int = Field(ge=1)
    slot: DatedSlot
    venue: Id | None = None


class UncoveredSeat(_Periodic):
    """A seat of a demand slot (in a period, §8) left empty, with the reasons."""

    demand: Id
    school: Id | None = None
    slot: WeeklySlot
    period: Id | None = None
    seat: int = Field(default=1, ge=1)
    reasons: list[Reason] = Field(default_factory=list)


class UnscheduledItem(_Row):
    """A cohort session or a group meeting left out of the year, with the reasons."""

    kind: Literal["session", "meeting"]
    cohort: Id | None = None
    session: Id | None = None
    group: Id | None = None
    index: int | None = None
    reasons: list[Reason] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _kind_from_the_ids(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data:
            return {**data, "kind": "session" if "cohort" in data else "meeting"}
        return data


class ObjectiveParts(_Row):
    """The objective of part A (``assign``) and of part B (``sessions``).

    None for a part that has no plan (part A infeasible, or out of time).
    """

    assign: int | None = 0
    sessions: int | None = 0


class Kpis(_Row):
    """Figures a planner reads first."""

    seats: int = 0
    seats_filled: int = 0
    coverage_pct: float = 0.0
    coverage_by_region: dict[str, float] = Field(default_factory=dict)
    coverage_by_period: dict[str, float] = Field(default_factory=dict)
    utilisation_pct: float = 0.0
    utilisation: dict[str, float] = Field(default_factory=dict)
    travel_km: int = 0
    sessions: int = 0
    sessions_scheduled: int = 0
    meetings: int = 0
    meetings_scheduled: int = 0


class SolverInfo(_Row):
    """How the plan was made."""

    wall_time: float = 0.0
    build_time: float = 0.0
    workers: int = 0
    seed: int = 0
    cpsat_version: str = ""
    gap: float | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class Plan(_Row):
    """A plan: weekly assignments, a year of sessions and meetings, and what it is worth.

    ``objective`` is part A + part B exactly as DOMAIN.md defines them;
    ``objective_terms`` gives each term (``S1`` … ``S7``, ``S20`` … ``S24``),
    signed as it enters the objective. ``scenario_fingerprint`` names the
    scenario the plan was solved against
    (:func:`wtmatch.scenario.fingerprint.fingerprint`) and ``weights`` the
    objective weights used (the scenario's, with any overrides of the
    settings): anyone can recompute the objective from the scenario, the
    weights and the plan.
    """

    format: Literal["wtmatch-plan/1", "wtmatch-plan/2"] = "wtmatch-plan/1"
    scenario: str = ""
    scenario_fingerprint: str | None = None
    weights: dict[str, int] | None = None
    status: Status
    objective: int | None = None
    objective_parts: ObjectiveParts = Field(default_factory=ObjectiveParts)
    objective_terms: dict[str, int] = Field(default_factory=dict)
    bound: int | None = None
    assignments: list[Assignment] = Field(default_factory=list)
    sessions: list[ScheduledSession] = Field(default_factory=list)
    meetings: list[ScheduledMeeting] = Field(default_factory=list)
    uncovered: list[UncoveredSeat] = Field(default_factory=list)
    unscheduled: list[UnscheduledItem] = Field(default_factory=list)
    kpis: Kpis = Field(default_factory=Kpis)
    solver: SolverInfo = Field(default_factory=SolverInfo)

    def unused_fields(self) -> list[str]:
        """Paths of what the plan holds beyond the format: kept, but read by nobody.

        Another tool's plan may carry fields of its own, and reasons as plain
        sentences (read as messages without a code); the checker says so.
        """
        out: list[str] = []
        stack: list[tuple[Any, str]] = [(self, "")]
        while stack:
            node, path = stack.pop()
            if isinstance(node, BaseModel):
                out += [f"{path}.{k}".lstrip(".") for k in (node.model_extra or {})]
                if isinstance(node, Reason) and not node.code:
                    out.append(f"{path} (a sentence without a code)")
                stack += [(getattr(node, f), f"{path}.{f}") for f in type(node).model_fields]
            elif isinstance(node, list):
                stack += [(v, f"{path}[{i}]") for i, v in enumerate(node)]
        return sorted(out)

    def dumps(self) -> str:
        """The plan as JSON text."""
        return self.model_dump_json(indent=2) + "\n"

    def save(self, path: str | Path) -> None:
        """Write the plan as a JSON file."""
        write_text(path, self.dumps())

    @classmethod
    def from_data(cls, data: Any, source: str | None = None) -> Plan:
        """Validate plain data into a plan; raise :class:`ScenarioError` with every problem."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(problems_from(exc), source=source) from None

    @classmethod
    def loads(cls, text: str) -> Plan:
        """Read a plan from JSON text."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise ScenarioError(problems_from(exc)) from None

    @classmethod
    def load(cls, path: str | Path) -> Plan:
        """Read a plan from a JSON (or YAML) file."""
        return cls.from_data(read_document(path), source=str(path))
