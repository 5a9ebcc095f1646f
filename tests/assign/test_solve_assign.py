"""Part A solving: every plan passes the checker, optima equal enumeration, each rule binds."""

from __future__ import annotations

import itertools
import json
import os
import signal
import threading

import pytest
from builders import ENSCHEDE, HENGELO
from hypothesis import given, settings
from hypothesis import strategies as st

from wtmatch.assign.candidates import Pool, build_candidates, slot_of
from wtmatch.generate import generate, generate_data
from wtmatch.plan import Assignment, ObjectiveParts, Plan
from wtmatch.scenario import from_data
from wtmatch.settings import AssignTuning, Settings
from wtmatch.solve import solve
from wtmatch.solver.assign import strategy
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.verify import verify

FAST = Settings(time_limit=5)


def _checked(scenario, s: Settings = FAST, **kw):
    result = solve(scenario, s, **kw)
    verdict = verify(result.scenario, result.plan)
    assert verdict.ok, verdict.summary()
    assert result.plan.objective == verdict.objective == result.objective
    assert result.bound is None or result.bound >= result.objective
    return result


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 14), st.integers(1, 9), st.integers(0, 10**6), st.booleans(),
       st.booleans())
def test_every_plan_passes_the_checker(n_ins, n_sch, seed, tight, with_previous):
    data = generate_data(n_ins, n_sch, seed=seed, tight=tight)
    if with_previous:
        # A previous plan made of some candidate triples (S7).
        sc = from_data(data)
        c = build_candidates(Pool.of(sc))
        data["previous_plan"] = [
            {"instructor": c.pool.instructor_ids[c.i[p]], "demand": c.pool.demand_ids[c.d[p]],
             "slot": str(slot_of(int(c.t[p])))} for p in range(0, len(c), 3)]
    result = _checked(from_data(data))
    assert result.status in ("optimal", "feasible")
    assert len(result.plan.uncovered) == result.plan.kpis.seats - result.plan.kpis.seats_filled
    assert all(seat.reasons for seat in result.plan.uncovered)


def _best_by_enumeration(scenario):
    """The optimum over every subset of eligible triples, judged by the checker alone."""
    cands = build_candidates(Pool.of(scenario))
    pool = cands.pool
    triples = [(pool.instructor_ids[cands.i[p]], pool.demand_ids[cands.d[p]],
                slot_of(int(cands.t[p]))) for p in range(len(cands))]
    best = None
    for k in range(len(triples) + 1):
        for subset in itertools.combinations(triples, k):
            plan = Plan(status="feasible", assignments=[
                Assignment(instructor=i, demand=d, school=scenario.school_of_demand[d].id,
                           slot=s) for i, d, s in subset])
            v = verify(scenario, plan)
            if v.feasible and (best is None or v.objective > best):
                best = v.objective
    return best


@settings(max_examples=12, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(0, 10**6))
def test_tiny_optimum_equals_enumeration(n_ins, n_sch, seed):
    scenario = generate(n_ins, n_sch, seed=seed)
    if len(build_candidates(Pool.of(scenario))) > 11:
        scenario = generate(1, 1, seed=seed)
    result = _checked(scenario)
    assert result.status == "optimal"
    assert result.objective == _best_by_enumeration(scenario)


def tiny(instructors, demands, **extra):
    """One or two schools 0 km apart unless located; demands on school S1 unless 'school' given."""
    schools = {}
    for d in demands:
        sid = d.pop("school", "S1")
        schools.setdefault(sid, {"id": sid, "region": "r", "demands": []})["demands"].append(
            {"skill": "robotics", **d})
    for sid, loc in extra.pop("locations", {}).items():
        schools[sid]["location"] = loc
    base = {"skills": {"robotics": 3}, "available": ["mon:morning", "mon:afternoon",
                                                     "tue:morning"]}
    return from_data({"instructors": [{**base, **i} for i in instructors],
                      "schools": list(schools.values()), **extra})


def _rows(result):
    return {(a.instructor, a.demand, str(a.slot)) for a in result.plan.assignments}


