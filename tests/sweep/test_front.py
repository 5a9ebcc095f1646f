"""Trade-off fronts: non-dominated points, each a verified plan, both ends found."""

from __future__ import annotations

import itertools
import json

import pytest

import wtmatch
from wtmatch.analysis.front import Point, front, non_dominated
from wtmatch.plan import Plan


def _week() -> dict:
    """Near seats cost little travel, far ones more: coverage costs kilometres."""
    at = {"lat": 52.0, "lon": 6.0}
    return {"format": "wtmatch/2", "name": "front",
            "instructors": [{"id": f"I{k}", "skills": {"x": 1}, "location": at,
                             "available": ["mon:morning", "tue:morning"]} for k in range(2)],
            "schools": [{"id": f"S{k}", "location": {"lat": 52.0 + 0.05 * k, "lon": 6.0},
                         "demands": [{"id": f"D{k}", "skill": "x",
                                      "slots": ["mon:morning" if k % 2 else "tue:morning"]}]}
                        for k in range(4)]}


def test_the_front_is_non_dominated_verified_and_reaches_both_ends(client):
    scenario = wtmatch.from_data(_week())
    result = front(scenario, "coverage", "travel", points=5,
                   settings=wtmatch.Settings(time_limit=5, workers=1), client=client)
    pts = result.points
    assert len(pts) >= 3
    assert all(a.x < b.x and a.y < b.y for a, b in itertools.pairwise(pts))   # non-dominated
    assert pts[0].y == 0 and pts[0].x == 1       # S0 is at the instructors' door: 0 km
    assert pts[-1].x == 4                        # every seat filled at the far end
    for p in pts:
        assert p.proven
        verdict = wtmatch.verify(scenario, p.plan)
        assert verdict.ok, verdict.summary()
        assert len(p.plan.assignments) == p.x
        km = sum(scenario.km_instructor_school(scenario.instructor_by_id[a.instructor],
                                               scenario.school_by_id[a.school])
                 for a in p.plan.assignments)
        assert km == p.y <= p.eps


def test_dominated_points_are_dropped():
    plan = Plan(status="feasible")
    pts = [Point(0, 1, 0, "optimal", plan), Point(5, 1, 4, "optimal", plan),
           Point(9, 3, 8, "feasible", plan), Point(12, 2, 10, "optimal", plan)]
    assert [(p.x, p.y) for p in non_dominated(pts)] == [(1, 0), (3, 8)]


def test_the_command_writes_the_plot_the_points_and_plans_check_accepts(tmp_path, capsys):
    from wtmatch.cli import main

    s = tmp_path / "s.json"
    s.write_text(json.dumps(_week()))
    assert main(["front", str(s), "--points", "3", "--time-limit", "3",
                 "-o", str(tmp_path / "f")]) == 0
    out = tmp_path / "f"
    assert (out / "front.png").stat().st_size > 0
    lines = (out / "front.csv").read_text().splitlines()
    assert lines[0] == "point,eps,x,y,status,plan" and len(lines) >= 3
    capsys.readouterr()
    assert main(["check", str(s), str(out / "point-1.json")]) == 0


def test_unknown_goals_are_refused():
    with pytest.raises(wtmatch.WtmatchError, match="--x is one of"):
        front(wtmatch.from_data(_week()), "happiness", "travel")
