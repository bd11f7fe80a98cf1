r"""The :math:`N = \mathrm{poly}(d)` regime: how far the training set is from the distribution.

Any coupling sends a fresh :math:`x \sim \pi_\star` to some training point, so
:math:`W_2^2(\hat\pi_N, \pi_\star) \ge \mathbb E_x \min_i \|x - x_i\|^2` (Weed–Bach;
docs/theory.md §4). For fixed :math:`d` and :math:`n = N/K` points per cluster,
:math:`n \to \infty` [derived]:

.. math::
    \mathbb E \min_i \|x - x_i\|^2 \approx c_d\, n^{-2/d},\qquad
    c_d = 2\sigma_\star^2\,\Gamma\!\left(1 + \tfrac2d\right)\Gamma\!\left(\tfrac d2 + 1\right)^{2/d}
          \left(1 - \tfrac2d\right)^{-d/2} \quad (d > 2),

and :math:`c_d / (d\sigma_\star^2) \to 1` as :math:`d \to \infty`. The distance falls to
:math:`O(\sigma_\star^2)` only once :math:`n \gtrsim (c_d/\sigma_\star^2)^{d/2} \approx d^{d/2}`:
below that (the paper's :math:`N = \mathrm{poly}(d)`) memorization and generalization stay
:math:`\Theta(d)` apart.

Assumption of the asymptotic form: :math:`n^{1/d} \gg 1`; at the paper's sizes it is about 30% low.
"""

from __future__ import annotations

import sympy as sp

from .errors import InvalidInput
from .exact import positive
from .symbols import d as d_symbol
from .symbols import n as n_symbol
from .symbols import sigma2 as sigma2_symbol

__all__ = [
    "nearest_neighbour_constant",
    "asymptotic_nearest_neighbour_distance",
    "indistinguishable_sample_size",
]


def nearest_neighbour_constant(d: sp.Expr = d_symbol, sigma2: sp.Expr = sigma2_symbol) -> sp.Expr:
    r""":math:`c_d = 2\sigma_\star^2\Gamma(1+2/d)\Gamma(d/2+1)^{2/d}(1-2/d)^{-d/2}` (needs
    :math:`d > 2`)."""
    d, sigma2 = positive(d, "d"), positive(sigma2, "sigma2")
    if d.is_number and not d > 2:
        raise InvalidInput("d", d, "a dimension > 2 (the constant diverges at d = 2)")
    # Γ(d/2+1)^{2/d} (1-2/d)^{-d/2} as one exponential of log-gammas, left unevaluated: for a
    # numeric d, sympy would otherwise expand Γ(d/2+1) into an exact factorial and try exact roots
    # of it.
    log_growth = sp.Mul(2 / d, sp.loggamma(d / 2 + 1, evaluate=False)) - d / 2 * sp.log(1 - 2 / d)
    return 2 * sigma2 * sp.gamma(1 + 2 / d) * sp.UnevaluatedExpr(sp.exp(log_growth, evaluate=False))


def asymptotic_nearest_neighbour_distance(
    d: sp.Expr = d_symbol, sigma2: sp.Expr = sigma2_symbol, n: sp.Expr = n_symbol
) -> sp.Expr:
    r""":math:`\mathbb E\min_i\|x - x_i\|^2 \approx c_d n^{-2/d}` for ``n`` points of one
    cluster."""
    d, n = positive(d, "d"), positive(n, "n")
    return nearest_neighbour_constant(d, sigma2) * n ** (-2 / d)


def indistinguishable_sample_size(
    d: sp.Expr = d_symbol, sigma2: sp.Expr = sigma2_symbol, tolerance: sp.Expr = sp.Integer(1)
) -> sp.Expr:
    r"""Points per cluster at which :math:`c_d n^{-2/d} = \text{tolerance}\cdot\sigma_\star^2`:
    :math:`n = (c_d / (\text{tolerance}\,\sigma_\star^2))^{d/2} \approx d^{d/2}`."""
    d, sigma2, tolerance = (
        positive(d, "d"),
        positive(sigma2, "sigma2"),
        positive(tolerance, "tolerance"),
    )
    return (nearest_neighbour_constant(d, sigma2) / (tolerance * sigma2)) ** (d / 2)
