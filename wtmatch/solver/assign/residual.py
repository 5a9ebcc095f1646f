"""What the fixed rest of a plan leaves to a sub-model (the neighbourhood search)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Residual:
    """What the fixed rest of a plan leaves to a sub-model over some candidates (LNS).

    Attributes
    ----------
    seat_cap : ndarray (D, 10)
        Seats per demand slot still open.
    employer_cap : ndarray (E, 10)
        Instructors each employer may still release per slot.
    continuity_offset : ndarray (D,)
        Distinct fixed instructors already on each demand (S3).
    reached : ndarray (S,) of bool, optional
        Schools with a fixed row (S8 is already paid for them).
    """

    seat_cap: np.ndarray
    employer_cap: np.ndarray
    continuity_offset: np.ndarray
    reached: np.ndarray | None = None
