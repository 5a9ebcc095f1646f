"""Decision support (wtmatch.analysis): each analysis on scenarios whose answer is known."""

from __future__ import annotations

import json

import pytest
from builders import ALMELO, ENSCHEDE, HENGELO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wtmatch import Plan, Settings, solve, verify
from wtmatch.analysis import (
    explain_demand,
    explain_instructor,
    recommend_fit,
    recruit,
    replan,
    stability,
    stable_plan,
)
from wtmatch.cli import main
from wtmatch.errors import ScenarioError, WtmatchError
from wtmatch.generate import generate
from wtmatch.plan import Assignment
from wtmatch.scenario import from_data
from wtmatch.scenario.io import dumps

FAST = Settings(time_limit=5)


def three_schools() -> dict:
    """A covers D1 in Enschede; nobody has chemistry (D2, priority 3) or coding (D3)."""
    return {
        "instructors": [{"id": "A", "location": ENSCHEDE, "skills": {"robotics": 3},
                         "available": ["mon:morning"]}],
        "schools": [
            {"id": "S1", "region": "enschede", "location": ENSCHEDE, "demands": [
                {"id": "D1", "skill": "robotics", "min_level": 2, "slots": ["mon:morning"]}]},
            {"id": "S2", "region": "hengelo", "location": HENGELO, "demands": [
                {"id": "D2", "skill": "chemistry", "min_level": 4, "slots": ["tue:morning"],
                 "priority": 3, "requires_qualified": True}]},
            {"id": "S3", "region": "almelo", "location": ALMELO, "demands": [
                {"id": "D3", "skill": "coding", "slots": ["wed:morning"]}]},
        ],
    }


def two_by_two() -> dict:
    """A and B, both able to teach at S1 and S2 on Monday morning; A and S1 like each other."""
    return {
        "instructors": [
            {"id": "A", "location": ENSCHEDE, "skills": {"robotics": 3},
             "available": ["mon:morning"], "preferences": {"S1": 2}},
            {"id": "B", "location": ENSCHEDE, "skills": {"robotics": 3},
             "available": ["mon:morning"]},
        ],
        "schools": [
            {"id": "S1", "location": ENSCHEDE, "preferences": {"A": 2}, "demands": [
                {"id": "D1", "skill": "robotics", "slots": ["mon:morning"]}]},
            {"id": "S2", "location": ENSCHEDE, "demands": [
                {"id": "D2", "skill": "robotics", "slots": ["mon:morning"]}]},
        ],
    }


def _plan(scenario, rows) -> Plan:
    return Plan(scenario=scenario.name, status="feasible", assignments=[
        Assignment(instructor=i, demand=d, school=scenario.school_of_demand[d].id, slot=s)
        for i, d, s in rows])


# ---- recruit ---------------------------------------------------------------
def test_recruit_picks_the_profile_that_must_be_recruited():
    scenario = from_data(three_schools())
    advice = recruit(scenario, 2, settings=FAST)
    assert {(p.skill, p.level, p.region, p.qualified) for p in advice.profiles} == {
        ("chemistry", 4, "hengelo", True), ("coding", 1, "almelo", False)}
    base = 1000   # A at D1, 0 km
    assert [p.objective for p in advice.curve] == [base, base + 3000, base + 4000]
    assert [p.filled for p in advice.curve] == [1, 2, 3]
    chem = next(p for p in advice.profiles if p.skill == "chemistry")
    assert advice.curve[1].recruited == (chem.id,)
    assert [(p.skill, gain) for p, gain in advice.chosen] == [("chemistry", 3000), ("coding", 1000)]
    # one ranking: the order and the gains are the curve's own steps
    assert [(s.k, s.added, s.gain) for s in advice.steps] == [
        (1, (chem.id,), 3000), (2, (advice.chosen[1][0].id,), 1000)]
    from wtmatch.report.plots import recruitment_curve

    labels = [t.get_text() for t in recruitment_curve(advice).axes[0].texts]
    assert labels == [f"+{chem.id}", f"+{advice.chosen[1][0].id}"]
    assert [str(s) for s in chem.slots] == ["tue:morning"] and chem.location == (
        HENGELO["lat"], HENGELO["lon"])


