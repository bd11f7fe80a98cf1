r"""Theorem 3.1 (reconstructed): the generalizing denoiser's excess training loss.

.. math::
    \mathcal L_{N,t}(\theta_\star) - \mathcal L_{N,t}(\theta_\text{mem})
    \approx \frac{d\,\sigma_\star^2}{1 + \psi_t\sigma_\star^2}
    = \frac{d\,\sigma_\star^2\sigma_t^2}{\alpha_t^2\sigma_\star^2 + \sigma_t^2}.

Paper §3, Theorem 3.1 (docs/theory.md §4). Why: a training point
:math:`x_i = \mu_k + \sigma_\star z` whose posterior picks its own cluster is denoised by
:math:`D_\star` with Gaussian error of exactly this mean square, while the memorizing denoiser's
loss is :math:`\approx 0`.

Assumptions: :math:`N = \mathrm{poly}(d)`; separation :math:`\gamma^2 = \Theta(d)` (the softmax
selects the right cluster); :math:`\psi_t d\sigma_\star^2 \gg \log N` (memorizing loss negligible).
"""

from __future__ import annotations

import sympy as sp

from .exact import exact, positive
from .schedules import VP, Schedule
from .symbols import d as d_symbol
from .symbols import sigma2 as sigma2_symbol
from .symbols import t as t_symbol

__all__ = ["generalizing_excess_loss"]


def generalizing_excess_loss(
    schedule: Schedule = VP,
    d: sp.Expr = d_symbol,
    sigma2: sp.Expr = sigma2_symbol,
    time: sp.Expr = t_symbol,
) -> sp.Expr:
    r""":math:`d\sigma_\star^2 / (1 + \psi_t\sigma_\star^2)`, in :math:`x_0` units, at ``time``."""
    d, sigma2, time = positive(d, "d"), positive(sigma2, "sigma2"), exact(time, "time")
    return d * sigma2 * schedule.posterior_variance_fraction(sigma2).subs(t_symbol, time)
