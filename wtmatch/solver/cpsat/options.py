"""How a CP-SAT search runs: the options a solve hands to every search below it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from wtmatch.settings import Settings


@dataclass(frozen=True)
class CpOptions:
    """What a CP-SAT run takes from the settings, apart from its time.

    Attributes
    ----------
    workers : int
        CP-SAT workers; 0: the solver chooses (:func:`~wtmatch.solver.cpsat.params.workers`).
    seed : int
        CP-SAT's random seed.
    log : bool
        Print CP-SAT's search log to standard error.
    reproducible : bool
        Interleaved search with a deterministic time limit: the same plan bit
        for bit.
    presolve_limit : int
        Above this many variables, presolve is kept short.
    params : mapping of str to any
        CP-SAT parameters by name; they win over everything above.
    """

    workers: int = 0
    seed: int = 0
    log: bool = False
    reproducible: bool = False
    presolve_limit: int = 200_000
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: Settings) -> CpOptions:
        """The options of a solve with ``settings``."""
        return cls(workers=settings.workers, seed=settings.seed, log=settings.log,
                   reproducible=settings.reproducible,
                   presolve_limit=settings.assign_tuning.presolve_limit,
                   params=dict(settings.cpsat))

    def replace(self, **changes: Any) -> CpOptions:
        """A copy with ``changes``."""
        return replace(self, **changes)

    def with_defaults(self, **params: Any) -> CpOptions:
        """A copy with CP-SAT ``params`` added where the user named none of them."""
        return replace(self, params={**params, **self.params})
