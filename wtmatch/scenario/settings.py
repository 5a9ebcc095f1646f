"""Objective weights and the scenario's own settings."""

from __future__ import annotations

from pydantic import Field

from wtmatch.scenario.base import Km, Model, Weight


class Weights(Model):
    """Integer weights of the objective terms (DOMAIN.md §4 S1–S7, §5 S20–S24, §8 S8–S9).

    An unknown name is invalid input (DOMAIN.md §3): a typo must not silently
    fall back to a default. Each weight is an integer in 0..10⁹ (a negative
    weight would turn a penalty into a reward, which the solver's model
    cannot represent exactly), and the objective's largest possible value
    must stay within 2⁵³ (checked on the whole scenario).
    """

    model_config = Model.model_config | {"extra": "forbid"}

    coverage: Weight = 1000
    travel_km: Weight = 1
    continuity: Weight = 100
    preference: Weight = 20
    underuse: Weight = 50
    fragmentation: Weight = 30
    change: Weight = 200
    reach: Weight = 0
    handover: Weight = 100
    session: Weight = 1000
    meeting: Weight = 500
    study_day: Weight = 20
    trainee: Weight = 50
    trainer_km: Weight = 1
    spread: Weight = 1


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
    same_day_max_km: Km | None = None
