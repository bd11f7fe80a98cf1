r"""Deterministic DDIM sampling with an exact denoiser (docs/theory.md §5), in float64.

From a start :math:`x` at the last grid time (e.g. :math:`\mathcal N(0, I_d)` draws), step down the
grid with

.. math::
    x_{t'} = \frac{\sigma_{t'}}{\sigma_t}\,x_t
      + \alpha_{t'}\Big(1 - \frac{\alpha_t\sigma_{t'}}{\alpha_{t'}\sigma_t}\Big) D(x_t, t),

returning :math:`x_{t_\text{min}}`, the end of the chain (the sample docs/theory.md §5 scores).
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float

from .losses import Denoiser
from .schedule import TimeGrid

__all__ = ["ddim_sample"]


def ddim_sample(
    denoiser: Denoiser, grid: TimeGrid, start: Float[np.ndarray, "n d"]
) -> Float[np.ndarray, "n d"]:
    """The deterministic DDIM chain of ``denoiser`` on ``grid`` from ``start`` down to the first
    grid time."""
    x = start
    for i in range(grid.t.size - 1, 0, -1):
        alpha, sigma, alpha_next, sigma_next = (
            grid.alpha[i],
            grid.sigma[i],
            grid.alpha[i - 1],
            grid.sigma[i - 1],
        )
        x0_hat = denoiser(x, float(alpha), float(sigma))
        x = (sigma_next / sigma) * x + alpha_next * (
            1 - alpha * sigma_next / (alpha_next * sigma)
        ) * x0_hat
    return x
