r"""Noise schedules: :math:`x_t = \alpha_t x_0 + \sigma_t \varepsilon`, :math:`t \in [0, 1]`.

The signal-to-noise ratio is :math:`\psi_t = \alpha_t^2 / \sigma_t^2`. The paper (and its reference
code) uses the variance-preserving schedule :math:`\alpha_t = \sqrt{1 - t^2}`, :math:`\sigma_t = t`
(docs/theory.md §1); the others are here so every closed form can be read on any schedule.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .errors import InvalidInput
from .exact import parse_rational
from .symbols import t

__all__ = ["Schedule", "SCHEDULES", "VP", "COSINE_VP", "VE", "LINEAR", "get_schedule", "grid_times"]


@dataclass(frozen=True)
class Schedule:
    r"""A noise schedule: :math:`\alpha(t)`, :math:`\sigma(t)` as sympy expressions in ``t``."""

    name: str
    alpha: sp.Expr
    sigma: sp.Expr
    description: str

    @property
    def snr(self) -> sp.Expr:
        r""":math:`\psi_t = \alpha_t^2 / \sigma_t^2`, not simplified: sympy would rewrite
        cosine-VP's :math:`\cos^2/\sin^2` through :math:`1 - \cos(\pi t)`, which cancels at small
        :math:`t`."""
        return self.alpha**2 / self.sigma**2

    def posterior_variance_fraction(self, sigma2: sp.Expr) -> sp.Expr:
        r""":math:`1/(1 + \psi_t\sigma_\star^2) =
        \sigma_t^2/(\alpha_t^2\sigma_\star^2 + \sigma_t^2)`: the posterior variance of one Gaussian
        component as a fraction of :math:`\sigma_\star^2` (docs/theory.md §1), in the form that has
        no cancellation at any :math:`t`."""
        return self.sigma**2 / (self.alpha**2 * sigma2 + self.sigma**2)


VP = Schedule(
    "vp", sp.sqrt(1 - t**2), t, r"variance preserving, $\alpha_t=\sqrt{1-t^2}$, $\sigma_t=t$"
)
COSINE_VP = Schedule(
    "cosine-vp",
    sp.cos(sp.pi * t / 2),
    sp.sin(sp.pi * t / 2),
    r"cosine variance preserving, $\alpha_t=\cos(\pi t/2)$, $\sigma_t=\sin(\pi t/2)$",
)
VE = Schedule("ve", sp.Integer(1), t, r"variance exploding, $\alpha_t=1$, $\sigma_t=t$")
LINEAR = Schedule("linear", 1 - t, t, r"linear interpolant, $\alpha_t=1-t$, $\sigma_t=t$")

SCHEDULES: dict[str, Schedule] = {s.name: s for s in (VP, COSINE_VP, VE, LINEAR)}


def get_schedule(name: str | Schedule) -> Schedule:
    """The schedule called ``name`` (one of :data:`SCHEDULES`)."""
    if isinstance(name, Schedule):
        return name
    try:
        return SCHEDULES[name]
    except KeyError:
        raise InvalidInput("schedule", name, ", ".join(SCHEDULES)) from None


def grid_times(
    points: int = 26,
    t_min: sp.Rational = sp.Rational(1, 1000),
    t_max: sp.Rational = sp.Rational(999, 1000),
) -> tuple[sp.Rational, ...]:
    r"""The paper's time grid as exact Rationals: ``linspace(t_min, t_max, points)``.

    The default is 26 points from 0.001 to 0.999 (25 intervals: the paper's :math:`L = 25`).
    """
    if points < 2:
        raise InvalidInput("points", points, "an integer >= 2")
    t_min, t_max = parse_rational(t_min, "t_min"), parse_rational(t_max, "t_max")
    if not 0 < t_min < t_max <= 1:
        raise InvalidInput("t_min, t_max", (t_min, t_max), "0 < t_min < t_max <= 1")
    step = (t_max - t_min) / (points - 1)
    return tuple(t_min + i * step for i in range(points))
