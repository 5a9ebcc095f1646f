"""Part A's strategy: which search for which size, and every tuned constant.

Part A is solved one of three ways, by the number of candidate triples:

* **small** (below :data:`LNS_FROM`): CP-SAT on the full model, from the greedy
  plan; it proves these models optimal in seconds.
* **mid** (:data:`LNS_FROM` … :data:`LNS_UP_TO`): large-neighbourhood search
  from the greedy plan first (with GLOP's LP relaxation beside it between
  :data:`LP_BOUND_FROM` and :data:`LP_BOUND_UP_TO`), then one full CP-SAT search
  from its plan for the bound — unless the LP gave the bound by then.
* **big** (above :data:`LNS_UP_TO`): the full model is not built; the
  neighbourhoods take all the time and the slot bound
  (:mod:`wtmatch.assign.slot_bound`) bounds the plan.

Each constant says how it was found; the figures themselves, with the
commands that reproduce them, are on docs/benchmarks.md.
"""

from __future__ import annotations

import os
from enum import StrEnum

from wtmatch.settings import Settings

# Costs per candidate triple, to plan the time limit (measured by
# ``python -m benchmarks scale --part assign`` from 60 × 40 to 3000 × 2000).
BUILD_US = 15.0      # building the CP-SAT model of part A
LOAD_US = 20.0       # CP-SAT loading it, outside its own time limit
BUNDLE_US = 8.0      # the greedy plan by school bundles
FINISH_US = 4.0      # the plan's rows and reasons, and a last neighbourhood's overrun
#                      (with 3 µs a 10 s limit ended at 11.7 s at 3000 × 2000)
GLOP_US = 600.0      # GLOP solving the LP relaxation

# Size ranges (candidate triples). Below LNS_FROM, CP-SAT alone proves optimality in
# seconds; above LNS_UP_TO the full model needs all the time before CP-SAT reports
# a bound at all, while neighbourhoods keep improving the plan.
LNS_FROM = 3_000
LNS_UP_TO = 50_000
# Where GLOP's LP bound is tried beside the neighbourhoods. Above, GLOP's simplex
# does not finish in the time; below, CP-SAT's full search after the neighbourhoods
# finds better plans than more neighbourhoods would.
LP_BOUND_FROM = 8_000
LP_BOUND_UP_TO = 20_000
# Up to here the warm start is completed into a full hint (copying a larger model
# costs more than the hint gains).
COMPLETE_UP_TO = 200_000

BOUND_S = 8.0              # seconds kept for the full search after the neighbourhoods
BUNDLE_SHARE = 0.3         # the by-school greedy runs when it takes less of the limit
BUILD_SHARE = 0.8          # building + loading above this share: the greedy plan is the answer
SLOT_BOUND_SHARE = 0.1     # big models: the slot bound's share of the time limit …
SLOT_BOUND_STEPS = 2_000   # … and its most subgradient steps (more barely tightens it)
STOP_BOUND_STEPS = 200     # a search stopped before it had a bound: a quick slot bound
COMPLETE_HINT_S = 2.0      # most seconds spent completing the hint …
COMPLETE_HINT_SHARE = 0.1  # … and most share of the time left

# CP-SAT's memory for the full model, per candidate triple: its presolve (the
# same-day travel rows, H8, become many at-most-ones), then each worker's copy
# with its LP (measured at 3000 × 2000 with the process's peak resident size).
PRESOLVE_KB = 6.5
WORKER_KB = 3.5


class Path(StrEnum):
    """The three ways part A is searched."""

    SMALL = "small"
    MID = "mid"
    BIG = "big"


def path_for(candidates: int, settings: Settings) -> Path:
    """Which search a model of ``candidates`` triples gets under ``settings``.

    Reproducible runs never use the neighbourhoods (their plans would depend
    on the clock), nor does ``assign_tuning.lns = False``.
    """
    if not settings.assign_tuning.lns or settings.reproducible:
        return Path.SMALL
    if candidates > LNS_UP_TO:
        return Path.BIG
    return Path.MID if candidates >= LNS_FROM else Path.SMALL


def bundles_pay(candidates: int, seconds: float) -> bool:
    """Whether the by-school greedy plan is worth its time within ``seconds``."""
    return BUNDLE_US * candidates * 1e-6 < BUNDLE_SHARE * seconds


def build_overruns(candidates: int, bundled: bool, seconds: float) -> bool:
    """Whether building and loading the full model would overrun ``seconds``.

    Decided by size, not by the clock, so reproducible runs agree.
    """
    before = (BUILD_US + LOAD_US + (BUNDLE_US if bundled else 0.0)) * candidates * 1e-6
    return before > BUILD_SHARE * seconds


def lp_pays(candidates: int, lns_seconds: float) -> bool:
    """Whether GLOP's LP bound is tried beside neighbourhoods of ``lns_seconds``."""
    return (LP_BOUND_FROM <= candidates <= LP_BOUND_UP_TO
            and GLOP_US * candidates * 1e-6 < 0.9 * lns_seconds)


def search_memory_mb(candidates: int, workers: int) -> float:
    """Memory (MB) CP-SAT's search of part A's full model is expected to take."""
    return candidates * (PRESOLVE_KB + WORKER_KB * workers) / 1024


def memory_cap_mb() -> float | None:
    """Three quarters of the machine's physical memory (MB), or None where it cannot be read."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return None
    return 0.75 * total / 2**20 if total > 0 else None


def size_words(mb: float) -> str:
    """Megabytes as people read them: GB from 1 GB on."""
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB"
