"""Part B's strategy: the tuned constants of the school year's search.

Each constant says how it was found; the figures are on docs/benchmarks.md
(``python -m benchmarks scale --part sessions``).
"""

from __future__ import annotations

# Above this many items (sessions and meetings), CP-SAT's probing is switched off:
# probing a model of many optional intervals takes minutes of wall time while its
# deterministic-time estimate stays small, and the greedy warm start carries the
# search instead.
NO_PROBING_FROM = 151


def cpsat_params(items: int) -> dict[str, object]:
    """CP-SAT parameters for a model of ``items`` sessions and meetings (the user's win)."""
    return {"cp_model_probing_level": 0} if items >= NO_PROBING_FROM else {}
