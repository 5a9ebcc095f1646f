"""The ``wtmatch`` command line: argument parsing only, the work is in the library.

Exit codes: 0 success, 1 a plan that breaks a rule (``check``), 2 invalid
input (never with a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from wtmatch.errors import ScenarioError, WtmatchError
from wtmatch.files import atomic_path, write_text
from wtmatch.generate import generate
from wtmatch.plan import Plan
from wtmatch.scenario import dumps, json_schema, load
from wtmatch.verify import verify

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2
EXIT_INTERRUPTED = 130
"""Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)."""


def _validate(args: argparse.Namespace) -> int:
    from wtmatch.scenario import Scenario, read_document
    from wtmatch.scenario.extras import unknown_fields

    scenario = load(args.scenario)
    for note in unknown_fields(read_document(args.scenario), Scenario)[1]:
        print(f"{args.scenario}: note: {note}", file=sys.stderr)
    print(f"{args.scenario}: valid")
    print(scenario.describe())
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    scenario = load(args.scenario)
    plan = Plan.load(args.plan)
    verdict = verify(scenario, plan)
    print(verdict.summary(), file=sys.stdout if verdict.ok else sys.stderr)
    return EXIT_OK if verdict.ok else EXIT_FAIL


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    scenario = generate(args.instructors, args.schools, args.cohorts, args.groups, args.seed,
                        args.tight)
    text = dumps(scenario)
    if args.output:
        write_text(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _solve(args: argparse.Namespace) -> int:
    from wtmatch.report import summary
    from wtmatch.report.progress import ProgressLine
    from wtmatch.report.summary import interrupted
    from wtmatch.settings import Settings
    from wtmatch.solve import solve

    started = time.perf_counter()     # loading counts against the time limit
    scenario = load(args.scenario)
    settings = Settings.load(args.settings) if args.settings else Settings()
    overrides = {k: v for k, v in (("time_limit", args.time_limit), ("workers", args.workers),
                                   ("seed", args.seed), ("part", args.part)) if v is not None}
    if args.reproducible:
        overrides["reproducible"] = True
    if args.log:
        overrides["log"] = True
    settings = Settings.from_data({**settings.model_dump(), **overrides})
    progress = None if args.quiet else ProgressLine(settings.time_limit)
    teaching = None
    if args.assignments:
        if settings.part != "sessions":
            raise WtmatchError("--assignments goes with --part sessions")
        teaching = Plan.load(args.assignments).assignments
    if settings.reproducible and not args.quiet:
        print(f"wtmatch: reproducible: each part's limit is {settings.time_limit:g} units of "
              "CP-SAT's deterministic time, not seconds (the same plan on any machine); "
              "the wall time may differ", file=sys.stderr)
    result = solve(scenario, settings, progress=progress, assignments=teaching, started=started)
    if progress:
        progress.done()
    text = result.plan.dumps()
    if args.output:
        write_text(args.output, text)
        if not args.quiet:
            print(summary(result.scenario, result.plan), file=sys.stderr)
            print(f"\nplan written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if interrupted(result.plan):
        where = args.output or "standard output"
        print(f"wtmatch: interrupted; the best plan found so far is written to {where}",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK if result.status in ("optimal", "feasible") else EXIT_FAIL


def _summary(args: argparse.Namespace) -> int:
    from wtmatch.report import summary

    scenario = load(args.scenario)
    plan = Plan.load(args.plan)
    print(summary(scenario, plan))
    return EXIT_OK


def _ics(args: argparse.Namespace) -> int:
    from wtmatch.report.ics import write_ics

    scenario = load(args.scenario)
    plan = Plan.load(args.plan)
    if scenario.calendar is None:
        raise WtmatchError("the scenario has no calendar, so there is nothing to export")
    paths = write_ics(scenario, plan, args.output)
    print(f"wrote {len(paths)} calendar files to {args.output}", file=sys.stderr)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from wtmatch.report.html import write_report

    return _write_with(write_report, args)


def _export(args: argparse.Namespace) -> int:
    from wtmatch.report.xlsx import export_xlsx

    return _write_with(export_xlsx, args)


def _write_with(writer: Callable, args: argparse.Namespace) -> int:
    """Load the scenario and plan, hand them to ``writer`` with the output path, say where."""
    path = writer(load(args.scenario), Plan.load(args.plan), args.output)
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from wtmatch.sheets import import_tables

    imported = import_tables(args.source, name=args.name)
    for note in imported.notes:
        print(f"{args.source}: note: {note}", file=sys.stderr)
    text = dumps(imported.scenario)
    if args.output:
        write_text(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
        print(imported.scenario.describe(), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _tables(args: argparse.Namespace) -> int:
    from wtmatch.sheets import export_tables

    path = export_tables(load(args.scenario), args.output, include_empty=args.all)
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _analysis_settings(args: argparse.Namespace):
    from wtmatch.settings import Settings

    settings = Settings.load(args.settings) if getattr(args, "settings", None) else Settings()
    if getattr(args, "time_limit", None) is not None:
        settings = settings.model_copy(update={"time_limit": args.time_limit})
    return settings


def _explain(args: argparse.Namespace) -> int:
    from wtmatch.analysis import explain_demand, explain_instructor
    from wtmatch.analysis.explain import PlanView

    scenario, plan = load(args.scenario), Plan.load(args.plan)
    view = PlanView.of(scenario, plan)
    demands = args.demand or ([] if args.instructor else
                              sorted({u.demand for u in plan.uncovered}))
    for d in demands:
        print(explain_demand(scenario, plan, d, view))
    for i in args.instructor or []:
        print(explain_instructor(scenario, plan, i, view))
    if not demands and not args.instructor:
        print("every seat is covered; name --demand D or --instructor I to explain one")
    return EXIT_OK


def _fit(args: argparse.Namespace) -> int:
    from wtmatch.analysis import recommend_fit
    from wtmatch.scenario import read_document

    scenario = load(args.scenario)
    plan = Plan.load(args.plan) if args.plan else None
    who = args.instructor
    if Path(who).suffix.lower() in (".json", ".yaml", ".yml"):
        who = read_document(who)
    advice = recommend_fit(scenario, plan, who, top=args.top, settings=_analysis_settings(args),
                           max_places=args.max_places)
    print(advice)
    return EXIT_OK


def _recruit(args: argparse.Namespace) -> int:
    from wtmatch.analysis import recruit

    advice = recruit(load(args.scenario), args.k, settings=_analysis_settings(args),
                     dayparts=args.dayparts, cost=args.cost)
    print(advice)
    if args.plot:
        from wtmatch.report.plots import recruitment_curve

        fig = recruitment_curve(advice)
        with atomic_path(args.plot) as tmp:
            fig.savefig(tmp, dpi=120, format=Path(args.plot).suffix.lstrip(".") or "png")
        print(f"wrote {args.plot}", file=sys.stderr)
    return EXIT_OK


def _replan(args: argparse.Namespace) -> int:
    import datetime as dt

    from wtmatch.analysis import replan
    from wtmatch.scenario import read_document

    scenario, plan = load(args.scenario), Plan.load(args.plan)
    try:
        start = dt.date.fromisoformat(args.from_date) if args.from_date else None
    except ValueError:
        raise WtmatchError(f"--from {args.from_date!r} is not a date (like 2027-01-04)") from None
    extra = []
    for path in args.add_demand or []:
        doc = read_document(path)
        # a list of demands, {"demands": [...]}, or one demand
        if isinstance(doc, dict):
            extra += doc.get("demands", [doc])
        elif isinstance(doc, list):
            extra += doc
        else:
            raise WtmatchError(f"{path}: expected a list of demands, not {type(doc).__name__}")
    out = replan(scenario, plan, args.without or [], from_date=start, add_demands=extra,
                 freeze=args.freeze, settings=_analysis_settings(args))
    print(out)
    if args.output:
        write_text(args.output, out.plan.dumps())
        print(f"plan written to {args.output}", file=sys.stderr)
    return EXIT_OK if out.result.status in ("optimal", "feasible") else EXIT_FAIL


def _stability(args: argparse.Namespace) -> int:
    from wtmatch.analysis import stability
    from wtmatch.analysis.stability import stable_plan

    scenario = load(args.scenario)
    print(stability(scenario, Plan.load(args.plan)))
    if args.solve_stable:
        found = stable_plan(scenario, _analysis_settings(args))
        print(found)
        if args.output and found.plan is not None:
            write_text(args.output, found.plan.dumps())
            print(f"plan written to {args.output}", file=sys.stderr)
    return EXIT_OK


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be ≥ 0, got {value}")
    return value


def _scenario_and_plan(p: argparse.ArgumentParser, plan_help: str = "plan file (JSON)") -> None:
    """The two positional arguments of every verb that reads a scenario and a plan."""
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("plan", help=plan_help)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every ``wtmatch`` verb."""
    parser = argparse.ArgumentParser(
        prog="wtmatch",
        description="Plan hybrid instructors for schools, and training sessions and "
                    "knowledge-network meetings over a school year.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a scenario file and summarise it")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.set_defaults(run=_validate)

    p = sub.add_parser("check", help="check a plan against a scenario (hard rules, objective)")
    _scenario_and_plan(p)
    p.set_defaults(run=_check)

    p = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    p.set_defaults(run=_schema)

    p = sub.add_parser("solve", help="solve a scenario and write the plan (JSON)")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("-o", "--output", help="plan file to write (default: standard output)")
    p.add_argument("--time-limit", type=float, help="seconds of search (default 10)")
    p.add_argument("--workers", type=_non_negative, help="CP-SAT workers (default: 8)")
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
    p.set_defaults(run=_solve)

    p = sub.add_parser("summary", help="print a readable summary of a plan")
    _scenario_and_plan(p)
    p.set_defaults(run=_summary)

    p = sub.add_parser("ics", help="export one iCalendar file per person and venue")
    _scenario_and_plan(p)
    p.add_argument("-o", "--output", required=True, help="directory to write the .ics files to")
    p.set_defaults(run=_ics)

    p = sub.add_parser("report", help="write a self-contained HTML report of a plan")
    _scenario_and_plan(p)
    p.add_argument("-o", "--output", required=True, help="directory to write index.html to")
    p.set_defaults(run=_report)

    p = sub.add_parser("export", help="write a plan as a spreadsheet (one sheet per school, "
                                      "instructor, uncovered seats, sessions)")
    _scenario_and_plan(p)
    p.add_argument("-o", "--output", required=True, help="workbook to write (.xlsx)")
    p.set_defaults(run=_export)

    p = sub.add_parser("import", help="read a scenario from spreadsheets (a folder of CSV "
                                      "files or an .xlsx workbook) and write it as JSON")
    p.add_argument("source", help="folder of .csv files, or .xlsx workbook (a sheet per table)")
    p.add_argument("-o", "--output", help="scenario file to write (default: standard output)")
    p.add_argument("--name", help="scenario name when the settings table gives none")
    p.set_defaults(run=_import)

    p = sub.add_parser("tables", help="write a scenario as spreadsheets to edit and import back")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("-o", "--output", required=True,
                   help="an .xlsx workbook, or a folder for CSV files")
    p.add_argument("--all", action="store_true",
                   help="also the tables without rows (a template to fill in)")
    p.set_defaults(run=_tables)

    p = sub.add_parser("explain", help="why a demand is (un)covered, why an instructor got "
                                       "what they got")
    _scenario_and_plan(p)
    p.add_argument("--demand", action="append", help="a demand id (repeatable; default: every "
                                                     "demand with an uncovered seat)")
    p.add_argument("--instructor", action="append", help="an instructor id (repeatable)")
    p.set_defaults(run=_explain)

    p = sub.add_parser("fit", help="the best places for one new or returning instructor")
    p.add_argument("scenario", help="scenario file (JSON or YAML)")
    p.add_argument("plan", nargs="?", help="plan in force (marks seats empty today)")
    p.add_argument("--instructor", required=True,
                   help="an instructor id of the scenario, or a JSON/YAML file with a new one")
    p.add_argument("--top", type=_non_negative, default=5, help="places to show (default 5)")
    p.add_argument("--max-places", type=_non_negative, default=40,
                   help="re-solve at most this many places, the most valuable first (default 40)")
    p.add_argument("--time-limit", type=float, help="seconds per re-solve (default 10)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    p.set_defaults(run=_fit)

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
    p.set_defaults(run=_recruit)

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
    p.add_argument("--time-limit", type=float, help="seconds (default 10)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    p.set_defaults(run=_replan)

    p = sub.add_parser("stability", help="blocking pairs: instructor and school that prefer "
                                         "each other to what they have")
    _scenario_and_plan(p)
    p.add_argument("--solve-stable", action="store_true",
                   help="also solve for the best plan without blocking pairs among the plans "
                        "of best coverage, and say what that costs")
    p.add_argument("-o", "--output", help="with --solve-stable: write that plan here")
    p.add_argument("--time-limit", type=float, help="seconds per solve (default 10)")
    p.add_argument("--settings", help="settings file (TOML or JSON)")
    p.set_defaults(run=_stability)

    p = sub.add_parser("generate", help="write a realistic synthetic scenario")
    p.add_argument("--instructors", type=_non_negative, required=True)
    p.add_argument("--schools", type=_non_negative, required=True)
    p.add_argument("--cohorts", type=_non_negative, default=0)
    p.add_argument("--groups", type=_non_negative, default=0)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--tight", action="store_true", help="scarce instructors")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(run=_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _stop_on_sigterm()
    try:
        args = build_parser().parse_args(argv)
        run: Callable[[argparse.Namespace], int] = args.run
        code = run(args)
        sys.stdout.flush()   # inside the try: a closed pipe shows here, not at exit
        return code
    except ScenarioError as exc:
        where = f"{exc.source}: " if exc.source else ""
        for problem in exc.problems:
            print(f"{where}{problem}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # the reader went away (`wtmatch explain … | head`): stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # e.g. an output path that cannot be written
        print(f"wtmatch: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except WtmatchError as exc:
        print(f"wtmatch: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM outside a search (loading, building, writing): nothing to keep.
        print("wtmatch: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _stop_on_sigterm() -> None:
    """Make SIGTERM (a scheduler's or container's stop) do what Ctrl-C does.

    A search stops and the best plan so far is written; elsewhere the command
    ends with a one-line note. Only the main thread may set handlers.
    """
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


if __name__ == "__main__":
    sys.exit(main())
