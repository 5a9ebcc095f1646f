"""GAP research: wtmatch's assignment core alone, solved to proven optimality.

The Generalized Assignment Problem is part A's core (:mod:`wtmatch.core`)
with nothing on top, so the literature's instances measure that core
directly. This package holds what only the GAP benchmark uses: the knapsack
bound and its branch and bound (compiled with numba, the ``gap`` extra),
faces, the tree-size estimate and the search that combines them. wtmatch
itself never imports it.
"""

from gapcore.settings import GapSettings

__all__ = ["GapSettings"]
