r"""Monte Carlo numbers with their standard errors.

Every estimate is the mean of :math:`n` independent, identically distributed units (one noise draw
of the whole training set, or one antithetic pair of them) with standard error
:math:`\mathrm{SE} = s/\sqrt n`, :math:`s` the sample standard deviation. A difference of two
estimators computed on the *same* units (common random numbers) is estimated from the per-unit
differences, so its SE includes their covariance: :math:`\mathrm{Var}(\bar a - \bar b) =
(\mathrm{Var}\,a + \mathrm{Var}\,b - 2\,\mathrm{Cov}(a, b))/n`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float

from memlab.theory.errors import InvalidInput

__all__ = ["Estimate", "estimate", "paired_difference"]


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo mean, its standard error and the number of independent units behind it."""

    mean: float
    se: float
    n: int

    def to_dict(self) -> dict:
        return {"mean": float(self.mean), "se": float(self.se), "n": int(self.n)}


def estimate(units: Float[np.ndarray, " n"]) -> Estimate:
    """Mean and standard error of i.i.d. units (needs at least two)."""
    units = np.asarray(units, np.float64)
    if units.ndim != 1 or units.size < 2:
        raise InvalidInput("units", units.shape, "a 1-d array of at least 2 units")
    return Estimate(
        float(units.mean()), float(units.std(ddof=1) / np.sqrt(units.size)), int(units.size)
    )


def paired_difference(a: Float[np.ndarray, " n"], b: Float[np.ndarray, " n"]) -> Estimate:
    """:math:`\\bar a - \\bar b` for units drawn with common random numbers (paired unit by
    unit)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise InvalidInput("paired units", (a.shape, b.shape), "two arrays of one shape")
    return estimate(a - b)
