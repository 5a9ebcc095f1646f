"""Neighbourhood search in lanes: every merged plan keeps every rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wtmatch.assign.candidates import Pool, build_candidates
from wtmatch.assign.evaluate import assign_terms
from wtmatch.assign.greedy import greedy
from wtmatch.assign.plan_rows import assignment_rows, feasible_plan
from wtmatch.budget import Budget
from wtmatch.generate import generate
from wtmatch.plan import SolverInfo
from wtmatch.scenario import AssignmentRef
from wtmatch.settings import Settings
from wtmatch.solve import solve
from wtmatch.solver.assign.lns import improve
from wtmatch.solver.assign.model import build_assign_model
from wtmatch.solver.cpsat.lanes import lanes_for
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.verify import verify


def _value(cands, chosen) -> int:
    return sum(assign_terms(cands, chosen).values())


@pytest.mark.slow
@settings(max_examples=6, deadline=None)
@given(st.integers(25, 60), st.integers(12, 30), st.integers(0, 10**6), st.sampled_from([2, 3]))
def test_lanes_merge_into_plans_that_keep_every_rule(n_ins, n_sch, seed, lanes):
    # Small neighbourhoods so that several run at once and share demands and employers.
    scenario = generate(n_ins, n_sch, seed=seed)
    cands = build_candidates(Pool.of(scenario))
    model = build_assign_model(cands, symmetry=False)
    start = greedy(cands, [])
    seen = []
    best, stats = improve(model, start, CpOptions.of(Settings(seed=seed)), Budget.start(1.5),
                          max_free=max(20, len(cands) // 8),
                          round_limit=0.3, lanes=lanes, on_improve=seen.append)
    assert stats["lns_lanes"] == lanes and stats["lns_rounds"] >= lanes
    plan = feasible_plan(cands, best, SolverInfo())
    verdict = verify(scenario, plan)
    assert verdict.ok, verdict.violations[:3]
    assert verdict.objective == _value(cands, best) >= _value(cands, start)
    assert seen == sorted(set(seen)) and (not seen or seen[-1] == _value(cands, best))


def test_a_known_bound_ends_the_search_when_the_plan_reaches_it():
    scenario = generate(30, 15, seed=3)
    cands = build_candidates(Pool.of(scenario))
    model = build_assign_model(cands, symmetry=False)
    start = greedy(cands, [])
    value = _value(cands, start)
    best, stats = improve(model, start, CpOptions(), Budget.start(30.0), bound=lambda: value)
    assert stats["lns_reached_bound"] and stats["lns_rounds"] == 0
    assert np.array_equal(best, start)


def test_lanes_follow_the_cores_and_the_workers_setting(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert lanes_for(CpOptions()) == 2
    assert lanes_for(CpOptions.of(Settings(workers=1))) == 1
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    assert lanes_for(CpOptions()) == 4 and lanes_for(CpOptions.of(Settings(workers=3))) == 3


def _two_lanes_one_prize(shared: str):
    """Schools S0 (for team A only), S1 (team B only) and S2, all 0 km apart.

    Growing from any centre, the first lane takes team A (school S0 comes
    first), the second team B: with ``shared="seats"`` both could fill S2's
    one seat, with ``shared="releases"`` both teams' employer releases one
    instructor per slot.
    """
    from wtmatch.scenario import from_data

    base = {"skills": {"robotics": 3}, "available": ["mon:morning"]}
    ins = [{"id": f"{team}{k}", **base, "regions": [f"r{team}", "rS"],
            **({"employer": "E"} if shared == "releases" else {})}
           for team in "AB" for k in range(2)]
    demand = {"skill": "robotics", "slots": ["mon:morning"]}
    schools = [{"id": "S0", "region": "rA", "demands": [{"id": "D0", **demand}]},
               {"id": "S1", "region": "rB", "demands": [{"id": "D1", **demand}]}]
    if shared == "seats":
        schools.append({"id": "S2", "region": "rS",
                        "demands": [{"id": "D2", **demand, "priority": 5}]})
    employers = [{"id": "E", "max_absent_per_slot": 1}] if shared == "releases" else []
    return from_data({"instructors": ins, "schools": schools, "employers": employers})


def test_running_lanes_never_both_take_a_seat_or_a_release():
    for shared in ("seats", "releases"):
        scenario = _two_lanes_one_prize(shared)
        cands = build_candidates(Pool.of(scenario))
        model = build_assign_model(cands, symmetry=False)
        empty = np.zeros(0, dtype=np.int64)
        best, stats = improve(model, empty, CpOptions(), Budget.start(1.0), max_free=1, round_limit=0.3,
                              lanes=2)
        assert stats["lns_rounds"] >= 2
        verdict = verify(scenario, feasible_plan(cands, best, SolverInfo()))
        assert verdict.ok, (shared, verdict.violations)
        # And as good as can be: every seat, or the one release there is.
        assert len(best) == (1 if shared == "releases" else 3)


def _search(scenario, lanes=1):
    from wtmatch.solver.assign.lns import _Search

    cands = build_candidates(Pool.of(scenario))
    model = build_assign_model(cands, symmetry=False)
    return cands, _Search(model.cands, model.pins, model.x_of, CpOptions(), lanes, 10**6, 1.0, {},
                          None,
                          np.zeros(0, dtype=np.int64), lambda: None, 0.0, 0.0)


def _mask(cands, rows):
    pool = cands.pool
    keep = np.zeros(len(cands), dtype=bool)
    for ins, dem in rows:
        keep |= (cands.i == pool.instructor_ids.index(ins)) & \
            (cands.d == pool.demand_ids.index(dem))
    return keep


def _four_schools():
    """DO, DX, DY, DZ at schools SO, SX, SY, SZ; A may teach at SX and SO, B at SX and SY,
    C at SY, Z at SZ; every one on Monday morning only."""
    from wtmatch.scenario import from_data

    def ins(name, regions):
        return {"id": name, "skills": {"robotics": 3}, "available": ["mon:morning"],
                "regions": regions}

    demand = {"skill": "robotics", "slots": ["mon:morning"]}
    return from_data({
        "instructors": [ins("A", ["rX", "rO"]), ins("B", ["rX", "rY"]), ins("C", ["rY"]),
                        ins("Z", ["rZ"])],
        "schools": [{"id": "SO", "region": "rO", "demands": [{"id": "DO", **demand}]},
                    {"id": "SX", "region": "rX", "demands": [{"id": "DX", **demand}]},
                    {"id": "SY", "region": "rY", "demands": [{"id": "DY", **demand}]},
                    {"id": "SZ", "region": "rZ", "demands": [{"id": "DZ", **demand}]}]})


def test_a_chain_frees_who_could_fill_an_open_seat_and_who_could_take_over_their_seats():
    cands, search = _search(_four_schools())
    ids = cands.pool.instructor_ids
    # A holds DX, B holds DY: DO is open and only A can fill it; then B could take DX,
    # and then C could take DY. Z is on no chain from DO.
    in_plan = _mask(cands, [("A", "DX"), ("B", "DY"), ("Z", "DZ")])
    nobody = np.zeros(len(ids), dtype=bool)
    free = search._chain(in_plan, nobody, size=100)
    assert {ids[i] for i in np.flatnonzero(free)} == {"A", "B", "C"}
    # Up to a size: the chain stops after the level that reaches it.
    assert {ids[i] for i in np.flatnonzero(search._chain(in_plan, nobody, size=1))} == {"A"}
    # A blocked instructor (another lane's) is no link.
    blocked = np.array([name == "B" for name in ids])
    assert {ids[i] for i in np.flatnonzero(search._chain(in_plan, blocked, size=100))} == {"A"}
    # No open seat: no chain.
    full = _mask(cands, [("A", "DO"), ("B", "DX"), ("C", "DY"), ("Z", "DZ")])
    assert full.sum() == 4
    assert not search._chain(full, nobody, size=100).any()


def test_neighbourhoods_grow_around_open_seats_more_often():
    cands, search = _search(_four_schools())
    open_do = _mask(cands, [("A", "DX"), ("B", "DY"), ("Z", "DZ")])
    full = _mask(cands, [("A", "DO"), ("B", "DX"), ("C", "DY"), ("Z", "DZ")])
    so = cands.pool.school_ids.index("SO")
    share = [np.mean([search._centre(plan) == so for _ in range(400)]) for plan in (open_do, full)]
    # Half the time at the open seat's school, else any of four: 5/8; without one, 1/4.
    assert share[0] > 0.5 and 0.15 < share[1] < 0.35


class _Guide:
    """An LP solution known from the start (what GLOP hands the search)."""

    def __init__(self, solution):
        self._solution = solution

    def solution(self):
        return self._solution

    def running(self):
        return False


def test_the_lp_guided_round_finds_a_plan_among_the_candidates_the_lp_uses():
    # The "LP" uses exactly the candidates of an optimal plan: the guided round, over
    # those and the start's rows, must find the optimum and nothing outside them.
    scenario = generate(40, 25, seed=11)
    optimum = solve(scenario, Settings(time_limit=20, part="assign"))
    assert optimum.status == "optimal"
    cands = build_candidates(Pool.of(scenario))
    model = build_assign_model(cands, symmetry=False)
    best_rows = np.array(cands.find_rows(optimum.plan.assignments), dtype=np.int64)
    solution = np.zeros(model.builder.n_vars)
    solution[model.x_of[best_rows]] = 1.0
    start = greedy(cands, [])
    assert _value(cands, start) < optimum.objective
    best, stats = improve(model, start, CpOptions(), Budget.start(20.0), guide=_Guide(solution),
                          bound=lambda: optimum.objective)
    assert stats["lns_lp_from"] == _value(cands, start)
    assert stats["lns_lp_to"] == optimum.objective == _value(cands, best)
    assert stats["lns_lp_candidates"] == len(np.union1d(best_rows, start))
    assert stats["lns_rounds"] == 0          # the bound was reached by the guided round


def test_the_lp_guided_round_keeps_pins_and_whole_teams():
    scenario = generate(45, 25, seed=4)
    cands = build_candidates(Pool.of(scenario))
    start = greedy(cands, [])
    rows = assignment_rows(cands, start)
    pinned = scenario.model_copy(update={"pinned": [
        AssignmentRef(instructor=r.instructor, demand=r.demand, slot=r.slot) for r in rows[::7]]})
    cands = build_candidates(Pool.of(pinned))
    pins = dict(enumerate(cands.find_rows(pinned.pinned)))
    model = build_assign_model(cands, pins, symmetry=False)
    # Every candidate "used" by the LP: the round frees every instructor it may.
    best, stats = improve(model, start, CpOptions(), Budget.start(3.0),
                          guide=_Guide(np.ones(model.builder.n_vars)))
    assert "lns_lp_to" in stats and stats["lns_lp_to"] >= stats["lns_lp_from"]
    verdict = verify(pinned, feasible_plan(cands, best, SolverInfo()))
    assert verdict.ok, verdict.violations[:3]
    assert set(pins.values()) <= set(best.tolist())


def test_an_empty_neighbourhood_is_drawn_again_before_the_lane_gives_up(monkeypatch):
    cands, search = _search(generate(30, 20, seed=1))
    search.stats.update(lns_rounds=0, lns_build_s=0.0)
    real, calls = search._neighbourhood, []

    def empty_at_first(*args):
        calls.append(1)
        free = real(*args)
        return free if len(calls) > 3 else np.zeros_like(free)

    monkeypatch.setattr(search, "_neighbourhood", empty_at_first)
    assert search.next([]) is not None and len(calls) == 4
    monkeypatch.setattr(search, "_neighbourhood", lambda *args: np.zeros(len(cands), dtype=bool))
    assert search.next([]) is None