# (rule, scenario, the rows the optimum must have) — each rule binds: without it the
# optimum would be bigger.
BINDING = [
    ("H1", tiny([{"id": "A", "skills": {"robotics": 1}}],
                [{"id": "D", "min_level": 2, "slots": ["mon:morning"]}]), set()),
    ("H2", tiny([{"id": "A", "available": ["tue:morning"]}],
                [{"id": "D", "slots": ["mon:morning"]}]), set()),
    ("H3", tiny([{"id": "A"}], [{"id": "D1", "slots": ["mon:morning"], "priority": 2},
                               {"id": "D2", "slots": ["mon:morning"]}]),
     {("A", "D1", "mon:morning")}),
    ("H4", tiny([{"id": "A", "max_dayparts": 1}],
                [{"id": "D1", "slots": ["mon:morning"]},
                 {"id": "D2", "slots": ["tue:morning"], "priority": 3}]),
     {("A", "D2", "tue:morning")}),
    ("H5", tiny([{"id": "A"}], [{"id": "D", "slots": ["mon:morning"],
                                 "requires_qualified": True}]), set()),
    ("H6", tiny([{"id": "A", "location": ENSCHEDE, "max_travel_km": 5}],
                [{"id": "D", "slots": ["mon:morning"]}], locations={"S1": HENGELO}), set()),
    ("H7", tiny([{"id": "A", "max_schools": 1}],
                [{"id": "D1", "slots": ["mon:morning"]},
                 {"id": "D2", "school": "S2", "slots": ["tue:morning"], "priority": 2}]),
     {("A", "D2", "tue:morning")}),
    ("H8", tiny([{"id": "A"}],
                [{"id": "D1", "slots": ["mon:morning"]},
                 {"id": "D2", "school": "S2", "slots": ["mon:afternoon"], "priority": 2}],
                locations={"S1": ENSCHEDE, "S2": HENGELO}, settings={"same_day_max_km": 3,
                                                                   "weights": {"travel_km": 0}}),
     {("A", "D2", "mon:afternoon")}),
    ("H9", tiny([{"id": "A", "employer": "E"}, {"id": "B", "employer": "E"}],
                [{"id": "D1", "slots": ["mon:morning"], "priority": 2},
                 {"id": "D2", "slots": ["mon:morning"]}],
                employers=[{"id": "E", "max_absent_per_slot": 1}]), None),
    ("H10", tiny([{"id": "A"}], [{"id": "D1", "slots": ["mon:morning"], "priority": 5},
                                {"id": "D2", "slots": ["mon:morning"]}],
                 pinned=[{"instructor": "A", "demand": "D2", "slot": "mon:morning"}]),
     {("A", "D2", "mon:morning")}),
    ("H11", tiny([{"id": "A", "available": ["mon:morning"]}],
                 [{"id": "D", "slots": ["mon:morning", "mon:afternoon"],
                   "same_instructor": "hard"}]), set()),
    ("H12", tiny([{"id": "A"}, {"id": "B"}], [{"id": "D", "slots": ["mon:morning"]}]), None),
]


@pytest.mark.parametrize(("rule", "scenario", "rows"), BINDING, ids=[b[0] for b in BINDING])
def test_each_rule_binds(rule, scenario, rows):
    result = _checked(scenario)
    assert result.status == "optimal"
    if rows is not None:
        assert _rows(result) == rows
    else:
        assert len(result.plan.assignments) == 1
    if rows == set():
        assert result.plan.uncovered and result.plan.uncovered[0].reasons


def _two_ways(make, low, high):
    """Solve with a low and a high weight; return the two sets of rows."""
    return _rows(_checked(make(low))), _rows(_checked(make(high)))


def test_weight_direction_coverage():
    def make(w):
        return tiny([{"id": "A", "location": ENSCHEDE}], [{"id": "D", "slots": ["mon:morning"]}],
                    locations={"S1": HENGELO}, settings={"weights": {"coverage": w}})
    low, high = _two_ways(make, 0, 1000)
    assert low == set() and high == {("A", "D", "mon:morning")}


def test_weight_direction_travel():
    def make(w):
        return tiny([{"id": "A"}, {"id": "B", "location": ENSCHEDE, "preferences": {"S1": 2}}],
                    [{"id": "D", "slots": ["mon:morning"]}], locations={"S1": HENGELO},
                    settings={"weights": {"travel_km": w}})
    low, high = _two_ways(make, 1, 10)
    assert low == {("B", "D", "mon:morning")} and high == {("A", "D", "mon:morning")}


