r"""The memorizing part that the 1-sparse closed form of the low-rank partial excess drops
(docs/theory.md §7, "the 1-sparse condition"; ours, derived).

For a training point :math:`x_i` and one competitor :math:`x_j` at squared distance :math:`D`,
the memorizing posterior at :math:`x_t = \alpha_t x_i + \sigma_t\varepsilon` gives :math:`x_j` the
weight :math:`w = \sigma(-\Delta)` with the log-weight gap

.. math::
    \Delta = \tfrac{\psi_t}{2} D + \sqrt{\psi_t}\,\varepsilon\cdot(x_i - x_j)
    \sim \mathcal N\big(\tfrac{a}{2}, a\big),\qquad a = \psi_t D,

and the loss :math:`\|w(x_j - x_i)\|^2 = w^2 D`. Summed over competitors (first order in the
rare-competitor expansion: each competitor as if it were alone, an upper bound on the shared
weights), the memorizing loss per point is :math:`(n_\text{others})\,e_t` with

.. math::
    e_t = \mathbb E_{x, x'\sim\pi}\big[D\, h(\psi_t D)\big],\qquad
    h(a) = \mathbb E_{g\sim\mathcal N(0,1)}\,\sigma\big(-\tfrac a2 - \sqrt a\, g\big)^2,

:math:`D = \|x - x'\|^2` for two independent draws of the model. For :math:`x = \sqrt\lambda\, z
\otimes \hat t_k`, :math:`x' = \sqrt\lambda\, z'\otimes\hat t_l`,

.. math::
    D/\lambda = \|z - c_{kl} z'\|^2 + (1 - c_{kl}^2)\|z'\|^2,

a noncentral :math:`\chi^2_r(c_{kl}^2 q)` shifted by :math:`(1 - c_{kl}^2)q`,
:math:`q = \|z'\|^2 \sim \chi^2_r` (as in :mod:`numerics.low_rank_c`): within one class
(:math:`c = 1`) :math:`D = \lambda\|z - z'\|^2 = \|c_i - c_j\|^2\|T_k\|^2 \sim 2\lambda\chi^2_r`,
with density :math:`\propto D^{r/2 - 1}` at 0; across classes the template angle keeps points
apart unless both colours are small (density :math:`\propto D^{r - 1}` at 0).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from jaxtyping import Float
from scipy import integrate, special, stats

from memlab.theory.errors import InvalidInput

from .low_rank_c import colour_norm_quadrature, cosine_key

__all__ = ["pair_distance_density", "memorizing_loss_per_competitor"]

_HERMITE_NODES, _HERMITE_WEIGHTS = np.polynomial.hermite_e.hermegauss(101)
_HERMITE_WEIGHTS = _HERMITE_WEIGHTS / _HERMITE_WEIGHTS.sum()


def _h(a: Float[np.ndarray, " n"]) -> Float[np.ndarray, " n"]:
    r""":math:`\mathbb E\,\sigma(-a/2 - \sqrt a g)^2` by Gauss–Hermite (``a >= 0``)."""
    a = np.asarray(a, np.float64)[..., None]
    gap = a / 2 + np.sqrt(a) * _HERMITE_NODES
    return (special.expit(-gap) ** 2 * _HERMITE_WEIGHTS).sum(-1)


@lru_cache(maxsize=64)
def _density(cosines: tuple, rank: int, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    cosines = np.array(cosines)
    K = cosines.shape[0]
    q, weight, upper = colour_norm_quadrature(rank, nodes)
    # Geometric: a large psi * lam puts all of e_t near 0, where the same-class density ~ x^(r/2-1).
    x = np.geomspace(1e-9, upper, 2000)
    pair = {}  # the density depends on the pair only through |c_kl|
    density = np.zeros_like(x)
    for k in range(K):
        for l in range(K):
            key = round(abs(float(cosines[k, l])), 12)
            if key not in pair:
                c2 = min(key**2, 1.0)
                shifted = x[None, :] - (1.0 - c2) * q[:, None]
                pdf = np.zeros_like(shifted)
                inside = shifted > 0
                noncentrality = np.broadcast_to(c2 * q[:, None], shifted.shape)[inside]
                pdf[inside] = (
                    stats.ncx2.pdf(shifted[inside], rank, noncentrality)
                    if c2 > 0
                    else stats.chi2.pdf(shifted[inside], rank)
                )
                pair[key] = weight @ pdf
            density += pair[key] / K**2
    return x, density


def pair_distance_density(
    templates: Float[np.ndarray, "K p"], rank: int = 3, nodes: int = 48
) -> tuple[Float[np.ndarray, " n"], Float[np.ndarray, " n"]]:
    r"""The density of :math:`D/\lambda` for two independent draws of the model (classes uniform),
    on a grid: ``(x, density)``."""
    return _density(cosine_key(templates), int(rank), int(nodes))


def memorizing_loss_per_competitor(
    templates: Float[np.ndarray, "K p"],
    eigenvalue: float,
    snr: Float[np.ndarray, " T"],
    rank: int = 3,
) -> Float[np.ndarray, " T"]:
    r""":math:`e_t = \mathbb E[D\,h(\psi_t D)]` (x₀ units) at each SNR :math:`\psi_t` in ``snr``,
    for classes of eigenvalue ``eigenvalue`` (:math:`\lambda`, templates normalised alike)."""
    if not eigenvalue > 0 or not np.isfinite(eigenvalue):
        raise InvalidInput("eigenvalue", eigenvalue, "a finite number > 0")
    snr = np.atleast_1d(np.asarray(snr, np.float64))
    if np.any(~(snr >= 0)):
        raise InvalidInput("snr", snr, "numbers >= 0")
    x, density = pair_distance_density(templates, rank)
    distance = eigenvalue * x
    return np.array(
        [float(integrate.simpson(density * distance * _h(psi * distance), x=x)) for psi in snr]
    )
