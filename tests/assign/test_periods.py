"""Part A over a school year (DOMAIN.md §8): periods, S8 reach, S9 handover, versions (§9)."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json

import pytest
from domain_oracle import check, check_assignments
from hypothesis import given, settings
from hypothesis import strategies as st
from shaken import shaken

import wtmatch
from wtmatch.errors import ScenarioError
from wtmatch.plan import Assignment, Plan

CALENDAR = {
    # T1: three school weeks; T2: five weeks less the autumn break, so four.
    "start": "2026-08-31", "end": "2026-10-30",
    "blocked": [{"from": "2026-10-12", "to": "2026-10-16", "name": "autumn"}],
    "periods": [{"id": "T1", "from": "2026-08-31", "to": "2026-09-18"},
                {"id": "T2", "from": "2026-09-28", "to": "2026-10-30"}],
}


def year() -> dict:
    """A small school year whose optimum is found by enumeration below."""
    return {
        "format": "wtmatch/2", "name": "year",
        "calendar": copy.deepcopy(CALENDAR),
        "settings": {"weights": {"reach": 400, "handover": 1500}},
        "instructors": [
            {"id": "A", "skills": {"robotics": 3},
             "available": {"T1": ["mon:morning"], "T2": ["mon:morning", "tue:morning"]}},
            {"id": "B", "skills": {"robotics": 2}, "available": ["mon:morning", "tue:morning"],
             "periods": ["T2"], "min_dayparts": 2},
            {"id": "C", "skills": {"robotics": 2}, "available": ["tue:morning"]},
        ],
        "schools": [
            {"id": "S1", "reach": 3, "demands": [
                {"id": "D1", "skill": "robotics", "slots": ["mon:morning"]}]},
            {"id": "S2", "reach": 0, "demands": [
                {"id": "D2", "skill": "robotics", "slots": ["tue:morning"], "periods": ["T2"],
                 "priority": 2}]},
            {"id": "S3", "reach": 1, "demands": [
                {"id": "D3", "skill": "robotics", "min_level": 3,
                 "slots": ["mon:morning", "tue:morning"]}]},
        ],
        "previous_plan": [{"instructor": "A", "demand": "D1", "slot": "mon:morning",
                           "period": "T1"}],
    }


def _rows(data: dict) -> list[dict]:
    """Every (instructor, demand, slot, period) row, feasible or not, for enumeration."""
    periods = [p["id"] for p in (data.get("calendar") or {}).get("periods", [])] or [None]
    out = []
    for ins in data["instructors"]:
        for school in data["schools"]:
            for dem in school["demands"]:
                for slot in dem["slots"]:
                    for p in periods:
                        row = {"instructor": ins["id"], "demand": dem["id"],
                               "school": school["id"], "slot": slot, "period": p}
                        out.append({k: v for k, v in row.items() if v is not None})
    return out


def _best_by_enumeration(data: dict) -> int:
    """The optimum by brute force over the rows the oracle (DOMAIN.md alone) accepts one by one."""
    single = [r for r in _rows(data) if not check_assignments(data, {"assignments": [r]})[0]]
    assert len(single) <= 14, "keep the enumeration small"
    best = None
    for n in range(len(single) + 1):
        for subset in itertools.combinations(single, n):
            errors, value = check_assignments(data, {"assignments": list(subset)})
            if not errors and (best is None or value > best):
                best = value
    return best


def _solve(data: dict, **kw) -> wtmatch.Result:
    scenario = wtmatch.from_data(json.loads(json.dumps(data)))
    return wtmatch.solve(scenario, wtmatch.Settings(time_limit=10, workers=2, seed=0, **kw))


def test_a_hand_made_year_is_solved_to_its_enumerated_optimum():
    data = year()
    result = _solve(data)
    assert result.status == "optimal"
    assert result.objective == _best_by_enumeration(data)
    plan = json.loads(result.plan.dumps())
    assert plan["format"] == "wtmatch-plan/2"
    assert all(r["period"] in ("T1", "T2") for r in plan["assignments"])
    assert check(data, plan)[0] == []
    verdict = wtmatch.verify(wtmatch.from_data(data), result.plan)
    assert verdict.feasible and verdict.objective_ok


@pytest.mark.parametrize(("edit", "value"), [
    ("weights", {"reach": 0, "handover": 0}), ("weights", {"reach": 5000, "handover": 0}),
    ("weights", {"reach": 0, "handover": 100_000}), ("max_dayparts", 1),
])
def test_each_term_moves_the_optimum_as_enumeration_says(edit, value):
    data = year()
    if edit == "weights":
        data["settings"]["weights"].update(value)
    else:
        data["instructors"][0]["max_dayparts"] = value
    result = _solve(data)
    assert result.status == "optimal"
    assert result.objective == _best_by_enumeration(data)


def test_weeks_count_iso_weeks_with_a_school_day():
    scenario = wtmatch.from_data(year())
    assert scenario.weeks == {"T1": 3, "T2": 4}


def _given(data: dict, rows: list[tuple]) -> wtmatch.Result:
    """Part A taken as given (valued by the solver's own evaluation), part B nothing."""
    scenario = wtmatch.from_data(data)
    given = [Assignment(instructor=i, demand=d, school=s, slot=t, period=p)
             for i, d, s, t, p in rows]
    return wtmatch.solve(scenario, wtmatch.Settings(part="sessions"), assignments=given)


def _three_terms() -> dict:
    data = {
        "format": "wtmatch/2",
        "calendar": {"start": "2026-08-31", "end": "2026-12-18", "periods": [
            {"id": "T1", "from": "2026-08-31", "to": "2026-09-25"},
            {"id": "T2", "from": "2026-09-28", "to": "2026-10-23"},
            {"id": "T3", "from": "2026-10-26", "to": "2026-12-18"}]},
        "instructors": [{"id": x, "skills": {"robotics": 1}, "available": ["mon:morning"]}
                        for x in "ABC"],
        "schools": [{"id": "S", "demands": [{"id": "D", "skill": "robotics",
                                             "slots": ["mon:morning"], "instructors_needed": 2}]}],
    }
    return data


@pytest.mark.parametrize(("rows", "faces"), [
    # rows in T1 and T3 only: T1 and T3 are not consecutive, nothing paid
    ([("A", "T1"), ("B", "T3")], 0),
    # a set difference, not a difference of counts: {A, B} then {B, C} is one new face
    ([("A", "T1"), ("B", "T1"), ("B", "T2"), ("C", "T2")], 1),
    # the same people all year
    ([(x, p) for x in "AB" for p in ("T1", "T2", "T3")], 0),
    # nobody in T1: T2's people are not new faces
    ([("A", "T2"), ("B", "T3")], 1),
])
def test_s9_counts_new_faces_between_consecutive_periods_with_rows(rows, faces):
    data = _three_terms()
    result = _given(data, [(i, "D", "S", "mon:morning", p) for i, p in rows])
    assert result.terms["S9"] == -100 * faces
    verdict = wtmatch.verify(wtmatch.from_data(data), result.plan)
    assert verdict.terms["S9"] == -100 * faces and verdict.objective_ok
    assert check_assignments(data, json.loads(result.plan.dumps()))[1] == result.objective


def test_s9_skips_periods_in_which_the_demand_does_not_run():
    data = _three_terms()
    data["schools"][0]["demands"][0]["periods"] = ["T1", "T3"]
    result = _given(data, [("A", "D", "S", "mon:morning", "T1"),
                           ("B", "D", "S", "mon:morning", "T3")])
    assert result.terms["S9"] == -100   # T1 and T3 are consecutive among D's periods


def test_s8_reach_without_periods_counts_each_school_once():
    data = {"format": "wtmatch/2", "settings": {"weights": {"reach": 700}},
            "instructors": [{"id": "A", "skills": {"x": 1}, "available": ["mon:morning"]},
                            {"id": "B", "skills": {"x": 1}, "available": ["mon:morning"]}],
            "schools": [{"id": "big", "reach": 1, "demands": [
                            {"id": "D1", "skill": "x", "slots": ["mon:morning"],
                             "instructors_needed": 2, "priority": 1}]},
                        {"id": "small", "reach": 2, "demands": [
                            {"id": "D2", "skill": "x", "slots": ["mon:morning"]}]}]}
    result = _solve(data)
    # reaching both schools (1000 + 1000 + 700·3) beats filling the big one (2000 + 700)
    assert result.status == "optimal"
    assert {a.school for a in result.plan.assignments} == {"big", "small"}
    assert result.terms["S8"] == 700 * 3
    assert result.objective == _best_by_enumeration(data)


def test_h13_a_pin_in_a_period_its_instructor_is_not_released_is_infeasible():
    data = year()
    data["pinned"] = [{"instructor": "B", "demand": "D1", "slot": "mon:morning", "period": "T1"}]
    result = _solve(data)
    assert result.status == "infeasible"
    assert "pinned[0]" in result.plan.uncovered[0].reasons[0].message


def test_pins_hold_in_their_period():
    data = year()
    data["pinned"] = [{"instructor": "C", "demand": "D2", "slot": "tue:morning", "period": "T2"}]
    result = _solve(data)
    assert result.status == "optimal"
    rows = {(a.instructor, a.demand, a.period) for a in result.plan.assignments}
    assert ("C", "D2", "T2") in rows


def test_uncovered_seats_carry_their_period_and_say_who_is_not_released():
    data = year()
    data["schools"][2]["demands"][0]["min_level"] = 2   # B could teach D3, but only in T2
    data["instructors"][0]["available"] = {"T2": ["mon:morning", "tue:morning"]}
    result = _solve(data)
    t1 = [u for u in result.plan.uncovered if u.period == "T1"]
    assert t1, "T1 has nobody for robotics on Monday"
    codes = {r.code for u in t1 for r in u.reasons}
    assert "not_released" in codes
    assert result.plan.kpis.coverage_by_period.keys() == {"T1", "T2"}


def test_h22_teaching_blocks_its_slot_only_within_its_period():
    data = year()
    data["groups"] = [{"id": "G", "members": ["A", "X"], "meetings": 1, "parts": ["morning"],
                       "mode": "online"}]
    scenario = wtmatch.from_data(data)
    teach = Assignment(instructor="A", demand="D1", school="S1", slot="mon:morning", period="T1")
    for day, clash in (("2026-09-07", True), ("2026-10-05", False)):   # Mondays in T1, in T2
        plan = Plan(status="feasible", assignments=[teach],
                    meetings=[{"group": "G", "index": 1, "slot": f"{day}:morning"}])
        verdict = wtmatch.verify(scenario, plan)
        assert any(v.rule == "H22" for v in verdict.violations) == clash
        errors, _ = check(data, json.loads(plan.dumps()))
        assert any(e.startswith("H22") for e in errors) == clash


def test_part_b_schedules_around_teaching_of_the_period_only():
    data = year()
    data["instructors"][0]["available"] = {p: [f"{d}:morning" for d in
                                               ("mon", "tue", "wed", "thu", "fri")]
                                           for p in ("T1",)}
    data["instructors"][0]["max_dayparts"] = 5
    data["schools"].append({"id": "S4", "demands": [
        {"id": f"M{d}", "skill": "robotics", "slots": [f"{d}:morning"], "priority": 5,
         "periods": ["T1"]} for d in ("mon", "tue", "wed", "thu", "fri")]})
    data["groups"] = [{"id": "G", "members": ["A"], "meetings": 2, "parts": ["morning"],
                       "mode": "online"}]
    result = _solve(data)
    assert result.status in ("optimal", "feasible")
    assert len({a.demand for a in result.plan.assignments if a.period == "T1"
                and a.instructor == "A"}) == 5
    assert len(result.plan.meetings) == 2     # A is free on mornings outside T1
    t1 = wtmatch.from_data(data).periods[0]
    assert not any(t1.holds(m.slot.date) for m in result.plan.meetings)
    assert wtmatch.verify(wtmatch.from_data(data), result.plan).feasible


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10**6), st.booleans())
def test_plans_with_periods_pass_both_checkers(seed, sessions):
    data = shaken(seed, sessions, periods=True)
    result = _solve(data)
    plan = json.loads(result.plan.dumps())
    assert plan["status"] in ("optimal", "feasible"), plan["status"]
    errors, parts = check(data, plan)
    assert errors == []
    assert (plan["objective_parts"]["assign"], plan["objective_parts"]["sessions"]) == \
        (parts["assign"], parts["sessions"])
    assert plan["objective"] <= plan["bound"]
    verdict = wtmatch.verify(wtmatch.from_data(data), result.plan)
    assert verdict.feasible and verdict.objective_ok


