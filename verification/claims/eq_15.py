r"""Eq. (15): a weighting :math:`\tilde\lambda` fitted on training configurations predicts the
measured phase-transition points :math:`M_\text{pt}/N` of held-out ones
(:mod:`verification.weighting_fit`). Each held-out configuration is one comparison, for each of the
two predictors (closed forms with a chosen :math:`C`; measured per-time losses). Needs at least two
configurations with a measured :math:`M_\text{pt}`; with fewer the verdict is ``skipped``, never a
fit to nothing."""

from ..claim import VerifiedClaim, violated_assumptions
from ..conditions import clean_transition, converged_training
from ..tolerance import Tolerance
from ..verdict import aggregate, compare

PAPER_ERROR = 2e-4
"""The paper's reported train/test error of the fitted weighting (a mean squared error of M*/N)."""

TOLERANCE = Tolerance(
    z=2,
    rtol=0.0,
    atol=PAPER_ERROR**0.5,
    why="atol = √(2×10⁻⁴) ≈ 0.014, the root of the paper's reported test error (an MSE of M*/N); 2 "
    "SE of the measured M_pt/N (its bootstrap interval as ±1.96 SE).",
)


def check(claim: VerifiedClaim, results):
    fit = results.measurements["eq-15"]
    sweep_configs = {(c["d"], c["K"], c["N"]): c for c in results.measurements["sweep"]["configs"]}
    rows = []
    for name, result in sorted(fit["fits"].items()):
        for index in result["test"]:
            c = fit["configurations"][index]
            source = sweep_configs.get((c["d"], c["K"], c["N"]), {})
            se = (c["ci"][1] - c["ci"][0]) / (2 * 1.96) if c.get("ci") else 0.0
            violated = violated_assumptions(
                claim.assumptions,
                {"steps": source.get("steps", 0), "clean_step": bool(source.get("clean_step"))},
            )
            rows.append(
                compare(
                    f"{name}, held out d={c['d']} K={c['K']} N={c['N']}",
                    result["predicted"][index],
                    c["M_pt_over_N"],
                    se,
                    claim.tolerance,
                    violated,
                )
            )
    return aggregate(claim.id, rows, claim.tolerance, results.config, results.provenance, "M_pt/N")


CLAIM = VerifiedClaim(
    id="eq-15",
    title="Fitted weighting predicts the transition",
    location="§3, eq. (15)",
    statement=r"\tilde\lambda = \arg\min_{\lambda\in\Delta}\sum_{c\in\text{train}}"
    r"\Big(\frac{M^\star_c(\lambda)}{N_c} - \frac{M_{\text{pt},c}}{N_c}\Big)^2,\quad "
    r"\text{train/test error} \le 2\times10^{-4}",
    assumptions=(converged_training(), clean_transition()),
    tolerance=TOLERANCE,
    needs=("sweep", "eq-15"),
    check=check,
    figures=("weighting.png", "fig3_mpt.png"),
    tables=("eq. (15) fit",),
)
