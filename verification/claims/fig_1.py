r"""Figure 1: the loss approximations against the measured per-time losses at the paper's
configuration (d = 50, K = 12, N = 200). From one Monte Carlo loss table: the generalizing excess
against Theorem 3.1 at each time, and each partially memorizing excess against Theorem 3.2's band
:math:`[1, 2]\cdot d\sigma_\star^2(1 - M/N)`, with the theorems' assumptions evaluated per time and
Theorem 3.1's margin.

Negative controls: :math:`\sigma_\star^2` misplaced in both closed forms (distinguishable only at
:math:`\sigma_\star^2 \ne 1`) and :math:`C = 1` for the partially memorizing curves."""

from memlab import theory

from ..claim import Control, VerifiedClaim, violated_assumptions
from ..verdict import aggregate, compare
from . import thm_3_1, thm_3_2
from .common import assumption_values

MARGIN = thm_3_1.MARGIN


def closed_forms(
    d: int, sigma2: float, t: float, M: int, N: int, C=theory.C_INTERVAL, misplaced=False
):
    """(Theorem 3.1's excess at ``t``, Theorem 3.2's band at ``M``) — or a wrong variant."""
    scale = d * (1.0 if misplaced else sigma2) * (1 - M / N)
    band = [float(c) * scale for c in C] if isinstance(C, tuple) else float(C) * scale
    return thm_3_1.excess(d, sigma2, t, misplaced=misplaced), band


def _variant(**kwargs):
    return lambda d, sigma2, t, M, N: closed_forms(d, sigma2, t, M, N, **kwargs)


CONTROLS = (
    Control("sigma2-misplaced", "σ⋆² misplaced in both closed forms", _variant(misplaced=True)),
    Control("C=1", "C = 1 for the partially memorizing curves", _variant(C=1.0)),
)


def check(claim: VerifiedClaim, results, prediction):
    table, config = results.arrays["losses"], results.measurements["losses"]["config"]
    d, N, sigma2 = config["d"], config["N"], config["sigma2"]
    generalizing = thm_3_1.CLAIM.assumptions
    partial = thm_3_2.CLAIM.assumptions
    rows = []
    for t, measured, se in zip(
        table["t"], table["generalizing_excess"], table["generalizing_excess_se"], strict=False
    ):
        values = assumption_values(results.config, config, t=float(t))
        rows.append(
            compare(
                f"θ⋆, t={t:.3f}",
                prediction(d, sigma2, float(t), N, N)[0],
                measured,
                se,
                claim.margin,
                violated_assumptions(generalizing, values),
            )
        )
    for M, excess, excess_se in zip(
        table["M"], table["partial_excess"], table["partial_excess_se"], strict=False
    ):
        if M >= N:  # θ_pmem,N is θ_mem: its excess is zero by construction, nothing to test
            continue
        for t, measured, se in zip(table["t"], excess, excess_se, strict=False):
            values = assumption_values(results.config, config, t=float(t), M=int(M))
            rows.append(
                compare(
                    f"θ_pmem M={M}, t={t:.3f}",
                    prediction(d, sigma2, float(t), int(M), N)[1],
                    measured,
                    se,
                    claim.margin,
                    violated_assumptions(partial, values),
                )
            )
    return aggregate(
        claim.id, rows, claim.margin, results.config, results.provenance, "excess loss"
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
                *thm_3_1.CLAIM.assumptions,
                *thm_3_2.CLAIM.assumptions,
            )
        }.values()
    ),
    margin=MARGIN,
    needs=("losses",),
    check=check,
    prediction=closed_forms,
    controls=CONTROLS,
    figures=("fig1_losses.png",),
    per_time=True,
)
