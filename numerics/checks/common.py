"""What several checks share: exact theory values on the grid, and the loss table of a
configuration."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp

from memlab import theory

from ..loss_table import LossTable, per_time_losses
from .config import CheckConfig

__all__ = ["grid_rationals", "theory_value", "loss_table", "MEASURED_C_TIMES"]

MEASURED_C_TIMES = 0.84
"""Claim-level C is the mean over grid times t <= 0.84, where docs/theory.md §4 finds it flat."""


def grid_rationals() -> tuple[sp.Rational, ...]:
    return theory.grid_times()


def theory_value(expression: sp.Expr, values: dict | None = None) -> float:
    """A closed form evaluated at 30 digits (checked against 60 by ``theory.evaluate``), as a
    float."""
    return float(theory.evaluate(expression, values or {}, digits=30))


def loss_table(
    config: CheckConfig, Ms: Sequence[int], progress: Callable[[int, int], None] | None
) -> LossTable:
    return per_time_losses(
        config.d,
        config.K,
        config.N,
        Ms,
        config.seed,
        config.draws,
        sigma2=config.sigma2,
        schedule=config.schedule,
        progress=progress,
    )
