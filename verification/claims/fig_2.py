r"""Figure 2: the memorization ratio rises from ≈ 0 to ≈ 1 as M/N grows (with train and test losses
crossing). Per trained model: the ratio is ≈ 0 at M/N ≤ 1/2 (well below every predicted crossover,
eq. (14) with C ∈ [1, 2] gives M*/N ≥ 0.66) and ≈ 1 at M = N. Judged only where training converged."""

import math

from ..claim import VerifiedClaim, violated_assumptions
from ..conditions import converged_training
from ..tolerance import Tolerance
from ..verdict import aggregate, compare

TOLERANCE = Tolerance(
    z=2, rtol=0.0, atol=0.1,
    why="atol 0.1: '≈ 0' and '≈ 1' as the training layer's ci criterion reads them (ratio ≤ 0.1 for "
    "M/N ≤ 0.5, ≥ 0.9 at M = N); 2 binomial SE of a ratio from a few dozen samples.",
)


def check(claim: VerifiedClaim, results):
    rows = []
    for config in results.measurements["sweep"]["configs"]:
        N = config["N"]
        violated = violated_assumptions(claim.assumptions, {"steps": config.get("steps", 0)})
        for point in config["points"]:
            if point.get("failed") or point.get("ratio") is None:
                continue
            fraction = point["M"] / N
            if fraction > 0.5 and point["M"] != N:
                continue
            expected = 0.0 if fraction <= 0.5 else 1.0
            p, n = point["ratio"], max(int(point.get("samples") or 1), 1)
            rows.append(compare(
                f"d={config['d']} K={config['K']} N={N}, M={point['M']}, seed={point['seed']}", expected, p,
                math.sqrt(p * (1 - p) / n), claim.tolerance, violated,
            ))
    return aggregate(claim.id, rows, claim.tolerance, results.config, results.provenance, "memorization ratio")


CLAIM = VerifiedClaim(
    id="fig-2", title="Memorization ratio rises from 0 to 1 with M/N", location="§3, Figure 2",
    statement=r"\text{mem. ratio}(M) \approx 0 \text{ for } M \ll M^\star,\ \approx 1 \text{ at } M = N;"
    r"\ \mathcal L_\text{train},\ \mathcal L_\text{test} \text{ separate past } M^\star",
    assumptions=(converged_training(),), tolerance=TOLERANCE, needs=("sweep",), check=check,
    figures=("fig2_transition.png",),
)
