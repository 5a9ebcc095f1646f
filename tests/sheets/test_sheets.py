"""Spreadsheets in and out (wtmatch.sheets, `wtmatch import`, `wtmatch tables`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wtmatch.cli import main
from wtmatch.errors import ScenarioError
from wtmatch.generate import generate
from wtmatch.scenario import load
from wtmatch.sheets import TABLES, cells, export_tables, import_tables

ROOT = Path(__file__).resolve().parents[2]
TWENTE = ROOT / "examples" / "twente.json"


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# What the scenario's own rules find in the cells of the bad-cells test that could be read.
RULES_IN_READ_CELLS = [
    "instructeurs.csv, row 2: location.lon: required field is missing",
    "instructeurs.csv, row 2, column C (skills): robotica: Input should be less than or "
    "equal to 5 (got 7)",
    "vragen.csv, row 3, column D (slots): 'wed:evening' is an evening slot; teaching slots "
    "are mornings and afternoons only",
    "vragen.csv, row 3, column B (id): id 'I2' is already used by instructeurs.csv, row 3, "
    "column A (id)",
]


def _problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        import_tables(path)
    return [str(p) for p in info.value.problems]


# ---- cells ---------------------------------------------------------------
@pytest.mark.parametrize("raw, slot", [
    ("wed:morning", "wed:morning"), ("wo ochtend", "wed:morning"), ("WO:Middag", "wed:afternoon"),
    ("woensdag-middag", "wed:afternoon"), ("woensdagochtend", "wed:morning"),
    ("vr avond", "fri:evening"), ("Monday afternoon", "mon:afternoon"), ("ma/ochtend", "mon:morning"),
    ("di ochtend", "tue:morning"), ("do middag", "thu:afternoon"),
])
def test_weekly_slots_in_dutch_and_english(raw, slot):
    assert cells.as_weekly_slot(raw) == slot


@pytest.mark.parametrize("raw, words", [("zo ochtend", "'zo' is not a weekday"),
                                        ("wo nacht", "'nacht' is not a daypart"),
                                        ("woensdag", "not a weekly slot")])
def test_bad_weekly_slots_say_which_word(raw, words):
    with pytest.raises(cells.CellError, match=words):
        cells.as_weekly_slot(raw)


def test_other_cells():
    assert cells.as_bool("Ja") is True and cells.as_bool("nee") is False and cells.as_bool(1) is True
    assert cells.as_float("52,22") == 52.22 and cells.as_int(3.0) == 3 and cells.as_int("4") == 4
    assert cells.as_date("7-10-2026") == "2026-10-07" == cells.as_date(dt.datetime(2026, 10, 7))
    assert cells.as_dated_slot("7-10-2026 avond") == "2026-10-07:evening"
    assert cells.as_time_ref("2026-10-07") == "2026-10-07"
    assert cells.as_time_ref("wo avond") == "wed:evening"
    assert cells.as_key_numbers("robotica 3; 3d printen=2, chemie: 1") == {
        "robotica": 3, "3d printen": 2, "chemie": 1}
    assert cells.as_mode("Fysiek") == "physical" and cells.as_times("8.30–12.00") == ["08:30", "12:00"]
    assert cells.split_list("a; b,c\nd | e") == ["a", "b", "c", "d", "e"]
    for reader, raw in ((cells.as_bool, "misschien"), (cells.as_int, "3.5"), (cells.as_int, "x"),
                        (cells.as_float, "veel"), (cells.as_date, "31-2-2026"),
                        (cells.as_key_numbers, "robotica"), (cells.as_times, "25:00-26:00")):
        with pytest.raises(cells.CellError):
            reader(raw)


# ---- round trips ---------------------------------------------------------
@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_bundled_example_round_trips(tmp_path, suffix):
    scenario = load(TWENTE)
    path = export_tables(scenario, tmp_path / f"twente{suffix}")
    back = import_tables(path)
    assert back.scenario.model_dump(mode="json") == scenario.model_dump(mode="json")
    assert back.notes == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), suffix=st.sampled_from(["", ".xlsx"]))
def test_generated_scenarios_round_trip(tmp_path_factory, seed, suffix):
    scenario = generate(8, 5, 2, 2, seed)
    path = export_tables(scenario, tmp_path_factory.mktemp("t") / f"s{suffix}")
    back = import_tables(path).scenario
    assert back.model_dump(mode="json") == scenario.model_dump(mode="json")


# ---- Dutch input, every bad cell located --------------------------------
GOOD = {
    "instructeurs.csv": "id;naam_intern;skills;available;qualified;lat;lon;max_dayparts\n"
                        "I1;x;robotica 3;wo ochtend, woensdagmiddag;ja;52,22;6,89;2\n"
                        "\n"
                        "I2;y;robotica 2;do ochtend;nee;;;\n",
    "scholen.csv": "id,name,type,region\nS1,De Es,PO,noord\n",
    "vragen.csv": "school,id,skill,slots,instructors_needed,requires_qualified\n"
                  "S1,D1,robotica,\"wo ochtend, wo middag\",1,ja\n"
                  "S1,D2,robotica,do ochtend,1,\n",
    "instellingen.csv": "name,value\nname,Proef\nsame_day_max_km,\"12,5\"\ncoverage,900\n",
}


def test_dutch_csv_folder_imports(tmp_path):
    imported = import_tables(_write(tmp_path / "in", GOOD))
    s = imported.scenario
    assert s.name == "Proef" and s.settings.same_day_max_km == 12.5
    assert s.settings.weights.coverage == 900
    i1 = s.instructor_by_id["I1"]
    assert [str(x) for x in i1.available] == ["wed:morning", "wed:afternoon"]
    assert i1.qualified and i1.location.lat == 52.22 and i1.max_dayparts == 2
    assert s.instructor_by_id["I2"].location is None
    assert [d.id for d in s.school_by_id["S1"].demands] == ["D1", "D2"]
    assert s.demand_by_id["D1"].requires_qualified and not s.demand_by_id["D2"].requires_qualified
    # The unknown column is kept, and said so.
    assert i1.model_extra == {"naam_intern": "x"}
    assert [str(n) for n in imported.notes] == [
        "instructeurs.csv, column B: 'naam_intern' is not part of the format; kept as it is"]


def test_every_bad_cell_is_reported_with_file_row_and_column(tmp_path):
    files = {
        "instructeurs.csv": "id;name;skills;available;qualified;lat;lon;max_dayparst\n"
                            "I1;A;robotica 7;zo ochtend;misschien;52,2;;2\n"
                            "I2;B;robotica 2;di ochtend;ja;;;\n",
        "scholen.csv": "id,name\nS1,De Es\n",
        "vragen.csv": "school,id,skill,slots,instructors_needed\n"
                      "S9,D1,robotica,wo ochtend,1\n"
                      "S1,I2,robotica,wo avond,x\n"
                      "S1,D3,robotica,wo ochtend,1,extra\n",
    }
    problems = _problems(_write(tmp_path / "in", files))
    cell_problems = [
        "instructeurs.csv, column H: 'max_dayparst' is not a column of instructors; "
        "did you mean 'max_dayparts'?",
        "instructeurs.csv, row 2, column D (available): 'zo ochtend': 'zo' is not a weekday "
        "(ma/di/wo/do/vr or mon–fri)",
        "instructeurs.csv, row 2, column E (qualified): 'misschien' is not yes or no "
        "(ja/nee, true/false, 1/0)",
        "vragen.csv, row 2, column A (school): 'S9' is not in the schools table",
        "vragen.csv, row 3, column E (instructors_needed): 'x' is not a whole number",
    ]
    assert [p for p in problems if p in cell_problems] == cell_problems
    assert any(p.startswith("vragen.csv, row 4, column F: 'extra' stands beyond the last header")
               for p in problems)
    # one pass: what validation finds in the cells that could be read comes with them
    assert problems[6:] == RULES_IN_READ_CELLS


def test_a_misspelt_skill_or_region_gets_a_did_you_mean(tmp_path):
    from wtmatch.sheets import import_tables

    files = {
        "instructeurs.csv": "id,skills,available,region\nI1,robotics 3,ma ochtend,Twente\n"
                            "I2,robotics 2,di ochtend,Twente\n",
        "scholen.csv": "id,region\nS1,Twente\nS2,Twnte\n",
        "vragen.csv": "school,id,skill,slots\nS1,D1,robotics,ma ochtend\nS2,D2,robotcs,di ochtend\n",
    }
    notes = [str(n) for n in import_tables(_write(tmp_path / "in", files)).notes]
    assert any("'robotcs' is named nowhere else; did you mean 'robotics'?" in n
               and n.startswith("vragen.csv, row 3") for n in notes), notes
    assert any("'Twnte' is named nowhere else; did you mean 'Twente'?" in n for n in notes)
    # Once the cells read, the scenario's own rules are traced back to cells too.
    files["instructeurs.csv"] = ("id;name;skills;available;qualified;lat;lon;max_dayparts\n"
                                 "I1;A;robotica 7;wo ochtend;ja;52,2;;2\n"
                                 "I2;B;robotica 2;di ochtend;ja;;;\n")
    files["vragen.csv"] = ("school,id,skill,slots,instructors_needed\n"
                           "S1,D1,robotica,wo ochtend,1\n"
                           "S1,I2,robotica,wo avond,1\n")
    problems = _problems(_write(tmp_path / "in2", files))
    assert problems == RULES_IN_READ_CELLS


def test_workbook_with_dates_numbers_and_a_notes_sheet(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "kalender"
    ws.append(["start", "end", "study_days"])
    ws.append([dt.datetime(2026, 8, 31), dt.datetime(2027, 7, 9), "7-10-2026; 2026-11-18"])
    ws = wb.create_sheet("vakanties")
    ws.append(["from", "to", "name"])
    ws.append([dt.datetime(2026, 10, 19), "23-10-2026", "herfstvakantie"])
    ws = wb.create_sheet("locaties")
    ws.append(["id", "capacity"])
    ws.append(["V1", 30.0])
    ws.append(["V2", "veel"])
    ws = wb.create_sheet("_toelichting")
    ws.append(["free text a planner wrote"])
    path = tmp_path / "jaar.xlsx"
    wb.save(path)
    assert _problems(path) == ["jaar.xlsx[locaties], row 3, column B (capacity): "
                               "'veel' is not a whole number"]
    wb["locaties"].delete_rows(3)
    wb.save(path)
    imported = import_tables(path)
    cal = imported.scenario.calendar
    assert cal.start == dt.date(2026, 8, 31) and cal.study_days == [dt.date(2026, 10, 7),
                                                                   dt.date(2026, 11, 18)]
    assert cal.blocked[0].to == dt.date(2026, 10, 23) and imported.scenario.venues[0].capacity == 30
    assert [str(n) for n in imported.notes] == ["jaar.xlsx[_toelichting]: skipped: its name "
                                                "starts with '_'"]


def test_table_and_header_mistakes(tmp_path):
    files = {
        "instructeurs.csv": "id,skill:robotics,skills\nI1,3,robotics 2\n",
        "instructors.csv": "id\nI9\n",
        "schools.csv": "name\nDe Es\n",
        "toelichting.csv": "x\n1\n",
        "kalender.csv": "start,end\n2026-09-01,2027-07-01\n2026-09-01,2027-07-01\n",
        "instellingen.csv": "name,value\ncoverag,5\n",
        "groups.csv": "id,,meetings\nG1,4,3\n",
    }
    problems = _problems(_write(tmp_path / "in", files))
    assert any("instructors.csv" in p and "a second 'instructors' table" in p for p in problems)
    assert any(p.startswith("toelichting.csv: not a table of the format") for p in problems)
    assert "schools.csv, row 1: required column missing: id" in problems
    assert "kalender.csv, row 3: calendar has one row only" in problems
    assert any(p.startswith("instellingen.csv, row 2: 'coverag' is not a setting") for p in problems)
    assert "groups.csv, column B: cells under a column without a header" in problems
    assert any(p.startswith("instructeurs.csv, row 2: skills given both") for p in problems)


def test_wide_skill_columns(tmp_path):
    files = {"instructors.csv": "id,skill:robotics,skill:3d printing,pref:S1\nI1,3,,2\nI2,,1,\n",
             "schools.csv": "id\nS1\n"}
    s = import_tables(_write(tmp_path / "in", files)).scenario
    assert s.instructor_by_id["I1"].skills == {"robotics": 3}
    assert s.instructor_by_id["I1"].preferences == {"S1": 2}
    assert s.instructor_by_id["I2"].skills == {"3d printing": 1}


def test_docs_list_every_table_and_column():
    text = (ROOT / "docs" / "spreadsheets.md").read_text()
    for table in TABLES:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{table.name}` |")),
                   None)
        assert row is not None, table.name
        for column in table.columns:
            assert f"`{column.name}`" in row, (table.name, column.name)
        for alias in table.aliases:
            assert f"`{alias}`" in row, (table.name, alias)


# ---- command line ----------------------------------------------------------
def test_cli_import_and_tables(tmp_path, capsys):
    folder = _write(tmp_path / "in", GOOD)
    out = tmp_path / "s.json"
    assert main(["import", str(folder), "-o", str(out)]) == 0
    assert load(out).name == "Proef"
    assert "note: instructeurs.csv, column B" in capsys.readouterr().err
    assert main(["tables", str(out), "-o", str(tmp_path / "t.xlsx"), "--all"]) == 0
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "t.xlsx").sheetnames == [t.name for t in TABLES]
    assert main(["import", str(tmp_path / "t.xlsx")]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Proef"


def test_cli_import_bad_input_exits_2_without_traceback(tmp_path, capsys):
    files = dict(GOOD, **{"vragen.csv": "school,id,skill,slots\nS1,D1,robotica,wo nacht\n"})
    assert main(["import", str(_write(tmp_path / "in", files))]) == 2
    err = capsys.readouterr().err
    assert "vragen.csv, row 2, column D (slots): 'wo nacht': 'nacht' is not a daypart" in err
    assert "Traceback" not in err
    assert main(["import", str(tmp_path / "missing")]) == 2


def test_a_formula_without_a_computed_value_is_not_read_as_empty(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "venues"
    ws.append(["id", "capacity"])
    ws.append(["V1", "=10+20"])          # openpyxl stores the formula, no cached value
    path = tmp_path / "f.xlsx"
    wb.save(path)
    assert _problems(path) == ["f.xlsx[venues], row 2, column B: the formula '=10+20' has no "
                               "computed value; open the workbook in a spreadsheet program "
                               "and save it"]
