r"""Figure 3: predicted against measured phase-transition points :math:`M_\text{pt}/N` across
configurations. The prediction here is eq. (14) with the closed forms and the uniform :math:`x_0`
weighting, the interval for :math:`C \in [1, 2]` (it contains the paper's headline 4/5); the fitted
weighting of eq. (15) is judged in its own claim and drawn in the same figure."""

from ..claim import VerifiedClaim, violated_assumptions
from ..conditions import clean_transition, converged_training
from ..tolerance import Tolerance
from ..verdict import aggregate, compare, skipped
from .eq_14 import interval


def transition_se(config: dict) -> float:
    """SE of M_pt/N read off its 95% interval (±1.96 SE); 0 when the sweep gave no interval."""
    ci = config.get("M_pt_ci") or [None, None]
    return 0.0 if None in ci else (ci[1] - ci[0]) / (2 * 1.96 * config["N"])


TOLERANCE = Tolerance(
    z=2,
    rtol=0.0,
    atol=0.0,
    why="the prediction is an interval (C ∈ [1, 2]); 2 SE of the measured M_pt/N (its bootstrap "
    "interval read as ±1.96 SE); no further slack.",
)


def check(claim: VerifiedClaim, results):
    band = interval("uniform", results.config["sigma2"])
    rows = []
    for config in results.measurements["sweep"]["configs"]:
        if config.get("M_pt") is None:
            continue
        N = config["N"]
        se = transition_se(config)
        values = {"steps": config.get("steps", 0), "clean_step": bool(config.get("clean_step"))}
        rows.append(
            compare(
                f"d={config['d']} K={config['K']} N={N}",
                band,
                config["M_pt"] / N,
                se,
                claim.tolerance,
                violated_assumptions(claim.assumptions, values),
            )
        )
    if not rows:
        return skipped(
            claim.id,
            "no configuration of the sweep has a measured M_pt (the ratio never crossed 0.5)",
            claim.tolerance,
            results.config,
            results.provenance,
        )
    return aggregate(claim.id, rows, claim.tolerance, results.config, results.provenance, "M_pt/N")


CLAIM = VerifiedClaim(
    id="fig-3",
    title="Predicted vs measured transition points",
    location="§3, Figure 3",
    statement=r"M_\text{pt}/N \approx M^\star/N \approx 4/5 \text{ across } (d, K, N)",
    assumptions=(converged_training(), clean_transition()),
    tolerance=TOLERANCE,
    needs=("sweep",),
    check=check,
    figures=("fig3_mpt.png",),
)
