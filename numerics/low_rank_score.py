r"""The exact score of a noised low-rank mixture, computed directly (float64), to check Tweedie.

For components :math:`\mathcal N(\alpha_t\bar x_m, C_m)`, :math:`C_m = \alpha_t^2 a_m P_m +
\sigma_t^2 I` (:mod:`numerics.low_rank_denoisers`), with residuals :math:`r_m = x - \alpha_t\bar
x_m` formed explicitly in :math:`\mathbb R^D` and the projections :math:`P_m r_m` applied as
matrices (not through the colour coordinates of the denoiser),

.. math::
    \nabla\log p_t(x) = -\sum_m w_m(x)\, C_m^{-1} r_m,\qquad
    C_m^{-1} r_m = \frac{r_m - P_m r_m}{\sigma_t^2} + \frac{P_m r_m}{v_m},

with :math:`w` from the full Gaussian log-densities, log-determinant included. Tweedie's formula
(Lemma 2.1) then reads :math:`D_\star(x, t) = (x + \sigma_t^2\nabla\log p_t(x))/\alpha_t`.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float
from scipy import special

from .low_rank_data import CHANNELS
from .low_rank_denoisers import LowRankDenoiser

__all__ = ["low_rank_score", "low_rank_tweedie_denoiser"]


def low_rank_score(
    x: Float[np.ndarray, "n d"], model: LowRankDenoiser, alpha: float, sigma: float
) -> Float[np.ndarray, "n d"]:
    r""":math:`\nabla\log p_t(x)` of the model's noised mixture, for each row of ``x``."""
    n, D = x.shape
    norms = np.sqrt((model.templates**2).sum(1))
    unit = model.templates / norms[:, None]
    means = (model.colours[:, :, None] * model.templates[:, None, :]).reshape(model.M, D)
    eigenvalues = model.s2 * norms**2
    v = alpha**2 * eigenvalues + sigma**2
    projections = np.stack([np.kron(np.eye(CHANNELS), np.outer(u, u)) for u in unit])  # (M, D, D)
    residual = x[:, None, :] - alpha * means[None]  # (n, M, D)
    projected = np.einsum("mde,nme->nmd", projections, residual)
    precision_residual = (residual - projected) / sigma**2 + projected / v[None, :, None]
    log_components = -0.5 * (residual * precision_residual).sum(-1) - 0.5 * (
        (D - CHANNELS) * np.log(sigma**2) + CHANNELS * np.log(v)
    )
    weights = special.softmax(log_components, axis=1)
    return -np.einsum("nm,nmd->nd", weights, precision_residual)


def low_rank_tweedie_denoiser(
    x: Float[np.ndarray, "n d"], model: LowRankDenoiser, alpha: float, sigma: float
) -> Float[np.ndarray, "n d"]:
    r""":math:`(x + \sigma_t^2\nabla\log p_t(x))/\alpha_t`."""
    return (x + sigma**2 * low_rank_score(x, model, alpha, sigma)) / alpha
