"""The ``wtmatch`` verbs: each loads its inputs, calls the library, writes and says what it did."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from wtmatch.cli.codes import EXIT_FAIL, EXIT_INTERRUPTED, EXIT_NO_SOLUTION, EXIT_OK
from wtmatch.errors import WtmatchError
from wtmatch.files import atomic_path, write_text
from wtmatch.generate import generate
from wtmatch.plan import Plan
from wtmatch.scenario import dumps, json_schema, load
from wtmatch.verify import verify


def _validate(args: argparse.Namespace) -> int:
    from wtmatch.scenario import Scenario, read_document
    from wtmatch.scenario.extras import near_miss_names, unknown_fields

    scenario = load(args.scenario)
    doc = read_document(args.scenario)
    for note in [*unknown_fields(doc, Scenario)[1], *near_miss_names(doc)]:
        print(f"{args.scenario}: note: {note}", file=sys.stderr)
    print(f"{args.scenario}: valid")
    print(scenario.describe())
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    scenario = load(args.scenario)
    plan = _plan_of(args, scenario)
    verdict = verify(scenario, plan, force=True)
    unused = plan.unused_fields()
    if unused:
        shown = ", ".join(unused[:8]) + (f" and {len(unused) - 8} more" if len(unused) > 8 else "")
        print(f"note: not used by the check ({len(unused)}): {shown}", file=sys.stderr)
    if plan.objective is None and plan.status in ("infeasible", "unknown"):
        # The plan's status is not a verdict on rules: it says there is nothing to check.
        why = next((r.message for seat in plan.uncovered for r in seat.reasons), "")
        print(f"the plan holds no solution (status {plan.status})" + (f": {why}" if why else ""),
              file=sys.stderr)
        if not verdict.feasible:
            print(verdict.summary(), file=sys.stderr)
        return EXIT_NO_SOLUTION
    print(verdict.summary(), file=sys.stdout if verdict.ok else sys.stderr)
    return EXIT_OK if verdict.ok else EXIT_FAIL


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    scenario = generate(args.instructors, args.schools, args.cohorts, args.groups, args.seed,
                        args.tight, periods=args.periods, reach=args.reach)
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
            print(summary(result.scenario, result.plan))
            print(f"\nplan written to {args.output}")
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
    plan = _plan_of(args, scenario)
    print(summary(scenario, plan))
    return EXIT_OK


def _ics(args: argparse.Namespace) -> int:
    from wtmatch.report.ics import write_ics

    scenario = load(args.scenario)
    plan = _plan_of(args, scenario)
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
    scenario = load(args.scenario)
    path = writer(scenario, _plan_of(args, scenario), args.output)
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

    scenario = load(args.scenario)
    plan = _plan_of(args, scenario)
    demands = args.demand or ([] if args.instructor else
                              sorted({u.demand for u in plan.uncovered}))
    if scenario.periods:
        # each period the demand runs in (or the instructor is released in), or the one named
        named = [args.period] if args.period else [p.id for p in scenario.periods]
        open_in = {(u.demand, u.period) for u in plan.uncovered}
        for d in demands:
            dem = scenario.demand_by_id.get(d)
            for p in named if dem is None else [p for p in named if dem.runs(p)]:
                if args.demand or (d, p) in open_in:
                    print(explain_demand(scenario, plan, d, period=p))
        for i in args.instructor or []:
            ins = scenario.instructor_by_id.get(i)
            for p in named if ins is None else [p for p in named if ins.released(p)]:
                print(explain_instructor(scenario, plan, i, period=p))
        return EXIT_OK
    view = PlanView.of(scenario, plan)
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
    plan = _plan_of(args, scenario) if args.plan else None
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


def _upskill(args: argparse.Namespace) -> int:
    from wtmatch.analysis import upskill
    from wtmatch.scenario import from_data

    scenario = load(args.scenario)
    plan = _plan_of(args, scenario) if args.plan else None
    advice = upskill(scenario, plan, args.k, settings=_analysis_settings(args),
                     teach_from=args.teach_from)
    print(advice)
    if args.as_cohorts:
        if scenario.calendar is None:
            raise WtmatchError("--as-cohorts: the scenario needs a calendar to schedule cohorts")
        data = scenario.model_dump(mode="json", by_alias=True)
        data["cohorts"] = [*data.get("cohorts", []), *advice.as_cohorts(scenario)]
        write_text(args.as_cohorts, dumps(from_data(data, source="with the trainings")))
        print(f"wrote {args.as_cohorts}", file=sys.stderr)
    return EXIT_OK


def _sweep(args: argparse.Namespace) -> int:
    from wtmatch.sweep import load_grid, sweep

    grid = load_grid(args.grid)
    frame = sweep(grid, scheduler=args.scheduler, out=args.output, n_workers=args.workers or None,
                  parquet=args.parquet, progress=not args.quiet)
    failed = int((frame["status"] == "error").sum()) if "status" in frame else 0
    name = "sweep.parquet" if args.parquet else "sweep.csv"
    print(f"{len(frame)} runs, {failed} failed; table {Path(args.output) / name}, "
          f"plot {Path(args.output) / 'sweep.png'}")
    return EXIT_OK if failed == 0 else EXIT_FAIL


def _front(args: argparse.Namespace) -> int:
    from wtmatch.analysis.front import front, write_front

    scenario = load(args.scenario)
    result = front(scenario, args.x, args.y, points=args.points,
                   settings=_analysis_settings(args), scheduler=args.scheduler)
    print(result)
    write_front(result, scenario, args.output)
    print(f"wrote {Path(args.output) / 'front.png'}, front.csv and {len(result.points)} plans",
          file=sys.stderr)
    return EXIT_OK


def _iso_date(text: str, flag: str) -> dt.date:
    """The date an option gives, or a one-line error naming the option."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise WtmatchError(f"{flag} {text!r} is not a date (like 2027-01-04)") from None


