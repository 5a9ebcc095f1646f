"""The largest value a scenario's objective can take, so that it never leaves exact integers.

Plans report the objective as an integer, CP-SAT keeps it in 64 bits and
reports it as a double: beyond 2⁵³ neither would be exact. A scenario whose
objective *could* pass :data:`OBJECTIVE_LIMIT` (heavy weights times many
seats) is refused before any solving, naming the terms that drive it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wtmatch.errors import Problem
from wtmatch.scenario.base import MAX_DAYS, MAX_KM, SLOTS_PER_WEEK
from wtmatch.scenario.settings import Weights

if TYPE_CHECKING:
    from wtmatch.scenario.scenario import Scenario

OBJECTIVE_LIMIT = 2**53
"""Largest objective magnitude allowed: every integer up to it is exact as a double too."""


def term_ceilings(scenario: Scenario, weights: Weights | None = None) -> dict[str, int]:
    """An upper bound on the magnitude of each objective term (DOMAIN.md §4, §5).

    Generous on purpose (every seat filled at the farthest distance, every
    item scheduled with every bonus): a bound, not an estimate.
    """
    w = weights or scenario.settings.weights
    seats = sum(d.instructors_needed * len(d.slots) for s in scenario.schools for d in s.demands)
    instructors = len(scenario.instructors)
    items = sum(len(scenario.programme_by_id[c.programme].sessions)
                for c in scenario.cohorts if c.programme in scenario.programme_by_id)
    items += sum(g.meetings for g in scenario.groups)
    return {
        "S1": w.coverage * 5 * seats,
        "S2": w.travel_km * int(MAX_KM) * seats,
        "S3": w.continuity * seats,
        "S4": w.preference * 4 * seats,
        "S5": w.underuse * SLOTS_PER_WEEK * instructors,
        "S6": w.fragmentation * seats,
        "S7": w.change * len(scenario.previous_plan),
        "S20": max(w.session * 5, w.meeting) * items,
        "S21": w.study_day * items,
        "S22": w.trainee * items,
        "S23": w.trainer_km * int(MAX_KM) * 3 * items,
        "S24": w.spread * MAX_DAYS * items,
    }


_WEIGHT_OF = {"S1": "coverage", "S2": "travel_km", "S3": "continuity", "S4": "preference",
              "S5": "underuse", "S6": "fragmentation", "S7": "change", "S20": "session",
              "S21": "study_day", "S22": "trainee", "S23": "trainer_km", "S24": "spread"}


def objective_range_problems(scenario: Scenario, weights: Weights | None = None
                             ) -> list[Problem]:
    """One problem at ``settings.weights`` when the objective could pass 2⁵³, else none."""
    ceilings = term_ceilings(scenario, weights)
    total = sum(ceilings.values())
    if total <= OBJECTIVE_LIMIT:
        return []
    top = sorted(ceilings, key=ceilings.get, reverse=True)[:3]
    names = ", ".join(f"{_WEIGHT_OF[t]} ({t})" for t in top if ceilings[t])
    return [Problem("settings.weights",
                    f"with these weights the objective could reach about {float(total):.3g}, "
                    f"beyond the exact integers (2^53 ≈ 9.0e15); lower the weights that "
                    f"drive it: {names}")]
