r"""Figure 2: the memorization ratio rises from ≈ 0 to ≈ 1 as M/N grows, and train and test losses
separate. Per trained model: the ratio is ≈ 0 at M/N ≤ 1/2 (well below every predicted crossover,
eq. (14) with C ∈ [1, 2] gives M*/N ≥ 0.66) and ≈ 1 at M = N. Per configuration: the generalization
gap (test loss − training loss, each averaged over seeds) is larger at the largest trained M than at
the smallest, an inequality (theory :math:`[0, \infty)` for the increase; SE over seeds where there
are several, else the Monte Carlo SE over points). Judged only where training converged.

Margins. A ratio is judged within 0.1 of its limit [paper protocol]: the paper places the transition
in the window where the ratio crosses 0.1 and 0.9 (docs/theory.md §5; ``training.transition`` reads
a clean step the same way), so "≈ 0" means below that window and "≈ 1" above it; a ratio beyond 0.1
of its limit at M/N ≤ 1/2 (or at M = N) says the transition has begun where the claim says it has
not (or has not finished). The margin is a fixed width in ratio units and does not shrink or grow
with the number of samples; the Wilson SE of a ratio carries the sampling (not 0 at a ratio of 0
or 1). The gap rows test the sign of a difference (:data:`GAP_MARGIN`, 0 [derived]).

Negative controls: no transition (the ratio stays ≈ 0 up to M = N) and an early one (the ratio is
already ≈ 1 at M/N ≤ 1/2)."""

import math

from memlab.numerics.memorization import wilson_se

from ..claim import Control, VerifiedClaim, violated_assumptions
from ..conditions import converged_training
from ..margin import Margin
from ..verdict import aggregate, compare
from .common import stored_sweep

MARGIN = Margin(
    0.1,
    relative=False,
    unit="memorization ratio",
    source="paper",
    why="the paper's transition protocol places the transition in the window where the ratio "
    "crosses 0.1 and 0.9 (docs/theory.md §5): '≈ 0' (at M/N ≤ 1/2, below every crossover eq. (14) "
    "predicts, M*/N ≥ 0.66) is below that window and '≈ 1' (at M = N) above it, so a ratio is "
    "judged within 0.1 of its limit; the Wilson SE of the sampled ratio carries the sampling.",
)
GAP_MARGIN = Margin(
    0.0,
    relative=False,
    unit="increase of the test − train loss gap (x0 units)",
    source="derived",
    why="the statement is a sign (the gap grows from the smallest to the largest M): any decrease "
    "contradicts it, so the region is [0, ∞) with no slack. Round-off supplies none worth "
    "stating: each loss is a float64 average of nonnegative terms (over d coordinates, N points, "
    "the draws and 26 times), whose accumulation error is a relative (d + N + draws + 26)·2^-53, "
    "≈ 3e-14 at the paper's sizes; the seeds' spread is the SE.",
)


def statement(fraction: float) -> object:
    """The memorization ratio the claim states at model size M/N (``None``: no statement there);
    ``"gap"`` asks for the loss-gap increase, at least 0."""
    if fraction == "gap":
        return [0.0, None]
    return 0.0 if fraction <= 0.5 else (1.0 if fraction == 1 else None)


def no_transition(fraction):
    return [0.0, None] if fraction == "gap" else (0.0 if fraction <= 0.5 or fraction == 1 else None)


def early_transition(fraction):
    return [0.0, None] if fraction == "gap" else (1.0 if fraction <= 0.5 or fraction == 1 else None)


CONTROLS = (
    Control("no-transition", "the ratio stays ≈ 0 up to M = N", no_transition),
    Control("early-transition", "the ratio is ≈ 1 already at M/N ≤ 1/2", early_transition),
)


def check(claim: VerifiedClaim, results, prediction):
    rows = []
    for config in stored_sweep(results).configs:
        N = config.N
        name = f"d={config.d} K={config.K} N={N}"
        violated = violated_assumptions(claim.assumptions, {"steps": config.steps})
        for point in config.points:
            if point.failed or point.ratio is None:
                continue
            expected = prediction(1.0 if point.M == N else point.M / N)
            if expected is None:
                continue
            p, n = point.ratio, max(int(point.samples or 1), 1)
            rows.append(
                compare(
                    f"{name}, M={point.M}, seed={point.seed}",
                    expected,
                    p,
                    wilson_se(p, n),
                    claim.margin,
                    violated,
                )
            )
        gap = _gap_increase(config.points)
        if gap is not None:
            (low, high), increase, se = gap
            rows.append(
                compare(
                    f"{name}, loss gap M={high} minus M={low}",
                    prediction("gap"),
                    increase,
                    se,
                    GAP_MARGIN,
                    violated,
                )
            )
    return aggregate(
        claim.id, rows, claim.margin, results.config, results.provenance, "memorization ratio"
    )


def _gap_increase(points: list) -> tuple[tuple[int, int], float, float] | None:
    """(smallest M, largest M), the increase of the seed-mean test − train loss gap between them,
    and its SE: over seeds where an M has several, else the Monte Carlo SE over points stored with
    the model (NaN for runs stored without it: the row is then inconclusive, never confirmed with
    a false certainty); ``None`` with fewer than two M's measured."""
    gaps: dict[int, list[tuple[float, float]]] = {}
    for point in points:
        if not point.failed and point.train_loss is not None and point.test_loss is not None:
            se = math.nan if point.loss_gap_se is None else point.loss_gap_se
            gaps.setdefault(point.M, []).append((point.test_loss - point.train_loss, se))
    if len(gaps) < 2:
        return None
    low, high = min(gaps), max(gaps)

    def mean(values: list[tuple[float, float]]) -> float:
        return sum(gap for gap, _ in values) / len(values)

    def variance_of_mean(values: list[tuple[float, float]]) -> float:
        n = len(values)
        if n < 2:
            return values[0][1] ** 2
        return sum((gap - mean(values)) ** 2 for gap, _ in values) / (n - 1) / n

    return (
        (low, high),
        mean(gaps[high]) - mean(gaps[low]),
        math.sqrt(variance_of_mean(gaps[high]) + variance_of_mean(gaps[low])),
    )


CLAIM = VerifiedClaim(
    id="fig-2",
    title="Memorization ratio rises from 0 to 1 with M/N",
    location="§3, Figure 2",
    statement=r"\text{mem. ratio}(M) \approx 0 \text{ for } M \ll M^\star,\ \approx 1 \text{ at } "
    r"M = N;\ \mathcal L_\text{train},\ \mathcal L_\text{test} \text{ separate past } M^\star",
    assumptions=(converged_training(),),
    margin=MARGIN,
    needs=("sweep",),
    check=check,
    prediction=statement,
    controls=CONTROLS,
    figures=("fig2_transition.png",),
)
