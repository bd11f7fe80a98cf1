r"""Measured nearest-neighbour distances :math:`\mathbb E_x\min_i\|x - x_i\|^2` (theory.md §4, the
:math:`N = \mathrm{poly}(d)` regime): fresh points :math:`x \sim \pi_\star` against a training set.
Each query point is one i.i.d. unit (given the training set), so the SE is :math:`s/\sqrt{n_\text{query}}`.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float

from .estimate import Estimate, estimate

__all__ = ["nearest_squared_distances", "nearest_neighbour_distance"]


def nearest_squared_distances(
    queries: Float[np.ndarray, "Q d"], points: Float[np.ndarray, "N d"], chunk: int = 256
) -> Float[np.ndarray, " Q"]:
    r""":math:`\min_i\|q - x_i\|^2` for each query (chunked over queries; clipped at 0 against rounding)."""
    half_norms = (points**2).sum(1)
    out = np.empty(queries.shape[0])
    for start in range(0, queries.shape[0], chunk):
        q = queries[start : start + chunk]
        squared = (q**2).sum(1)[:, None] - 2 * q @ points.T + half_norms[None, :]
        out[start : start + chunk] = np.maximum(squared.min(axis=1), 0.0)
    return out


def nearest_neighbour_distance(
    queries: Float[np.ndarray, "Q d"], points: Float[np.ndarray, "N d"]
) -> Estimate:
    r""":math:`\mathbb E\min_i\|x - x_i\|^2` over the queries, with its SE."""
    return estimate(nearest_squared_distances(queries, points))
