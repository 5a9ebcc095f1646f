"""A planner's round that holds: plans say what they were solved against, nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import part_a, part_b

import wtmatch
from wtmatch.cli import main
from wtmatch.errors import PlanMismatch


def _write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def solved(tmp_path):
    """Part B's small year solved once: (scenario file, plan file)."""
    scenario = _write(tmp_path / "s.json", part_b())
    plan = tmp_path / "plan.json"
    assert main(["solve", str(scenario), "-q", "--time-limit", "3", "-o", str(plan)]) == 0
    return scenario, plan


# ---- a plan names its scenario and its weights -----------------------------------
def test_a_plan_records_the_fingerprint_and_the_weights(solved):
    scenario, plan = solved
    p = wtmatch.Plan.load(plan)
    assert p.scenario_fingerprint.startswith("sha256:") and len(p.scenario_fingerprint) == 71
    assert p.weights == wtmatch.load(scenario).settings.weights.model_dump()


def test_a_plan_of_another_scenario_is_refused_in_one_line(solved, tmp_path, capsys):
    _, plan = solved
    other = part_b()
    other["venues"][0]["capacity"] = 11
    other_path = _write(tmp_path / "other.json", other)
    for verb in (["check"], ["summary"], ["report", "-o", str(tmp_path / "r")],
                 ["explain"], ["replan", "--without", "A"]):
        capsys.readouterr()
        assert main([verb[0], str(other_path), str(plan), *verb[1:]]) == 2, verb
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "another scenario" in err[0], (verb, err)
    # --force checks it anyway (here: the plan still keeps every rule)
    assert main(["check", str(other_path), str(plan), "--force"]) == 0
    with pytest.raises(PlanMismatch):
        wtmatch.verify(wtmatch.load(other_path), wtmatch.Plan.load(plan))


def test_the_same_scenario_in_yaml_with_defaults_left_out_is_the_same_scenario(solved, tmp_path):
    _, plan = solved
    yaml_path = tmp_path / "s.yaml"
    yaml_path.write_text(json.dumps(part_b(), indent=1))       # JSON is YAML
    assert main(["check", str(yaml_path), str(plan)]) == 0


def test_a_plan_solved_with_custom_weights_checks_with_them(tmp_path, capsys):
    scenario = _write(tmp_path / "s.json", part_a())
    (tmp_path / "s.toml").write_text("[weights]\ntravel_km = 5\n")
    plan = tmp_path / "p.json"
    assert main(["solve", str(scenario), "-q", "--settings", str(tmp_path / "s.toml"),
                 "-o", str(plan)]) == 0
    capsys.readouterr()
    assert main(["check", str(scenario), str(plan)]) == 0
    out = capsys.readouterr()
    assert "plan OK" in out.out and "travel_km 5 (the scenario says 1)" in out.out
    verdict = wtmatch.verify(wtmatch.load(scenario), wtmatch.Plan.load(plan))
    assert verdict.ok and verdict.notes


# ---- nothing unaccounted ---------------------------------------------------------
def _conflicting_pins() -> dict:
    data = part_b()
    data["pinned"] = [{"instructor": "A", "demand": "D1", "slot": "thu:afternoon"}]
    data["instructors"][0]["max_dayparts"] = 0            # the pin cannot hold
    return data


def test_when_part_a_is_infeasible_the_year_is_still_scheduled(tmp_path):
    scenario = wtmatch.from_data(_conflicting_pins())
    result = wtmatch.solve(scenario, wtmatch.Settings(time_limit=3))
    plan = result.plan
    assert result.status == "infeasible" and plan.objective is None and plan.bound is None
    assert plan.objective_parts.assign is None
    assert plan.objective_parts.sessions == sum(v for k, v in plan.objective_terms.items()
                                                if int(k[1:]) >= 20)
    items = 3 + 2                                           # three sessions, two meetings
    assert len(plan.sessions) + len(plan.meetings) + len(plan.unscheduled) == items
    assert plan.sessions and all(u.reasons for u in plan.unscheduled)
    assert wtmatch.verify(scenario, plan).feasible


