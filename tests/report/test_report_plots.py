"""Plots, the HTML report and the spreadsheet export on a deterministic solved scenario."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from wtmatch.generate import generate
from wtmatch.report import plots
from wtmatch.report.html import SECTIONS, write_report
from wtmatch.report.xlsx import export_xlsx
from wtmatch.settings import Settings
from wtmatch.solve import solve


@pytest.fixture(scope="module")
def solved():
    scenario = generate(12, 8, 1, 1, seed=3)
    result = solve(scenario, Settings(time_limit=3, workers=2, reproducible=True))
    assert result.plan.assignments and (result.plan.sessions or result.plan.meetings)
    return scenario, result.plan


def _texts(ax):
    return [t.get_text() for t in ax.get_xticklabels()], [t.get_text() for t in ax.get_yticklabels()]


def test_roster_has_a_cell_per_assignment(solved):
    scenario, plan = solved
    fig = plots.roster(scenario, plan)
    ax = fig.axes[0]
    assert len(ax.patches) == len(plan.assignments)
    xt, yt = _texts(ax)
    assert len(xt) == 10 and yt == [f"{i.name} ({i.id})" for i in scenario.instructors]
    assert ax.get_xlabel() == "slot" and ax.get_ylabel() == "instructor"
    # each cell names its school, and the legend names every school taught
    assert sorted(t.get_text() for t in ax.texts) == sorted(a.school for a in plan.assignments)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    taught = sorted({a.school for a in plan.assignments})
    assert legend == [f"{scenario.school_by_id[s].name} ({s})" for s in taught]


@pytest.mark.parametrize("by", ["region", "skill"])
def test_coverage_bars_add_up_to_the_seats(solved, by):
    scenario, plan = solved
    ax = plots.coverage(scenario, plan, by).axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == plan.kpis.seats
    groups = len(ax.get_xticklabels())
    assert len(ax.patches) == 2 * groups
    filled = sum(heights[:groups])
    assert filled == plan.kpis.seats_filled
    with pytest.raises(ValueError, match="choose"):
        plots.coverage(scenario, plan, "colour")


def test_map_draws_a_line_per_link_and_marks_uncovered(solved):
    scenario, plan = solved
    ax = plots.coverage_map(scenario, plan).axes[0]
    links = {(a.instructor, a.school) for a in plan.assignments}
    assert len(ax.lines) == len(links)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "instructor's home"
    assert ("school with open seats (count)" in labels) == bool(plan.uncovered)
    # every school named on the map, with its open seats; the regions too
    texts = [t.get_text() for t in ax.texts]
    for school in scenario.schools:
        open_seats = sum(1 for u in plan.uncovered if u.school == school.id)
        name = school.name + (f" ({open_seats} open)" if open_seats else "")
        assert name in texts
    assert {s.region.upper() for s in scenario.schools if s.region} <= set(texts)


@pytest.mark.parametrize("by", ["trainer", "venue"])
def test_gantt_has_a_bar_per_dated_slot(solved, by):
    scenario, plan = solved
    ax = plots.gantt(scenario, plan, by).axes[0]
    bars = sum(len(c.get_paths()) for c in ax.collections)
    if by == "trainer":
        expected = sum(len(s.slots) * len(s.trainers) for s in plan.sessions)
    else:
        expected = sum(len(s.slots) for s in plan.sessions if s.venue) + \
            sum(1 for m in plan.meetings if m.venue)
    assert bars == expected
    assert ax.get_ylabel() == by


def test_utilisation_bars(solved):
    scenario, plan = solved
    ax = plots.utilisation(scenario, plan).axes[0]
    assert sum(p.get_height() for p in ax.patches) == len(plan.assignments)
    assert len(ax.patches) == len(scenario.instructors)


def test_html_report_is_self_contained(solved, tmp_path):
    scenario, plan = solved
    path = write_report(scenario, plan, tmp_path / "rep")
    text = path.read_text()
    for section in SECTIONS:
        assert f"id='{section}'" in text
    images = re.findall(r"<img [^>]*src='([^']+)'", text)
    assert len(images) >= 5 and all(src.startswith("data:image/png;base64,") for src in images)
    for u in plan.uncovered:
        assert u.demand in text


def test_the_report_speaks_the_planners_language(solved, tmp_path):
    import html as html_lib

    scenario, plan = solved
    text = html_lib.unescape(write_report(scenario, plan, tmp_path / "rep").read_text())
    k = plan.kpis
    assert f"{k.seats_filled} of {k.seats} seats filled" in text          # the headline
    assert "objective 1" not in text.split("<section")[0]                   # no solver talk first
    # the terms by name, in S-order, with the DOMAIN term beside
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(S\d+)</td>", text)
    assert [t for _, t in rows] == sorted((t for _, t in rows), key=lambda t: int(t[1:]))
    assert ("coverage (filled seats × priority)", "S1") in rows
    # names beside ids: schools, instructors, trainers, groups
    for school in scenario.schools:
        assert f"{school.name} ({school.id})" in text
    for ins in scenario.instructors:
        assert f"{ins.name} ({ins.id})" in text
    for grp in scenario.groups:
        assert grp.name in text
    # per school: skill and open seats; open seats with skill and level
    assert "<th>open seats</th>" in text and "<th>skill</th>" in text
    for u in plan.uncovered:
        d = scenario.demand_by_id[u.demand]
        assert f"{d.skill} ≥ {d.min_level}" in text
    assert "The training year" in text
    # each filled seat says how many could stand in
    assert "stand-ins free then" in text and ("stand-in" in text or "NO STAND-IN" in text)


def test_html_report_renders_in_headless_chromium(solved, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("headless Chromium not installed (Debian package 'chromium'); "
                    "the report's structure is checked by test_html_report_is_self_contained")
    scenario, plan = solved
    path = write_report(scenario, plan, tmp_path / "rep")
    # Count images that decoded (naturalWidth > 0) and sections, from inside the page.
    probe = ("<script>window.onload=()=>{const i=[...document.images];document.title="
             "'imgs:'+i.length+' ok:'+i.filter(x=>x.naturalWidth>0).length+' sections:'+"
             "document.querySelectorAll('section').length};</script></body>")
    path.write_text(path.read_text().replace("</body>", probe))
    out = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          path.as_uri()], capture_output=True, text=True, timeout=120)
    m = re.search(r"<title>imgs:(\d+) ok:(\d+) sections:(\d+)</title>", out.stdout)
    assert m, out.stderr[-500:]
    imgs, ok, sections = map(int, m.groups())
    assert imgs == ok >= 5 and sections == len(SECTIONS)


def test_xlsx_export_has_the_sheets(solved, tmp_path):
    from openpyxl import load_workbook

    scenario, plan = solved
    path = export_xlsx(scenario, plan, tmp_path / "plan.xlsx")
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names[:2] == ["uncovered", "sessions"]
    assert len(names) == 2 + len(scenario.schools) + len(scenario.instructors)
    assert all(len(n) <= 31 for n in names)
    rows = sum(wb[n].max_row - 1 for n in names if n.startswith("school "))
    assert rows == len(plan.assignments)
    assert wb["uncovered"].max_row - 1 == len(plan.uncovered)