def test_weight_direction_continuity():
    def make(w):
        return tiny([{"id": "A", "available": ["mon:morning"], "preferences": {"S1": 2}},
                     {"id": "B", "available": ["mon:morning", "tue:morning"]}],
                    [{"id": "D", "slots": ["mon:morning", "tue:morning"]}],
                    settings={"weights": {"continuity": w}})
    low, high = _two_ways(make, 0, 100)
    assert ("A", "D", "mon:morning") in low
    assert high == {("B", "D", "mon:morning"), ("B", "D", "tue:morning")}


def test_weight_direction_preference():
    def make(w):
        return tiny([{"id": "A"}, {"id": "B", "location": ENSCHEDE, "preferences": {"S1": 1}}],
                    [{"id": "D", "slots": ["mon:morning"]}], locations={"S1": ENSCHEDE},
                    travel_km=[{"from": "A", "to": "S1", "km": 0},
                               {"from": "B", "to": "S1", "km": 10}],
                    settings={"weights": {"preference": w}})
    low, high = _two_ways(make, 0, 20)
    assert low == {("A", "D", "mon:morning")} and high == {("B", "D", "mon:morning")}


def test_weight_direction_underuse():
    def make(w):
        return tiny([{"id": "A", "min_dayparts": 1}, {"id": "B"}],
                    [{"id": "D", "slots": ["mon:morning"]}], locations={"S1": ENSCHEDE},
                    travel_km=[{"from": "A", "to": "S1", "km": 5}],
                    settings={"weights": {"underuse": w}})
    low, high = _two_ways(make, 0, 50)
    assert low == {("B", "D", "mon:morning")} and high == {("A", "D", "mon:morning")}


def test_weight_direction_fragmentation():
    def make(w):
        return tiny([{"id": "A"}, {"id": "B"}],
                    [{"id": "D1", "slots": ["mon:morning"]},
                     {"id": "D2", "school": "S2", "slots": ["tue:morning"]}],
                    locations={"S1": ENSCHEDE, "S2": ENSCHEDE},
                    travel_km=[{"from": "B", "to": "S2", "km": 10},
                               {"from": "B", "to": "S1", "km": 10}],
                    settings={"weights": {"fragmentation": w}})
    low, high = _two_ways(make, 0, 30)
    assert low == {("A", "D1", "mon:morning"), ("A", "D2", "tue:morning")}
    assert ("B", "D2", "tue:morning") in high or ("B", "D1", "mon:morning") in high


def test_weight_direction_change():
    def make(w):
        return tiny([{"id": "A"}, {"id": "B"}], [{"id": "D", "slots": ["mon:morning"]}],
                    locations={"S1": ENSCHEDE},
                    travel_km=[{"from": "B", "to": "S1", "km": 10}],
                    previous_plan=[{"instructor": "B", "demand": "D", "slot": "mon:morning"}],
                    settings={"weights": {"change": w}})
    low, high = _two_ways(make, 0, 200)
    assert low == {("A", "D", "mon:morning")} and high == {("B", "D", "mon:morning")}


def test_conflicting_pins_give_a_minimal_conflict():
    scenario = tiny([{"id": "A"}, {"id": "B"}],
                    [{"id": "D1", "slots": ["mon:morning"]}, {"id": "D2", "slots": ["mon:morning"]},
                     {"id": "D3", "slots": ["tue:morning"]}],
                    pinned=[{"instructor": "B", "demand": "D3", "slot": "tue:morning"},
                            {"instructor": "A", "demand": "D1", "slot": "mon:morning"},
                            {"instructor": "A", "demand": "D2", "slot": "mon:morning"}])
    result = solve(scenario, FAST)
    assert result.status == "infeasible" and result.plan.objective is None
    reason = result.plan.uncovered[0].reasons[0]
    assert reason.code == "pins_conflict"
    assert reason.items == ["pinned[1]", "pinned[2]"]   # not the harmless pinned[0]
    assert "H3" in reason.message
    assert verify(scenario, result.plan).ok   # a plan that claims no solution owes no pins


def test_a_pin_on_an_ineligible_instructor_is_infeasible_with_the_rule():
    scenario = tiny([{"id": "A", "skills": {"robotics": 1}}],
                    [{"id": "D", "min_level": 3, "slots": ["mon:morning"]}],
                    pinned=[{"instructor": "A", "demand": "D", "slot": "mon:morning"}])
    result = solve(scenario, FAST)
    assert result.status == "infeasible"
    assert "H1" in result.plan.uncovered[0].reasons[0].message