def test_recruit_ids_never_name_someone_of_the_scenario():
    data = three_schools()
    data["groups"] = [{"id": "G", "members": ["A", "R1"]}]     # a person R1 exists
    data["calendar"] = {"start": "2026-09-07", "end": "2026-10-30"}
    advice = recruit(from_data(data), 1, settings=FAST)
    assert [p.id for p in advice.profiles] == ["recruit-R1", "recruit-R2"]
    chem = next(p for p in advice.profiles if p.skill == "chemistry")
    assert advice.curve[1].recruited == (chem.id,)


def test_recruit_with_nothing_uncovered_advises_nobody():
    data = three_schools()
    data["schools"] = data["schools"][:1]
    advice = recruit(from_data(data), 2, settings=FAST)
    assert advice.profiles == [] and [p.recruited for p in advice.curve] == [(), (), ()]


def test_recruitment_curve_plot():
    from wtmatch.report.plots import recruitment_curve

    advice = recruit(from_data(three_schools()), 2, settings=FAST)
    fig = recruitment_curve(advice)
    ax, twin = fig.axes
    assert ax.get_xlabel() == "recruits" and list(ax.lines[0].get_xdata()) == [0, 1, 2]
    assert twin.get_ylabel() == "objective"


# ---- recommend_fit ----------------------------------------------------------
def test_recommend_fit_ranks_the_seat_a_newcomer_must_fill():
    scenario = from_data(three_schools())
    plan = solve(scenario, FAST).plan
    # No location: distance 0 (DOMAIN.md §3), so each gain is S1 alone.
    newcomer = {"id": "N", "skills": {"chemistry": 5, "coding": 2},
                "qualified": True, "available": ["tue:morning", "wed:morning"], "max_dayparts": 1}
    advice = recommend_fit(scenario, plan, newcomer, settings=FAST)
    assert advice.base_objective == 1000
    assert [(f.demand, str(f.slot), f.gain) for f in advice.fits] == [
        ("D2", "tue:morning", 3000), ("D3", "wed:morning", 1000)]
    assert all(f.was_uncovered and f.proven for f in advice.fits)
    assert advice.free_gain == 3000 and [r[0] for r in advice.free_rows] == ["D2"]


def test_recommend_fit_for_a_returning_instructor_and_unknown_id():
    scenario = from_data(three_schools())
    advice = recommend_fit(scenario, None, "A", settings=FAST)
    assert [(f.demand, f.gain) for f in advice.fits] == [("D1", 1000)]
    with pytest.raises(WtmatchError, match="no instructor 'Z'"):
        recommend_fit(scenario, None, "Z")
    with pytest.raises(ScenarioError) as info:
        recommend_fit(scenario, None, {"id": "N", "skills": {"coding": 9}})
    assert [p.path for p in info.value.problems] == ["skills.coding"]


# ---- stability --------------------------------------------------------------
def test_the_pair_that_blocks():
    scenario = from_data(two_by_two())
    swapped = _plan(scenario, [("A", "D2", "mon:morning"), ("B", "D1", "mon:morning")])
    result = stability(scenario, swapped)
    assert [(b.instructor, b.school, b.demand, b.displaces) for b in result.blocking] == [
        ("A", "S1", "D1", "B")]
    assert result.blocking[0].leaves.demand == "D2"
    assert result.per_instructor["A"]["S1"] == ["D1 mon:morning: A teaches D2 at S2 then"]
    assert result.per_school["S1"]["A"] == ["D1 mon:morning: A teaches D2 at S2 then"]
    # The solver's plan (S4 rewards mutual preference) has none.
    solved = solve(scenario, FAST).plan
    assert stability(scenario, solved).stable


def test_no_blocking_pair_when_the_move_breaks_a_rule():
    data = two_by_two()
    data["pinned"] = [{"instructor": "B", "demand": "D1", "slot": "mon:morning"}]
    scenario = from_data(data)
    plan = _plan(scenario, [("A", "D2", "mon:morning"), ("B", "D1", "mon:morning")])
    assert stability(scenario, plan).blocking == []      # B is pinned: H10
    data = two_by_two()
    data["instructors"][0]["max_schools"] = 1
    data["instructors"][0]["available"] = ["mon:morning", "tue:morning"]
    data["schools"][1]["demands"].append({"id": "D9", "skill": "robotics",
                                          "slots": ["tue:morning"]})
    scenario = from_data(data)
    plan = _plan(scenario, [("A", "D2", "mon:morning"), ("A", "D9", "tue:morning"),
                            ("B", "D1", "mon:morning")])
    # A would work at S1 and S2: H7 forbids it.
    assert stability(scenario, plan).blocking == []


