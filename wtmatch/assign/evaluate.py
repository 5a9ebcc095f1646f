"""The part A objective (S1–S7) of a selection of candidate triples, with numpy.

The solver reports the objective of its plan through this module, term by
term; :mod:`wtmatch.verify` recomputes it independently from the plan.
"""

from __future__ import annotations

import numpy as np

from wtmatch.assign.candidates import MODE_SOFT, Candidates


def assign_terms(cands: Candidates, chosen: np.ndarray) -> dict[str, int]:
    """S1 … S7 of the plan made of the candidate triples at positions ``chosen``.

    Parameters
    ----------
    cands : Candidates
    chosen : ndarray of int
        Positions into ``cands``; each (instructor, demand, slot) once.

    Returns
    -------
    dict of str to int
        Each term signed as it enters the maximised objective.
    """
    pool = cands.pool
    w = pool.scenario.settings.weights
    chosen = np.asarray(chosen, dtype=np.int64)
    i, d, t, s = cands.i[chosen], cands.d[chosen], cands.t[chosen], cands.s[chosen]
    n_ins = len(pool.instructor_ids)

    s1 = int(w.coverage * pool.d_priority[d].sum())
    s4 = int(w.preference * pool.pref[i, s].sum())
    visits = np.unique(np.stack([i, s, t // 2]), axis=1) if len(i) else np.zeros((3, 0), int)
    s2 = -int(w.travel_km * pool.km[visits[0], visits[1]].sum())

    pairs = np.unique(np.stack([i, d]), axis=1) if len(i) else np.zeros((2, 0), int)
    per_demand = np.bincount(pairs[1], minlength=len(pool.demand_ids))
    soft = pool.d_mode == MODE_SOFT
    s3 = -int(w.continuity * np.maximum(0, per_demand - pool.d_needed)[soft].sum())

    slots = np.unique(np.stack([i, t]), axis=1) if len(i) else np.zeros((2, 0), int)
    used = np.bincount(slots[0], minlength=n_ins)
    s5 = -int(w.underuse * np.maximum(0, pool.min_dayparts - used).sum())
    schools = np.unique(np.stack([i, s]), axis=1) if len(i) else np.zeros((2, 0), int)
    n_schools = np.bincount(schools[0], minlength=n_ins)
    s6 = -int(w.fragmentation * np.maximum(0, n_schools - 1).sum())

    present = set(chosen.tolist())
    kept = sum(1 for r in pool.scenario.previous_plan
               if (c := cands.find(r.instructor, r.demand, r.slot)) is not None and c in present)
    s7 = -int(w.change * (len(pool.scenario.previous_plan) - kept))
    return {"S1": s1, "S2": s2, "S3": s3, "S4": s4, "S5": s5, "S6": s6, "S7": s7}