def test_hard_continuity_against_pins_is_infeasible():
    scenario = tiny([{"id": "A"}, {"id": "B"}],
                    [{"id": "D", "slots": ["mon:morning", "tue:morning"],
                      "same_instructor": "hard"}],
                    pinned=[{"instructor": "A", "demand": "D", "slot": "mon:morning"},
                            {"instructor": "B", "demand": "D", "slot": "tue:morning"}])
    result = solve(scenario, FAST)
    assert result.status == "infeasible"
    assert "H11" in result.plan.uncovered[0].reasons[0].message


def test_previous_plan_is_kept_when_free():
    data = generate_data(25, 15, seed=11)
    first = solve(from_data(data), FAST)
    data["previous_plan"] = [{"instructor": a.instructor, "demand": a.demand,
                              "slot": str(a.slot)} for a in first.plan.assignments]
    again = _checked(from_data(data))
    assert again.terms["S7"] == 0


@pytest.mark.slow
def test_reproducible_mode_gives_the_same_plan():
    scenario = generate(40, 25, seed=3)
    s = Settings(time_limit=3, reproducible=True)
    a, b = solve(scenario, s).plan, solve(scenario, s).plan
    strip = {"solver": None}
    assert a.model_copy(update=strip).dumps() == b.model_copy(update=strip).dumps()


def test_progress_is_reported():
    seen = []
    result = solve(generate(60, 40, seed=2), Settings(time_limit=5), progress=seen.append)
    assert seen and all(p.bound >= p.objective for p in seen)
    assert seen[-1].objective <= result.bound
    # the verified warm start comes first (no bound yet), then only a better plan or a
    # tighter bound, each event with the best of both; the last is the result's
    assert seen[0].objective == result.plan.solver.details["greedy_objective"]
    assert seen[0].bound == float("inf")
    assert all(_improves(a, b) and a.time <= b.time for a, b in itertools.pairwise(seen))
    assert (seen[-1].objective, seen[-1].bound) == (result.objective, result.bound)
    assert {p.part for p in seen} == {"assign"}


def _improves(a, b) -> bool:
    """``b`` holds a plan at least as good and a bound at least as tight, one of them strictly."""
    return (b.objective >= a.objective and b.bound <= a.bound
            and (b.objective > a.objective or b.bound < a.bound))


@pytest.mark.slow
def test_ctrl_c_returns_the_best_plan_so_far():
    # Another CP-SAT solve in the process with CP-SAT's default catch_sigint_signal
    # leaves SIGINT at its C default; solve() must still get Ctrl-C as KeyboardInterrupt.
    from ortools.sat.python import cp_model

    # Ctrl-C as a terminal gives it, even where the test runner was started with SIGINT
    # ignored (a background job).
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    other = cp_model.CpModel()
    other.new_bool_var("b")
    assert cp_model.CpSolver().solve(other) == cp_model.OPTIMAL
    scenario = generate(300, 200, seed=5)
    timer = threading.Timer(4.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        result = solve(scenario, Settings(time_limit=120))
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, before)
    assert result.plan.solver.details["interrupted"] is True
    assert result.status == "feasible" and result.solve_time < 60
    assert verify(scenario, result.plan).ok


def test_settings_from_toml_and_json(tmp_path):
    (tmp_path / "s.toml").write_text('time_limit = 2.5\nseed = 4\n[weights]\ntravel_km = 3\n'
                                     '[cpsat]\nlinearization_level = 2\n')
    s = Settings.load(tmp_path / "s.toml")
    assert (s.time_limit, s.seed, s.weights, s.cpsat) == (2.5, 4, {"travel_km": 3},
                                                         {"linearization_level": 2})
    (tmp_path / "s.json").write_text(json.dumps(s.model_dump()))
    assert Settings.load(tmp_path / "s.json") == s


def test_repeated_cpsat_parameters_pass_through():
    from ortools.sat.python import cp_model

    from wtmatch.solver.cpsat.params import apply

    s = Settings.from_data({"cpsat": {"subsolvers": ["max_lp", "default_lp"], "num_workers": 2}})
    solver = cp_model.CpSolver()
    apply(solver, CpOptions.of(s), 10.0, 10)
    assert list(solver.parameters.subsolvers) == ["max_lp", "default_lp"]
    assert solver.parameters.num_workers == 2


