"""The part A objective (S1–S9) of a selection of candidate triples, with numpy.

With periods (DOMAIN.md §8) the candidates are rows of per-period copies
(:mod:`wtmatch.assign.unfold`): S1–S6 and S8 count ``weeks(p)`` times, S7
once per row, and S9 compares a demand's instructors in consecutive periods.

The solver reports the objective of its plan through this module, term by
term; :mod:`wtmatch.verify` recomputes it independently from the plan.
"""

from __future__ import annotations

import numpy as np

from wtmatch.assign.candidates import MODE_SOFT, Candidates


def assign_terms(cands: Candidates, chosen: np.ndarray) -> dict[str, int]:
    """S1 … S9 of the plan made of the candidate triples at positions ``chosen``.

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

    s1 = int(w.coverage * (pool.d_priority[d] * pool.d_weeks[d]).sum())
    s4 = int(w.preference * (pool.pref[i, s] * pool.d_weeks[d]).sum())
    visits = np.unique(np.stack([i, s, t // 2]), axis=1) if len(i) else np.zeros((3, 0), int)
    s2 = -int(w.travel_km * (pool.km[visits[0], visits[1]] * pool.i_weeks[visits[0]]).sum())

    pairs = np.unique(np.stack([i, d]), axis=1) if len(i) else np.zeros((2, 0), int)
    per_demand = np.bincount(pairs[1], minlength=len(pool.demand_ids))
    soft = pool.d_mode == MODE_SOFT
    s3 = -int(w.continuity * (np.maximum(0, per_demand - pool.d_needed)
                              * pool.d_weeks)[soft].sum())

    slots = np.unique(np.stack([i, t]), axis=1) if len(i) else np.zeros((2, 0), int)
    used = np.bincount(slots[0], minlength=n_ins)
    s5 = -int(w.underuse * (np.maximum(0, pool.min_dayparts - used) * pool.i_weeks).sum())
    schools = np.unique(np.stack([i, s]), axis=1) if len(i) else np.zeros((2, 0), int)
    n_schools = np.bincount(schools[0], minlength=n_ins)
    s6 = -int(w.fragmentation * (np.maximum(0, n_schools - 1) * pool.i_weeks).sum())
    reached = np.zeros(len(pool.school_ids), dtype=bool)
    reached[s] = True
    s8 = int(w.reach * (pool.s_reach * pool.s_weeks)[reached].sum())
    s9 = -int(w.handover * new_faces(pool, pairs[1], pool.i_person[pairs[0]]))

    present = set(chosen.tolist())
    kept = sum(1 for r in pool.scenario.previous_plan
               if (c := cands.find(r.instructor, r.demand, r.slot)) is not None and c in present)
    s7 = -int(w.change * (len(pool.scenario.previous_plan) - kept))
    terms = {"S1": s1, "S2": s2, "S3": s3, "S4": s4, "S5": s5, "S6": s6, "S7": s7}
    if pool.scenario.period_copies is not None or w.reach:
        terms["S8"] = s8
    if pool.scenario.period_copies is not None:
        terms["S9"] = s9
    return terms


def new_faces(pool, demand: np.ndarray, person: np.ndarray) -> int:
    """S9's count: Σ |I(d,q) − I(d,p)| over handover pairs whose two demand copies have rows.

    ``demand`` and ``person`` list the distinct (demand copy, person) pairs of a plan.
    """
    if len(pool.handover) == 0 or len(demand) == 0:
        return 0
    has = np.zeros(len(pool.demand_ids), dtype=bool)
    has[demand] = True
    pairs = pool.handover[has[pool.handover[:, 0]] & has[pool.handover[:, 1]]]
    if len(pairs) == 0:
        return 0
    n_people = int(person.max()) + 1
    there = set((demand * n_people + person).tolist())
    # each pair (p, q): the people on q who were not on p
    by_q: dict[int, list[int]] = {}
    for d, who in zip(demand.tolist(), person.tolist(), strict=True):
        by_q.setdefault(d, []).append(who)
    return sum(1 for dp, dq in pairs.tolist() for who in by_q[dq]
               if dp * n_people + who not in there)
