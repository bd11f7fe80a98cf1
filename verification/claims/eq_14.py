r"""Eq. (14): the crossover
:math:`M^\star/N = 1 - \frac1C\,\overline{(1 + \psi_t\sigma_\star^2)^{-1}}^{\lambda}` from the
closed forms, for :math:`C \in [1, 2]` (an interval), against the crossover read off the measured
per-time losses (the root in :math:`M` of the weighted loss difference, numerics layer), for several
weightings."""

from memlab import theory

from ..claim import VerifiedClaim, violated_assumptions
from ..tolerance import Tolerance
from ..verdict import aggregate, compare
from .common import assumption_values

TOLERANCE = Tolerance(
    z=3,
    rtol=0.0,
    atol=0.01,
    why="the closed form gives an interval (C ∈ [1, 2]); 3 SE (delta method over the Monte Carlo "
    "units); atol 0.01: the measured root interpolates linearly between model sizes N/10 apart.",
)


def interval(weighting: str, sigma2: float) -> list[float]:
    """Eq. (14) at C = 1 and C = 2 for this weighting (30 digits, then float)."""
    return [
        float(theory.evaluate(bound))
        for bound in theory.crossover_interval(weighting, sigma2=theory.exact(sigma2, "sigma2"))
    ]


def check(claim: VerifiedClaim, results):
    losses = results.measurements["losses"]
    values = assumption_values(results.config, losses["config"])
    violated = violated_assumptions(claim.assumptions, values)
    rows = []
    for weighting, estimate in losses["crossover"].items():
        theory_interval = interval(weighting, results.config["sigma2"])
        if estimate.get("bracketed", True):
            rows.append(
                compare(
                    f"λ = {weighting}",
                    theory_interval,
                    estimate["mean"],
                    estimate["se"],
                    claim.tolerance,
                    violated,
                )
            )
        else:
            # the measured sizes do not bracket the root: it lies beyond `bound`, the nearest
            # measured M/N
            rows.append(
                compare(
                    f"λ = {weighting} (root beyond measured M/N = {estimate['bound']:.3g})",
                    theory_interval,
                    estimate["bound"],
                    0.0,
                    claim.tolerance,
                    violated,
                )
            )
    return aggregate(claim.id, rows, claim.tolerance, results.config, results.provenance, "M*/N")


CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("eq-14"),
    tolerance=TOLERANCE,
    needs=("losses",),
    check=check,
    figures=("fig2_transition.png", "fig3_mpt.png"),
    tables=("crossover by weighting",),
)