def test_a_plan_with_periods_reads_back_without_loss_and_a_v1_plan_has_no_period():
    result = _solve(year())
    assert Plan.loads(result.plan.dumps()).dumps() == result.plan.dumps()
    v1 = _solve({"format": "wtmatch/1", "instructors": [
        {"id": "A", "skills": {"x": 1}, "available": ["mon:morning"]}], "schools": [
        {"id": "S", "demands": [{"id": "D", "skill": "x", "slots": ["mon:morning"]}]}]})
    text = v1.plan.dumps()
    assert '"period"' not in text and '"wtmatch-plan/1"' in text
    assert set(v1.terms) == {f"S{i}" for i in range(1, 8)}


V2_FIELDS = [
    ("calendar.periods", lambda d: d),
    ("instructors[0].available", lambda d: d),
    ("instructors[1].periods", lambda d: d),
    ("schools[0].reach", lambda d: d),
    ("schools[1].demands[0].periods", lambda d: d),
    ("previous_plan[0].period", lambda d: d),
    ("settings.weights.reach", lambda d: d),
    ("settings.weights.handover", lambda d: d),
]


@pytest.mark.parametrize("path", [p for p, _ in V2_FIELDS])
def test_a_v1_file_using_a_v2_field_is_refused_naming_it(path):
    data = year()
    data["format"] = "wtmatch/1"
    data["settings"]["weights"]["handover"] = 1500
    with pytest.raises(ScenarioError) as exc:
        wtmatch.from_data(data)
    assert any(p.path == path and "wtmatch/2" in p.message for p in exc.value.problems)