def test_check_of_a_plan_without_a_solution_says_so_with_its_own_code(tmp_path, capsys):
    scenario = _write(tmp_path / "s.json", _conflicting_pins())
    plan = tmp_path / "p.json"
    assert main(["solve", str(scenario), "-q", "--time-limit", "3", "-o", str(plan)]) == 1
    capsys.readouterr()
    assert main(["check", str(scenario), str(plan)]) == 3
    err = capsys.readouterr().err
    assert "holds no solution (status infeasible)" in err and "plan OK" not in err


# ---- plans of other tools --------------------------------------------------------
def test_a_domain_conformant_plan_of_another_tool_is_checked(solved, tmp_path, capsys):
    scenario, plan = solved
    data = json.loads(plan.read_text())
    for key in ("scenario_fingerprint", "weights", "kpis", "solver", "objective_terms"):
        data.pop(key)
    for item in data["unscheduled"]:
        item.pop("kind")
        item["reasons"] = ["no trainer is free then"]
    for seat in data["uncovered"]:
        seat.pop("school")
        seat["reasons"] = [r["message"] for r in seat["reasons"]]
    data["uncovered"].append({"demand": "D1", "slot": "thu:afternoon", "seat": 2,
                              "reasons": ["a second seat that does not exist"]})
    data["their_own_field"] = {"x": 1}
    other = _write(tmp_path / "theirs.json", data)
    assert main(["check", str(scenario), str(other)]) == 0
    err = capsys.readouterr().err
    assert "not used by the check" in err and "their_own_field" in err


# ---- iCalendar, progress and help -----------------------------------------------
def test_solve_help_states_the_real_default_of_workers(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    assert "the solver chooses" in capsys.readouterr().out


def test_progress_says_which_part_it_reports(tmp_path):
    seen = []
    wtmatch.solve(wtmatch.from_data(part_b()), wtmatch.Settings(time_limit=3),
                  progress=seen.append)
    assert {p.part for p in seen} == {"assign", "sessions"}
    assert seen[-1].part == "sessions"


# ---- README's round, end to end -------------------------------------------------
def test_the_planners_round_of_the_readme_holds_end_to_end(tmp_path, capsys):
    """tables → import → solve → check → report → explain → recruit → ics → replan → check."""
    scenario = wtmatch.generate(20, 12, 2, 2, seed=5)
    src = tmp_path / "generated.json"
    wtmatch.save(scenario, src)
    book, s_path, plan, plan2 = (tmp_path / n for n in ("planning.xlsx", "scenario.json",
                                                        "plan.json", "plan2.json"))
    steps = [
        ["tables", str(src), "-o", str(book), "--all"],
        ["import", str(book), "-o", str(s_path)],
        ["solve", str(s_path), "-o", str(plan), "--time-limit", "3"],
        ["check", str(s_path), str(plan)],
        ["report", str(s_path), str(plan), "-o", str(tmp_path / "report")],
        ["explain", str(s_path), str(plan)],
        ["recruit", str(s_path), "-k", "2", "--plot", str(tmp_path / "curve.png"),
         "--time-limit", "2"],
        ["ics", str(s_path), str(plan), "-o", str(tmp_path / "ics")],
        ["replan", str(s_path), str(plan), "--without", scenario.instructors[0].id,
         "--from", str(scenario.calendar.start + (scenario.calendar.end - scenario.calendar.start) / 2),
         "-o", str(plan2), "--time-limit", "3"],
        ["check", str(tmp_path / "plan2.scenario.json"), str(plan2)],
    ]
    for step in steps:
        code = main(step)
        out = capsys.readouterr()
        assert code == 0, (step[0], out.err[-500:])
    # nothing of the year is lost in the re-plan: every item scheduled or listed with why
    first, second = wtmatch.Plan.load(plan), wtmatch.Plan.load(plan2)
    items = len(first.sessions) + len(first.meetings) + len(first.unscheduled)
    assert len(second.sessions) + len(second.meetings) + len(second.unscheduled) == items
    assert second.sessions or second.meetings
    assert (tmp_path / "report" / "index.html").exists() and (tmp_path / "curve.png").exists()
    # every plan written checks against the scenario written beside it
    for s, p in ((s_path, plan), (tmp_path / "plan2.scenario.json", plan2)):
        assert wtmatch.verify(wtmatch.load(s), wtmatch.Plan.load(p)).ok
