r"""The ε-prediction residual of the model class, in a form free of cancellation
(docs/theory.md §6).

With :math:`v_t = \alpha_t^2 s^2 + \sigma_t^2`, posterior-weighted mean of the means :math:`\bar m`,
and :math:`D_\theta = (\sigma_t^2/v_t)\bar m + (\alpha_t s^2/v_t)x_t` at
:math:`x_t = \alpha_t x_0 + \sigma_t\varepsilon`,

.. math::
    \hat\varepsilon - \varepsilon = \frac{x_t - \alpha_t D_\theta}{\sigma_t} - \varepsilon
    = \frac{\sigma_t\alpha_t}{v_t}(x_0 - \bar m) - \frac{\alpha_t^2 s^2}{v_t}\,\varepsilon .

The left form subtracts nearly equal numbers at :math:`t = 0.001` (float32 gradient errors of 1e-2
in :math:`s`); the right one does not. Both are linear in each coordinate, so scalars suffice to
derive it.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["naive_epsilon_residual", "epsilon_residual", "RESIDUAL_SYMBOLS"]

alpha, sigma, s2 = sp.symbols("alpha sigma s2", positive=True)
x0, eps, m_bar = sp.symbols("x_0 epsilon mbar", real=True)
RESIDUAL_SYMBOLS = (alpha, sigma, s2, x0, eps, m_bar)


def naive_epsilon_residual() -> sp.Expr:
    r""":math:`(x_t - \alpha_t D_\theta)/\sigma_t - \varepsilon`, as the definition reads."""
    v = alpha**2 * s2 + sigma**2
    x_t = alpha * x0 + sigma * eps
    denoised = (sigma**2 / v) * m_bar + (alpha * s2 / v) * x_t
    return (x_t - alpha * denoised) / sigma - eps


def epsilon_residual() -> sp.Expr:
    r""":math:`(\sigma_t\alpha_t/v_t)(x_0 - \bar m) - (\alpha_t^2 s^2/v_t)\varepsilon`: the stable
    form."""
    v = alpha**2 * s2 + sigma**2
    return sigma * alpha / v * (x0 - m_bar) - alpha**2 * s2 / v * eps
