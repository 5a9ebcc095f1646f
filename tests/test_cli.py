"""The command line: exit codes, messages, never a traceback for user errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from builders import good_meetings, good_sessions, part_b, plan_of, scenario_of

from wtmatch.cli import main
from wtmatch.plan import ObjectiveParts
from wtmatch.scenario import load


@pytest.fixture
def files(tmp_path):
    """A scenario of part B and an exact plan for it, plus a broken copy of each."""
    scenario = scenario_of(part_b())
    plan = plan_of([("A", "D1", "thu:afternoon")], scenario, sessions=good_sessions(),
                   meetings=good_meetings(), objective=8056).model_copy(
        update={"objective_parts": ObjectiveParts(assign=1000, sessions=7056), "bound": 8056})
    (tmp_path / "s.json").write_text(json.dumps(part_b()))
    plan.save(tmp_path / "p.json")
    bad_plan = plan.model_copy(update={"objective": 1})
    bad_plan.save(tmp_path / "wrong.json")
    broken = part_b()
    broken["venues"][0]["capacity"] = -1
    broken["groups"][0]["members"].append("V2")
    (tmp_path / "bad.json").write_text(json.dumps(broken))
    return tmp_path


def test_validate_ok(files, capsys):
    assert main(["validate", str(files / "s.json")]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_notes_unknown_fields(tmp_path, capsys):
    data = part_b()
    data["venues"][0]["floor"] = 2
    (tmp_path / "s.json").write_text(json.dumps(data))
    assert main(["validate", str(tmp_path / "s.json")]) == 0
    assert "venues[0].floor: not part of the format; kept as it is" in capsys.readouterr().err


def test_validate_lists_every_problem_one_per_line(files, capsys):
    assert main(["validate", str(files / "bad.json")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert any("venues[0].capacity" in line for line in err)
    assert any("groups[0].members[2]: 'V2' is an id of venues, not a person" in line
               for line in err)


@pytest.mark.parametrize(("name", "content"), [("missing.json", None), ("x.json", "{oops"),
                                               ("x.yaml", "- [")])
def test_validate_unreadable_files(tmp_path, capsys, name, content):
    if content is not None:
        (tmp_path / name).write_text(content)
    assert main(["validate", str(tmp_path / name)]) == 2
    assert name in capsys.readouterr().err


def test_check_exact_plan(files, capsys):
    assert main(["check", str(files / "s.json"), str(files / "p.json")]) == 0
    assert "plan OK" in capsys.readouterr().out


def test_check_wrong_objective(files, capsys):
    assert main(["check", str(files / "s.json"), str(files / "wrong.json")]) == 1
    assert "plan says 1, recomputed 8056" in capsys.readouterr().err


def test_check_lists_the_broken_rule(files, tmp_path, capsys):
    plan = json.loads((files / "p.json").read_text())
    plan["sessions"][0]["trainers"] = ["T2"]          # a trainee alone: H24
    (tmp_path / "broken.json").write_text(json.dumps(plan))
    assert main(["check", str(files / "s.json"), str(tmp_path / "broken.json")]) == 1
    err = capsys.readouterr().err
    assert "H24:" in err and "no certified trainer" in err


def test_check_invalid_scenario_is_exit_2(files):
    assert main(["check", str(files / "bad.json"), str(files / "p.json")]) == 2


def test_schema_is_json(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Scenario"


def test_generate_to_file_and_stdout(tmp_path, capsys):
    out = tmp_path / "g.json"
    args = ["generate", "--instructors", "5", "--schools", "4", "--cohorts", "1", "--groups", "1",
            "--seed", "3", "--tight"]
    assert main([*args, "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(out.read_text())
    assert len(load(out).instructors) == 5


def test_no_traceback_from_the_real_command(files):
    for args in (["validate", str(files / "bad.json")], ["validate", str(files / "nope.json")],
                 ["check", str(files / "s.json"), str(files / "missing-plan.json")]):
        run = subprocess.run([sys.executable, "-m", "wtmatch", *args], capture_output=True,
                             text=True)
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr and run.stderr.strip()


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["generate", "--instructors", "-3", "--schools", "1", "--seed", "1"])
    assert exc.value.code == 2


def _tiny_scenario(tmp_path, pins=()):
    data = {"instructors": [{"id": "A", "skills": {"robotics": 2}, "available": ["mon:morning"]}],
            "schools": [{"id": "S", "demands": [
                {"id": "D1", "skill": "robotics", "slots": ["mon:morning"]},
                {"id": "D2", "skill": "robotics", "slots": ["mon:morning"]}]}],
            "pinned": list(pins)}
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(data))
    return path


def test_solve_writes_a_plan_that_checks(tmp_path, capsys):
    scenario = _tiny_scenario(tmp_path)
    out = tmp_path / "plan.json"
    assert main(["solve", str(scenario), "-o", str(out), "--time-limit", "2", "--part",
                 "assign"]) == 0
    assert "coverage: 1 of 2 seats" in capsys.readouterr().out
    assert main(["check", str(scenario), str(out)]) == 0
    assert main(["summary", str(scenario), str(out)]) == 0
    assert "uncovered seats (1)" in capsys.readouterr().out


def test_solve_to_stdout_is_the_plan_json(tmp_path, capsys):
    assert main(["solve", str(_tiny_scenario(tmp_path)), "-q", "--seed", "3",
                 "--workers", "2"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["status"] == "optimal" and plan["solver"]["seed"] == 3


def test_solve_infeasible_exits_1_and_still_writes_the_plan(tmp_path, capsys):
    pins = [{"instructor": "A", "demand": "D1", "slot": "mon:morning"},
            {"instructor": "A", "demand": "D2", "slot": "mon:morning"}]
    out = tmp_path / "plan.json"
    assert main(["solve", str(_tiny_scenario(tmp_path, pins)), "-o", str(out)]) == 1
    plan = json.loads(out.read_text())
    assert plan["status"] == "infeasible"
    assert "pinned[0]" in plan["uncovered"][0]["reasons"][0]["message"]


def test_solve_with_a_settings_file_and_bad_settings(tmp_path, capsys):
    scenario = _tiny_scenario(tmp_path)
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text("time_limit = 1\nreproducible = true\n")
    bad.write_text("[cpsat]\nnot_a_parameter = 3\n")
    assert main(["solve", str(scenario), "-q", "--settings", str(good)]) == 0
    capsys.readouterr()
    assert main(["solve", str(scenario), "-q", "--settings", str(bad)]) == 2
    assert "not_a_parameter" in capsys.readouterr().err


def test_solve_invalid_scenario_exits_2(files):
    assert main(["solve", str(files / "bad.json"), "-q"]) == 2


def test_solve_sessions_with_assignments_from_a_plan(files, tmp_path, capsys):
    out = tmp_path / "b.json"
    assert main(["solve", str(files / "s.json"), "-q", "--part", "sessions", "--assignments",
                 str(files / "p.json"), "-o", str(out)]) == 0
    plan = json.loads(out.read_text())
    assert plan["assignments"] and plan["sessions"] and plan["meetings"]
    assert main(["check", str(files / "s.json"), str(out)]) == 0


def test_assignments_need_the_sessions_part(files, capsys):
    assert main(["solve", str(files / "s.json"), "-q", "--assignments",
                 str(files / "p.json")]) == 2
    assert "--part sessions" in capsys.readouterr().err


def test_progress_line_shows_after_a_second(capsys):
    from wtmatch import Progress
    from wtmatch.report.progress import ProgressLine

    line = ProgressLine(10)
    line(Progress(0.5, 100.0, 120.0))                  # quick solves stay quiet
    line(Progress(2.0, 100.0, 110.0))
    line.done()
    err = capsys.readouterr().err
    assert err.count("objective") == 1 and "gap 10.00 %" in err and "2.0/10 s" in err
    assert "scheduled" not in err                      # part A counts no items
    line(Progress(3.0, 105.0, 110.0, scheduled=7))
    assert "7 items scheduled" in capsys.readouterr().err
    line(Progress(4.0, 106.0, float("inf")))        # a plan found before any bound
    err = capsys.readouterr().err
    assert "objective 106  bound –" in err and "inf" not in err and "gap" not in err


def test_report_and_export_write_their_files(files, tmp_path, capsys):
    from openpyxl import load_workbook

    s, p = str(tmp_path / "s.json"), str(tmp_path / "p.json")
    assert main(["report", s, p, "-o", str(tmp_path / "rep")]) == 0
    assert "id='uncovered'" in (tmp_path / "rep" / "index.html").read_text()
    assert main(["export", s, p, "-o", str(tmp_path / "plan.xlsx")]) == 0
    assert "uncovered" in load_workbook(tmp_path / "plan.xlsx").sheetnames
    # an unwritable destination is a clear error, not a traceback
    assert main(["export", s, p, "-o", str(tmp_path / "no" / "such" / "dir" / "x.xlsx")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_reader_that_goes_away_is_not_an_error():
    import subprocess
    import sys

    # The reader closes before anything is written: every write meets a closed pipe.
    proc = subprocess.Popen([sys.executable, "-m", "wtmatch", "generate", "--instructors", "30",
                             "--schools", "20", "--seed", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Broken pipe" not in err and "Traceback" not in err
