r"""A sharper prediction of the coefficient :math:`C` of Theorem 3.2 (ours; docs/theory.md §4).

1-sparse regime (low noise: the softmax of :math:`D_{\text{pmem},M}` picks the nearest memorized
point). A non-memorized training point :math:`x_j = \mu_k + \sigma_\star z_j` is denoised to the
nearest of the :math:`m` memorized points of its cluster, :math:`m \sim \mathrm{Binomial}(M, 1/K)`
(the memorized points are :math:`M` i.i.d. draws of :math:`\pi_\star` independent of :math:`x_j`).
Given :math:`z_j`, the squared distances :math:`\|x_j - x_i\|^2/\sigma_\star^2` are i.i.d.
noncentral :math:`\chi^2_d(\lambda)` with :math:`\lambda = \|z_j\|^2 \sim \chi^2_d`; the expected
minimum of :math:`m` of them is the order-statistic integral
:math:`\int_0^\infty (1 - F_\lambda(x))^m\,dx`. An empty cluster (:math:`m = 0`) sends :math:`x_j`
to the nearest of the :math:`M` memorized points of other clusters, at noncentrality
:math:`\lambda + \gamma^2/\sigma_\star^2` (:math:`\gamma^2 \approx 2d`). So

.. math::
    C_\text{sharp} = \frac1d\,\mathbb E_{\lambda\sim\chi^2_d}\Big[
      \sum_{m\ge1} \binom Mm K^{-m}(1-\tfrac1K)^{M-m}\!\int_0^\infty (1-F_{d,\lambda})^m
      + (1-\tfrac1K)^M\!\int_0^\infty (1-F_{d,\lambda+\gamma^2/\sigma_\star^2})^M\Big].

Variants reported for comparison: without the conditioning (distances :math:`2\chi^2_d`, as if
independent), and without empty clusters (:math:`m \ge 1` renormalised). The dense limit (weights
flat within the cluster) is :math:`C_\text{dense} = 1 + K/M`. The outer expectation is generalized
Gauss–Laguerre quadrature, the inner integral Simpson on a fine grid
(the integrals for every :math:`m` tabulated once per dimension and variance, so the model sizes of
a grid cost one table); :func:`order_statistic_mean`
evaluates single terms with scipy ``quad`` or mpmath (at a chosen precision) to cross-check it.
"""

from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import numpy as np
from jaxtyping import Float
from scipy import integrate, special, stats

from memlab.theory.errors import InvalidInput

__all__ = ["order_statistic_mean", "sharp_C", "dense_C"]


def _upper_limit(d: int, noncentrality: float) -> float:
    # Mean d + λ, variance 2(d + 2λ): beyond 40 standard deviations the survival function is <
    # 1e-300.
    return d + noncentrality + 40.0 * math.sqrt(2.0 * (d + 2.0 * noncentrality)) + 50.0


def _mp_noncentral_chi2_sf(x: mpmath.mpf, d: int, noncentrality: mpmath.mpf) -> mpmath.mpf:
    """Survival function as the Poisson(λ/2) mixture of central χ² survival functions."""
    half = noncentrality / 2
    total, j = mpmath.mpf(0), 0
    weight = mpmath.exp(-half)
    while True:
        term = weight * mpmath.gammainc(mpmath.mpf(d) / 2 + j, x / 2, mpmath.inf, regularized=True)
        total += term
        if j > half and weight < mpmath.eps * total:
            return total
        j += 1
        weight *= half / j


def order_statistic_mean(
    m: int, d: int, noncentrality: float, method: str = "scipy", digits: int = 30
) -> float:
    r""":math:`\mathbb E\min` of ``m`` i.i.d. :math:`\chi^2_d(\lambda)` draws,
    :math:`\int_0^\infty(1-F)^m dx`, by scipy ``quad`` or by mpmath at ``digits`` significant
    digits."""
    if m < 1 or d < 1 or noncentrality < 0:
        raise InvalidInput(
            "m, d, noncentrality", (m, d, noncentrality), "m >= 1, d >= 1, noncentrality >= 0"
        )
    upper, centre = _upper_limit(d, noncentrality), d + noncentrality
    if method == "scipy":
        value, _ = integrate.quad(
            lambda x: stats.ncx2.sf(x, d, noncentrality) ** m,
            0.0,
            upper,
            points=[centre],
            limit=400,
            epsabs=1e-12,
            epsrel=1e-12,
        )
        return float(value)
    if method == "mpmath":
        with mpmath.workdps(digits):
            lam = mpmath.mpf(noncentrality)
            return mpmath.quad(
                lambda x: _mp_noncentral_chi2_sf(x, d, lam) ** m,
                [0, centre / 2, centre, (centre + upper) / 2, upper],
            )
    raise InvalidInput("method", method, "scipy, mpmath")


