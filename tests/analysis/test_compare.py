"""Options side by side: key figures with differences, who moves, seats and sessions that change."""

from __future__ import annotations

import pytest
from builders import part_b, plan_of
from test_cover import _scenario

from wtmatch import solve
from wtmatch.analysis import Option, compare
from wtmatch.cli import main
from wtmatch.errors import WtmatchError
from wtmatch.scenario import from_data, save


def test_two_options_side_by_side_with_moves_and_seats():
    scenario = _scenario()
    a = plan_of([("A", "D1", "mon:morning"), ("B", "D2", "mon:afternoon")], scenario)
    b = plan_of([("B", "D1", "mon:morning"), ("C", "D3", "mon:morning")], scenario)
    out = compare([Option("now", scenario, a), Option("then", scenario, b)])
    figures = dict(out.figures)
    assert figures["seats filled"] == [a.kpis.seats_filled, b.kpis.seats_filled]
    assert figures["schools reached"] == [1, 2]
    assert out.moves["then"] == ["A: D1 at S1 mon:morning → nothing",
                                 "B: D2 at S1 mon:afternoon → D1 at S1 mon:morning",
                                 "C: nothing → D3 at S2 mon:morning"]
    assert out.seats["then"] == ["D2 mon:afternoon: 1 → 0 filled (not in the other plan)",
                                 "D3 mon:morning: 0 → 1 filled (now C)"]
    assert "schools reached" in str(out) and "2 (+1)" in str(out)
    with pytest.raises(WtmatchError, match="at least two"):
        compare([Option("now", scenario, a)])
    with pytest.raises(WtmatchError, match="same label"):
        compare([Option("x", scenario, a), Option("x", scenario, b)])


def test_sessions_gained_or_lost_are_listed_with_why(tmp_path, capsys):
    scenario = from_data(part_b())
    full = solve(scenario).plan
    lean_data = part_b()
    lean_data["participants"][0]["max_hours"] = 2      # U1 can follow one session only
    lean_scenario = from_data(lean_data)
    lean = solve(lean_scenario).plan
    out = compare([Option("full", scenario, full), Option("lean", lean_scenario, lean)])
    lost = [x for x in out.year["lean"] if x.startswith("- ")]
    assert lost and all("(" in x for x in lost)         # each with why
    save(scenario, tmp_path / "a.json")
    full.save(tmp_path / "full.json")
    save(lean_scenario, tmp_path / "b.json")
    lean.save(tmp_path / "lean.json")
    assert main(["compare", str(tmp_path / "a.json"), str(tmp_path / "full.json"),
                 str(tmp_path / "b.json"), str(tmp_path / "lean.json"),
                 "-o", str(tmp_path / "cmp")]) == 0
    page = (tmp_path / "cmp" / "index.html").read_text()
    assert "lean against full" in page and "Key figures" in page
    capsys.readouterr()
    # a plan paired with another scenario is refused, as everywhere
    assert main(["compare", str(tmp_path / "a.json"), str(tmp_path / "lean.json"),
                 str(tmp_path / "b.json"), str(tmp_path / "lean.json")]) == 2
    assert main(["compare", str(tmp_path / "a.json")]) == 2
