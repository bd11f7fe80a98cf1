r"""Eq. (14): the model size at which partial memorization and generalization cost the same.

Setting :math:`\mathcal L_N^\lambda(\theta_{\text{pmem},M}) = \mathcal L_N^\lambda(\theta_\star)`
with the closed forms of Theorems 3.1 and 3.2 (paper §3, eq. (14); docs/theory.md §4):

.. math::
    \frac{M^\star}{N} = 1 - \frac{1}{C}\,
    \frac{\sum_t \lambda(t)\,/\,(1 + \psi_t\sigma_\star^2)}{\sum_t \lambda(t)},

(sums become integrals for a continuous weighting). :math:`d`, :math:`K` and :math:`N` cancel. Per
time, :math:`M^\star_t/N = 1 - 1/(C(1 + \psi_t\sigma_\star^2))`; on VP with
:math:`\sigma_\star^2 = 1`, :math:`1/(1+\psi_t) = t^2`. The ratio increases with :math:`C`, so
:math:`C \in [1, 2]` gives an interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from .exact import exact, positive
from .partial_memorization import C_INTERVAL
from .schedules import VP, Schedule, grid_times
from .symbols import C as C_symbol
from .symbols import sigma2 as sigma2_symbol
from .symbols import t
from .weightings import Weighting, get_weighting

__all__ = [
    "generalizing_fraction",
    "crossover_ratio",
    "per_time_crossover_ratio",
    "crossover_interval",
]


def generalizing_fraction(
    weighting: str | Weighting = "uniform",
    schedule: Schedule = VP,
    sigma2: sp.Expr = sigma2_symbol,
    grid: Sequence[sp.Expr] | None = None,
) -> sp.Expr:
    r"""The :math:`\lambda`-weighted mean of :math:`1/(1 + \psi_t\sigma_\star^2)`: the generalizing
    excess loss in units of :math:`d\sigma_\star^2`."""
    weighting, sigma2 = get_weighting(weighting), positive(sigma2, "sigma2")
    relative_excess = schedule.posterior_variance_fraction(sigma2)
    if weighting.is_continuous:
        lower, upper = weighting.interval
        density = weighting.density(schedule)
        numerator = sp.integrate(sp.simplify(density * relative_excess), (t, lower, upper))
        return sp.simplify(numerator / sp.integrate(density, (t, lower, upper)))
    grid = grid_times() if grid is None else tuple(grid)
    weights = weighting.on_grid(schedule, grid)
    numerator = sum(
        w * relative_excess.subs(t, time) for w, time in zip(weights, grid, strict=False)
    )
    return sp.cancel(numerator / sum(weights)) if sigma2.free_symbols else numerator / sum(weights)


def crossover_ratio(
    weighting: str | Weighting = "uniform",
    C: sp.Expr = C_symbol,
    schedule: Schedule = VP,
    sigma2: sp.Expr = sigma2_symbol,
    grid: Sequence[sp.Expr] | None = None,
) -> sp.Expr:
    r""":math:`M^\star/N = 1 - \bar r_\lambda / C` (eq. (14))."""
    return 1 - generalizing_fraction(weighting, schedule, sigma2, grid) / positive(C, "C")


def per_time_crossover_ratio(
    C: sp.Expr = C_symbol,
    schedule: Schedule = VP,
    sigma2: sp.Expr = sigma2_symbol,
    time: sp.Expr = t,
) -> sp.Expr:
    r""":math:`M^\star_t/N = 1 - 1/(C(1 + \psi_t\sigma_\star^2))`: eq. (14) at a single time.

    Written as :math:`(C\alpha_t^2\sigma_\star^2 + (C - 1)\sigma_t^2) /
    (C(\alpha_t^2\sigma_\star^2 + \sigma_t^2))`, which does not cancel where it is small
    (:math:`C = 1`, :math:`t \to 1`)."""
    C, sigma2, time = positive(C, "C"), positive(sigma2, "sigma2"), exact(time, "time")
    alpha2, sigma_t2 = schedule.alpha.subs(t, time) ** 2, schedule.sigma.subs(t, time) ** 2
    return (C * alpha2 * sigma2 + (C - 1) * sigma_t2) / (C * (alpha2 * sigma2 + sigma_t2))


def crossover_interval(
    weighting: str | Weighting = "uniform",
    schedule: Schedule = VP,
    sigma2: sp.Expr = sigma2_symbol,
    grid: Sequence[sp.Expr] | None = None,
    C_range: tuple[sp.Expr, sp.Expr] = C_INTERVAL,
) -> tuple[sp.Expr, sp.Expr]:
    r"""The interval of :math:`M^\star/N` for :math:`C` in ``C_range`` (default :math:`[1, 2]`)."""
    fraction = generalizing_fraction(weighting, schedule, sigma2, grid)
    return tuple(1 - fraction / positive(c, "C") for c in C_range)