@pytest.mark.parametrize(("cores", "given", "lns", "workers", "subsolvers"), [
    (2, {}, 0, 2, ["max_lp", "default_lp"]),              # the automatic choice, 2 cores
    (2, {}, 1, 3, ["max_lp", "default_lp"]),              # plus a neighbourhood worker
    (4, {}, 0, 4, ["max_lp", "default_lp"]),              # every core is used
    (16, {}, 0, 0, []),                                   # the full portfolio fits
    (2, {"workers": 5}, 0, 5, []),                        # the user's number stands
    (2, {"reproducible": True}, 0, 0, []),                # interleaved search unchanged
    (2, {"cpsat": {"subsolvers": ["core"]}}, 0, 2, ["core"]),   # the user's subsolvers win
])
def test_part_a_lp_portfolio_on_few_cores(monkeypatch, cores, given, lns, workers, subsolvers):
    from ortools.sat.python import cp_model

    from wtmatch.solver.cpsat import params

    monkeypatch.setattr(params.os, "cpu_count", lambda: cores)
    s = params.lp_portfolio(CpOptions.of(Settings.from_data(given)), lns_workers=lns)
    assert s.workers == workers
    solver = cp_model.CpSolver()
    params.apply(solver, s, 10.0, 10)
    assert list(solver.parameters.subsolvers) == subsolvers


@pytest.mark.parametrize("bad", [{"weights": {"speed": 1}}, {"time_limit": -1},
                                 {"weights": {"travel_km": -2}}, {"timelimit": 3},
                                 {"assign_tuning": {"lns_shar": 0.5}}, {"knapsack_bound": True}])
def test_bad_settings_are_rejected(bad):
    from wtmatch.errors import ScenarioError

    with pytest.raises(ScenarioError):
        Settings.from_data(bad)


@pytest.mark.parametrize("bad", [{"no_such_parameter": 1}, {"subsolvers": [3]}])
def test_unknown_cpsat_parameters_are_refused_before_solving_naming_each(bad):
    # Settings import nothing of the solver: CP-SAT's names are checked when a solve starts.
    from wtmatch.errors import ScenarioError

    settings = Settings.from_data({"cpsat": bad})
    with pytest.raises(ScenarioError) as err:
        solve(generate(6, 4, seed=1), settings)
    assert [p.path for p in err.value.problems] == [f"cpsat.{next(iter(bad))}"]


def test_flat_tuning_names_of_earlier_versions_still_read_into_the_tuning_objects():
    with pytest.warns(DeprecationWarning, match="assign_tuning"):
        s = Settings.from_data({"lns": False, "hint": False, "lns_share": 0.5})
    assert (s.assign_tuning.lns, s.assign_tuning.hint, s.assign_tuning.lns_share) == (False, False, 0.5)
    assert s.sessions_tuning.hint is False


def test_weights_override_changes_the_objective():
    scenario = generate(20, 10, seed=1)
    result = _checked(scenario, Settings(time_limit=5, weights={"coverage": 10}))
    assert result.scenario.settings.weights.coverage == 10
    assert result.terms["S1"] == 10 * sum(scenario.demand_by_id[a.demand].priority
                                          for a in result.plan.assignments)


def test_plan_parts_and_terms_are_reported():
    result = _checked(generate(20, 10, seed=9))
    p = result.plan
    assert p.objective_parts == ObjectiveParts(assign=p.objective, sessions=0)
    assert set(p.objective_terms) == {f"S{i}" for i in range(1, 8)}
    assert sum(p.objective_terms.values()) == p.objective


def test_negative_weights_are_refused_before_solving():
    from wtmatch.errors import ScenarioError

    with pytest.raises(ScenarioError, match="travel_km"):
        tiny([{"id": "A"}], [{"id": "D", "slots": ["mon:morning"]}],
             settings={"weights": {"travel_km": -1}})


