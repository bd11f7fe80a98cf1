r"""Time weightings :math:`\lambda(t)` of the :math:`x_0`-unit loss (docs/theory.md §3–§4).

A weighting is either discrete (values on the time grid) or continuous (a density integrated over an
interval). Named weightings:

- ``uniform``: :math:`\lambda \equiv 1` on the grid;
- ``snr``: :math:`\lambda = \psi_t` on the grid, i.e. the uniform :math:`\varepsilon`-loss that the
  reference code trains;
- ``continuous-uniform``: :math:`\lambda \equiv 1` integrated over :math:`t \in [0, 1]`;
- ``power:γ``: :math:`\lambda \propto \psi_t^\gamma` on the grid (``γ`` a decimal or fraction).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sympy as sp

from .errors import InvalidInput
from .exact import parse_rational
from .schedules import Schedule
from .symbols import t

__all__ = ["Weighting", "WEIGHTING_NAMES", "get_weighting"]

WEIGHTING_NAMES = ("uniform", "snr", "continuous-uniform", "power:γ")
MAX_POWER, MAX_POWER_DIGITS = 20, 1000


@dataclass(frozen=True)
class Weighting:
    r"""A weighting: ``density(schedule)`` is :math:`\lambda` as an expression in ``t``, or
    ``values`` gives it on the grid directly. ``interval`` set means integrate the density over it
    instead."""

    name: str
    density: Callable[[Schedule], sp.Expr] | None = None
    values: tuple[sp.Expr, ...] | None = None
    interval: tuple[sp.Expr, sp.Expr] | None = None

    @property
    def is_continuous(self) -> bool:
        return self.interval is not None

    def on_grid(self, schedule: Schedule, grid: Sequence[sp.Expr]) -> tuple[sp.Expr, ...]:
        """The weights at the grid times."""
        if self.values is not None:
            if len(self.values) != len(grid):
                raise InvalidInput(
                    "weighting values", len(self.values), f"{len(grid)} values, one per grid time"
                )
            return self.values
        density = self.density(schedule)
        return tuple(density.subs(t, time) for time in grid)

    @classmethod
    def from_values(cls, values: Sequence[object], name: str = "values") -> Weighting:
        """A discrete weighting from explicit non-negative values (numbers or strings like
        "3/2")."""
        exact = tuple(parse_rational(v, "weighting values") for v in values)
        if any(v < 0 for v in exact) or sum(exact) == 0:
            raise InvalidInput("weighting values", values, "non-negative numbers, not all zero")
        return cls(name=name, values=exact)

    @classmethod
    def from_function(
        cls, density: sp.Expr, interval: tuple[object, object] | None = None, name: str = "function"
    ) -> Weighting:
        """A weighting given as an expression in ``t``: sampled on the grid, or integrated over
        ``interval`` (e.g. ``(0, 1)`` or ``("1/1000", "999/1000")``) when one is given."""
        density = sp.sympify(density)
        if density.free_symbols - {t}:
            raise InvalidInput("weighting density", density, "an expression in t alone")
        bounds = (
            None
            if interval is None
            else tuple(parse_rational(b, "weighting interval") for b in interval)
        )
        if bounds is not None and not 0 <= bounds[0] < bounds[1] <= 1:
            raise InvalidInput("weighting interval", interval, "0 <= lower < upper <= 1")
        lower, upper = bounds or (sp.Rational(1, 1000), sp.Rational(999, 1000))
        probes = [lower + (upper - lower) * sp.Rational(k, 100) for k in range(101)]
        if any(sp.N(density.subs(t, probe)) < 0 for probe in probes):
            raise InvalidInput(
                "weighting density", density, "an expression in t that is >= 0 on its interval"
            )
        return cls(name=name, density=lambda schedule: density, interval=bounds)


def get_weighting(name: str | Weighting) -> Weighting:
    """The named weighting (see the module docstring for the names)."""
    if isinstance(name, Weighting):
        return name
    if name == "uniform":
        return Weighting(name, density=lambda schedule: sp.Integer(1))
    if name == "snr":
        return Weighting(name, density=lambda schedule: schedule.snr)
    if name == "continuous-uniform":
        return Weighting(
            name, density=lambda schedule: sp.Integer(1), interval=(sp.Integer(0), sp.Integer(1))
        )
    if isinstance(name, str) and name.startswith("power:"):
        gamma = parse_rational(name.removeprefix("power:"), "weighting power γ")
        # Exact powers of the grid's rational SNRs grow in digits with |γ| and its denominator;
        # these bounds keep eq. (14) exact and computed in seconds.
        if abs(gamma) > MAX_POWER or max(abs(gamma.p), gamma.q) > MAX_POWER_DIGITS:
            raise InvalidInput(
                "weighting power γ",
                name.removeprefix("power:"),
                f"power:γ with γ in [-{MAX_POWER}, {MAX_POWER}], numerator and denominator at "
                f"most {MAX_POWER_DIGITS}",
            )
        return Weighting(name, density=lambda schedule: schedule.snr**gamma)
    raise InvalidInput("weighting", name, ", ".join(WEIGHTING_NAMES))
