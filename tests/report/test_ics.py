"""iCalendar export: files parse back with the right times, places and people."""

from __future__ import annotations

import datetime as dt

from builders import good_meetings, good_sessions, part_b, plan_of, scenario_of
from icalendar import Calendar

from wtmatch.cli import main
from wtmatch.report.ics import write_ics


def _plan(scenario):
    return plan_of([("A", "D1", "thu:afternoon")], scenario, sessions=good_sessions(),
                   meetings=good_meetings())


def _events(path):
    cal = Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def test_one_file_per_person_and_venue(tmp_path):
    scenario = scenario_of(part_b())
    paths = write_ics(scenario, _plan(scenario), tmp_path)
    names = {p.stem for p in paths}
    assert names == {"T1", "T2", "U1", "U2", "U3", "A", "V1", "V2"}


def test_times_places_and_people(tmp_path):
    scenario = scenario_of(part_b())
    write_ics(scenario, _plan(scenario), tmp_path)
    u1 = _events(tmp_path / "U1.ics")
    starts = sorted(e.decoded("dtstart") for e in u1)
    assert len(u1) == 5                                  # three sessions, two meetings
    first = starts[0]
    assert (first.date(), first.hour, first.minute) == (dt.date(2026, 9, 8), 13, 0)
    assert str(first.tzinfo) == "Europe/Amsterdam"
    two_day = next(e for e in u1 if "s3" in str(e["summary"]))
    assert two_day.decoded("dtstart").hour == 8 and two_day.decoded("dtend").hour == 15
    assert "T2" in str(two_day["description"]) and str(two_day["location"]) == "V1"
    online = next(e for e in u1 if "s2" in str(e["summary"]))
    assert str(online["location"]) == "online"
    evening = next(e for e in u1 if "#1" in str(e["summary"]))
    assert (evening.decoded("dtstart").hour, evening.decoded("dtstart").minute) == (15, 30)


def test_teaching_recurs_weekly(tmp_path):
    scenario = scenario_of(part_b())
    write_ics(scenario, _plan(scenario), tmp_path)
    teach = [e for e in _events(tmp_path / "A.ics") if "Teaching" in str(e["summary"])]
    assert len(teach) == 1 and teach[0]["rrule"]["FREQ"] == ["WEEKLY"]
    assert teach[0].decoded("dtstart").date() == dt.date(2026, 9, 10)   # first thursday


def test_daypart_times_are_configurable(tmp_path):
    data = part_b()
    data["calendar"]["daypart_times"] = {"morning": ["09:00", "12:30"],
                                         "afternoon": ["13:30", "16:00"],
                                         "evening": ["19:00", "21:00"]}
    scenario = scenario_of(data)
    write_ics(scenario, _plan(scenario), tmp_path)
    ev = next(e for e in _events(tmp_path / "U2.ics") if "#1" not in str(e["summary"])
              and "s1" in str(e["summary"]))
    assert ev.decoded("dtstart").hour == 13 and ev.decoded("dtstart").minute == 30


def test_cli_ics(tmp_path, capsys):
    import json
    scenario = scenario_of(part_b())
    (tmp_path / "s.json").write_text(json.dumps(part_b()))
    _plan(scenario).save(tmp_path / "p.json")
    assert main(["ics", str(tmp_path / "s.json"), str(tmp_path / "p.json"), "-o",
                 str(tmp_path / "cal")]) == 0
    assert (tmp_path / "cal" / "U1.ics").exists()


def test_the_teaching_series_skips_the_blocked_dates(tmp_path):
    import recurring_ical_events

    scenario = scenario_of(part_b())            # autumn holiday 19–23 October
    write_ics(scenario, _plan(scenario), tmp_path)
    cal = Calendar.from_ical((tmp_path / "A.ics").read_bytes())
    teaching = [e for e in recurring_ical_events.of(cal).between(dt.date(2026, 9, 1),
                                                                dt.date(2026, 12, 31))
                if str(e["summary"]).startswith("Teaching")]
    dates = [e.decoded("dtstart").date() for e in teaching]
    cal_ = scenario.calendar
    expected = [d for d in cal_.school_days() if d.weekday() == 3]        # every Thursday
    assert dates == expected and dt.date(2026, 10, 22) not in dates
    assert all(e.decoded("dtstart").hour == 13 for e in teaching)       # the afternoon
