r"""Deterministic DDIM sampling with an exact denoiser (theory.md §5), in float64.

Start from :math:`x \sim \mathcal N(0, I_d)` at the last grid time and step down the grid with

.. math::
    x_{t'} = \frac{\sigma_{t'}}{\sigma_t}\,x_t
      + \alpha_{t'}\Big(1 - \frac{\alpha_t\sigma_{t'}}{\alpha_{t'}\sigma_t}\Big) D(x_t, t),

returning :math:`D(x_{t_\text{min}}, t_\text{min})`, the denoised end point.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float

from .losses import Denoiser
from .schedule import TimeGrid

__all__ = ["ddim_sample"]


def ddim_sample(denoiser: Denoiser, grid: TimeGrid, n: int, d: int, rng: np.random.Generator) -> Float[np.ndarray, "n d"]:
    """``n`` samples of dimension ``d`` from the deterministic DDIM chain of ``denoiser`` on ``grid``."""
    x = rng.standard_normal((n, d))
    for i in range(grid.t.size - 1, 0, -1):
        alpha, sigma, alpha_next, sigma_next = grid.alpha[i], grid.sigma[i], grid.alpha[i - 1], grid.sigma[i - 1]
        x0_hat = denoiser(x, float(alpha), float(sigma))
        x = (sigma_next / sigma) * x + alpha_next * (1 - alpha * sigma_next / (alpha_next * sigma)) * x0_hat
    return denoiser(x, float(grid.alpha[0]), float(grid.sigma[0]))
