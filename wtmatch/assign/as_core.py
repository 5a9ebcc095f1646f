"""Part A's candidates seen as the assignment core (:mod:`wtmatch.core`).

Agents are instructors (capacity: their dayparts, H4), tasks are demand
slots (seats: instructors needed, H12), pairs are candidate triples, each
worth its S1 + S4 value and using one daypart. Everything else part A asks
(H3, H7–H11, S2, S3, S5–S7) is added on top by the solver's model.
"""

from __future__ import annotations

import numpy as np

from wtmatch.assign.candidates import MODE_HARD, Candidates
from wtmatch.core import AssignmentCore

SLOTS = 10


def assignment_core(cands: Candidates, seat_cap: np.ndarray | None = None) -> AssignmentCore:
    """The core of part A over ``cands``.

    Parameters
    ----------
    seat_cap : ndarray (D, 10), optional
        Seats still open per demand slot (for sub-models); default: instructors needed.

    Notes
    -----
    Hard-continuity demands fill all their slots or none (H11, added on top),
    so their tasks get as many seats as they have candidates: the core adds no
    row for them.
    """
    pool = cands.pool
    n_dem = len(pool.demand_ids)
    seats = (np.repeat(pool.d_needed[:, None], SLOTS, axis=1) if seat_cap is None
             else np.asarray(seat_cap)).astype(np.int64).reshape(-1).copy()
    task = cands.d * SLOTS + cands.t
    hard = pool.d_mode[cands.d] == MODE_HARD
    if hard.any():
        count = np.bincount(task, minlength=n_dem * SLOTS)
        hard_tasks = np.unique(task[hard])
        seats[hard_tasks] = np.maximum(seats[hard_tasks], count[hard_tasks])
    return AssignmentCore(capacity=pool.capacity, seats=seats, agent=cands.i, task=task,
                          value=cands.value, use=np.ones(len(cands), dtype=np.int64))
