"""Scenario models: defaults, bad input (DOMAIN.md §7), person merging, I/O."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from builders import part_a, part_b, scenario_of
from hypothesis import given, settings
from hypothesis import strategies as st

from wtmatch.errors import ScenarioError
from wtmatch.scenario import WeeklySlot, from_data, json_schema, load, save
from wtmatch.scenario.time import DatedSlot


def test_documented_defaults():
    s = from_data({"instructors": [{"id": "i", "available": ["mon:morning", "tue:morning"]}],
                   "schools": [{"id": "s", "demands": [{"id": "d", "skill": "x",
                                                        "slots": ["mon:morning"]}]}],
                   "employers": [{"id": "e"}],
                   "calendar": {"start": "2026-09-01", "end": "2027-07-01"},
                   "programmes": [{"id": "p", "sessions": [{"id": "a"}, {"id": "b",
                                                                         "dayparts": 2}]}],
                   "groups": [{"id": "g"}]})
    i, d = s.instructors[0], s.schools[0].demands[0]
    assert (i.kind, i.qualified, i.min_dayparts, i.capacity, i.max_schools, i.max_travel_km) == (
        "hybrid", False, 0, 2, None, None)
    assert (d.instructors_needed, d.priority, d.min_level, d.requires_qualified,
            d.same_instructor) == (1, 1, 1, False, "soft")
    assert s.employers[0].max_absent_per_slot is None and s.settings.same_day_max_km is None
    a, b = s.programmes[0].sessions
    assert (a.dayparts, a.duration_hours, a.trainers, a.mode, a.parts, a.min_gap_days,
            a.max_gap_days) == (1, 2.0, 1, "physical", ["morning", "afternoon", "evening"], 0, None)
    assert b.duration_hours == 4.0
    g = s.groups[0]
    assert (g.meetings, g.hours, g.parts, g.min_spacing_days, g.mode) == (
        4, 2, ["morning", "afternoon", "evening"], 0, "physical")
    w = s.settings.weights
    assert (w.coverage, w.travel_km, w.continuity, w.preference, w.underuse, w.fragmentation,
            w.change, w.session, w.meeting, w.study_day, w.trainee, w.trainer_km, w.spread) == (
        1000, 1, 100, 20, 50, 30, 200, 1000, 500, 20, 50, 1, 1)


def _problems(data) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        from_data(data)
    return [str(p) for p in exc.value.problems]


def _one(data, path, fragment):
    problems = _problems(data)
    assert any(p.startswith(f"{path}: ") and fragment in p for p in problems), problems


# Each bad input of DOMAIN.md §7 (and §3's cross-references): (edit, path, words).
def _edit(base, path, value):
    data = copy.deepcopy(base)
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = data
    for p in parts[:-1]:
        target = target[p]
    target[parts[-1]] = value
    return data


BAD = [
    # An unknown daypart.
    ("schools.0.demands.0.slots.1", "wed:noon", "schools[0].demands[0].slots[1]",
     "'wed:noon' is not a weekly slot"),
    # A weekend day.
    ("instructors.0.available.0", "sat:morning", "instructors[0].available[0]",
     "is not a weekly slot"),
    # Demands are taught in mornings and afternoons only.
    ("schools.0.demands.0.slots.0", "mon:evening", "schools[0].demands[0].slots[0]",
     "evening slot"),
    # Availability too.
    ("instructors.1.available.0", "tue:evening", "instructors[1].available[0]", "evening slot"),
    # A demand id used by another school's demand.
    ("schools.1.demands.1.id", "D1", "schools[1].demands[1].id", "already used"),
    # A school with an instructor's id.
    ("schools.2.id", "A", "schools[2].id", "already used by instructors[0].id"),
    # Two instructors with one id.
    ("instructors.1.id", "A", "instructors[1].id", "already used"),
    # An employer that does not exist.
    ("instructors.0.employer", "E7", "instructors[0].employer", "'E7' is not an employer id"),
    # A preference for a school that does not exist.
    ("instructors.0.preferences", {"S9": 1}, "instructors[0].preferences.S9", "not a school id"),
    # A level above 5.
    ("instructors.0.skills.robotics", 6, "instructors[0].skills.robotics", "less than or equal"),
    # A min_level of 0.
    ("schools.0.demands.0.min_level", 0, "schools[0].demands[0].min_level", "greater than"),
    # A preference out of -2..2.
    ("schools.0.preferences", {"A": 3}, "schools[0].preferences.A", "less than or equal"),
    # A priority out of 1..5.
    ("schools.0.demands.0.priority", 9, "schools[0].demands[0].priority", "less than"),
    # A negative release cap.
    ("employers.0.max_absent_per_slot", -1, "employers[0].max_absent_per_slot", "greater than"),
    # No seats.
    ("schools.0.demands.0.instructors_needed", 0, "schools[0].demands[0].instructors_needed",
     "greater than"),
    # A demand without slots.
    ("schools.0.demands.0.slots", [], "schools[0].demands[0].slots", "at least 1"),
    # A slot listed twice.
    ("schools.0.demands.0.slots", ["mon:morning", "mon:morning"],
     "schools[0].demands[0].slots[1]", "listed twice"),
    # An unknown weight.
    ("settings.weights", {"coverge": 5}, "settings.weights.coverge", "not a weight name"),
    # A weight that is not an integer.
    ("settings.weights", {"coverage": 2.5}, "settings.weights.coverage", "integer"),
    # A typo in a field name.
    ("instructors.0.max_dayparst", 3, "instructors[0].max_dayparst", "did you mean 'max_dayparts'"),
    # A typo deeper down.
    ("schools.0.demands.0.instructor_needed", 2, "schools[0].demands[0].instructor_needed",
     "did you mean 'instructors_needed'"),
    # An unknown continuity mode.
    ("schools.0.demands.0.same_instructor", "always", "schools[0].demands[0].same_instructor",
     "'hard', 'soft' or 'none'"),
    # A missing id.
    ("schools.0.demands.0.id", None, "schools[0].demands[0].id", "string"),
    # A pin on a demand slot that does not exist.
    ("pinned", [{"instructor": "A", "demand": "D1", "slot": "fri:morning"}], "pinned[0].slot",
     "not a slot of demand 'D1'"),
    # A pin on an instructor that does not exist.
    ("pinned", [{"instructor": "Q", "demand": "D1", "slot": "mon:morning"}],
     "pinned[0].instructor", "not an instructor id"),
    # A previous-plan row that is no slot at all.
    ("previous_plan", [{"instructor": "A", "demand": "D1", "slot": "mon:noon"}],
     "previous_plan[0].slot", "not a weekly slot"),
    # A distance to nowhere.
    ("travel_km", [{"from": "A", "to": "X", "km": 3}], "travel_km[0].to", "located"),
    # A negative distance.
    ("travel_km", [{"from": "A", "to": "S1", "km": -3}], "travel_km[0].km", "greater than"),
    # A latitude off the globe.
    ("schools.0.location", {"lat": 95, "lon": 6}, "schools[0].location.lat", "less than"),
    # The wrong format.
    ("format", "wtmatch/3", "format", "'wtmatch/2'"),
]


@pytest.mark.parametrize(("edit", "value", "path", "words"), BAD,
                         ids=[b[2] + ":" + b[3][:20] for b in BAD])
def test_bad_part_a_input_names_the_item(edit, value, path, words):
    _one(_edit(part_a(), edit, value), path, words)


BAD_B = [
    # Negative capacity.
    ("venues.0.capacity", -5, "venues[0].capacity", "greater than"),
    # A cycle in `after`.
    ("programmes.0.sessions.0.after", "s3", "programmes[0].sessions[0].after", "cycle"),
    # A session after itself.
    ("programmes.0.sessions.1.after", "s2", "programmes[0].sessions[1].after", "cycle"),
    # A session after a session of no programme.
    ("programmes.0.sessions.1.after", "zz", "programmes[0].sessions[1].after",
     "not a session of this programme"),
    # The calendar ends before it starts.
    ("calendar.end", "2026-01-01", "calendar", "before 'start'"),
    # A holiday that ends before it starts.
    ("calendar.blocked.0.to", "2026-10-01", "calendar.blocked[0]", "before 'from'"),
    # A date that does not exist.
    ("calendar.study_days.0", "2026-09-31", "calendar.study_days[0]", "date"),
    # Max gap below min gap.
    ("programmes.0.sessions.1.max_gap_days", 3, "programmes[0].sessions[1]", "below min_gap_days"),
    # Four trainers for a session (1..3).
    ("programmes.0.sessions.0.trainers", 4, "programmes[0].sessions[0].trainers", "less than"),
    # Three dayparts.
    ("programmes.0.sessions.0.dayparts", 3, "programmes[0].sessions[0].dayparts", "1 or 2"),
    # A cohort of a programme that does not exist.
    ("cohorts.0.programme", "Q", "cohorts[0].programme", "not a programme id"),
    # A cohort participant who is nobody.
    ("cohorts.0.participants.1", "Z9", "cohorts[0].participants[1]", "not a person"),
    # A participant twice in a cohort.
    ("cohorts.0.participants.1", "U1", "cohorts[0].participants[1]", "listed twice"),
    # A group member with a venue's id.
    ("groups.0.members.0", "V1", "groups[0].members[0]", "not a person"),
    # A trainer certified for a programme that does not exist.
    ("trainers.0.certified.0", "Q", "trainers[0].certified[0]", "not a programme id"),
    # A participant of a school that does not exist.
    ("participants.0.school", "S9", "participants[0].school", "not a school id"),
    # Unavailability that is no time.
    ("participants.2.unavailable.0", "someday", "participants[2].unavailable[0]",
     "not a dated slot, a date or a weekly slot"),
    # A dated slot on 30 February.
    ("venues.1.unavailable.0", "2027-02-30:morning", "venues[1].unavailable[0]", "not a dated"),
    # No meetings.
    ("groups.0.meetings", 0, "groups[0].meetings", "greater than"),
    # An unknown group kind.
    ("groups.0.kind", "club", "groups[0].kind", "'plg'"),
    # A venue with a programme's id (the later of the two in the file is named).
    ("venues.0.id", "P", "programmes[0].id", "already used by venues[0].id"),
    # Session ids repeat within a programme.
    ("programmes.0.sessions.1.id", "s1", "programmes[0].sessions[1].id", "used twice"),
    # A daypart that ends before it starts.
    ("calendar.daypart_times", {"evening": ["17:30", "15:30"]}, "calendar", "ends"),
    # Cohorts without a calendar.
    ("calendar", None, "calendar", "a calendar is needed"),
]


@pytest.mark.parametrize(("edit", "value", "path", "words"), BAD_B,
                         ids=[b[2] + ":" + b[3][:20] for b in BAD_B])
def test_bad_part_b_input_names_the_item(edit, value, path, words):
    _one(_edit(part_b(), edit, value), path, words)


def test_every_problem_is_reported_at_once():
    data = part_a()
    data["schools"][0]["demands"][0]["slots"][1] = "wed:noon"
    data["instructors"][0]["skills"]["robotics"] = 9
    data["instructors"][1]["employer"] = "nobody"
    data["pinned"] = [{"instructor": "A", "demand": "D2", "slot": "fri:morning"}]
    data["settings"]["weights"] = {"speed": 1}
    problems = _problems(data)
    assert len(problems) == 5, problems
    assert "schools[0].demands[0].slots[1]: 'wed:noon' is not a weekly slot (like " \
           "'wed:morning')" in problems


def test_other_unknown_fields_are_kept_and_noted():
    from wtmatch.scenario import Scenario, dumps
    from wtmatch.scenario.extras import unknown_fields

    data = part_a()
    data["instructors"][0]["email"] = "a@example.org"
    data["schools"][0]["demands"][0]["note"] = "prefers Lego"
    s = from_data(data)
    assert s.instructors[0].model_extra == {"email": "a@example.org"}
    assert from_data(json.loads(dumps(s))) == s
    typos, notes = unknown_fields(data, Scenario)
    assert not typos
    assert [n.path for n in notes] == ["instructors[0].email", "schools[0].demands[0].note"]


def test_a_scenario_must_be_a_mapping():
    with pytest.raises(ScenarioError, match="mapping"):
        from_data(["not", "a", "scenario"])


def test_scenario_error_is_a_value_error():
    with pytest.raises(ValueError):
        from_data({"instructors": [{"id": 3}]})


def test_one_person_in_several_roles_is_merged():
    data = part_b()
    data["trainers"].append({"id": "U1", "max_hours": 10, "weekly_unavailable": ["fri:evening"],
                             "unavailable": ["2026-09-29"]})
    data["participants"][0]["unavailable"] = ["2026-09-30:morning", "mon:morning"]
    s = from_data(data)
    u1 = s.persons["U1"]
    assert u1.roles == ("trainer", "participant", "member")
    assert u1.max_hours == 10
    assert u1.weekly_unavailable == {WeeklySlot.parse("fri:evening"),
                                     WeeklySlot.parse("mon:morning")}
    assert s.person_unavailable("U1", DatedSlot.parse("2026-09-29:evening"))
    assert s.person_unavailable("U1", DatedSlot.parse("2026-09-30:morning"))
    assert not s.person_unavailable("U1", DatedSlot.parse("2026-09-30:afternoon"))
    assert s.person_unavailable("U1", DatedSlot.parse("2026-10-02:evening"))  # a friday
    assert s.persons["A"].roles == ("instructor", "member")


def test_group_members_are_persons_of_their_own():
    data = part_b()
    data["groups"][0]["members"].append("teacher-7")
    data["cohorts"][0]["participants"].append("T2")     # a trainee follows the course
    s = from_data(data)
    assert s.persons["teacher-7"].roles == ("member",)
    assert "participant" not in s.persons["T2"].roles and "trainer" in s.persons["T2"].roles
    assert s.persons["U1"].roles == ("participant", "member")


def test_distances_use_haversine_rounding_and_overrides():
    s = scenario_of(part_a(), travel_km=[{"from": "S2", "to": "A", "km": 2.5}])
    a, s1, s2, s3 = (s.instructor_by_id["A"], *s.schools)
    assert s.km_instructor_school(a, s1) == 0
    assert s.km_instructor_school(a, s2) == 2     # override, either direction, round(2.5) == 2
    assert s.km_instructor_school(a, s3) == 22    # Enschede–Almelo
    assert s.km_schools(s1, s3) == 22


def test_calendar_school_days_skip_weekends_and_holidays():
    s = from_data(part_b())
    days = s.calendar.school_days()
    assert len(days) == 8 * 5 - 5
    assert all(d.weekday() < 5 for d in days)


def test_json_and_yaml_files_load_and_save(tmp_path):
    data = part_b()
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "s.json").write_text(json.dumps(data))
    from_yaml, from_json = load(tmp_path / "s.yaml"), load(tmp_path / "s.json")
    assert from_yaml == from_json
    save(from_json, tmp_path / "out.json")
    assert load(tmp_path / "out.json") == from_json


@pytest.mark.parametrize(("content", "name", "words"), [
    ("{not json", "x.json", "not valid JSON"),
    ("a: [unclosed", "x.yaml", "neither valid JSON nor valid YAML"),
    ("just words", "x.yaml", "mapping"),
])
def test_unreadable_files_are_scenario_errors(tmp_path, content, name, words):
    (tmp_path / name).write_text(content)
    with pytest.raises(ScenarioError, match=words):
        load(tmp_path / name)


def test_a_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load(tmp_path / "nope.json")


def test_json_schema_comes_from_the_models():
    schema = json_schema()
    assert schema["title"] == "Scenario"
    assert {"instructors", "schools", "calendar", "groups"} <= set(schema["properties"])
    demand = schema["$defs"]["Demand"]["properties"]
    assert demand["slots"]["items"]["pattern"] == WeeklySlot.PATTERN
    assert demand["same_instructor"]["enum"] == ["hard", "soft", "none"]
    weights = schema["$defs"]["Weights"]
    assert weights["additionalProperties"] is False
    assert weights["properties"]["coverage"]["default"] == 1000


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdef"), st.sampled_from("abcdef"), max_size=6))
def test_after_cycles_are_exactly_the_sessions_that_reach_themselves(after):
    from wtmatch.scenario.references import _cycle

    def reaches_itself(s: str) -> bool:
        node, seen = after.get(s), set()
        while node is not None and node not in seen:
            if node == s:
                return True
            seen.add(node)
            node = after.get(node)
        return False

    assert _cycle(after) == [s for s in after if reaches_itself(s)]


def test_a_misspelt_section_is_reported_before_what_follows_from_it():
    data = part_a()
    data["pinned"] = [{"instructor": "A", "demand": "D1", "slot": "mon:morning"}]
    data["instrucotrs"] = data.pop("instructors")
    with pytest.raises(ScenarioError) as err:
        from_data(data)
    first = err.value.problems[0]
    assert first.path == "instrucotrs" and "did you mean 'instructors'" in first.message
    assert len(err.value.problems) > 1          # the pin's instructor is unknown now
