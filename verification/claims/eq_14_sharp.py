r"""Ours, beyond the paper: eq. (14) as a point prediction, with the order-statistic :math:`C`
(``c-order-stat``) in place of the interval :math:`C \in [1, 2]`. :math:`C` depends on :math:`M`, so
the crossover solves :math:`M^\star/N = 1 - \bar r_\lambda / C_\text{sharp}(M^\star)`, with
:math:`C_\text{sharp}` evaluated at every measured model size below :math:`N` (stored with the loss
table) and interpolated linearly in :math:`M/N`. Judged as :math:`1 - M^\star/N = \bar r_\lambda/C`
against the measured crossover, with the order-statistic margin carried over exactly (a relative
error in :math:`C` is the same relative error in :math:`\bar r_\lambda/C`) [derived].

Negative controls: :math:`\sigma_t` in place of :math:`\sigma_t^2`, :math:`\sigma_\star^2`
misplaced, :math:`C = 1` — each through the same fixed point."""

import numpy as np

from ..claim import Control, VerifiedClaim
from ..margin import Margin
from . import eq_14
from .c_order_statistic import MARGIN as C_MARGIN

MARGIN = Margin(
    C_MARGIN.value,
    relative=True,
    unit="relative error of 1 − M*/N",
    source="derived",
    why="1 − M*/N = r̄_λ/C, so the order-statistic C's relative margin is the same relative margin "
    "on 1 − M*/N (" + C_MARGIN.source + " there: " + C_MARGIN.why + ")",
)


def crossover(fraction: float, sizes: np.ndarray, C: np.ndarray) -> float:
    r"""1 − M*/N solving :math:`q = \bar r/C(1 - q)`, ``C`` interpolated over ``sizes`` = M/N."""
    q = fraction / 1.5
    for _ in range(50):
        q = fraction / float(np.interp(1 - q, sizes, C))
    return q


def _sharp(**kwargs):
    def prediction(weighting: str, sigma2: float, sizes: np.ndarray, C: np.ndarray) -> float:
        return crossover(eq_14.generalizing_fraction(weighting, sigma2, **kwargs), sizes, C)

    return prediction


def _C_one(weighting, sigma2, sizes, C):
    return eq_14.generalizing_fraction(weighting, sigma2)


CONTROLS = (
    Control("sigma_t-for-sigma_t^2", "ψ_t = α_t²/σ_t instead of α_t²/σ_t²", _sharp(sigma_power=1)),
    Control("sigma2-misplaced", "1/(1 + ψ_t) instead of 1/(1 + ψ_tσ⋆²)", _sharp(misplaced=True)),
    Control("C=1", "C = 1 in place of the order-statistic C", _C_one),
)


def sharp_curve(M, N: int, C_sharp) -> tuple[np.ndarray, np.ndarray]:
    """The stored order-statistic C as a curve over M/N, for :func:`crossover` (sizes where it is
    undefined, M = N, left out)."""
    known = np.isfinite(np.asarray(C_sharp, dtype=float))
    return np.asarray(M)[known] / N, np.asarray(C_sharp, dtype=float)[known]


def check(claim: VerifiedClaim, results, prediction):
    table = results.arrays["losses"]
    N = results.measurements["losses"]["config"]["N"]
    sizes, C = sharp_curve(table["M"], N, table["C_sharp"])
    return eq_14.crossover_check(
        claim, results, lambda weighting, sigma2: prediction(weighting, sigma2, sizes, C)
    )


CLAIM = VerifiedClaim(
    id="eq-14-sharp",
    title="Eq. (14) with the order-statistic C (ours)",
    location="docs/theory.md §4 [derived]",
    statement=r"\frac{M^\star}{N} = 1 - \frac{\bar r_\lambda}{C_\text{sharp}(M^\star)},\quad "
    r"\bar r_\lambda = \frac{\sum_t \lambda(t)/(1 + \psi_t\sigma_\star^2)}{\sum_t\lambda(t)}",
    assumptions=eq_14.CLAIM.assumptions,
    margin=MARGIN,
    needs=("losses",),
    check=check,
    prediction=_sharp(),
    controls=CONTROLS,
    figures=("fig2_transition.png",),
    tables=("crossover by weighting",),
    note="beyond the paper; a point prediction beside the paper's interval",
)