@pytest.mark.slow
def test_lns_returns_a_verified_plan_no_worse_than_its_start(monkeypatch):
    # Without the LP bound (below LP_BOUND_FROM candidates): LNS, then CP-SAT.
    monkeypatch.setattr(strategy, "BOUND_S", 4.0)     # the time kept for CP-SAT after it
    scenario = generate(200, 130, seed=6)        # above the size where LNS starts
    seen = []
    result = _checked(scenario, Settings(time_limit=8), progress=seen.append)
    d = result.plan.solver.details
    assert d["candidates"] >= 3000 and d["lns_rounds"] >= 1
    assert "bound_from" not in d
    assert result.objective >= d["greedy_objective"]
    # Progress shows the start, each neighbourhood improvement (no bound yet), then
    # CP-SAT's better plans: it starts from the LNS plan (a complete hint).
    assert seen[0].objective == d["greedy_objective"]
    before_cpsat = seen[:1 + d["lns_improvements"]]
    assert all(p.bound == float("inf") for p in before_cpsat)
    assert all(_improves(a, b) for a, b in itertools.pairwise(seen))
    assert (seen[-1].objective, seen[-1].bound) == (result.objective, result.bound)
    off = _checked(scenario, Settings(time_limit=2, assign_tuning=AssignTuning(lns=False)))
    assert "lns_rounds" not in off.plan.solver.details


@pytest.mark.slow
def test_lns_with_the_lp_bound_keeps_all_the_time_and_reports_that_bound(monkeypatch):
    # 4,926 candidates: below where the LP bound is used by default; GLOP takes 0.5 s.
    # No time kept for a full search after the neighbourhoods: the LP gives the bound.
    monkeypatch.setattr(strategy, "LP_BOUND_FROM", 0)
    monkeypatch.setattr(strategy, "BOUND_S", 0.0)
    scenario = generate(200, 130, seed=6)
    seen = []
    result = _checked(scenario, Settings(time_limit=6), progress=seen.append)
    d = result.plan.solver.details
    assert d["bound_from"] == "LP relaxation (GLOP)" and d["lns_rounds"] >= 1
    assert "branches" not in d       # no full CP-SAT search: the LNS had all the time
    # The bound is the LP's: no plan can pass it, and reaching it proves optimality.
    assert result.bound >= result.objective >= d["greedy_objective"]
    assert (result.status == "optimal") == (result.objective == result.bound)
    assert all(_improves(a, b) for a, b in itertools.pairwise(seen))
    # Once the LP is solved, each report carries its bound; the last one is the plan's.
    finite = [p.bound for p in seen if p.bound != float("inf")]
    assert finite and all(b >= result.bound for b in finite) and seen[-1].bound == result.bound
    assert seen[-1].objective == result.objective
    # One round searched the candidates the LP uses (and the plan's rows).
    assert 0 < d["lns_lp_candidates"] < len(build_candidates(Pool.of(scenario)))
    assert d["lns_lp_to"] >= d["lns_lp_from"] >= d["greedy_objective"]
    # Without the guided round (and with time enough for GLOP beside two lanes).
    unguided = _checked(scenario, Settings(time_limit=5, assign_tuning=AssignTuning(
        lp_guide=False))).plan.solver.details
    assert unguided["bound_from"] == "LP relaxation (GLOP)" and "lns_lp_to" not in unguided


def test_no_lp_when_glop_would_not_solve_it_in_its_time(monkeypatch):
    for name, value in (("LP_BOUND_FROM", 0), ("LNS_FROM", 0), ("BOUND_S", 0.0)):
        monkeypatch.setattr(strategy, name, value)
    scenario = generate(60, 40, seed=2)
    assert "bound_from" in _checked(scenario, Settings(time_limit=2)).plan.solver.details
    monkeypatch.setattr(strategy, "GLOP_US", 1e9)
    details = _checked(scenario, Settings(time_limit=2)).plan.solver.details
    assert "bound_from" not in details and details["lns_rounds"] >= 1


def test_a_time_limit_too_short_for_the_model_returns_the_verified_greedy_plan():
    scenario = generate(300, 200, seed=1)
    result = _checked(scenario, Settings(time_limit=0.1))
    assert result.status == "feasible" and result.bound is None
    assert "cpsat_skipped" in result.plan.solver.details


def test_a_search_that_would_not_fit_in_memory_returns_the_verified_greedy_plan():
    scenario = generate(60, 40, seed=1)
    searched = _checked(scenario)
    assert "cpsat_skipped" not in searched.plan.solver.details
    result = _checked(scenario, Settings(time_limit=5, memory_limit_mb=1))
    details = result.plan.solver.details
    assert result.status == "feasible" and result.bound is None
    assert "MB, more than the 1 MB allowed (Settings.memory_limit_mb)" in details["cpsat_skipped"]
    assert result.objective == details["greedy_objective"] <= searched.objective


