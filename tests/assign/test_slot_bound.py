"""The slot bound: above every plan, exact on cases worked by hand, and used above the full model's reach."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shaken import shaken as _shaken
from test_solve_assign import BINDING, _checked, _rows, tiny

import wtmatch
from wtmatch.assign.candidates import Pool, build_candidates
from wtmatch.assign.slot_bound import slot_bound
from wtmatch.generate import generate
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.solver.assign import strategy


def _bound(scenario, incumbent: float = 0.0, **kw) -> int:
    return slot_bound(build_candidates(Pool.of(scenario)), incumbent, **kw).bound


def test_one_seat_two_instructors_the_price_finds_the_optimum():
    # at zero prices both would fill the seat (2,000); the seat's price brings it to 1,000,
    # and so does the one-line bound of every seat filled by its best candidate, at once
    scenario = tiny([{"id": "A"}, {"id": "B"}], [{"id": "D", "slots": ["mon:morning"]}])
    assert _bound(scenario, iterations=1) == 1000
    assert _bound(scenario) == 1000 == _checked(scenario).objective


def test_one_place_at_a_time_and_capacity_cap_what_an_instructor_earns():
    h3 = tiny([{"id": "A"}], [{"id": "D1", "slots": ["mon:morning"], "priority": 2},
                              {"id": "D2", "slots": ["mon:morning"]}])
    assert _bound(h3) == 2000 == _checked(h3).objective
    h4 = tiny([{"id": "A", "max_dayparts": 1}],
              [{"id": "D1", "slots": ["mon:morning"]},
               {"id": "D2", "slots": ["tue:morning"], "priority": 3}])
    assert _bound(h4) == 3000 == _checked(h4).objective


def test_the_bound_holds_over_every_hand_made_optimum():
    for rule, scenario, _ in BINDING:
        result = _checked(scenario)
        assert result.status == "optimal", rule
        assert _bound(scenario, result.objective) >= result.objective, rule


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_the_bound_holds_over_every_plan_of_shaken_scenarios(seed):
    data = _shaken(seed, sessions=False)
    scenario = wtmatch.from_data(json.loads(json.dumps(data)))
    result = wtmatch.solve(scenario, wtmatch.Settings(time_limit=2, workers=2, seed=0,
                                                      part="assign"))
    assert result.objective is not None
    # the solver's scenario carries the shaken weights
    cands = build_candidates(Pool.of(result.scenario))
    assert slot_bound(cands, result.objective).bound >= result.objective


def test_a_deadline_past_leaves_the_bound_at_zero_prices():
    scenario = generate(30, 20, seed=1)
    cands = build_candidates(Pool.of(scenario))
    zero = slot_bound(cands, 0, iterations=1)
    assert slot_bound(cands, 0, deadline=0.0).bound == zero.bound
    tuned = slot_bound(cands, 0)
    assert tuned.bound < zero.bound and tuned.steps > 1


@pytest.mark.slow
def test_above_the_full_models_reach_the_neighbourhoods_run_and_the_slot_bound_bounds(
        monkeypatch):
    scenario = generate(60, 40, seed=2)
    full = _checked(scenario, Settings(time_limit=5))
    assert full.plan.solver.details.get("bound_from") != "slot bound"
    monkeypatch.setattr(strategy, "LNS_UP_TO", 0)
    big = _checked(scenario, Settings(time_limit=2))
    details = big.plan.solver.details
    assert details["bound_from"] == "slot bound" and details["lns_rounds"] >= 1
    assert details["slot_bound_steps"] >= 1
    assert big.bound >= full.objective >= big.objective >= details["greedy_objective"]
    assert big.bound == _bound(scenario, details["greedy_objective"], iterations=2000)
    # reproducible runs keep the full model: its deterministic search
    same = _checked(scenario, Settings(time_limit=0.2, reproducible=True))
    assert same.plan.solver.details.get("bound_from") != "slot bound"


def test_the_big_path_keeps_the_pins(monkeypatch):
    monkeypatch.setattr(strategy, "LNS_UP_TO", 0)
    scenario = tiny([{"id": "A"}, {"id": "B"}],
                    [{"id": "D1", "slots": ["mon:morning"], "priority": 3},
                     {"id": "D2", "slots": ["mon:morning"]}],
                    pinned=[{"instructor": "A", "demand": "D2", "slot": "mon:morning"}])
    result = _checked(scenario, Settings(time_limit=2))
    assert result.plan.solver.details["bound_from"] == "slot bound"
    assert ("A", "D2", "mon:morning") in _rows(result)
    assert result.objective == 4000 and result.status == "optimal"
    assert np.isfinite(result.bound)


def test_huge_weights_coarsen_the_prices_instead_of_overflowing():
    # Validation keeps real objectives below 2⁵³; the bound's arithmetic stays exact
    # beyond that too (weights set here past validation, as a stress of the grid).
    scenario = tiny([{"id": "A"}, {"id": "B"}], [{"id": "D", "slots": ["mon:morning"]}])
    weights = scenario.settings.weights.model_copy(update={"coverage": 10**13})
    scenario = scenario.model_copy(update={"settings": scenario.settings.model_copy(
        update={"weights": weights})})
    cands = build_candidates(Pool.of(scenario))
    best = 10**13                       # one seat, priority 1, nothing else to gain
    # int64 sums at 2⁻²⁰ prices would wrap around here; a coarser grid stays exact
    assert best <= slot_bound(cands, best).bound <= best * (1 + 1e-6)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([0, 1, 5, 2000]))
def test_the_slot_bound_is_never_looser_than_the_one_line_bounds(seed, iterations):
    scenario = generate(25, 15, seed=seed)
    cands = build_candidates(Pool.of(scenario))
    pool = cands.pool
    seats_best = 0
    for d in range(len(pool.demand_ids)):
        for t in range(10):
            at = (cands.d == d) & (cands.t == t)
            if at.any():
                seats_best += int(pool.d_needed[d]) * max(0, int(cands.value[at].max()))
    found = slot_bound(cands, 0, iterations=iterations)
    assert found.bound <= seats_best
    plan = solve(scenario, Settings(time_limit=2, part="assign"))
    assert found.bound >= plan.objective          # still a bound
