r"""Figure 1: the loss approximations against the measured per-time losses at the paper's
configuration (d = 50, K = 12, N = 200). From one Monte Carlo loss table: the generalizing excess
against Theorem 3.1 at each time, and each partially memorizing excess against Theorem 3.2's band
:math:`[1, 2]\cdot d\sigma_\star^2(1 - M/N)`, with the theorems' assumptions evaluated per time."""

from memlab import theory

from ..claim import VerifiedClaim, violated_assumptions
from ..tolerance import Tolerance
from ..verdict import aggregate, compare
from .common import assumption_values

TOLERANCE = Tolerance(
    z=3,
    rtol=0.01,
    atol=0.0,
    why="the same rule as Theorem 3.1 (3 SE of Monte Carlo noise, 1% for '≈'); for the partially "
    "memorizing curves the theory is the C ∈ [1, 2] band, so 1% of its nearest edge.",
)

_excess = theory.to_numpy(theory.generalizing_excess_loss(), ["d", "sigma2", "t"])


def check(claim: VerifiedClaim, results):
    table, config = results.arrays["losses"], results.measurements["losses"]["config"]
    d, N, sigma2 = config["d"], config["N"], config["sigma2"]
    generalizing = theory.get_claim("thm-3.1").assumptions
    partial = theory.get_claim("thm-3.2").assumptions
    rows = []
    for t, measured, se in zip(
        table["t"], table["generalizing_excess"], table["generalizing_excess_se"], strict=False
    ):
        values = assumption_values(results.config, config, t=float(t))
        rows.append(
            compare(
                f"θ⋆, t={t:.3f}",
                float(_excess(d, sigma2, t)),
                measured,
                se,
                claim.tolerance,
                violated_assumptions(generalizing, values),
            )
        )
    for M, excess, excess_se in zip(
        table["M"], table["partial_excess"], table["partial_excess_se"], strict=False
    ):
        if M >= N:  # θ_pmem,N is θ_mem: its excess is zero by construction, nothing to test
            continue
        band = [float(c) * d * sigma2 * (1 - M / N) for c in theory.C_INTERVAL]
        for t, measured, se in zip(table["t"], excess, excess_se, strict=False):
            values = assumption_values(results.config, config, t=float(t), M=int(M))
            rows.append(
                compare(
                    f"θ_pmem M={M}, t={t:.3f}",
                    band,
                    measured,
                    se,
                    claim.tolerance,
                    violated_assumptions(partial, values),
                )
            )
    return aggregate(
        claim.id, rows, claim.tolerance, results.config, results.provenance, "excess loss"
    )


CLAIM = VerifiedClaim(
    id="fig-1",
    title="Loss approximations match measured losses",
    location="§3, Figure 1",
    statement=r"\text{at } d=50, K=12, N=200:\ \mathcal L_{N,t}(\theta) - \mathcal "
    r"L_{N,t}(\theta_\text{mem}) "
    r"\text{ follows Thms 3.1, 3.2 for } \theta \in \{\theta_\star, \theta_{\text{pmem},M}\}",
    assumptions=tuple(
        {
            a.id: a
            for a in (
                *theory.get_claim("thm-3.1").assumptions,
                *theory.get_claim("thm-3.2").assumptions,
            )
        }.values()
    ),
    tolerance=TOLERANCE,
    needs=("losses",),
    check=check,
    figures=("fig1_losses.png",),
    per_time=True,
)