def test_stable_plan_and_what_it_costs(tmp_path, capsys):
    data = two_by_two()
    for item in (*data["instructors"], *data["schools"]):
        item.pop("location")
    data["schools"][0]["preferences"] = {"A": 1}
    data["instructors"][0]["preferences"] = {"S1": 1}
    data["travel_km"] = [{"from": "A", "to": "S1", "km": 30}, {"from": "B", "to": "S2", "km": 30}]
    scenario = from_data(data)
    best = solve(scenario, FAST).plan
    assert best.objective == 2000 and {(a.instructor, a.school) for a in best.assignments} == {
        ("A", "S2"), ("B", "S1")}
    assert [(b.instructor, b.school) for b in stability(scenario, best).blocking] == [("A", "S1")]
    found = stable_plan(scenario, FAST)
    # A at S1 and B at S2: + 2 × 20 for the mutual preference, − 2 × 30 km.
    assert found.stable and found.objective == 1980 and found.cost == 20 and found.rounds == 1
    assert verify(scenario, found.plan).ok and stability(scenario, found.plan).stable
    s_path, p_path = tmp_path / "s.json", tmp_path / "p.json"
    s_path.write_text(dumps(scenario))
    p_path.write_text(best.dumps())
    assert main(["stability", str(s_path), str(p_path), "--solve-stable", "-o",
                 str(tmp_path / "st.json")]) == 0
    assert "stability costs 20" in capsys.readouterr().out
    assert verify(scenario, Plan.load(tmp_path / "st.json")).ok
    # No longer a setting of solve(): the stable plan is an analysis that calls solve().
    with pytest.raises(ScenarioError, match="stable_plan"):
        Settings.from_data({"stable": True})


# ---- explain ------------------------------------------------------------------
def test_explain_demand_names_reasons_and_candidates():
    data = two_by_two()
    data["schools"][1]["demands"][0]["skill"] = "chemistry"
    data["schools"].append({"id": "S3", "location": ENSCHEDE, "demands": [
        {"id": "D3", "skill": "robotics", "slots": ["mon:morning"], "priority": 5}]})
    scenario = from_data(data)
    plan = solve(scenario, FAST).plan
    assert verify(scenario, plan).ok
    chem = explain_demand(scenario, plan, "D2")
    assert chem.uncovered == 1 and chem.slots[0].reasons[0].code == "no_skill"
    assert chem.candidates == []
    rob = explain_demand(scenario, plan, "D1")
    by_code = {r.code for r in rob.slots[0].reasons}
    assert rob.uncovered == 0 or by_code <= {"used_elsewhere"}
    assert {c.instructor for c in rob.candidates} == {"A", "B"}
    # D3 (priority 5) gets one of them; the other is named as teaching elsewhere or free.
    d3 = explain_demand(scenario, plan, "D3")
    assert d3.uncovered == 0 and sorted(c.assigned for c in d3.candidates) == [False, True]
    assert "candidates considered: 2" in str(d3)
    with pytest.raises(WtmatchError, match="no demand 'D9'"):
        explain_demand(scenario, plan, "D9")


def test_explain_instructor_says_what_stopped_a_preferred_school():
    data = two_by_two()
    data["instructors"][1]["preferences"] = {"S1": 1}
    scenario = from_data(data)
    plan = _plan(scenario, [("A", "D1", "mon:morning"), ("B", "D2", "mon:morning")])
    why = explain_instructor(scenario, plan, "B")
    assert why.used == 1 and why.schools == ["S2"]
    assert [str(n) for n in why.preferred] == ["S1 (preference +1): D1 mon:morning: "
                                               "B teaches D2 at S2 then"]
    assert [(c.demand, c.reason.code) for c in why.other_seats] == [("D1", "used_elsewhere")]


