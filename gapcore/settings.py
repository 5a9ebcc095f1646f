"""Settings of the GAP research solver: wtmatch's CP-SAT options plus the research switches."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wtmatch.budget import Budget
from wtmatch.solver.cpsat.lanes import lanes_for
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.params import lp_portfolio


class GapSettings(BaseModel):
    """How :func:`gapcore.search.solve_core` searches.

    Attributes
    ----------
    time_limit, workers, seed, log, reproducible, presolve_limit, cpsat
        As in :class:`wtmatch.Settings`.
    hint : bool
        Start from the constructed plan (and give it to CP-SAT).
    lns : bool
        Neighbourhoods of a few agents above 6,000 pairs; below, when the
        knapsack bound leaves the plan unproven, the kernel (each task's best
        pairs by the knapsack prices) first.
    lns_share : float
        Share of the time limit the neighbourhoods may take.
    lp_guide : bool
        Solve the LP relaxation (GLOP) beside the neighbourhoods and give one
        round to the pairs it uses.
    knapsack_bound : bool
        Price the tasks and solve every agent's knapsack exactly, for a bound
        tighter than the LP's and exact reduced-cost fixing of pairs.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit: float = Field(default=10.0, gt=0)
    workers: int = Field(default=0, ge=0)
    seed: int = Field(default=0, ge=0)
    log: bool = False
    reproducible: bool = False
    presolve_limit: int = Field(default=200_000, ge=0)
    cpsat: dict[str, Any] = Field(default_factory=dict)
    hint: bool = True
    lns: bool = True
    lns_share: float = Field(default=0.7, ge=0, lt=1)
    lp_guide: bool = True
    knapsack_bound: bool = True

    def options(self) -> CpOptions:
        """The CP-SAT options of these settings."""
        return CpOptions(workers=self.workers, seed=self.seed, log=self.log,
                         reproducible=self.reproducible, presolve_limit=self.presolve_limit,
                         params=dict(self.cpsat))

    def budget(self) -> Budget:
        """A budget of ``time_limit`` from now."""
        return Budget.start(self.time_limit, self.reproducible)

    def lanes(self) -> int:
        """Neighbourhoods solved at once."""
        return lanes_for(self.options())

    def lp_portfolio(self, **kwargs: Any) -> GapSettings:
        """These settings with the LP subsolvers (see :func:`wtmatch.solver.cpsat.params.lp_portfolio`)."""
        options = lp_portfolio(self.options(), **kwargs)
        return self.model_copy(update={"workers": options.workers, "cpsat": dict(options.params)})
