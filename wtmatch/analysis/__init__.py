"""Decision support around a plan: explain it, place a newcomer, advise whom to recruit,
re-plan with least change, and show its stability (blocking pairs).

Each analysis has a ``wtmatch`` command: ``explain``, ``fit``, ``recruit``,
``upskill``, ``replan``, ``stability``, ``cover``, ``compare``.
"""

from wtmatch.analysis.compare import Comparison, Option, compare
from wtmatch.analysis.cover import Cover, SeatCover, StandIn, backup_depth, cover
from wtmatch.analysis.explain import (
    DemandExplanation,
    InstructorExplanation,
    explain_demand,
    explain_instructor,
)
from wtmatch.analysis.fit import Fit, FitAdvice, recommend_fit
from wtmatch.analysis.recruit import CurvePoint, Profile, RecruitAdvice, recruit
from wtmatch.analysis.replan import Change, Replan, replan
from wtmatch.analysis.stability import BlockingPair, Stability, StablePlan, stability, stable_plan
from wtmatch.analysis.upskill import Training, UpskillAdvice, upskill

__all__ = [
    "BlockingPair",
    "Change",
    "Comparison",
    "Cover",
    "CurvePoint",
    "DemandExplanation",
    "Fit",
    "FitAdvice",
    "InstructorExplanation",
    "Option",
    "Profile",
    "RecruitAdvice",
    "Replan",
    "SeatCover",
    "Stability",
    "StablePlan",
    "StandIn",
    "Training",
    "UpskillAdvice",
    "backup_depth",
    "compare",
    "cover",
    "explain_demand",
    "explain_instructor",
    "recommend_fit",
    "recruit",
    "replan",
    "stability",
    "stable_plan",
    "upskill",
]