# ---- replan -------------------------------------------------------------------
def test_replan_fills_the_leavers_seat_and_says_why():
    data = two_by_two()
    data["schools"][1]["demands"][0]["slots"] = ["tue:morning"]     # D2 on Tuesday
    data["instructors"][1]["available"] = ["mon:morning", "tue:morning"]
    scenario = from_data(data)
    plan = _plan(scenario, [("A", "D1", "mon:morning"), ("B", "D2", "tue:morning")])
    out = replan(scenario, plan, ["A"], settings=FAST)
    assert verify(out.scenario, out.plan).ok
    assert [str(c) for c in out.removed] == ["A D1 at S1 mon:morning: A is no longer available"]
    assert [str(c) for c in out.added] == ["B D1 at S1 mon:morning: replaces A"]
    assert [(a.instructor, a.demand) for a in out.kept] == [("B", "D2")]
    # The change of A's row is counted by S7 (one row lost).
    assert out.result.terms["S7"] == -200


def test_replan_without_change_keeps_an_optimal_plan_and_adds_demands():
    scenario = from_data(two_by_two())
    plan = solve(scenario, FAST).plan
    same = replan(scenario, plan, settings=FAST)
    assert same.removed == [] and same.added == [] and len(same.kept) == len(plan.assignments)
    extra = replan(scenario, plan, add_demands=[{"school": "S2", "id": "DN", "skill": "robotics",
                                                 "slots": ["tue:morning"]}], settings=FAST)
    assert extra.removed == [] and extra.added == []     # nobody is free on Tuesday
    assert "DN" in extra.scenario.demand_by_id
    with pytest.raises(ScenarioError) as info:
        replan(scenario, plan, add_demands=[{"school": "S9", "id": "X", "skill": "r",
                                             "slots": ["mon:morning"]},
                                            {"school": "S1", "id": "Y", "slots": ["mon:noon"]}])
    paths = [p.path for p in info.value.problems]
    assert paths == ["add_demand[0].school", "add_demand[1].skill", "add_demand[1].slots.0"]
    with pytest.raises(WtmatchError, match="not an instructor of the scenario: Q"):
        replan(scenario, plan, ["Q"])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_replans_verify_and_change_no_more_than_needed(seed):
    scenario = generate(8, 6, 0, 0, seed)
    plan = solve(scenario, FAST).plan
    if not plan.assignments:
        return
    busiest = max({a.instructor for a in plan.assignments},
                  key=lambda i: (sum(a.instructor == i for a in plan.assignments), i))
    out = replan(scenario, plan, [busiest], settings=FAST)
    assert verify(out.scenario, out.plan).ok
    # At least as good as simply deleting the leaver's rows (a feasible re-plan once
    # the demands with hard continuity they served go too: all or nothing, H11).
    gone = {a.demand for a in plan.assignments if a.instructor == busiest
            and scenario.demand_by_id[a.demand].same_instructor == "hard"}
    rest = Plan(scenario=scenario.name, status="feasible",
                assignments=[a for a in plan.assignments
                             if a.instructor != busiest and a.demand not in gone])
    baseline = verify(out.scenario, rest)
    assert baseline.feasible and out.result.objective >= baseline.objective
    # When changes cost more than anything can gain, no other row moves, except
    # partners on a hard-continuity demand the leaver served (H11: all or nothing).
    strict = replan(scenario, plan, [busiest],
                    settings=FAST.model_copy(update={"weights": {"change": 10**6}}))
    if strict.result.status == "optimal":
        assert all(c.assignment.instructor == busiest or c.assignment.demand in gone
                   for c in strict.removed)


