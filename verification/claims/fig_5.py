r"""Figure 5 (paper §4.2): the generalization-to-memorization transition persists on the low-rank
image-like model. Judged per trained model: the memorization ratio is :math:`\approx 0` at
:math:`M/N \le 1/2` (well below every predicted crossover: the low-rank fixed point of
:mod:`theory.low_rank` gives :math:`M^\star/N \approx 0.9`, the isotropic eq. (14) at least 0.66)
and :math:`\approx 1` at :math:`M = N`, the same reading of "≈" as Figure 2. Reported, not judged
(the paper gives no number to hold them to): :math:`M_{pt}/N` with its bootstrap interval and how
far the isotropic eq. (14) interval and the low-rank prediction each miss it.

Judged only where training left the memorizing start: the learned colour variance of the smallest
model must have grown to at least a tenth of :math:`\sigma_c^2` (a model still at
:math:`s^2 \approx 10^{-6}` is a set of point masses, whatever its ratio).

The statement, its margin and its negative controls (no transition; an early one) are Figure 2's
(:mod:`verification.claims.fig_2`): the same claim on other data.
"""

from memlab.numerics.memorization import wilson_se

from ..claim import VerifiedClaim, violated_assumptions
from ..conditions import Condition
from ..verdict import aggregate, compare, skipped
from .fig_2 import CONTROLS, MARGIN, statement


def escaped_memorization(fraction: float = 0.1) -> Condition:
    return Condition(
        "left-memorizing-start",
        rf"s^2(M_\min)/\sigma_c^2 \geq {fraction:g}",
        "escape",
        fraction,
        "the smallest model's learned colour variance must have grown from 1e-6 towards "
        "sigma_c^2; otherwise training has not run long enough to show the transition",
    )


def _escape(sweep: dict) -> float:
    good = [p for p in sweep["points"] if not p.get("failed")]
    smallest = min(good, key=lambda p: p["M"])
    return smallest["learned_s2"] / sweep["config"]["colour_var"]


def check(claim: VerifiedClaim, results, prediction):
    sweep = results.measurements["low-rank-sweep"]
    N = sweep["config"]["N"]
    good = [p for p in sweep["points"] if not p.get("failed")]
    if not good:
        return skipped(
            claim.id, "every model failed", claim.margin, results.config, results.provenance
        )
    violated = violated_assumptions(claim.assumptions, {"escape": _escape(sweep)})
    rows = []
    for point in good:
        expected = prediction(1.0 if point["M"] == N else point["M"] / N)
        if expected is None:
            continue
        p, n = point["ratio"], max(int(point["samples"]), 1)
        rows.append(
            compare(
                f"M={point['M']} (M/N={point['M'] / N:.2f})",
                expected,
                p,
                wilson_se(p, n),
                claim.margin,
                violated,
            )
        )
    verdict = aggregate(
        claim.id, rows, claim.margin, results.config, results.provenance, "memorization ratio"
    )
    return type(verdict)(**{**vars(verdict), "reason": f"{verdict.reason}; {_report(sweep)}"})


def _report(sweep: dict) -> str:
    N = sweep["config"]["N"]
    predicted = sweep.get("predicted", {})
    parts = []
    if sweep.get("M_pt") is None:
        return "no M_pt (the ratio never crossed 0.5)"
    ratio = sweep["M_pt"] / N
    ci = sweep.get("M_pt_ci") or [None, None]
    interval = "" if None in ci else f" (95% CI {ci[0] / N:.3f}–{ci[1] / N:.3f})"
    parts.append(f"M_pt/N = {ratio:.3f}{interval}")
    low_rank = predicted.get("low_rank")
    if low_rank is not None:
        parts.append(f"low-rank prediction {low_rank:.3f} misses it by {ratio - low_rank:+.3f}")
    isotropic = predicted.get("isotropic_eq14")
    if isotropic:
        miss = max(isotropic[0] - ratio, ratio - isotropic[1], 0.0)
        parts.append(
            f"isotropic eq. (14) [{isotropic[0]:.3f}, {isotropic[1]:.3f}] misses it by {miss:.3f}"
        )
    return "; ".join(parts)


CLAIM = VerifiedClaim(
    id="fig-5",
    title="The transition persists on the low-rank image-like model",
    location="§4.2, Figure 5",
    statement=r"\text{mem. ratio}(M) \approx 0 \text{ for } M/N \le 1/2,\ \approx 1 \text{ at } "
    r"M = N;\ M_\text{pt}/N \text{ against the low-rank and isotropic crossovers}",
    assumptions=(escaped_memorization(),),
    margin=MARGIN,
    needs=("low-rank-sweep",),
    check=check,
    prediction=statement,
    controls=CONTROLS,
    figures=("fig5_low_rank.png",),
)