def test_the_memory_estimate_covers_what_cp_sat_took_at_3000_by_2000():
    # measured: 17,418 MB for CP-SAT's 3 workers on 1,251,686 candidates (docs/benchmarks.md)
    assert strategy.search_memory_mb(1_251_686, 3) >= 17_418
    assert strategy.search_memory_mb(1_000, 8) > strategy.search_memory_mb(1_000, 2) > 0
    cap = strategy.memory_cap_mb()
    assert cap is None or cap > 0
    # this scenario's search fits any machine's default cap
    assert strategy.search_memory_mb(len(build_candidates(Pool.of(generate(60, 40, seed=1)))),
                                     8) < 100


def test_previous_plan_may_name_an_instructor_who_left():
    scenario = tiny([{"id": "A"}], [{"id": "D", "slots": ["mon:morning"]}],
                    previous_plan=[{"instructor": "GONE", "demand": "D", "slot": "mon:morning"},
                                   {"instructor": "A", "demand": "D", "slot": "mon:morning"}])
    result = _checked(scenario)
    assert result.terms["S7"] == -200     # the row of the one who left cannot be kept
    assert _rows(result) == {("A", "D", "mon:morning")}


def test_interchangeable_instructors_are_ordered_without_changing_the_optimum():
    twin = {"skills": {"robotics": 3}, "available": ["mon:morning", "tue:morning"],
            "location": ENSCHEDE}
    scenario = tiny([{"id": "A", **twin}, {"id": "B", **twin}, {"id": "C", **twin}],
                    [{"id": "D1", "slots": ["mon:morning"]}, {"id": "D2", "slots": ["tue:morning"]},
                     {"id": "D3", "slots": ["mon:morning"], "priority": 2}],
                    locations={"S1": HENGELO})
    on = _checked(scenario, Settings(time_limit=5))
    off = _checked(scenario, Settings(time_limit=5, assign_tuning=AssignTuning(symmetry=False, hint=False)))
    assert on.plan.solver.details["symmetry_rows"] == 2       # A ≥ B ≥ C by load
    assert "symmetry_rows" not in off.plan.solver.details
    assert on.status == off.status == "optimal" and on.objective == off.objective


def test_a_warm_start_is_never_lost():
    scenario = generate(60, 40, seed=2)
    good = solve(scenario, Settings(time_limit=10, part="assign"))
    quick = solve(scenario, Settings(time_limit=0.2, part="assign"),
                  start=good.plan.assignments)
    assert verify(scenario, quick.plan).ok
    assert quick.objective >= good.objective
    # The seeded start keeps the good plan's rows (hard teams are placed by the greedy).
    cold = solve(scenario, Settings(time_limit=0.2, part="assign"))
    seeded, unseeded = (r.plan.solver.details["greedy_objective"] for r in (quick, cold))
    assert unseeded < seeded <= good.objective and seeded > 0.999 * good.objective


def test_the_plan_records_the_workers_the_run_used(monkeypatch):
    from wtmatch.solver.cpsat import params

    monkeypatch.setattr(params.os, "cpu_count", lambda: 2)
    scenario = generate(20, 10, seed=1)
    assert solve(scenario, Settings(time_limit=5)).plan.solver.workers == 2
    assert solve(scenario, Settings(time_limit=5, workers=3)).plan.solver.workers == 3


def test_same_day_conflicts_are_exact_and_independent_of_chunking(monkeypatch):
    from wtmatch.solver.assign import links

    cands = build_candidates(Pool.of(generate(60, 40, seed=3)))
    triple, _ = links.distinct_rows(cands.i, cands.s, cands.t // 2)
    whole = links.same_day_conflicts(cands, triple)
    monkeypatch.setattr(links, "_PAIRS_PER_CHUNK", 3)
    chunked = links.same_day_conflicts(cands, triple)
    assert len(whole) and whole.tolist() == chunked.tolist()
    # every pair of visits of one instructor on one weekday, and only those, too far apart
    km, limit = cands.pool.school_km, cands.pool.scenario.settings.same_day_max_km
    expected = {(a, b) for a in range(len(triple)) for b in range(a + 1, len(triple))
                if triple[a, 0] == triple[b, 0] and triple[a, 2] == triple[b, 2]
                and km[triple[a, 1], triple[b, 1]] > limit}
    assert {tuple(sorted(p)) for p in whole.tolist()} == expected