def test_grants_in_a_v1_file_are_refused_and_read_in_v2():
    prog = {"id": "P", "sessions": [{"id": "s"}],
            "grants": {"skills": {"robotics": 3}, "qualified": True}}
    with pytest.raises(ScenarioError) as exc:
        wtmatch.from_data({"format": "wtmatch/1", "programmes": [prog]})
    assert [p.path for p in exc.value.problems] == ["programmes[0].grants"]
    scenario = wtmatch.from_data({"programmes": [prog]})   # no format: the newest
    assert scenario.format == "wtmatch/2"
    assert scenario.programmes[0].grants.skills == {"robotics": 3}
    with pytest.raises(ScenarioError):
        wtmatch.from_data({"programmes": [{**prog, "grants": {"skills": {"robotics": 6}}}]})


@pytest.mark.parametrize(("edit", "path", "words"), [
    (lambda d: d["calendar"]["periods"].append(
        {"id": "T3", "from": "2026-10-26", "to": "2026-11-30"}),
     "calendar.periods[2]", "not within the calendar"),
    (lambda d: d["calendar"]["periods"][1].update({"from": "2026-09-14"}),
     "calendar.periods[1]", "overlaps"),
    (lambda d: d["calendar"]["periods"][1].update({"from": "2026-10-12", "to": "2026-10-16"}),
     "calendar.periods[1]", "no school day"),
    (lambda d: d["instructors"][1].update({"periods": ["T9"]}),
     "instructors[1].periods[0]", "not a period id"),
    (lambda d: d["instructors"][1].update({"periods": []}),
     "instructors[1].periods", "at least 1"),
    (lambda d: d["instructors"][0]["available"].update({"T1": []}),
     "instructors[0].available.T1", "empty list"),
    (lambda d: d["instructors"][0].update({"periods": ["T1"]}),
     "instructors[0].periods", "beside the mapping"),
    (lambda d: d["previous_plan"][0].pop("period"), "previous_plan[0]", "needs its 'period'"),
    (lambda d: d.update(pinned=[{"instructor": "C", "demand": "D2", "slot": "tue:morning",
                                 "period": "T1"}]),
     "pinned[0].period", "does not run in 'T1'"),
    (lambda d: d["calendar"].pop("periods"), "previous_plan[0].period", "has no periods"),
])
def test_bad_period_input_is_named_by_its_path(edit, path, words):
    data = year()
    edit(data)
    with pytest.raises(ScenarioError) as exc:
        wtmatch.from_data(data)
    assert any(p.path == path and words in p.message for p in exc.value.problems), \
        exc.value.problems


