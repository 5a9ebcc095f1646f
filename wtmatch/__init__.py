"""wtmatch: plan hybrid instructors, training sessions and network meetings with CP-SAT.

Public API::

    import wtmatch
    scenario = wtmatch.load("examples/twente.json")
    result = wtmatch.solve(scenario, wtmatch.Settings(time_limit=30))
    verdict = wtmatch.verify(scenario, result.plan)
"""

from wtmatch.errors import Problem, ScenarioError, WtmatchError
from wtmatch.generate import generate
from wtmatch.plan import Plan
from wtmatch.scenario import Scenario, from_data, load, save
from wtmatch.settings import Settings
from wtmatch.solve import Result, solve
from wtmatch.verify import Verdict, Violation, verify

__version__ = "0.1.0"

__all__ = [
    "Plan", "Problem", "Result", "Scenario", "ScenarioError", "Settings", "Verdict",
    "Violation", "WtmatchError", "__version__", "from_data", "generate", "load", "save", "solve",
    "verify",
]
