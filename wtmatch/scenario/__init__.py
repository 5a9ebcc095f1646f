"""The scenario: pydantic models of DOMAIN.md §3, validation and file I/O."""

from wtmatch.scenario.base import Location
from wtmatch.scenario.io import dumps, from_data, json_schema, load, read_document, save
from wtmatch.scenario.people import Employer, Instructor, Participant, Person, Trainer
from wtmatch.scenario.scenario import Scenario
from wtmatch.scenario.schools import AssignmentRef, Demand, School, TravelOverride
from wtmatch.scenario.settings import ScenarioSettings, Weights
from wtmatch.scenario.time import DAYS, PARTS, DatedSlot, WeeklySlot
from wtmatch.scenario.training import (
    BlockedRange,
    Calendar,
    Cohort,
    Group,
    Programme,
    Session,
    Venue,
)

__all__ = [
    "DAYS",
    "PARTS",
    "AssignmentRef",
    "BlockedRange",
    "Calendar",
    "Cohort",
    "DatedSlot",
    "Demand",
    "Employer",
    "Group",
    "Instructor",
    "Location",
    "Participant",
    "Person",
    "Programme",
    "Scenario",
    "ScenarioSettings",
    "School",
    "Session",
    "Trainer",
    "TravelOverride",
    "Venue",
    "WeeklySlot",
    "Weights",
    "dumps",
    "from_data",
    "json_schema",
    "load",
    "read_document",
    "save",
]
