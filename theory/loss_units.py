r"""Conversions between the four parametrisations of a denoiser's loss.

With :math:`x_t = \alpha_t x_0 + \sigma_t\varepsilon` and :math:`\Delta = \hat x_0 - x_0`:

.. math::
    \hat\varepsilon - \varepsilon = -\tfrac{\alpha_t}{\sigma_t}\Delta,\quad
    \hat s - s = \tfrac{\alpha_t}{\sigma_t^2}\Delta,\quad
    \hat v - v = -\tfrac{\alpha_t^2+\sigma_t^2}{\sigma_t}\Delta,

(:math:`s = -\varepsilon/\sigma_t` the conditional score,
:math:`v = \alpha_t\varepsilon - \sigma_t x_0`), so every squared-error loss is the :math:`x_0` loss
times a factor of :math:`t` alone (docs/theory.md §3: the uniform :math:`\varepsilon` loss is the
:math:`x_0` loss weighted by :math:`\psi_t`).
"""

from __future__ import annotations

import sympy as sp

from .errors import InvalidInput
from .schedules import VP, Schedule

__all__ = ["PARAMETRIZATIONS", "loss_conversion_factor"]

PARAMETRIZATIONS = ("x0", "epsilon", "score", "v")


def _x0_factor(parametrization: str, schedule: Schedule) -> sp.Expr:
    alpha, sigma = schedule.alpha, schedule.sigma
    factors = {
        "x0": sp.Integer(1),
        "epsilon": alpha**2 / sigma**2,
        "score": alpha**2 / sigma**4,
        "v": (alpha**2 + sigma**2) ** 2 / sigma**2,
    }
    if parametrization not in factors:
        raise InvalidInput("parametrization", parametrization, ", ".join(PARAMETRIZATIONS))
    return factors[parametrization]


def loss_conversion_factor(target: str, source: str = "x0", schedule: Schedule = VP) -> sp.Expr:
    r"""The factor :math:`f(t)` with
    :math:`\mathcal L_\text{target} = f(t)\,\mathcal L_\text{source}`."""
    return sp.simplify(_x0_factor(target, schedule) / _x0_factor(source, schedule))
