"""The benchmark harness runs (smoke tests, a second or two each) and its readers are exact."""

from __future__ import annotations

import csv
import json

import pytest

from benchmarks import gapdata
from benchmarks.__main__ import main
from benchmarks.tables import main as tables_main

needs_data = pytest.mark.skipif(not gapdata.DATA.exists(),
                                reason=f"GAP data not found at {gapdata.DATA} (../shared beside the repo)")


@needs_data
def test_readers_parse_every_instance_with_its_best_known_value():
    orlib = gapdata.orlib()
    yag = gapdata.yagiura()
    assert len(orlib) == 60 and len(yag) == 57
    assert orlib[0].shape == (5, 15) and orlib[-1].shape == (10, 60)
    assert {i.name for i in yag} >= {"d801600", "e801600", "a05100"}
    d = next(i for i in yag if i.name == "d801600")
    assert d.shape == (80, 1600) and len(d.capacity) == 80
    best = gapdata.best_known()
    for inst, sense in gapdata.instances("all"):
        assert (inst.name, sense) in best
    # gapa.txt holds the same problems as yagiura's a-files
    a = gapdata.read_file(gapdata.DATA / "orlib" / "gapa.txt", "A",
                          ["a05100", "a05200", "a10100", "a10200", "a20100", "a20200"])
    same = next(i for i in yag if i.name == "a10200")
    assert (a[3].cost == same.cost).all() and (a[3].capacity == same.capacity).all()


@needs_data
def test_unknown_instance_is_named():
    with pytest.raises(ValueError, match="nope"):
        gapdata.instances("all", ["nope"])


@needs_data
def test_gap_command_smoke(tmp_path, capsys):
    out = tmp_path / "gap.json"
    assert main(["gap", "--instances", "c515-1", "--time-limit", "1", "--plain", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert {r["method"] for r in rows} == {"wtmatch core", "plain CP-SAT"}
    assert {(r["instance"], r["sense"]) for r in rows} == {("c515-1", "max"), ("c515-1", "min")}
    for r in rows:
        assert r["objective"] == r["best_known"] and r["gap_pct"] == 0 and r["proven_optimal"]
        assert "gap_pct_at_1s" in r
    assert "c515-1" in capsys.readouterr().out


def test_scale_command_smoke(tmp_path, capsys):
    out = tmp_path / "scale.json"
    assert main(["scale", "--part", "assign", "--sizes", "8x5", "--time-limits", "1",
                 "--out", str(out)]) == 0
    (row,) = json.loads(out.read_text())
    run = row["runs"][0]
    assert run["verified"] and row["first_plan_ok"]
    assert run["objective"] >= row["greedy_objective"]
    assert run["dense"]["verified"] and run["dense"]["objective"] <= run["objective"]
    assert run["highs"]["objective"] is not None
    assert row["builds"] == 3 and 0 < row["build_us_best"] <= row["build_us_per_candidate"]
    out2 = tmp_path / "sessions.json"
    assert main(["scale", "--part", "sessions", "--sizes", "1", "--time-limits", "1",
                 "--out", str(out2)]) == 0
    assert json.loads(out2.read_text())[0]["runs"][0]["verified"]
    # the tables read every results file of a folder, GAP rows among them
    gap = tmp_path / "gap.json"
    gap.write_text(json.dumps([{"instance": "c515-1", "sense": "max", "objective": 336}]))
    bigger = tmp_path / "bigger.json"
    bigger.write_text(json.dumps([{**row, "size": "10x7"}]))
    capsys.readouterr()
    tables_main([str(bigger), str(gap), str(out), str(out2)])
    printed = capsys.readouterr().out
    assert printed.index("| 8x5 |") < printed.index("| 10x7 |")    # smallest first
    assert "| 1 cohorts" in printed and "c515-1" not in printed
    assert f"best of 3 {row['build_us_best']:.1f})" in printed


@needs_data
def test_sweep_command_smoke(tmp_path):
    grid = tmp_path / "grid.toml"
    grid.write_text('instances = ["gap:c515-2", "assign:8x5"]\nseeds = [0]\ntime_limit = 1\n'
                    '[variants.default]\n[variants.no_hint]\nhint = false\n')
    assert main(["sweep", "--grid", str(grid), "--out-dir", str(tmp_path / "sw")]) == 0
    rows = list(csv.DictReader((tmp_path / "sw" / "sweep.csv").read_text().splitlines()))
    assert {r["variant"] for r in rows} == {"default", "no_hint"}
    assert all(float(r["gap_pct"]) >= 0 for r in rows)
    assert (tmp_path / "sw" / "sweep.png").stat().st_size > 1000


@needs_data
def test_sweep_grid_errors_are_clear(tmp_path):
    grid = tmp_path / "grid.toml"
    grid.write_text('instances = ["gap:c515-2"]\n[variants.bad]\nhintt = false\n')
    with pytest.raises(SystemExit):
        main(["sweep", "--grid", str(grid)])


@needs_data
def test_an_unknown_gap_instance_is_a_usage_error_and_a_solver_error_is_not(monkeypatch, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["gap", "--instances", "nosuch", "--time-limit", "1"])
    assert stop.value.code == 2 and "nosuch" in capsys.readouterr().err

    def broken(*args, **kwargs):
        raise ValueError("a bug deep in the solver")

    monkeypatch.setattr("benchmarks.gap.run", broken)
    with pytest.raises(ValueError, match="a bug deep"):
        main(["gap", "--set", "orlib", "--instances", "c515-1", "--time-limit", "1"])


@needs_data
def test_treesize_command_smoke(tmp_path, capsys):
    out = tmp_path / "treesize.json"
    assert main(["treesize", "--instances", "c05100", "--dives", "40", "--time-limit", "20",
                 "--out", str(out)]) == 0
    (row,) = json.loads(out.read_text())
    # by default one better than the best known, which is proven optimal: nothing to find
    assert row["instance"] == "c05100" and row["target"] == row["best_known"] - 1 == 1930
    assert row["root_bound"] <= row["target"] and not row["found"]
    assert row["dives"] == 40 and row["nodes"] >= 40 and row["mean"] >= 1
    assert 0 < row["pairs"] < row["of_pairs"] == 500
    assert "c05100 min target 1930" in capsys.readouterr().out
    # a target the best known reaches is reachable: a dive finds a plan
    assert main(["treesize", "--instances", "c05100", "--target", "1931", "--dives", "500",
                 "--time-limit", "20", "--out", str(out)]) == 0
    (row,) = json.loads(out.read_text())
    assert row["found"] and "nothing to refute" in capsys.readouterr().out


@needs_data
@pytest.mark.parametrize("args,message", [(["--instances", "nosuch"], "nosuch"),
                                          (["--instances", "c05100", "--dives", "0"], "--dives")])
def test_treesize_usage_errors_exit_2(args, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["treesize", *args])
    assert stop.value.code == 2 and message in capsys.readouterr().err
