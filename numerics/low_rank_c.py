r"""The coefficient :math:`C_r` of the low-rank analogue of Theorem 3.2, and the crossover it
predicts (docs/theory.md §7; ours).

1-sparse regime: a non-memorized training point :math:`x_j = \sqrt\lambda\, z_j\otimes\hat t_k` of
class :math:`k` is denoised to its nearest memorized point. Given :math:`x_j \notin S`, the
memorized set is a uniform :math:`M`-subset of the other i.i.d. training points, so its points are
:math:`M` i.i.d. draws of the model and

.. math::
    \mathbb E\min_{i\in S}\frac{\|x_j - x_i\|^2}{\lambda}
    = \mathbb E_{k, q}\int_0^\infty\Big(\frac1K\sum_l S_{kl}(x; q)\Big)^M dx,
    \qquad q = \|z_j\|^2 \sim \chi^2_r,

exactly (no independence approximation). With :math:`c_{kl} = \hat t_k\cdot\hat t_l`, the squared
distance to a random point :math:`z_i\otimes\hat t_l` is
:math:`\|z_i - c_{kl} z_j\|^2 + (1 - c_{kl}^2)q`: a noncentral :math:`\chi^2_r(c_{kl}^2 q)` shifted
by :math:`(1 - c_{kl}^2)q`, whose survival function is :math:`S_{kl}` (the same class:
:math:`c_{kk} = 1`). Then :math:`C_r = \mathbb E\min/r`. Outer expectation: generalized
Gauss–Laguerre quadrature; inner integral: Simpson on a fine grid.

The crossover is the fixed point :math:`M/N = 1 - f/C_r(M)` (:mod:`theory.low_rank`), with
:math:`f` the weighted mean of :math:`1/(1 + \psi_t\lambda)`: the right side falls and the left
rises with :math:`M`, so the root is found by bisection over integer :math:`M`, then interpolated.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from jaxtyping import Float
from scipy import integrate, special, stats

from memlab.theory.errors import InvalidInput

__all__ = [
    "template_cosines",
    "cosine_key",
    "colour_norm_quadrature",
    "low_rank_C",
    "low_rank_crossover",
]


def template_cosines(templates: Float[np.ndarray, "K p"]) -> Float[np.ndarray, "K K"]:
    """:math:`\\hat t_k\\cdot\\hat t_l`."""
    unit = templates / np.sqrt((templates**2).sum(1, keepdims=True))
    return np.clip(unit @ unit.T, -1.0, 1.0)


def _survival(x: np.ndarray, q: np.ndarray, cosine: float, rank: int) -> np.ndarray:
    """:math:`P(\\|z_i - c z_j\\|^2 + (1 - c^2)q > x)` for each q (rows) and x (columns)."""
    c2 = min(cosine**2, 1.0)
    shifted = x[None, :] - (1.0 - c2) * q[:, None]
    noncentrality = c2 * q[:, None]
    if c2 == 0.0:
        return stats.chi2.sf(shifted, rank)
    return stats.ncx2.sf(shifted, rank, noncentrality)


def cosine_key(templates: Float[np.ndarray, "K p"]) -> tuple:
    """The template cosines, rounded, as a hashable key for the cached quadratures."""
    cosines = template_cosines(np.asarray(templates, np.float64))
    return tuple(map(tuple, np.round(cosines, 12)))


def colour_norm_quadrature(rank: int, nodes: int) -> tuple[np.ndarray, np.ndarray, float]:
    r"""Nodes and weights of :math:`q = \|z\|^2 \sim \chi^2_r` (generalized Gauss–Laguerre,
    negligible weights dropped), and a distance beyond which the shifted noncentral
    :math:`\chi^2_r` of a pair has no mass at any node."""
    u, w = special.roots_genlaguerre(nodes, rank / 2 - 1)
    q, weight = 2.0 * u, w / w.sum()
    keep = weight > 1e-18
    q, weight = q[keep], weight[keep] / weight[keep].sum()
    upper = 2 * q.max() + rank + 40.0 * np.sqrt(2.0 * (rank + 2.0 * q.max())) + 50.0
    return q, weight, upper


@lru_cache(maxsize=256)
def _C(cosines: tuple, M: int, rank: int, nodes: int, grid_points: int) -> float:
    cosines = np.array(cosines)
    K = cosines.shape[0]
    q, weight, upper = colour_norm_quadrature(rank, nodes)
    x = np.linspace(0.0, upper, grid_points)
    pair = {}  # the survival functions depend on the pair only through |c_kl|
    expected = 0.0
    for k in range(K):
        mixture = np.zeros((q.size, x.size))
        for l in range(K):
            key = round(abs(float(cosines[k, l])), 12)
            if key not in pair:
                pair[key] = _survival(x, q, key, rank)
            mixture += pair[key] / K
        expected += float(weight @ integrate.simpson(mixture**M, x=x, axis=-1)) / K
    return expected / rank


def low_rank_C(
    templates: Float[np.ndarray, "K p"],
    M: int,
    rank: int = 3,
    nodes: int = 48,
    grid_points: int = 3001,
) -> float:
    r""":math:`C_r(M)` for these templates (flattened) and ``M`` memorized points."""
    if not isinstance(M, (int, np.integer)) or M < 1:
        raise InvalidInput("M", M, "an integer >= 1")
    return _C(cosine_key(templates), int(M), rank, nodes, grid_points)


def low_rank_crossover(
    templates: Float[np.ndarray, "K p"], N: int, fraction: float, rank: int = 3
) -> tuple[float, float]:
    r"""The fixed point :math:`M^\star/N` of :math:`M/N = 1 - f/C_r(M)` (``fraction`` is
    :math:`f`) and :math:`C_r` there; :math:`M^\star/N = 0` when even :math:`M = 1` costs less
    than generalizing."""

    def gap(M: int) -> float:
        return 1.0 - fraction / low_rank_C(templates, M, rank) - M / N

    low, high = 1, N
    if gap(low) <= 0:
        return 0.0, low_rank_C(templates, 1, rank)
    while high - low > 1:  # gap(low) > 0 >= gap(high): gap(N) = -f/C < 0
        middle = (low + high) // 2
        low, high = (middle, high) if gap(middle) > 0 else (low, middle)
    g_low, g_high = gap(low), gap(high)
    root = low + g_low / (g_low - g_high)
    C_low, C_high = low_rank_C(templates, low, rank), low_rank_C(templates, high, rank)
    return root / N, C_low + (root - low) * (C_high - C_low)