# ---- command line ---------------------------------------------------------------
def test_cli_verbs(tmp_path, capsys):
    scenario = from_data(three_schools())
    s_path = tmp_path / "s.json"
    s_path.write_text(dumps(scenario))
    p_path = tmp_path / "p.json"
    p_path.write_text(solve(scenario, FAST).plan.dumps())
    assert main(["explain", str(s_path), str(p_path)]) == 0
    out = capsys.readouterr().out
    assert "demand D2 at S2: 1 seat(s) uncovered" in out and "demand D3" in out
    assert main(["explain", str(s_path), str(p_path), "--instructor", "A"]) == 0
    assert "instructor A: 1/1 dayparts" in capsys.readouterr().out
    assert main(["stability", str(s_path), str(p_path)]) == 0
    assert "0 blocking pair(s)" in capsys.readouterr().out
    plot = tmp_path / "curve.png"
    assert main(["recruit", str(s_path), "-k", "1", "--plot", str(plot), "--time-limit", "5"]) == 0
    assert "chemistry ≥ 4 in hengelo" in capsys.readouterr().out and plot.stat().st_size > 0
    new = tmp_path / "new.json"
    new.write_text(json.dumps({"id": "N", "skills": {"coding": 1}, "available": ["wed:morning"],
                               "location": ALMELO}))
    assert main(["fit", str(s_path), str(p_path), "--instructor", str(new), "--time-limit", "5"]) == 0
    assert "D3 at S3 wed:morning: +1,000 (an empty seat today)" in capsys.readouterr().out
    out_plan = tmp_path / "re.json"
    assert main(["replan", str(s_path), str(p_path), "--without", "A", "--from", "2027-01-04",
                 "-o", str(out_plan)]) == 0
    assert "re-plan from 2027-01-04" in capsys.readouterr().out
    assert Plan.load(out_plan).assignments == []
    assert main(["replan", str(s_path), str(p_path), "--without", "Q"]) == 2
    assert main(["replan", str(s_path), str(p_path), "--from", "januari"]) == 2
    bad = tmp_path / "add.json"
    bad.write_text(json.dumps(["D9"]))
    assert main(["replan", str(s_path), str(p_path), "--add-demand", str(bad)]) == 2
    assert "add_demand[0]: a demand is a mapping of fields, not str" in capsys.readouterr().err
    one = tmp_path / "one.yaml"
    one.write_text("school: S3\nid: DN\nskill: coding\nslots: [thu:morning]\n")
    assert main(["replan", str(s_path), str(p_path), "--add-demand", str(one), "-o",
                 str(tmp_path / "re2.json")]) == 0
    # added (nobody can cover it, so it is an uncovered seat of the new plan)
    assert "DN" in {u.demand for u in Plan.load(tmp_path / "re2.json").uncovered}
    scalar = tmp_path / "scalar.json"
    scalar.write_text("3")
    assert main(["replan", str(s_path), str(p_path), "--add-demand", str(scalar)]) == 2
    assert main(["explain", str(s_path), str(p_path), "--demand", "NOPE"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no demand 'NOPE'" in err


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), share=st.floats(0.0, 1.0))
def test_extending_a_plan_breaks_no_rule(seed, share):
    import numpy as np

    from wtmatch.assign.candidates import Pool, build_candidates
    from wtmatch.assign.greedy import extend, greedy
    from wtmatch.assign.plan_rows import assignment_rows

    scenario = generate(10, 6, 0, 0, seed)
    cands = build_candidates(Pool.of(scenario))
    start = greedy(cands)
    # Dropping whole demands from a valid plan leaves a valid plan (H11 is per demand).
    start = start[cands.d[start] < share * len(cands.pool.demand_ids)]
    grown = extend(cands, start, np.arange(len(cands)))
    assert set(start.tolist()) <= set(grown.tolist())
    plan = Plan(scenario=scenario.name, status="feasible",
                assignments=assignment_rows(cands, grown))
    assert verify(scenario, plan).feasible


def test_explain_instructor_without_any_open_seat_names_the_nearest_misses():
    data = three_schools()
    data["instructors"][0]["available"] = ["tue:morning"]
    scenario = from_data(data)
    plan = solve(scenario, FAST).plan
    why = explain_instructor(scenario, plan, "A")
    assert why.assignments == [] and why.other_seats == []
    assert why.near_misses == ["D1 mon:morning: H2: A is not available on mon:morning"]
    assert "the nearest misses" in str(why)


def test_a_recruit_costing_more_than_it_gains_is_not_advised(capsys, tmp_path):
    scenario = from_data(three_schools())
    # coding (D3) gains 1000, chemistry (D2) 3000: at a cost of 2000 only chemistry pays.
    advice = recruit(scenario, 2, settings=FAST, cost=2000)
    assert [p.recruited for p in advice.curve][1:] == [advice.curve[1].recruited] * 2
    assert [p.skill for p, _ in advice.chosen] == ["chemistry"]
    s_path = tmp_path / "s.json"
    s_path.write_text(dumps(scenario))
    assert main(["recruit", str(s_path), "-k", "2", "--cost", "2000", "--time-limit", "5"]) == 0
    assert "coding" not in capsys.readouterr().out.split("recruit, in the order the curve adds")[1]


