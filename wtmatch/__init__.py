"""wtmatch: plan hybrid instructors, training sessions and network meetings with CP-SAT.

Public API::

    import wtmatch
    scenario = wtmatch.load("examples/twente.json")
    result = wtmatch.solve(scenario, wtmatch.Settings(time_limit=30))
    verdict = wtmatch.verify(scenario, result.plan)
"""

try:
    from wtmatch.errors import Problem, ScenarioError, WtmatchError
    from wtmatch.generate import generate
    from wtmatch.plan import Plan
    from wtmatch.progress import Progress
    from wtmatch.result import Result, Status
    from wtmatch.scenario import Scenario, from_data, load, save
    from wtmatch.settings import AssignTuning, SessionsTuning, Settings
    from wtmatch.solve import solve
    from wtmatch.verify import Verdict, Violation, verify
except KeyboardInterrupt:
    # Ctrl-C while the command starts (importing OR-Tools takes a moment): end as the
    # command ends on any stop, with one line and exit 130, not a traceback.
    import sys

    print("wtmatch: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

__version__ = "0.1.0"

__all__ = [
    "AssignTuning", "Plan", "Problem", "Progress", "Result", "Scenario", "ScenarioError",
    "SessionsTuning", "Settings", "Status", "Verdict", "Violation", "WtmatchError", "__version__",
    "from_data", "generate", "load", "save", "solve", "verify",
]