def test_every_period_problem_is_reported_at_once():
    data = year()
    data["instructors"][1]["periods"] = ["T9"]
    data["schools"][1]["demands"][0]["periods"] = ["T8"]
    data["previous_plan"][0].pop("period")
    with pytest.raises(ScenarioError) as exc:
        wtmatch.from_data(data)
    assert {p.path for p in exc.value.problems} >= {
        "instructors[1].periods[0]", "schools[1].demands[0].periods[0]", "previous_plan[0]"}


def test_a_v1_scenario_is_written_back_as_v1():
    data = {"format": "wtmatch/1", "instructors": [{"id": "A", "available": ["mon:morning"]}],
            "schools": [{"id": "S", "demands": [{"id": "D", "skill": "x",
                                                  "slots": ["mon:morning"]}]}]}
    text = wtmatch.scenario.dumps(wtmatch.from_data(data))
    assert "reach" not in text and "periods" not in text and "handover" not in text
    assert wtmatch.from_data(json.loads(text)).format == "wtmatch/1"


def test_the_generator_makes_a_school_year():
    from wtmatch.generate import generate

    scenario = generate(30, 20, seed=4, periods=3, reach=500)
    assert [p.id for p in scenario.periods] == ["T1", "T2", "T3"]
    assert any(isinstance(i.available, dict) for i in scenario.instructors)
    assert any(i.periods for i in scenario.instructors)
    assert any(d.periods for d in scenario.demand_by_id.values())
    assert scenario.settings.weights.reach == 500
    assert {s.reach for s in scenario.schools if s.type == "PO"} == {1}
    assert generate(30, 20, seed=4).model_dump() == \
        generate(30, 20, seed=4, periods=0).model_dump()