def _replan(args: argparse.Namespace) -> int:
    from wtmatch.analysis import replan
    from wtmatch.scenario import read_document

    scenario = load(args.scenario)
    plan = _plan_of(args, scenario)
    start = _iso_date(args.from_date, "--from") if args.from_date else None
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
    scenario_out = args.scenario_out or (
        str(Path(args.output).with_suffix("")) + ".scenario.json" if args.output else None)
    if scenario_out:
        # the scenario solved (the old plan as previous_plan, the leavers without slots):
        # `wtmatch check SCENARIO_OUT PLAN` checks the new plan against it
        write_text(scenario_out, dumps(out.scenario))
        print(f"scenario solved written to {scenario_out}", file=sys.stderr)
    if args.output:
        write_text(args.output, out.plan.dumps())
        print(f"plan written to {args.output}", file=sys.stderr)
    return EXIT_OK if out.result.status in ("optimal", "feasible") else EXIT_FAIL


def _compare(args: argparse.Namespace) -> int:
    from wtmatch.analysis import Option, compare
    from wtmatch.report.compare_html import write_comparison
    from wtmatch.verify import check_scenario

    files = args.pairs
    if len(files) < 4 or len(files) % 2:
        raise WtmatchError("compare takes pairs: SCENARIO PLAN SCENARIO PLAN [...]")
    options = []
    for k in range(0, len(files), 2):
        scenario, plan = load(files[k]), Plan.load(files[k + 1])
        check_scenario(scenario, plan, args.force)
        label = Path(files[k + 1]).stem
        if label in {o.label for o in options}:
            label = f"{label}-{k // 2 + 1}"
        options.append(Option(label, scenario, plan))
    comparison = compare(options)
    print(comparison)
    if args.output:
        path = write_comparison(comparison, args.output)
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


def _cover(args: argparse.Namespace) -> int:
    from wtmatch.analysis import cover

    scenario = load(args.scenario)
    plan = _plan_of(args, scenario)
    on = _iso_date(args.on, "--on")
    print(cover(scenario, plan, args.absent, on, top=args.top))
    return EXIT_OK


def _stability(args: argparse.Namespace) -> int:
    from wtmatch.analysis import stability
    from wtmatch.analysis.stability import stable_plan

    scenario = load(args.scenario)
    print(stability(scenario, _plan_of(args, scenario)))
    if args.solve_stable:
        found = stable_plan(scenario, _analysis_settings(args))
        print(found)
        if args.output and found.plan is not None:
            write_text(args.output, found.plan.dumps())
            print(f"plan written to {args.output}", file=sys.stderr)
    return EXIT_OK


def _plan_of(args: argparse.Namespace, scenario) -> Plan:
    """The plan file of ``args``; one of another scenario is refused unless ``--force``."""
    from wtmatch.verify import check_scenario

    plan = Plan.load(args.plan)
    check_scenario(scenario, plan, getattr(args, "force", False))
    return plan
