"""Write the example notebooks (outputs stripped). Run: python tools/make_notebooks.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parents[1] / "examples"

NOTEBOOKS = {
    "01-quickstart": [
        ("md", "# Quickstart\nLoad the bundled Twente scenario, solve the weekly instructor plan, "
               "read it as tables and plots."),
        ("code", "from pathlib import Path\nimport wtmatch\nfrom wtmatch.report import plots\n\n"
                 "scenario = wtmatch.load(Path('twente.json'))\nprint(scenario.describe())"),
        ("code", "result = wtmatch.solve(scenario, wtmatch.Settings(time_limit=5, part='assign', seed=1))\n"
                 "plan = result.plan\nprint(result.status, result.objective, 'gap', result.gap)\n"
                 "print(result.terms)\nassert wtmatch.verify(scenario, plan).ok"),
        ("md", "## The plan as tables\nOne row per filled seat, and the seats left open with their reasons."),
        ("code", "for a in sorted(plan.assignments, key=lambda a: (a.school, a.slot.index))[:15]:\n"
                 "    print(f'{a.school:6} {a.demand:10} {str(a.slot):15} {a.instructor}')\n"
                 "print('...', len(plan.assignments), 'seats filled')\n"
                 "for u in plan.uncovered[:5]:\n"
                 "    print(u.demand, u.slot, '—', u.reasons[0].message if u.reasons else '')"),
        ("md", "## Plots"),
        ("code", "plots.roster(scenario, plan)"),
        ("code", "plots.coverage(scenario, plan, 'region')"),
        ("code", "plots.coverage(scenario, plan, 'skill')"),
        ("code", "plots.coverage_map(scenario, plan)"),
        ("code", "plots.utilisation(scenario, plan)"),
        ("md", "## Spreadsheets in and out\nPlanners keep their pool in spreadsheets: write the "
               "scenario as a workbook (a sheet per table), edit it, read it back "
               "(`wtmatch import`, Dutch day names accepted; see docs/spreadsheets.md)."),
        ("code", "import tempfile\nfrom wtmatch.sheets import export_tables, import_tables\n\n"
                 "book = export_tables(scenario, Path(tempfile.mkdtemp()) / 'twente.xlsx')\n"
                 "back = import_tables(book)\n"
                 "assert back.scenario.model_dump() == scenario.model_dump()\n"
                 "print(book.name, '→', back.scenario.describe().splitlines()[1])"),
    ],
    "02-replanning": [
        ("md", "# Re-planning\nAn instructor drops out in January. We re-plan with the old plan as "
               "`previous_plan`, so every assignment that can stay does (term S7), and compare."),
        ("code", "import json\nfrom collections import Counter\nimport wtmatch\n"
                 "from wtmatch.scenario.io import dumps\n\n"
                 "scenario = wtmatch.load('twente.json')\n"
                 "settings = wtmatch.Settings(time_limit=5, part='assign', seed=1)\n"
                 "before = wtmatch.solve(scenario, settings).plan"),
        ("code", "leaver = Counter(a.instructor for a in before.assignments).most_common(1)[0][0]\n"
                 "data = json.loads(dumps(scenario))\n"
                 "data['instructors'] = [i for i in data['instructors'] if i['id'] != leaver]\n"
                 "data['previous_plan'] = [{'instructor': a.instructor, 'demand': a.demand, "
                 "'slot': str(a.slot)} for a in before.assignments]\n"
                 "january = wtmatch.from_data(data)\n"
                 "after = wtmatch.solve(january, settings).plan\n"
                 "assert wtmatch.verify(january, after).ok\nprint('without', leaver)"),
        ("code", "old = {(a.instructor, a.demand, str(a.slot)) for a in before.assignments}\n"
                 "new = {(a.instructor, a.demand, str(a.slot)) for a in after.assignments}\n"
                 "print('kept', len(old & new), '| lost', len(old - new), '| new', len(new - old))\n"
                 "print('coverage before', before.kpis.coverage_pct, 'after', after.kpis.coverage_pct)\n"
                 "for row in sorted(old - new)[:10]:\n    print('  -', row)\n"
                 "for row in sorted(new - old)[:10]:\n    print('  +', row)"),
    ],
    "03-training-year": [
        ("md", "# The training year\nTrain-the-trainer sessions and knowledge-network meetings placed "
               "on the school calendar, shown as a Gantt chart and exported to iCalendar."),
        ("code", "import tempfile\nfrom pathlib import Path\nimport wtmatch\nfrom wtmatch.report import plots\n"
                 "from wtmatch.report.ics import write_ics\n\n"
                 "scenario = wtmatch.generate(16, 10, 2, 2, seed=5)\n"
                 "result = wtmatch.solve(scenario, wtmatch.Settings(time_limit=4, seed=1))\n"
                 "plan = result.plan\nassert wtmatch.verify(scenario, plan).ok\n"
                 "print(plan.kpis.sessions_scheduled, 'of', plan.kpis.sessions, 'sessions;',\n"
                 "      plan.kpis.meetings_scheduled, 'of', plan.kpis.meetings, 'meetings')"),
        ("code", "for s in plan.sessions[:8]:\n"
                 "    print(s.cohort, s.session, ' + '.join(map(str, s.slots)), s.trainers, s.venue)"),
        ("code", "plots.gantt(scenario, plan, 'trainer')"),
        ("code", "plots.gantt(scenario, plan, 'venue')"),
        ("code", "out = Path(tempfile.mkdtemp())\npaths = write_ics(scenario, plan, out)\n"
                 "print(len(paths), 'calendar files, e.g.', sorted(p.name for p in paths)[:3])"),
    ],
    "04-tuning": [
        ("md", "# Tuning\nCompare part A's research knobs (`Settings.assign_tuning`) on a few generated "
               "sizes: objective against time. For larger studies use `python -m benchmarks sweep --grid FILE`."),
        ("code", "import matplotlib.pyplot as plt\nimport wtmatch\n\n"
                 "variants = {'default': {}, 'no hint': {'hint': False}, 'no symmetry': {'symmetry': False}}\n"
                 "sizes = [(30, 20), (60, 40)]\nruns = {}\n"
                 "for n, m in sizes:\n"
                 "    scenario = wtmatch.generate(n, m, seed=2)\n"
                 "    for name, fields in variants.items():\n"
                 "        history = []\n"
                 "        settings = wtmatch.Settings(time_limit=3, part='assign', seed=1,\n"
                 "                                    assign_tuning=wtmatch.AssignTuning(**fields))\n"
                 "        res = wtmatch.solve(scenario, settings, progress=lambda p, h=history: "
                 "h.append((p.time, p.objective)))\n"
                 "        runs[(n, m, name)] = (history, res)\n"
                 "        print(f'{n}x{m} {name:12} {res.status:9} objective {res.objective} gap {res.gap}')"),
        ("code", "fig, axes = plt.subplots(1, len(sizes), figsize=(10, 3.5))\n"
                 "for ax, (n, m) in zip(axes, sizes):\n"
                 "    best = max(res.objective for (a, b, _), (h, res) in runs.items() if (a, b) == (n, m))\n"
                 "    for name in variants:\n"
                 "        history, res = runs[(n, m, name)]\n"
                 "        if history:\n"
                 "            t, v = zip(*history)\n"
                 "            ax.step(t, [100 * (best - x) / best for x in v], where='post', label=name)\n"
                 "    ax.set_title(f'{n} x {m}'); ax.set_xlabel('seconds'); ax.set_ylabel('gap to best %')\n"
                 "    ax.legend()\nfig.tight_layout()"),
    ],
    "05-decisions": [
        ("md", "# Decisions\nThe questions a partnership asks around a plan, on the bundled Twente "
               "scenario: why is a demand uncovered, where would a newcomer help most, whom to "
               "recruit next, what changes when someone is ill from January, and is the plan fair "
               "to those who stated preferences."),
        ("code", "import datetime as dt\nfrom collections import Counter\nimport wtmatch\n"
                 "from wtmatch import analysis\nfrom wtmatch.report import plots\n\n"
                 "scenario = wtmatch.load('twente.json')\n"
                 "settings = wtmatch.Settings(time_limit=5, part='assign', seed=1)\n"
                 "plan = wtmatch.solve(scenario, settings).plan\n"
                 "print(plan.status, plan.objective, len(plan.uncovered), 'seats uncovered')"),
        ("md", "## 1. Explain\nWhy is this demand uncovered, and who was considered? Why did an "
               "instructor get what they got?"),
        ("code", "demand = plan.uncovered[0].demand\n"
                 "print(analysis.explain_demand(scenario, plan, demand))"),
        ("code", "busiest = Counter(a.instructor for a in plan.assignments).most_common(1)[0][0]\n"
                 "print(analysis.explain_instructor(scenario, plan, busiest))"),
        ("md", "## 2. Recommend a fit\nA new hybrid instructor with robotics and programming: "
               "the best places, each ranked by the objective gain of re-solving with them there."),
        ("code", "newcomer = {'id': 'NEW', 'skills': {'robotics': 4, 'programming': 3}, "
                 "'qualified': True,\n            'available': ['mon:morning', 'wed:morning', "
                 "'fri:morning', 'fri:afternoon'],\n            'location': {'lat': 52.22, "
                 "'lon': 6.89}, 'max_dayparts': 2}\n"
                 "advice = analysis.recommend_fit(scenario, plan, newcomer, top=5, settings=settings)\n"
                 "print(advice)"),
        ("md", "## 3. Whom to recruit\nCandidate profiles from the uncovered demand; one CP-SAT "
               "model chooses at most k of them, for k = 0…3."),
        ("code", "recruits = analysis.recruit(scenario, 3, settings=settings)\nprint(recruits)"),
        ("code", "plots.recruitment_curve(recruits)"),
        ("md", "## 4. Re-plan with least change\nThe busiest instructor is ill from January: "
               "keep every assignment that can stay, and say what changed and why."),
        ("code", "change = analysis.replan(scenario, plan, [busiest], from_date=dt.date(2027, 1, 4), "
                 "settings=settings)\nprint(change)\n"
                 "assert wtmatch.verify(change.scenario, change.plan).ok"),
        ("md", "## 5. Stability\nBlocking pairs — an instructor and a school that prefer each "
               "other to what they have and could be matched — and, per person, why not their "
               "preferred school."),
        ("code", "fair = analysis.stability(scenario, plan)\n"
                 "print(len(fair.blocking), 'blocking pair(s)')\n"
                 "for who, per in list(fair.per_instructor.items())[:3]:\n"
                 "    for school, reasons in per.items():\n"
                 "        print(who, '→', school, ':', reasons[0])"),
    ],
}


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src)
                                 for kind, src in cells])
        for k, cell in enumerate(nb.cells):
            cell.id = f"{name}-{k:02d}"   # stable ids: regenerating changes nothing else
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, HERE / f"{name}.ipynb")


if __name__ == "__main__":
    main()