def test_each_rows_ics_series_runs_within_its_period_and_skips_blocked_dates(tmp_path):
    import recurring_ical_events
    from icalendar import Calendar

    from wtmatch.report.ics import write_ics

    data = year()
    scenario = wtmatch.from_data(data)
    rows = [Assignment(instructor="A", demand="D1", school="S1", slot="mon:morning", period=p)
            for p in ("T1", "T2")]
    write_ics(scenario, Plan(status="feasible", assignments=rows), tmp_path)
    cal = Calendar.from_ical((tmp_path / "A.ics").read_bytes())
    dates = [e.decoded("dtstart").date() for e in recurring_ical_events.of(cal).between(
        scenario.calendar.start, scenario.calendar.end)]
    expected = [d for d in scenario.calendar.school_days() if d.weekday() == 0
                and any(p.holds(d) for p in scenario.periods)]
    assert dates == expected     # not the Monday between the terms, nor the autumn break's
    assert len(expected) == scenario.weeks["T1"] + scenario.weeks["T2"]


def test_summary_and_report_show_periods():
    from wtmatch.report.html import render
    from wtmatch.report.summary import summary

    data = year()
    data["instructors"][0]["available"] = {"T2": ["mon:morning", "tue:morning"]}
    result = _solve(data)
    scenario = wtmatch.from_data(data)
    text = summary(scenario, result.plan)
    assert "period T1" in text and " in T1 seat" in text
    page = render(scenario, result.plan)
    assert "coverage in period T2" in page


