"""Sweeps on a Dask LocalCluster of 2 workers: rows, failures, restarts, the command."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import wtmatch
from wtmatch.errors import ScenarioError
from wtmatch.sweep import load_grid, sweep

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

GRID = """
scenarios = ["year.json", "week.json"]
seeds = [1, 2]
time_limit = 2
[variants.default]
reproducible = true
[variants.far]
reproducible = true
weights = { travel_km = 5 }
[variants.without_A]
reproducible = true
remove_instructors = ["A"]
[variants.no_such_person]
remove_instructors = ["NOBODY"]
"""


def _scenarios(folder: Path) -> None:
    from assign.test_periods import year

    (folder / "year.json").write_text(json.dumps(year()))
    week = {"format": "wtmatch/1", "instructors": [
        {"id": "A", "skills": {"x": 2}, "available": ["mon:morning", "tue:morning"]},
        {"id": "B", "skills": {"x": 1}, "available": ["mon:morning"]}],
        "schools": [{"id": "S", "demands": [
            {"id": "D", "skill": "x", "slots": ["mon:morning", "tue:morning"]}]}]}
    (folder / "week.json").write_text(json.dumps(week))


@pytest.fixture
def grid_file(tmp_path: Path) -> Path:
    _scenarios(tmp_path)
    path = tmp_path / "grid.toml"
    path.write_text(GRID)
    return path


def test_a_grid_gives_one_row_per_run_as_sequential_solves_do(client, grid_file, tmp_path):
    frame = sweep(load_grid(grid_file), client=client, out=tmp_path / "out", progress=False)
    assert len(frame) == 2 * 4 * 2
    assert list(frame["key"][:3]) == ["year.json|default|1", "year.json|default|2",
                                      "year.json|far|1"]
    ok = frame[frame["variant"] != "no_such_person"]
    assert set(ok["status"]) == {"optimal"}
    for _, row in ok.iterrows():
        scenario = wtmatch.load(tmp_path / row["scenario"])
        if row["variant"] == "without_A":
            continue
        weights = {"travel_km": 5} if row["variant"] == "far" else {}
        alone = wtmatch.solve(scenario, wtmatch.Settings(
            time_limit=2, seed=int(row["seed"]), workers=1, reproducible=True, weights=weights))
        assert row["objective"] == alone.objective
        assert row["S1"] == alone.terms["S1"]
    assert (frame.loc[frame["variant"] == "far", "param:weights.travel_km"] == 5).all()
    year = frame[(frame["scenario"] == "year.json") & (frame["variant"] == "default")]
    assert {"coverage:T1", "coverage:T2", "S9", "schools_reached"} <= set(frame.columns)
    assert (year["coverage:T1"] >= 0).all()
    out = tmp_path / "out"
    assert (out / "sweep.png").stat().st_size > 0
    assert len(pd.read_csv(out / "sweep.csv")) == len(frame)


def test_a_failing_variant_is_a_row_with_its_error(client, grid_file, tmp_path):
    frame = sweep(load_grid(grid_file), client=client, progress=False)
    bad = frame[frame["variant"] == "no_such_person"]
    assert len(bad) == 4 and set(bad["status"]) == {"error"}
    assert all("NOBODY" in e for e in bad["error"])


def test_a_restarted_sweep_skips_the_runs_it_has(client, grid_file, tmp_path):
    out = tmp_path / "out"
    sweep(load_grid(grid_file), client=client, out=out, progress=False)
    table = pd.read_csv(out / "sweep.csv")
    # a marker only a skipped run keeps: the sweep must not recompute that row
    table.loc[table["key"] == "week.json|default|1", "objective"] = -123
    table = table[table["key"] != "week.json|far|2"]           # as if stopped before it
    table.to_csv(out / "sweep.csv", index=False)
    again = sweep(load_grid(grid_file), client=client, out=out, progress=False)
    by_key = again.set_index("key")
    assert by_key.loc["week.json|default|1", "objective"] == -123
    assert by_key.loc["week.json|far|2", "status"] == "optimal"      # run again
    assert len(again) == 16


def test_a_bad_grid_is_refused_naming_the_variant_and_field(tmp_path):
    _scenarios(tmp_path)
    path = tmp_path / "grid.toml"
    path.write_text('scenarios = ["year.json", "gone.json"]\n[variants.a]\ntime_limt = 3\n'
                    '[variants.b]\nweights = { travle_km = 5 }\n')
    with pytest.raises(ScenarioError) as exc:
        load_grid(path)
    paths = {p.path for p in exc.value.problems}
    assert "variants.a.time_limt" in paths


def test_the_command_writes_the_table_and_exits_1_when_a_run_failed(tmp_path, capsys):
    from wtmatch.cli import main

    _scenarios(tmp_path)
    (tmp_path / "grid.toml").write_text(
        'scenarios = ["week.json"]\nseeds = [0]\ntime_limit = 1\n[variants.default]\n'
        '[variants.bad]\nremove_demands = ["NOPE"]\n')
    code = main(["sweep", str(tmp_path / "grid.toml"), "-o", str(tmp_path / "o"),
                 "--workers", "2", "-q"])
    assert code == 1
    assert "2 runs, 1 failed" in capsys.readouterr().out
    assert len(pd.read_csv(tmp_path / "o" / "sweep.csv")) == 2


def test_the_bundled_example_grid_loads():
    grid = load_grid(EXAMPLES / "sweep.toml")
    assert len(grid.runs()) == len(grid.scenarios) * len(grid.variants) * len(grid.seeds)
