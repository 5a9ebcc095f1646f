"""Hostile input, limits and stops: every input ends in a plan or a clear error, nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import part_a, part_b
from hypothesis import given, settings
from hypothesis import strategies as st

import wtmatch
from benchmarks.fuzz import hostile_file
from wtmatch.cli import main
from wtmatch.errors import ScenarioError
from wtmatch.files import atomic_path, write_text
from wtmatch.scenario.parse import MAX_DEPTH, parse_text

# "Billion laughs": 620 bytes that stand for 10⁹ values.
BOMB = "l0: &l0 [" + ",".join(["lol"] * 10) + "]\n" + "".join(
    f"l{k}: &l{k} [" + ",".join([f"*l{k - 1}"] * 10) + "]\n" for k in range(1, 9)) + \
    "l9: [" + ",".join(["*l8"] * 10) + "]\n"


# ---- parsing ---------------------------------------------------------------------
@pytest.mark.parametrize(("text", "says"), [
    ("[" * 10_000 + "]" * 10_000, "levels deep"),                           # deep JSON
    ("\n".join(" " * i + "k:" for i in range(3000)) + " 1\n", "levels deep"),  # deep YAML block
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "levels deep"),                # deep YAML flow
    ('{"x": ' + "9" * 5000 + "}", "5000 digits"),                           # a huge literal
    (BOMB, "aliases expand this document"),                                 # billion laughs
    ("a: &a [1, *a]\n", "contains it"),                                     # a recursive alias
    ('{"a": 1, "a": 2}', "given twice"),                                    # JSON duplicate
    ("a: 1\na: 2\n", "given twice"),                                        # YAML duplicate
    ('{"name": "\\ud800"}', "lone surrogate"),                              # not UTF-8-able
    ('{"a": NaN}', "NaN"),                                                  # not JSON
])
def test_hostile_text_is_refused_with_a_scenario_error_at_once(text, says):
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError, match=says):
        parse_text(text, source="hostile")
    assert time.perf_counter() - t0 < 10       # a hang detector, not a speed test


def test_nesting_up_to_the_limit_is_read():
    assert parse_text("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_byte_order_mark_is_read_the_same_way_as_json_or_yaml(tmp_path, suffix):
    path = tmp_path / f"s{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(part_a()).encode())
    assert wtmatch.load(path) == wtmatch.from_data(part_a())


def test_yaml_dates_are_read_as_json_dates_are(tmp_path):
    data = part_b()
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(data).replace('"2026-09-07"', "2026-09-07"))
    assert wtmatch.load(path).calendar.start.isoformat() == "2026-09-07"


def test_a_file_of_an_alias_bomb_ends_in_exit_2_at_once(tmp_path, capsys):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    assert main(["validate", str(path)]) == 2
    assert "aliases expand this document" in capsys.readouterr().err


def test_a_few_yaml_aliases_are_read_as_their_values():
    text = "loc: &enschede {lat: 52.2, lon: 6.9}\nhome: *enschede\n"
    assert parse_text(text) == {"loc": {"lat": 52.2, "lon": 6.9}, "home": {"lat": 52.2, "lon": 6.9}}


# ---- ranges and types ------------------------------------------------------------
def _set(data: dict, path: str, value) -> dict:
    node = data
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    for k in keys[:-1]:
        node = node.setdefault(k, {}) if isinstance(node, dict) else node[k]
    node[keys[-1]] = value
    return data


@pytest.mark.parametrize(("path", "value"), [
    ("instructors.0.max_dayparts", "6"),          # a string is not a count
    ("instructors.0.max_dayparts", True),         # nor a boolean
    ("instructors.0.max_dayparts", 2**63),        # beyond the week's 10 slots
    ("instructors.0.max_dayparts", 6.0),          # a float is not a count
    ("instructors.0.min_dayparts", 11),
    ("instructors.0.max_schools", 2**63),
    ("instructors.0.max_travel_km", 1e300),
    ("employers.0.max_absent_per_slot", 2**63),
    ("schools.1.demands.0.instructors_needed", 10**9),
    ("settings.same_day_max_km", 1e300),
    ("settings.weights.coverage", 10**18),
    ("settings.weights.travel_km", -1),           # a penalty cannot become a reward
    ("settings.weights.coverage", "1000"),
])
def test_part_a_numbers_out_of_range_or_of_the_wrong_type_name_their_path(path, value):
    with pytest.raises(ScenarioError) as err:
        wtmatch.from_data(_set(part_a(), path, value))
    expected = "".join(f"[{k}]" if k.isdigit() else f".{k}" for k in path.split(".")).lstrip(".")
    assert [p.path for p in err.value.problems] == [expected]


@pytest.mark.parametrize(("path", "value"), [
    ("programmes.0.sessions.0.hours", 1e30),
    ("trainers.0.max_hours", 1e30),
    ("programmes.0.sessions.1.max_gap_days", 10**30),
    ("groups.0.min_spacing_days", 1e30),
    ("groups.0.meetings", 10**6),
    ("calendar.end", "2076-09-01"),               # a fifty-year calendar
    ("venues.0.capacity", 2**63),
    ("participants.0.max_hours", 1e-300),         # hours to the hundredth: exact and small
    ("groups.0.hours", 1.234),
])
def test_part_b_numbers_out_of_range_name_their_path(path, value):
    with pytest.raises(ScenarioError) as err:
        wtmatch.from_data(_set(part_b(), path, value))
    paths = [p.path for p in err.value.problems]
    assert len(paths) == 1 and paths[0].startswith(path.split(".")[0]), paths


def test_null_is_the_default_as_files_written_by_wtmatch_spell_it():
    data = _set(part_a(), "instructors.0.max_dayparts", None)
    assert wtmatch.from_data(data).instructors[0].capacity == 4     # its available slots


def test_the_schema_carries_the_ranges():
    from wtmatch.scenario import json_schema

    schema = json.dumps(json_schema())
    assert '"maximum": 10' in schema and '"maximum": 50' in schema and '"maximum": 731' in schema


def test_an_objective_that_could_leave_the_exact_integers_is_refused_before_solving():
    data = _set(part_a(), "settings.weights", {"coverage": 10**9, "travel_km": 10**9,
                                                "continuity": 10**9})
    data["schools"][0]["demands"][0]["instructors_needed"] = 50
    data["schools"][0]["demands"][0]["slots"] = [f"{d}:{p}" for d in ("mon", "tue", "wed", "thu",
                                                                        "fri")
                                                 for p in ("morning", "afternoon")]
    with pytest.raises(ScenarioError) as err:
        wtmatch.from_data(data)
    assert err.value.problems[0].path == "settings.weights"
    assert "travel_km" in err.value.problems[0].message
    # the same through the settings' weight overrides
    scenario = wtmatch.from_data(_set(data, "settings.weights", {}))
    with pytest.raises(ScenarioError, match="exact integers"):
        wtmatch.solve(scenario, wtmatch.Settings(weights={"travel_km": 10**9,
                                                          "coverage": 10**9}))


def test_validate_and_solve_agree_on_negative_weights(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(_set(part_a(), "settings.weights", {"travel_km": -1})))
    assert main(["validate", str(path)]) == 2
    assert main(["solve", str(path), "-q"]) == 2
    assert "settings.weights.travel_km" in capsys.readouterr().err


# ---- files -----------------------------------------------------------------------
def test_a_failed_write_leaves_the_previous_file_intact(tmp_path):
    target = tmp_path / "plan.json"
    target.write_text("the plan in force")
    with pytest.raises(OSError), atomic_path(target) as tmp:
        tmp.write_text("half a plan")
        raise OSError("no space left on device")
    assert target.read_text() == "the plan in force"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]
    write_text(target, "the new plan")
    assert target.read_text() == "the new plan"


def test_solve_out_of_file_space_keeps_the_previous_plan(tmp_path):
    import resource

    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(wtmatch.generate(30, 20, seed=1).model_dump(mode="json",
                                                                                by_alias=True)))
    plan = tmp_path / "plan.json"
    plan.write_text('{"the": "plan in force"}')

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write fails instead of a kill

    out = subprocess.run([sys.executable, "-m", "wtmatch", "solve", str(scenario), "-q",
                          "--time-limit", "2", "-o", str(plan)], capture_output=True, text=True,
                         preexec_fn=small_files, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert plan.read_text() == '{"the": "plan in force"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "s.json"]


# ---- stops -----------------------------------------------------------------------
def _start_solve(tmp_path: Path, limit: int) -> tuple[subprocess.Popen, Path, Path]:
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(wtmatch.generate(200, 130, seed=6).model_dump(
        mode="json", by_alias=True)))
    plan = tmp_path / "plan.json"
    proc = subprocess.Popen([sys.executable, "-m", "wtmatch", "solve", str(scenario),
                             "--part", "assign", "--time-limit", str(limit), "-o", str(plan)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # as from a terminal, even where the tests run as a background job
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return proc, scenario, plan


@pytest.mark.slow
def test_sigterm_writes_the_best_plan_and_says_it_was_interrupted(tmp_path):
    proc, scenario, plan = _start_solve(tmp_path, 120)
    time.sleep(5)                 # into the neighbourhood search
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert "interrupted" in err
    saved = wtmatch.Plan.load(plan)
    assert wtmatch.verify(wtmatch.load(scenario), saved).ok
    assert saved.bound is not None and saved.bound >= saved.objective


def test_ctrl_c_while_starting_up_ends_without_a_traceback(tmp_path):
    proc, _, _ = _start_solve(tmp_path, 60)
    time.sleep(0.3)               # still importing or loading
    proc.send_signal(signal.SIGINT)
    # A third-party import may swallow a first Ctrl-C; a planner presses it again, after
    # giving the command time to end (a second press while it ends would kill it).
    for _ in range(5):
        try:
            _, err = proc.communicate(timeout=10)
            break
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGINT)
    else:
        proc.kill()
        pytest.fail("Ctrl-C did not stop the command")
    # 130 from our handler, or -SIGINT when the signal lands in a native library's start-up
    # (a shell reports both as 130); never a traceback
    assert proc.returncode in (130, -signal.SIGINT) and "Traceback" not in err, err


# ---- reproducible ----------------------------------------------------------------
@pytest.mark.slow
def test_reproducible_runs_write_the_same_plan_file(tmp_path):
    # above the size where the warm start is completed into a full hint
    scenario = wtmatch.generate(150, 100, seed=4)
    runs = []
    for _ in range(2):
        result = wtmatch.solve(scenario, wtmatch.Settings(time_limit=1, reproducible=True,
                                                          part="assign"))
        data = json.loads(result.plan.dumps())
        for key in ("wall_time", "build_time"):
            data["solver"].pop(key)
        data["solver"]["details"].pop("deterministic_time", None)
        runs.append(data)
    assert runs[0] == runs[1]


# ---- the contract, fuzzed --------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_any_hostile_file_ends_in_a_verified_plan_or_a_named_refusal(tmp_path_factory, seed):
    what, suffix, text = hostile_file(seed)
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"s{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = folder / "plan.json"
    t0 = time.perf_counter()
    try:
        code = main(["solve", str(path), "-q", "--time-limit", "1", "-o", str(out)])
    except SystemExit as exc:         # argparse only: never for a scenario
        pytest.fail(f"{what}: exit {exc.code}")
    assert time.perf_counter() - t0 < 60, what            # a hang detector
    assert code in (0, 1, 2), what
    if code == 0:
        scenario = wtmatch.load(path)
        assert wtmatch.verify(scenario, wtmatch.Plan.load(out)).ok, what
    else:
        assert not out.exists(), what
    assert os.path.exists(path)
