r"""The exact log-density and score of a noised Gaussian mixture, in closed form (float64).

With :math:`x_t = \alpha_t x_0 + \sigma_t\varepsilon` and
:math:`x_0 \sim \frac1M\sum_m\mathcal N(m_m, s^2 I_d)`,

.. math::
    p_t(x) = \frac1M\sum_m \mathcal N(x;\ \alpha_t m_m,\ v_t I_d),\quad
    v_t = \alpha_t^2 s^2 + \sigma_t^2,\qquad
    \nabla\log p_t(x) = \sum_m w_m(x)\,\frac{\alpha_t m_m - x}{v_t},

:math:`w` the posterior component weights. Tweedie's formula (Lemma 2.1) reads
:math:`D_\star(x, t) = (x + \sigma_t^2\nabla\log p_t(x))/\alpha_t`. Distances are computed directly
as :math:`\|x - \alpha_t m_m\|^2` (not through the matrix-product expansion of
:mod:`numerics.denoisers`), so the two paths check each other.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float
from scipy import special

__all__ = ["log_density", "score", "tweedie_denoiser"]


def _log_components(
    x: np.ndarray, means: np.ndarray, s2: float, alpha: float, sigma: float
) -> tuple[np.ndarray, float]:
    v = alpha**2 * s2 + sigma**2
    squared = ((x[:, None, :] - alpha * means[None, :, :]) ** 2).sum(-1)
    return -squared / (2 * v) - 0.5 * x.shape[1] * np.log(2 * np.pi * v) - np.log(means.shape[0]), v


def log_density(
    x: Float[np.ndarray, "n d"],
    means: Float[np.ndarray, "M d"],
    s2: float,
    alpha: float,
    sigma: float,
) -> Float[np.ndarray, " n"]:
    r""":math:`\log p_t(x)` for each row."""
    log_components, _ = _log_components(x, means, s2, alpha, sigma)
    return special.logsumexp(log_components, axis=1)


def score(
    x: Float[np.ndarray, "n d"],
    means: Float[np.ndarray, "M d"],
    s2: float,
    alpha: float,
    sigma: float,
) -> Float[np.ndarray, "n d"]:
    r""":math:`\nabla\log p_t(x)` for each row."""
    log_components, v = _log_components(x, means, s2, alpha, sigma)
    weights = special.softmax(log_components, axis=1)
    return (alpha * weights @ means - x) / v


def tweedie_denoiser(
    x: Float[np.ndarray, "n d"],
    means: Float[np.ndarray, "M d"],
    s2: float,
    alpha: float,
    sigma: float,
) -> Float[np.ndarray, "n d"]:
    r""":math:`(x + \sigma_t^2\nabla\log p_t(x))/\alpha_t`."""
    return (x + sigma**2 * score(x, means, s2, alpha, sigma)) / alpha