@pytest.mark.parametrize("argv", [
    ["stability", "{s}", "{p}", "--solve-stable"], ["recruit", "{s}"],
])
def test_analyses_that_do_not_know_periods_yet_refuse_in_one_line(tmp_path, capsys, argv):
    from wtmatch.cli import main

    s, p = tmp_path / "s.json", tmp_path / "p.json"
    s.write_text(json.dumps(year()))
    _solve(year()).plan.save(p)
    code = main([a.format(s=s, p=p, d=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and "does not handle periods" in err and "Traceback" not in err
    assert not (tmp_path / "new.json").exists()


def test_the_plan_workbook_has_a_period_column(tmp_path):
    import openpyxl

    from wtmatch.report.xlsx import export_xlsx

    result = _solve(year())
    path = export_xlsx(wtmatch.from_data(year()), result.plan, tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(path)
    header = [c.value for c in next(book["school S1"].iter_rows(max_row=1))]
    assert header == ["slot", "period", "demand", "instructor"]
    periods = {r[1] for r in book["school S1"].iter_rows(min_row=2, values_only=True)}
    assert periods <= {"T1", "T2"} and periods


def _train_in_autumn() -> dict:
    """Ann could teach D (robotics 3, spring only) once trained; Bob is not free then."""
    return {
        "format": "wtmatch/2", "name": "train in autumn",
        "calendar": {"start": "2026-08-31", "end": "2027-01-29", "periods": [
            {"id": "T1", "from": "2026-08-31", "to": "2026-10-30"},
            {"id": "T2", "from": "2026-11-02", "to": "2027-01-29"}]},
        "instructors": [
            {"id": "Ann", "skills": {"robotics": 1}, "available": ["wed:morning"]},
            {"id": "Bob", "skills": {"robotics": 1}, "available": ["thu:morning"]},
            {"id": "Cas", "skills": {"robotics": 4}, "available": ["mon:morning"]}],
        "schools": [{"id": "S", "demands": [
            {"id": "D", "skill": "robotics", "min_level": 3, "slots": ["wed:morning"],
             "periods": ["T2"]},
            {"id": "E", "skill": "robotics", "slots": ["mon:morning"]}]}],
        "trainers": [{"id": "Tr", "certified": ["P", "Q"]}],
        "programmes": [
            {"id": "P", "sessions": [{"id": "s1", "mode": "online"}],
             "grants": {"skills": {"robotics": 3}}},
            {"id": "Q", "sessions": [{"id": "q1", "mode": "online"}],
             "grants": {"skills": {"chemistry": 2}}}],
    }


def test_upskill_names_the_trainee_the_programme_the_exact_gain_and_the_deadline():
    from wtmatch.analysis import upskill

    scenario = wtmatch.from_data(_train_in_autumn())
    advice = upskill(scenario, k=3, settings=wtmatch.Settings(time_limit=5, seed=0))
    assert [(t.instructor, t.programme) for t in advice.trainings] == [("Ann", "P")]
    (t,) = advice.trainings
    assert t.gain == 1000 * scenario.weeks["T2"] and t.proven     # D filled all of T2
    assert t.seats == [("D", "wed:morning", "T2")]
    assert str(t.train_by) == "2026-11-02"                          # T2 starts
    assert advice.as_cohorts(scenario) == [
        {"id": "upskill-P", "programme": "P", "participants": ["Ann"]}]


def test_upskill_as_cohorts_closes_the_loop_in_one_scenario(tmp_path, capsys):
    from wtmatch.cli import main

    s = tmp_path / "s.json"
    s.write_text(json.dumps(_train_in_autumn()))
    out = tmp_path / "with-training.json"
    assert main(["upskill", str(s), "--time-limit", "5", "--as-cohorts", str(out)]) == 0
    assert "Ann follows P" in capsys.readouterr().out
    trained = wtmatch.from_data(json.loads(out.read_text()))
    assert [(c.programme, c.participants) for c in trained.cohorts] == [("P", ["Ann"])]
    result = wtmatch.solve(trained, wtmatch.Settings(time_limit=5))
    assert [(s.cohort, s.session) for s in result.plan.sessions] == [("upskill-P", "s1")]


def test_upskill_without_grants_says_so():
    from wtmatch.analysis import upskill

    data = _train_in_autumn()
    for p in data["programmes"]:
        p.pop("grants")
    with pytest.raises(wtmatch.WtmatchError, match="grants"):
        upskill(wtmatch.from_data(data))


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 10**6))
def test_a_year_solved_period_by_period_is_verified_and_its_bound_holds(seed):
    from wtmatch.solver.assign import by_period

    data = shaken(seed, False, periods=True)
    exact = _solve(data)                       # small: the full model, proven
    assert exact.status == "optimal"
    split = by_period.SPLIT_FROM
    try:
        by_period.SPLIT_FROM = 0
        result = _solve(data)
    finally:
        by_period.SPLIT_FROM = split
    if len(wtmatch.from_data(data).periods) > 1 and result.plan.assignments:
        assert result.plan.solver.details.get("periods_solved_apart")
    plan = json.loads(result.plan.dumps())
    errors, parts = check(data, plan)
    assert errors == [] and parts["assign"] == result.objective
    assert result.objective <= exact.objective <= result.bound


def test_replan_from_a_date_keeps_the_periods_before_it_and_replans_the_rest():
    from wtmatch.analysis import replan

    data = year()
    data["previous_plan"] = []
    scenario = wtmatch.from_data(data)
    plan = _solve(data).plan
    a_rows = [r for r in plan.assignments if r.instructor == "A"]
    assert {r.period for r in a_rows} == {"T1", "T2"}, "A teaches in both terms"
    out = replan(scenario, plan, ["A"], from_date=scenario.periods[1].from_,
                 settings=wtmatch.Settings(time_limit=5, seed=0))
    new = out.plan.assignments
    assert [r for r in new if r.period == "T1"] == [r for r in plan.assignments
                                                    if r.period == "T1"]
    assert not [r for r in new if r.instructor == "A" and r.period == "T2"]
    assert all("A" in str(c) and "in T2" in str(c) for c in out.removed)
    verdict = wtmatch.verify(out.scenario, out.plan)
    assert verdict.ok
    text = wtmatch.scenario.dumps(out.scenario)
    assert wtmatch.from_data(json.loads(text)).previous_plan[0].period in ("T1", "T2")


def test_replan_without_a_date_replans_every_period():
    from wtmatch.analysis import replan

    data = year()
    scenario = wtmatch.from_data(data)
    plan = _solve(data).plan
    out = replan(scenario, plan, ["A"], settings=wtmatch.Settings(time_limit=5, seed=0))
    assert not [r for r in out.plan.assignments if r.instructor == "A"]
    assert wtmatch.verify(out.scenario, out.plan).ok


def test_upskill_teach_from_applies_the_grant_from_that_period_on():
    from wtmatch.analysis import upskill

    data = _train_in_autumn()
    del data["schools"][0]["demands"][0]["periods"]          # D runs all year
    scenario = wtmatch.from_data(data)
    settings = wtmatch.Settings(time_limit=5, seed=0)
    whole = upskill(scenario, settings=settings).trainings[0]
    spring = upskill(scenario, settings=settings, teach_from="T2").trainings[0]
    assert whole.gain == 1000 * (scenario.weeks["T1"] + scenario.weeks["T2"])
    assert spring.gain == 1000 * scenario.weeks["T2"]
    assert spring.seats == [("D", "wed:morning", "T2")] and str(spring.train_by) == "2026-11-02"
    with pytest.raises(wtmatch.WtmatchError, match="not a period"):
        upskill(scenario, teach_from="T7")


def test_explain_speaks_of_one_period_in_the_scenarios_own_ids():
    from wtmatch.analysis import explain_demand, explain_instructor

    data = year()
    data["instructors"][0]["available"] = {"T2": ["mon:morning", "tue:morning"]}
    scenario = wtmatch.from_data(data)
    plan = _solve(data).plan
    t1 = explain_demand(scenario, plan, "D1", period="T1")
    assert t1.period == "T1" and t1.demand == "D1" and t1.school == "S1" and t1.uncovered == 1
    text = str(t1)
    assert "in T1" in text and "@" not in text and "not released in T1: A" in text
    t2 = explain_demand(scenario, plan, "D1", period="T2")
    assert t2.uncovered == 0 and "@" not in str(t2)
    a = explain_instructor(scenario, plan, "A", period="T2")
    assert a.instructor == "A" and all("@" not in s for s in a.schools)
    with pytest.raises(wtmatch.WtmatchError, match="name one"):
        explain_demand(scenario, plan, "D1")
    with pytest.raises(wtmatch.WtmatchError, match="does not run in T1"):
        explain_demand(scenario, plan, "D2", period="T1")
    with pytest.raises(wtmatch.WtmatchError, match="not released in T1"):
        explain_instructor(scenario, plan, "A", period="T1")


def test_cover_uses_the_weekly_pattern_of_the_dates_period():
    from wtmatch.analysis import cover

    data = year()
    scenario = wtmatch.from_data(data)
    rows = [Assignment(instructor="A", demand="D1", school="S1", slot="mon:morning", period="T1"),
            Assignment(instructor="A", demand="D3", school="S3", slot="mon:morning", period="T2")]
    plan = Plan(status="feasible", assignments=rows)
    in_t1 = cover(scenario, plan, "A", dt.date(2026, 9, 7))
    assert [s.seat.demand for s in in_t1.seats] == ["D1"]
    assert [s.instructor for s in in_t1.seats[0].stand_ins] == []   # B is not released in T1
    in_t2 = cover(scenario, plan, "A", dt.date(2026, 10, 5))
    assert [s.seat.demand for s in in_t2.seats] == ["D3"]
    between = cover(scenario, plan, "A", dt.date(2026, 9, 21))     # in no period
    assert between.seats == []


@pytest.mark.parametrize("suffix", [".xlsx", ""])
def test_a_school_year_goes_to_spreadsheets_and_back_unchanged(tmp_path, suffix):
    from wtmatch.sheets import export_tables, import_tables

    data = year()
    data["programmes"] = [{"id": "P", "sessions": [{"id": "s"}],
                           "grants": {"skills": {"robotics": 3}, "qualified": True}}]
    data["pinned"] = [{"instructor": "C", "demand": "D2", "slot": "tue:morning", "period": "T2"}]
    scenario = wtmatch.from_data(data)
    path = export_tables(scenario, tmp_path / f"year{suffix}")
    back = import_tables(path, name="year").scenario
    assert back.model_dump(mode="json") == scenario.model_dump(mode="json")


def test_a_bad_period_cell_is_named_by_sheet_row_and_column(tmp_path):
    from wtmatch.sheets import export_tables, import_tables

    folder = export_tables(wtmatch.from_data(year()), tmp_path / "year")
    text = (folder / "instructors.csv").read_text()
    (folder / "instructors.csv").write_text(text.replace("tue:morning", "tue:noon", 1))
    with pytest.raises(ScenarioError) as exc:
        import_tables(folder)
    assert any("instructors.csv, row 2" in p.path and "available:T2" in p.path
               for p in exc.value.problems), exc.value.problems


def test_stability_finds_a_blocking_pair_in_its_period():
    from wtmatch.analysis import stability

    data = year()
    data["instructors"][0]["preferences"] = {"S3": 2}
    scenario = wtmatch.from_data(data)
    rows = [Assignment(instructor="A", demand="D3", school="S3", slot="mon:morning", period="T1"),
            Assignment(instructor="A", demand="D1", school="S1", slot="mon:morning", period="T2")]
    found = stability(scenario, Plan(status="feasible", assignments=rows))
    # in T2 A is free on Tuesday and teaches at S1 on Monday: both of S3's seats block;
    # in T1 A already teaches at S3
    assert [(b.instructor, b.demand, str(b.slot), b.period) for b in found.blocking] == [
        ("A", "D3", "mon:morning", "T2"), ("A", "D3", "tue:morning", "T2")]
    assert "in T2" in str(found.blocking[0])


def test_fit_places_a_newcomer_in_the_periods_they_are_released_in():
    from wtmatch.analysis import recommend_fit

    data = year()
    data["schools"].append({"id": "S4", "demands": [
        {"id": "D4", "skill": "robotics", "min_level": 3, "slots": ["wed:morning"],
         "periods": ["T2"]}]})                         # open: nobody is free on Wednesdays
    scenario = wtmatch.from_data(data)
    plan = _solve(data).plan
    newcomer = {"id": "N", "skills": {"robotics": 3}, "available": {"T2": ["wed:morning"]}}
    advice = recommend_fit(scenario, plan, newcomer,
                           settings=wtmatch.Settings(time_limit=5, seed=0))
    assert advice.fits and all(f.period == "T2" for f in advice.fits)
    best = advice.fits[0]
    assert (best.demand, str(best.slot), best.was_uncovered) == ("D4", "wed:morning", True)
    # S1 and S8 (reach 400, S4's reach 1) over T2's 4 weeks
    assert best.gain == advice.free_gain == (1000 + 400) * scenario.weeks["T2"]
    assert "in T2" in str(best)