def test_replan_lists_the_years_items_a_leaver_takes_part_in_from_the_date():
    import datetime as dt

    from builders import part_b

    scenario = from_data(part_b())          # A teaches (part A) and is a member of G1
    plan = solve(scenario, FAST).plan
    assert plan.meetings and verify(scenario, plan).ok
    cut = sorted(m.slot.date for m in plan.meetings)[-1]
    out = replan(scenario, plan, ["A"], from_date=cut, settings=FAST)
    later = [m for m in plan.meetings if m.slot.date >= cut]
    assert out.affected_sessions == [f"G1 meeting {m.index} on {m.slot} (A)" for m in later]
    everything = replan(scenario, plan, ["A"], settings=FAST)
    assert len(everything.affected_sessions) == len(plan.meetings)
    assert replan(scenario, plan, ["A"], from_date=cut + dt.timedelta(days=1),
                  settings=FAST).affected_sessions == []
    assert "a leaver takes part in (year): G1 meeting" in str(out)


def _year_to_replan():
    """part_b with U1 (a participant) as a second instructor, and a plan of the year.

    A teaches D1 on Thursday afternoons (pinned); session s1 of the cohort U1
    follows is on a Thursday afternoon. When A leaves, U1 takes D1, and s1 must move.
    """
    from builders import good_meetings, part_b, plan_of

    data = part_b()
    data["instructors"].append({"id": "U1", "skills": {"robotics": 3},
                                "available": ["thu:afternoon"]})
    data["pinned"] = [{"instructor": "A", "demand": "D1", "slot": "thu:afternoon"}]
    scenario = from_data(data)
    sessions = [
        {"cohort": "C1", "session": "s1", "slots": ["2026-09-10:afternoon"], "trainers": ["T1"],
         "venue": "V1"},
        {"cohort": "C1", "session": "s2", "slots": ["2026-09-17:evening"], "trainers": ["T1"]},
        {"cohort": "C1", "session": "s3", "slots": ["2026-09-29:morning", "2026-09-29:afternoon"],
         "trainers": ["T1", "T2"], "venue": "V1"}]
    plan = plan_of([("A", "D1", "thu:afternoon")], scenario, sessions=sessions,
                   meetings=good_meetings())
    assert verify(scenario, plan).feasible
    return scenario, plan


def test_replan_keeps_the_year_and_moves_only_what_the_change_breaks():
    import datetime as dt

    scenario, plan = _year_to_replan()
    out = replan(scenario, plan, ["A"], from_date=dt.date(2026, 9, 9), settings=FAST)
    assert verify(out.scenario, out.plan).ok            # checkable against the scenario solved
    assert ("U1", "D1") in {(a.instructor, a.demand) for a in out.plan.assignments}
    new = {(s.cohort, s.session): s for s in out.plan.sessions}
    assert new[("C1", "s1")].slots != plan.sessions[0].slots        # U1 teaches then now
    assert len(out.year_moved) >= 1 and "C1/s1" in out.year_moved[0]
    assert "U1 is not free on 2026-09-10:afternoon any more" in out.year_moved[0]
    assert out.plan.meetings == plan.meetings                       # they still hold
    assert out.year_kept + len(out.year_moved) + len(out.year_dropped) == 5
    assert not out.year_dropped


def test_replan_never_moves_what_took_place_before_the_date():
    import datetime as dt

    scenario, plan = _year_to_replan()
    out = replan(scenario, plan, ["A"], from_date=dt.date(2026, 9, 11), settings=FAST)
    assert verify(out.scenario, out.plan).ok
    # s1 took place before the change: it cannot move, and cannot stay beside U1's new
    # weekly teaching (H22 blocks the weekly slot on every date): it is left out, with why
    assert ("C1", "s1") not in {(s.cohort, s.session) for s in out.plan.sessions}
    assert any("C1/s1" in d and "before the change" in d for d in out.year_dropped)
    reasons = [r.message for u in out.plan.unscheduled if u.session == "s1" for r in u.reasons]
    assert any("before the change" in m for m in reasons)
    # nothing else of the past moved: meeting 1 (10 September) is where it was
    assert out.plan.meetings[0] == plan.meetings[0]
