"""Objective weights and the scenario's own settings."""

from __future__ import annotations

from pydantic import Field

from wtmatch.scenario.base import Model, NonNegFloat


class Weights(Model):
    """Integer weights of the objective terms (DOMAIN.md §4 S1–S7, §5 S20–S24).

    An unknown name is invalid input (DOMAIN.md §3): a typo must not silently
    fall back to a default.
    """

    model_config = Model.model_config | {"extra": "forbid"}

    coverage: int = 1000
    travel_km: int = 1
    continuity: int = 100
    preference: int = 20
    underuse: int = 50
    fragmentation: int = 30
    change: int = 200
    session: int = 1000
    meeting: int = 500
    study_day: int = 20
    trainee: int = 50
    trainer_km: int = 1
    spread: int = 1


class ScenarioSettings(Model):
    """The ``settings`` section of a scenario.

    Attributes
    ----------
    weights : Weights
    same_day_max_km : float or None
        H8: two schools of one instructor on one weekday are at most this far
        apart; ``None`` means unlimited.
    """

    weights: Weights = Field(default_factory=Weights)
    same_day_max_km: NonNegFloat | None = None
