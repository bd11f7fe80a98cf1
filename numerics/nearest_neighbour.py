r"""Measured nearest-neighbour distances :math:`\mathbb E_x\min_i\|x - x_i\|^2`
(docs/theory.md §4, the :math:`N = \mathrm{poly}(d)` regime): fresh points :math:`x \sim \pi_\star`
against a training set. Each query point is one i.i.d. unit (given the training set), so the SE is
:math:`s/\sqrt{n_\text{query}}`.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float
from scipy.spatial import cKDTree

from .estimate import Estimate, estimate

__all__ = ["nearest_squared_distances", "measured_nearest_neighbour_distance", "squared_distances"]


def squared_distances(
    a: Float[np.ndarray, "A d"], b: Float[np.ndarray, "B d"]
) -> Float[np.ndarray, "A B"]:
    r""":math:`\|a_i - b_j\|^2 = \|a_i\|^2 - 2\,a_i\cdot b_j + \|b_j\|^2`, clipped at 0 against
    rounding."""
    return np.maximum((a**2).sum(1)[:, None] - 2 * a @ b.T + (b**2).sum(1)[None, :], 0.0)


KD_TREE_MAX_D = 8
"""Up to this dimension the nearest point is found with a k-d tree (exact, and ~10^3 times faster
than the brute force at d ≤ 6, n = 10^5: the degenerate regime's sizes); above it a tree visits most
leaves and the chunked brute force is as fast."""


def nearest_squared_distances(
    queries: Float[np.ndarray, "Q d"], points: Float[np.ndarray, "N d"], chunk: int = 256
) -> Float[np.ndarray, " Q"]:
    r""":math:`\min_i\|q - x_i\|^2` for each query: at :math:`d \le` :data:`KD_TREE_MAX_D` the
    k-d tree's nearest point, its squared distance computed directly; above, the brute force
    (chunked over queries; clipped at 0 against rounding)."""
    if queries.shape[1] <= KD_TREE_MAX_D:
        _, nearest = cKDTree(points).query(queries)
        return ((queries - points[nearest]) ** 2).sum(1)
    out = np.empty(queries.shape[0])
    for start in range(0, queries.shape[0], chunk):
        out[start : start + chunk] = squared_distances(queries[start : start + chunk], points).min(
            axis=1
        )
    return out


def measured_nearest_neighbour_distance(
    queries: Float[np.ndarray, "Q d"], points: Float[np.ndarray, "N d"]
) -> Estimate:
    r""":math:`\mathbb E\min_i\|x - x_i\|^2` over the queries, with its SE."""
    return estimate(nearest_squared_distances(queries, points))
