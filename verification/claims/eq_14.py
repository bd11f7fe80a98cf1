r"""Eq. (14): the crossover
:math:`M^\star/N = 1 - \frac1C\,\overline{(1 + \psi_t\sigma_\star^2)^{-1}}^{\lambda}` from the
closed forms, for :math:`C \in [1, 2]` (an interval), against the crossover read off the measured
per-time losses (the root in :math:`M` of the weighted loss difference, numerics layer), for several
weightings.

Compared as :math:`1 - M^\star/N = \bar r_\lambda / C` with a relative margin: a relative error
:math:`m` in :math:`C` (Theorem 3.2's margin) is a relative error :math:`m` in :math:`\bar
r_\lambda/C` [derived], so the margin is Theorem 3.2's, carried over exactly.

Negative controls: :math:`C = 1` (a point, the paper's reference code), :math:`\sigma_t` in place of
:math:`\sigma_t^2` in :math:`\psi_t`, :math:`\sigma_\star^2` misplaced (:math:`1/(1 + \psi_t)`;
distinguishable only at :math:`\sigma_\star^2 \ne 1`). Intervals overlap a lot: the controls that
an interval cannot refute are what the order-statistic point prediction is for."""

from collections.abc import Iterator, Mapping
from functools import lru_cache

import numpy as np

from memlab import theory

from ..claim import Control, VerifiedClaim, violated_assumptions
from ..margin import Margin
from ..verdict import aggregate, compare
from .common import assumption_values, snr
from .thm_3_2 import MARGIN as THM_3_2_MARGIN

MARGIN = Margin(
    THM_3_2_MARGIN.value,
    relative=True,
    unit="relative error of 1 − M*/N",
    source="derived",
    why="1 − M*/N = r̄_λ/C, so Theorem 3.2's relative margin on C is the same relative margin on "
    "1 − M*/N (" + THM_3_2_MARGIN.source + " there)",
)

_GRID = [float(t) for t in theory.grid_times()]


def weights(weighting: str) -> np.ndarray:
    """The weighting's values on the time grid, as floats."""
    return np.array(_exact_weights(weighting))


# Exact evaluation costs ~0.2 s; the paper's grid asks for the same few hundreds of times.
@lru_cache(maxsize=16)
def _exact_weights(weighting: str) -> tuple[float, ...]:
    values = theory.get_weighting(weighting).on_grid(theory.VP, theory.grid_times())
    return tuple(float(theory.evaluate(w)) for w in values)


def generalizing_fraction(
    weighting: str, sigma2: float, sigma_power: int = 2, misplaced: bool = False
) -> float:
    r""":math:`\bar r_\lambda`, the :math:`\lambda`-mean of :math:`1/(1 + \psi_t\sigma_\star^2)`
    (or a wrong variant, as in :func:`thm_3_1.excess`)."""
    w = weights(weighting)
    r = 1 / (1 + snr(_GRID, sigma_power) * (1.0 if misplaced else sigma2))
    return float((w * r).sum() / w.sum())


def interval(weighting: str, sigma2: float) -> list[float]:
    """Eq. (14) at C = 1 and C = 2 for this weighting (30 digits, then float)."""
    return list(_exact_interval(weighting, sigma2))


@lru_cache(maxsize=64)
def _exact_interval(weighting: str, sigma2: float) -> tuple[float, ...]:
    return tuple(
        float(theory.evaluate(bound))
        for bound in theory.crossover_interval(weighting, sigma2=theory.exact(sigma2, "sigma2"))
    )


def paper(weighting: str, sigma2: float):
    """1 − M*/N for C ∈ [1, 2]."""
    low, high = interval(weighting, sigma2)
    return [1 - high, 1 - low]


def _wrong_interval(**kwargs):
    def prediction(weighting: str, sigma2: float):
        r = generalizing_fraction(weighting, sigma2, **kwargs)
        return [r / 2, r]

    return prediction


CONTROLS = (
    Control("C=1", "C = 1: M*/N = 1 − r̄_λ", lambda w, s2: generalizing_fraction(w, s2)),
    Control(
        "sigma_t-for-sigma_t^2",
        "ψ_t = α_t²/σ_t instead of α_t²/σ_t²",
        _wrong_interval(sigma_power=1),
    ),
    Control(
        "sigma2-misplaced", "1/(1 + ψ_t) instead of 1/(1 + ψ_tσ⋆²)", _wrong_interval(misplaced=True)
    ),
)


def crossover_rows(crossover: Mapping[str, dict]) -> Iterator[tuple[str, str, float, float]]:
    """Per weighting of a stored measured crossover (``loss_summary``'s ``crossover``): ``(label,
    weighting, measured 1 − M*/N, SE)``. A root the measured sizes do not bracket lies beyond the
    nearest measured M/N: that bound, SE 0, and a label saying so."""
    for weighting, estimate in crossover.items():
        if estimate.get("bracketed", True):
            yield f"λ = {weighting}", weighting, 1 - estimate["mean"], estimate["se"]
        else:
            label = f"λ = {weighting} (root beyond measured M/N = {estimate['bound']:.3g})"
            yield label, weighting, 1 - estimate["bound"], 0.0


def crossover_check(claim: VerifiedClaim, results, prediction):
    """Every weighting's measured 1 − M*/N against ``prediction(weighting, sigma2)``."""
    losses = results.measurements["losses"]
    sigma2 = results.config["sigma2"]
    values = assumption_values(results.config, losses["config"])
    violated = violated_assumptions(claim.assumptions, values)
    rows = [
        compare(label, prediction(weighting, sigma2), measured, se, claim.margin, violated)
        for label, weighting, measured, se in crossover_rows(losses["crossover"])
    ]
    return aggregate(claim.id, rows, claim.margin, results.config, results.provenance, "1 − M*/N")


CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("eq-14"),
    margin=MARGIN,
    needs=("losses",),
    check=crossover_check,
    prediction=paper,
    controls=CONTROLS,
    figures=("fig2_transition.png", "fig3_mpt.png"),
    tables=("crossover by weighting",),
)
