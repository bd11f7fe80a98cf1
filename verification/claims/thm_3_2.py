r"""Theorem 3.2:
:math:`\mathcal L_{N,t}(\theta_{\text{pmem},M}) - \mathcal L_{N,t}(\theta_\text{mem})
\approx C d\sigma_\star^2(1 - M/N)` with :math:`C \in [1, 2]`. The check: the measured
:math:`C(t, M)` = excess / :math:`d\sigma_\star^2(1 - M/N)` lies in :math:`[1, 2]`, per grid time
and model size, with the claim's assumptions evaluated per time."""

from memlab import theory

from ..claim import VerifiedClaim, violated_assumptions
from ..tolerance import Tolerance
from ..verdict import aggregate, compare
from .common import assumption_values

TOLERANCE = Tolerance(
    z=3,
    rtol=0.0,
    atol=0.0,
    why="the theorem states the interval C ∈ [1, 2] itself (dense and 1-sparse limits), so no "
    "slack beyond 3 SE of Monte Carlo noise on the measured C.",
)


def c_comparisons(claim: VerifiedClaim, results, theory_of_row):
    """Measured C against ``theory_of_row(row)`` (an interval or a number; None skips the row)."""
    comparisons = []
    for result in results.measurements["thm-3.2"]["results"]:
        config = result["config"]
        for row in result["rows"]:
            expected = theory_of_row(row)
            if expected is None or row.get("C") is None:
                continue
            values = assumption_values(results.config, config, t=row["t"])
            comparisons.append(
                compare(
                    f"M={config.get('M')}, t={row['t']:.3f}",
                    expected,
                    row["C"],
                    row.get("C_se") or 0.0,
                    claim.tolerance,
                    violated_assumptions(claim.assumptions, values),
                )
            )
    return comparisons


def check(claim: VerifiedClaim, results):
    interval = tuple(float(c) for c in theory.C_INTERVAL)
    rows = c_comparisons(claim, results, lambda row: interval)
    return aggregate(claim.id, rows, claim.tolerance, results.config, results.provenance, "C")


CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("thm-3.2"),
    tolerance=TOLERANCE,
    needs=("thm-3.2",),
    check=check,
    figures=("fig1_losses.png", "c_order_statistic.png"),
    tables=("per-time comparisons",),
    per_time=True,
)
