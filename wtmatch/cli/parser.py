"""The ``wtmatch`` command's arguments: one sub-parser per verb."""

from __future__ import annotations

import argparse

from wtmatch.cli import commands as c


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be ≥ 0, got {value}")
    return value


def _scenario_and_plan(p: argparse.ArgumentParser, plan_help: str = "plan file (JSON)") -> None:
    """The two positional arguments of every verb that reads a scenario and a plan."""
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("plan", help=plan_help)
    _force(p)


def _force(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true",
                   help="use a plan that was solved against another scenario anyway")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every ``wtmatch`` verb."""
    parser = argparse.ArgumentParser(
        prog="wtmatch",
        description="Plan hybrid instructors for schools, and training sessions and "
                    "knowledge-network meetings over a school year.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a scenario file and summarise it")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.set_defaults(run=c._validate)

    p = sub.add_parser("check", help="check a plan against a scenario (hard rules, objective)")
    _scenario_and_plan(p)
    p.set_defaults(run=c._check)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.set_defaults(run=c._schema)

    p = sub.add_parser("solve", help="solve a scenario and write the plan (JSON)")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("-o", "--output", help="plan file to write (default: standard output)")
    p.add_argument("--time-limit", type=float, help="seconds of search (default 10)")
    p.add_argument("--workers", type=_non_negative,
                   help="CP-SAT workers (default 0: the solver chooses from the cores)")
    p.add_argument("--seed", type=_non_negative, help="random seed (default 0)")
    p.add_argument("--part", choices=["assign", "sessions", "all"],
                   help="which part to solve (default: all)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    p.add_argument("--assignments", metavar="PLAN",
                   help="with --part sessions: take the weekly teaching from this plan file")
    p.add_argument("--reproducible", action="store_true",
                   help="the same plan bit for bit on every run (deterministic time limit)")
    p.add_argument("--log", action="store_true", help="print CP-SAT's search log")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
    p.set_defaults(run=c._solve)

    p = sub.add_parser("summary", help="print a readable summary of a plan")
    _scenario_and_plan(p)
    p.set_defaults(run=c._summary)

    p = sub.add_parser("ics", help="export one iCalendar file per person and venue")
    _scenario_and_plan(p)
    p.add_argument("-o", "--output", required=True, help="directory to write the .ics files to")
    p.set_defaults(run=c._ics)

    p = sub.add_parser("report", help="write a self-contained HTML report of a plan")
    _scenario_and_plan(p)
    p.add_argument("-o", "--output", required=True, help="directory to write index.html to")
    p.set_defaults(run=c._report)

    p = sub.add_parser("export", help="write a plan as a spreadsheet (one sheet per school, "
                                      "instructor, uncovered seats, sessions)")
    _scenario_and_plan(p)
    p.add_argument("-o", "--output", required=True, help="workbook to write (.xlsx)")
    p.set_defaults(run=c._export)

    p = sub.add_parser("import", help="read a scenario from spreadsheets (a folder of CSV "
                                      "files or an .xlsx workbook) and write it as JSON")
    p.add_argument("source", help="folder of .csv files, or .xlsx workbook (a sheet per table)")
    p.add_argument("-o", "--output", help="scenario file to write (default: standard output)")
    p.add_argument("--name", help="scenario name when the settings table gives none")
    p.set_defaults(run=c._import)

    p = sub.add_parser("tables", help="write a scenario as spreadsheets to edit and import back")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("-o", "--output", required=True,
                   help="an .xlsx workbook, or a folder for CSV files")
    p.add_argument("--all", action="store_true",
                   help="also the tables without rows (a template to fill in)")
    p.set_defaults(run=c._tables)

    p = sub.add_parser("explain", help="why a demand is (un)covered, why an instructor got "
                                       "what they got")
    _scenario_and_plan(p)
    p.add_argument("--demand", action="append", help="a demand id (repeatable; default: every "
                                                     "demand with an uncovered seat)")
    p.add_argument("--instructor", action="append", help="an instructor id (repeatable)")
    p.add_argument("--period", help="with periods: the period to explain (default: each)")
    p.set_defaults(run=c._explain)

    p = sub.add_parser("fit", help="the best places for one new or returning instructor")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("plan", nargs="?", help="plan in force (marks seats empty today)")
    _force(p)
    p.add_argument("--instructor", required=True,
                   help="an instructor id of the scenario, or a JSON/YAML file with a new one")
    p.add_argument("--top", type=_non_negative, default=5, help="places to show (default 5)")
    p.add_argument("--max-places", type=_non_negative, default=40,
                   help="re-solve at most this many places, the most valuable first (default 40)")
    p.add_argument("--time-limit", type=float, help="seconds per re-solve (default 10)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    p.set_defaults(run=c._fit)

    p = sub.add_parser("recruit", help="the instructor profiles whose recruitment raises the "
                                       "objective most, and the coverage curve")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("-k", type=_non_negative, default=3, help="recruits at most (default 3)")
    p.add_argument("--dayparts", type=_non_negative, default=4,
                   help="weekly dayparts a recruit offers (default 4)")
    p.add_argument("--cost", type=_non_negative, default=1,
                   help="objective cost of one recruit: a recruit is advised only when it "
                        "gains more (default 1)")
    p.add_argument("--plot", help="write the coverage curve to this image (.png, .svg)")
    p.add_argument("--time-limit", type=float, help="seconds per solve (default 10)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    p.set_defaults(run=c._recruit)

    p = sub.add_parser("upskill", help="who should follow which programme (its grants) so that "
                                       "open seats are covered, and by when")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("plan", nargs="?", help="the plan in force (default: the scenario solved)")
    p.add_argument("-k", type=_non_negative, default=3, help="trainings at most (default 3)")
    p.add_argument("--teach-from", metavar="PERIOD",
                   help="trainees teach with the new skills from this period on (trained "
                        "before it); default: from the start")
    p.add_argument("--as-cohorts", metavar="FILE",
                   help="write the scenario with the trainings added as cohorts, for part B")
    p.add_argument("--time-limit", type=float, help="seconds per solve (default 10)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    _force(p)
    p.set_defaults(run=c._upskill)

    p = sub.add_parser("replan", help="re-plan with least change (someone leaves, demands "
                                      "arrive) and show what changed and why")
    _scenario_and_plan(p, "the plan in force (JSON)")
    p.add_argument("--without", action="append", metavar="I", help="an instructor who leaves "
                                                                    "(repeatable)")
    p.add_argument("--from", dest="from_date", metavar="DATE",
                   help="when the change takes effect (ISO date)")
    p.add_argument("--add-demand", action="append", metavar="FILE",
                   help="JSON/YAML: a demand, a list of demands or {demands: [...]}, each "
                        "with its 'school' (repeatable)")
    p.add_argument("--freeze", action="store_true", help="pin every other assignment")
    p.add_argument("-o", "--output", help="write the new plan here")
    p.add_argument("--scenario-out", metavar="FILE",
                   help="write the scenario solved here (default: beside the new plan, "
                        "NEW.scenario.json), to check the new plan against")
    p.add_argument("--time-limit", type=float, help="seconds (default 10)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    p.set_defaults(run=c._replan)

    p = sub.add_parser("compare", help="options side by side: key figures, who moves, seats "
                                       "and sessions that change")
    p.add_argument("pairs", nargs="+", metavar="SCENARIO PLAN",
                   help="two or more pairs of a scenario and its plan; the first is the reference")
    p.add_argument("-o", "--output", help="folder for index.html")
    _force(p)
    p.set_defaults(run=c._compare)
    p = sub.add_parser("cover", help="someone is away one day: stand-ins for each of their seats")
    _scenario_and_plan(p)
    p.add_argument("--absent", required=True, metavar="I", help="the instructor who is away")
    p.add_argument("--on", required=True, metavar="DATE", help="the day (ISO date)")
    p.add_argument("--top", type=_non_negative, default=5, help="stand-ins per seat (default 5)")
    p.set_defaults(run=c._cover)
    p = sub.add_parser("stability", help="blocking pairs: instructor and school that prefer "
                                         "each other to what they have")
    _scenario_and_plan(p)
    p.add_argument("--solve-stable", action="store_true",
                   help="also solve for the best plan without blocking pairs among the plans "
                        "of best coverage, and say what that costs")
    p.add_argument("-o", "--output", help="with --solve-stable: write that plan here")
    p.add_argument("--time-limit", type=float, help="seconds per solve (default 10)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    p.set_defaults(run=c._stability)

    p = sub.add_parser("sweep", help="what-if runs: scenarios × variants × seeds on Dask, one "
                                     "row per run")
    p.add_argument("grid", help="grid file (TOML or YAML): scenarios, seeds, time_limit, variants")
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder for sweep.csv (or .parquet) and sweep.png; runs already in "
                        "its table are skipped")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="a running Dask scheduler (default: a local cluster)")
    p.add_argument("--workers", type=_non_negative, help="local cluster workers (default: cores)")
    p.add_argument("--parquet", action="store_true", help="write sweep.parquet (needs pyarrow)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.set_defaults(run=c._sweep)

    p = sub.add_parser("front", help="trade-off front of two goals (ε-constraint), each point "
                                     "a plan")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("--x", default="coverage", choices=["coverage", "reach"],
                   help="the goal to raise (default coverage)")
    p.add_argument("--y", default="travel", choices=["travel", "continuity"],
                   help="the cost to keep down (default travel)")
    p.add_argument("--points", type=_non_negative, default=6, help="ε values (default 6)")
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="folder for front.png, front.csv and point-K.json")
    p.add_argument("--time-limit", type=float, help="seconds per point (default 10)")
    p.add_argument("--scheduler", metavar="ADDR", help="a running Dask scheduler")
    p.set_defaults(run=c._front)

    p = sub.add_parser("generate", help="write a realistic synthetic scenario")
    p.add_argument("--instructors", type=_non_negative, required=True)
    p.add_argument("--schools", type=_non_negative, required=True)
    p.add_argument("--cohorts", type=_non_negative, default=0)
    p.add_argument("--groups", type=_non_negative, default=0)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--tight", action="store_true", help="scarce instructors")
    p.add_argument("--periods", type=_non_negative, default=0,
                   help="terms of the school year (DOMAIN.md §8; default: none)")
    p.add_argument("--reach", type=_non_negative, default=0,
                   help="weight of S8 reach; primary schools get reach 1 (default: 0)")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(run=c._generate)
    return parser
