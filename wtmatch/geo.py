"""Distances between located things (DOMAIN.md §3, "Distance").

Shared by the solver and the independent checker: both must use the very
same integer kilometres, so this is the one place they are defined.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km, ``2R·asin(√h)`` with R = 6371.0 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def haversine_matrix_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise great-circle distances (float km) between rows of (lat, lon).

    Trigonometry is done once per row and column; the matrix itself takes
    only products, a square root and an arcsine. Results agree with
    :func:`haversine_km` to about 1e-12 km.

    Parameters
    ----------
    a : ndarray of shape (n, 2)
    b : ndarray of shape (m, 2)

    Returns
    -------
    ndarray of shape (n, m)
    """
    pa, la = np.radians(a[:, 0]) / 2, np.radians(a[:, 1]) / 2
    pb, lb = np.radians(b[:, 0]) / 2, np.radians(b[:, 1]) / 2
    # In place: on big matrices, touching fresh memory costs more than the maths.
    # sin((x - y)/2) = sin(x/2)cos(y/2) - cos(x/2)sin(y/2)
    h = np.multiply.outer(np.sin(pa), np.cos(pb))
    h -= np.multiply.outer(np.cos(pa), np.sin(pb))
    h *= h
    t = np.multiply.outer(np.sin(la), np.cos(lb))
    t -= np.multiply.outer(np.cos(la), np.sin(lb))
    t *= t
    t *= np.cos(2 * pa)[:, None]
    t *= np.cos(2 * pb)[None, :]
    h += t
    np.clip(h, 0.0, 1.0, out=h)
    np.sqrt(h, out=h)
    np.arcsin(h, out=h)
    h *= 2 * EARTH_RADIUS_KM
    return h


def round_km(distance: float) -> int:
    """The integer km that enters constraints and the objective: Python ``round``."""
    return round(distance)


class Distances:
    """Integer km between located things, honouring ``travel_km`` overrides.

    A person may carry the same id under several roles with different
    locations, so callers pass both the ids (to look up overrides) and the
    locations (for the great-circle distance).

    Parameters
    ----------
    overrides : iterable of (from, to, km)
        Explicit distances between ids; they apply in either direction.
    """

    def __init__(self, overrides: Iterable[tuple[str, str, float]] = ()) -> None:
        self._over: dict[tuple[str, str], float] = {}
        for a, b, km in overrides:
            self._over[(a, b)] = km
            self._over[(b, a)] = km

    def override(self, a: str, b: str) -> float | None:
        """The explicit distance between ids ``a`` and ``b``, if one is given."""
        return self._over.get((a, b))

    def km(
        self,
        a: str,
        a_loc: tuple[float, float] | None,
        b: str,
        b_loc: tuple[float, float] | None,
    ) -> int:
        """Integer km between ``a`` at ``a_loc`` and ``b`` at ``b_loc``.

        An override for the pair wins; otherwise a missing location gives 0.
        """
        over = self._over.get((a, b))
        if over is not None:
            return round_km(over)
        if a_loc is None or b_loc is None:
            return 0
        return round_km(haversine_km(a_loc[0], a_loc[1], b_loc[0], b_loc[1]))