def _simpson_weights(x: Float[np.ndarray, " n"]) -> Float[np.ndarray, " n"]:
    """Composite Simpson weights on the even-interval uniform grid ``x`` (h/3 · 1, 4, 2, …, 4,
    1)."""
    weights = np.full(x.size, 2.0)
    weights[1::2], weights[[0, -1]] = 4.0, 1.0
    return weights * (x[1] - x[0]) / 3


@lru_cache(maxsize=64)
def _minimum_costs(
    d: int, offset: float, conditioning: bool, nodes: int, grid_points: int, count: int
) -> tuple[Float[np.ndarray, " count"], Float[np.ndarray, " count"]]:
    r"""For :math:`m = 0, …,` ``count`` − 1, the :math:`\lambda`-averaged order-statistic integral
    :math:`\mathbb E_\lambda\int_0^\infty(1 - F_{d,\lambda})^m` within the cluster and the same at
    noncentrality :math:`\lambda +` ``offset`` (other clusters). Depends on neither :math:`K` nor
    :math:`M`, so one table serves every model size of a dimension (the survival functions are the
    cost; powers are built by repeated multiplication)."""
    if conditioning:
        u, w = special.roots_genlaguerre(nodes, d / 2 - 1)
        lam, weight = 2.0 * u, w / w.sum()  # λ = 2u ~ χ²_d
        # Nodes of negligible weight only stretch the x grid (coarsening it): drop them.
        keep = weight > 1e-18
        lam, weight = lam[keep], weight[keep] / weight[keep].sum()
    else:
        lam, weight = np.zeros(1), np.ones(1)
    x = np.linspace(0.0, _upper_limit(d, float(lam.max()) + offset), grid_points)
    simpson = _simpson_weights(x)

    def survival(noncentrality: np.ndarray) -> np.ndarray:
        if conditioning:
            return stats.ncx2.sf(x[None, :], d, noncentrality[:, None])
        return stats.chi2.sf(x[None, :] / 2, d) + 0 * noncentrality[:, None]  # 2χ²_d, scale 2

    costs = []
    for base in (survival(lam), survival(lam + offset)):
        power, column = np.ones_like(base), np.empty(count)
        for m in range(count):
            column[m] = weight @ (power @ simpson)
            power = power * base
        costs.append(column)
    return costs[0], costs[1]


@lru_cache(maxsize=256)
def sharp_C(
    d: int,
    K: int,
    M: int,
    *,
    separation2: float | None = None,
    sigma2: float = 1.0,
    conditioning: bool = True,
    empty_clusters: bool = True,
    nodes: int = 80,
    grid_points: int = 6001,
) -> float:
    r""":math:`C_\text{sharp}` for dimension ``d``, ``K`` components and ``M`` memorized points
    (``separation2`` :math:`\gamma^2` defaults to :math:`2d`, the mean for random means on the
    sphere)."""
    for field, value in (("d", d), ("K", K), ("M", M)):
        if value < 1:
            raise InvalidInput(field, value, "an integer >= 1")
    if grid_points % 2 == 0:
        raise InvalidInput("grid_points", grid_points, "an odd number (Simpson's rule)")
    offset = (2.0 * d if separation2 is None else separation2) / sigma2
    # One table up to 256 serves every model size of the paper's grid (entries do not depend on it).
    count = max(256, 1 << int(M).bit_length())
    in_cluster, other_clusters = _minimum_costs(d, offset, conditioning, nodes, grid_points, count)
    probability = stats.binom(M, 1 / K).pmf(np.arange(M + 1))
    used = probability >= 1e-15
    if not empty_clusters:
        used[0] = False
    cost = np.where(np.arange(M + 1) == 0, other_clusters[M], in_cluster[: M + 1])
    return float((probability[used] * cost[used]).sum() / probability[used].sum() / d)


def dense_C(K: int, M: int) -> float:
    r"""The dense limit :math:`1 + K/M` (weights flat over the :math:`\approx M/K` memorized points
    of the cluster: :math:`\mathbb E\|x_j - \bar x\|^2 = d\sigma_\star^2(1 + K/M)`)."""
    return 1.0 + K / M
