"""Absences: stand-ins ranked by least disruption, and each seat's backup depth."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import ENSCHEDE, HENGELO, plan_of

from wtmatch.analysis import backup_depth, cover
from wtmatch.cli import main
from wtmatch.errors import WtmatchError
from wtmatch.scenario import from_data, save

MONDAY = dt.date(2026, 9, 7)


def _scenario():
    teacher = {"skills": {"robotics": 3}, "available": ["mon:morning", "mon:afternoon"]}
    return from_data({
        "instructors": [{"id": "A", "location": ENSCHEDE, **teacher},
                        {"id": "B", "location": ENSCHEDE, **teacher},
                        {"id": "C", "location": HENGELO, **teacher},
                        {"id": "D", "location": HENGELO, **teacher},
                        {"id": "E", "skills": {"cooking": 3}, "available": ["mon:morning"]}],
        "schools": [{"id": "S1", "location": ENSCHEDE, "demands": [
                        {"id": "D1", "skill": "robotics", "slots": ["mon:morning"]},
                        {"id": "D2", "skill": "robotics", "slots": ["mon:afternoon"]}]},
                    {"id": "S2", "location": HENGELO, "demands": [
                        {"id": "D3", "skill": "robotics", "slots": ["mon:morning"]}]}]})


def _plan(scenario):
    return plan_of([("A", "D1", "mon:morning"), ("B", "D2", "mon:afternoon"),
                    ("D", "D3", "mon:morning")], scenario)


def test_stand_ins_come_least_disruptive_first_and_the_busy_are_left_out():
    scenario = _scenario()
    out = cover(scenario, _plan(scenario), "A", MONDAY)
    assert [(s.seat.demand, str(s.seat.slot)) for s in out.seats] == [("D1", "mon:morning")]
    # B is at that school that day already; C is free but comes from further away;
    # D teaches then, E lacks the skill
    assert [s.instructor for s in out.seats[0].stand_ins] == ["B", "C"]
    assert out.seats[0].stand_ins[0].km == 0 and out.seats[0].stand_ins[1].km > 0
    assert "B (0 km)" in str(out)


def test_a_seat_nobody_can_take_says_why():
    scenario = _scenario()
    plan = plan_of([("A", "D1", "mon:morning"), ("B", "D2", "mon:afternoon"),
                    ("D", "D3", "mon:morning"), ("C", "D2", "mon:afternoon")], scenario)
    out = cover(scenario, plan, "B", MONDAY)            # B's afternoon seat at S1
    seat = out.seats[0]
    assert [s.instructor for s in seat.stand_ins] == ["A", "D"]
    out = cover(scenario, plan, "A", MONDAY.replace(day=8))    # a Tuesday: nothing to cover
    assert out.seats == [] and "teaches nothing" in str(out)
    with pytest.raises(WtmatchError, match="Saturday"):
        cover(scenario, plan, "A", dt.date(2026, 9, 12))
    with pytest.raises(WtmatchError, match="not an instructor"):
        cover(scenario, plan, "Q", MONDAY)


def test_backup_depth_counts_who_is_free_to_take_each_seat():
    scenario = _scenario()
    assert backup_depth(scenario, _plan(scenario)) == {
        ("A", "D1", "mon:morning"): 2,          # B, C
        ("B", "D2", "mon:afternoon"): 3,        # A, C, D
        ("D", "D3", "mon:morning"): 2}          # B, C
    crowded = plan_of([("A", "D1", "mon:morning"), ("B", "D3", "mon:morning"),
                       ("C", "D2", "mon:afternoon"), ("D", "D2", "mon:afternoon")], scenario)
    # everyone with the skill teaches on Monday morning but C and D
    assert backup_depth(scenario, crowded)[("A", "D1", "mon:morning")] == 2


def test_cover_on_the_command_line(tmp_path, capsys):
    scenario = _scenario()
    save(scenario, tmp_path / "s.json")
    _plan(scenario).save(tmp_path / "p.json")
    assert main(["cover", str(tmp_path / "s.json"), str(tmp_path / "p.json"), "--absent", "A",
                 "--on", "2026-09-07"]) == 0
    assert "1. B (0 km)" in capsys.readouterr().out
    assert main(["cover", str(tmp_path / "s.json"), str(tmp_path / "p.json"), "--absent", "A",
                 "--on", "monday"]) == 2
