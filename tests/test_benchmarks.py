"""Smoke test: every benchmark command runs on its smallest instance, so the harness cannot rot."""

from __future__ import annotations

import json

from benchmarks.__main__ import main


def test_scale_assign_smoke(tmp_path, capsys):
    out = tmp_path / "a.json"
    assert main(["scale", "--part", "assign", "--sizes", "12x8", "--time-limits", "1",
                 "--out", str(out)]) == 0
    row = json.loads(out.read_text())[0]
    assert row["first_plan_ok"] and row["runs"][0]["verified"]
    assert row["runs"][0]["objective"] >= row["greedy_objective"]


def test_scale_sessions_smoke(tmp_path, capsys):
    out = tmp_path / "b.json"
    assert main(["scale", "--part", "sessions", "--sizes", "1", "--time-limits", "1",
                 "--out", str(out)]) == 0
    assert json.loads(out.read_text())[0]["runs"][0]["verified"]
