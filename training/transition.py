r"""The phase-transition point :math:`M_{pt}` from memorization ratios measured across M
(docs/theory.md §5).

Raw ratio curves are not monotone in M (50 samples give ±0.1 per point), so a first-crossing rule
jumps. Instead:

1. pool the memorized counts :math:`k_j` and sample counts :math:`n_j` over seeds at each
   :math:`M_j`;
2. fit a non-decreasing curve by weighted isotonic regression (pool-adjacent-violators, weights
   :math:`n_j`);
3. :math:`M_{pt}` is where the piecewise-linear fit crosses 0.5 (the midpoint if it sits at 0.5 on
   an interval); the paper's window is where it crosses 0.1 and 0.9;
4. a 95% interval for :math:`M_{pt}` by bootstrap: resample seeds with replacement, redraw each
   count :math:`k^*_j \sim \mathrm{Binomial}(n_j, k_j/n_j)`, refit;
5. the curve is a *clean step* when the fit stays inside every point's Wilson interval (the raw
   non-monotonicity is sampling noise), it runs from ≤ 0.1 to ≥ 0.9, and the 0.1–0.9 window is at
   most ``max_window`` wide (a slow ramp, as in under-trained sweeps, is not a step).

A crossing outside the measured range is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float, Int

from memlab.numerics.memorization import wilson_interval

__all__ = [
    "isotonic_fit",
    "crossing",
    "Transition",
    "estimate_transition",
    "bootstrap_crossings",
    "pooled_crossing",
    "pooled_counts",
]


def isotonic_fit(
    values: Float[np.ndarray, " J"], weights: Float[np.ndarray, " J"]
) -> Float[np.ndarray, " J"]:
    """Weighted least-squares non-decreasing fit (pool-adjacent-violators)."""
    blocks: list[list[float]] = []  # [value, weight, length]
    for value, weight in zip(values, weights, strict=False):
        blocks.append([float(value), float(weight), 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, n2 = blocks.pop()
            v1, w1, n1 = blocks.pop()
            blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, n1 + n2])
    return np.concatenate([np.full(n, v) for v, _, n in blocks])


def crossing(
    x: Float[np.ndarray, " J"], fit: Float[np.ndarray, " J"], level: float
) -> float | None:
    """Where the non-decreasing piecewise-linear curve through (x, fit) crosses ``level``."""
    below, above = np.flatnonzero(fit < level), np.flatnonzero(fit > level)
    if below.size == 0 or above.size == 0:
        at_level = np.flatnonzero(fit == level)
        if at_level.size and (below.size or above.size):
            return float(x[at_level[0]] if below.size else x[at_level[-1]])
        return None

    def along(i: int, j: int) -> float:
        return float(x[i] + (level - fit[i]) / (fit[j] - fit[i]) * (x[j] - x[i]))

    last_below, first_above = below[-1], above[0]
    lower = (
        along(last_below, last_below + 1)
        if fit[last_below + 1] != level
        else float(x[last_below + 1])
    )
    upper = (
        along(first_above - 1, first_above)
        if fit[first_above - 1] != level
        else float(x[first_above - 1])
    )
    return 0.5 * (lower + upper)


@dataclass(frozen=True)
class Transition:
    M_pt: float | None
    M_pt_ci: tuple[float | None, float | None]
    window: tuple[float | None, float | None]
    clean_step: bool
    fit: tuple[float, ...]  # the isotonic fit at the distinct M, ascending


def pooled_counts(
    M: Int[np.ndarray, " P"], memorized: Int[np.ndarray, " P"], samples: Int[np.ndarray, " P"]
) -> tuple[Int[np.ndarray, " D"], Float[np.ndarray, " D"], Float[np.ndarray, " D"]]:
    """The distinct M (ascending) with the memorized and sample counts of all their points
    (seeds pooled)."""
    M, memorized, samples = (np.asarray(a) for a in (M, memorized, samples))
    distinct = np.unique(M)
    k = np.array([memorized[m == M].sum() for m in distinct], float)
    n = np.array([samples[m == M].sum() for m in distinct], float)
    return distinct, k, n


def bootstrap_crossings(
    M: Int[np.ndarray, " P"],
    seeds: Int[np.ndarray, " P"],
    memorized: Int[np.ndarray, " P"],
    samples: Int[np.ndarray, " P"],
    rng: np.random.Generator,
    bootstrap: int = 400,
) -> Float[np.ndarray, " B"]:
    """Step 4's replicates of the 0.5 crossing (NaN where a replicate does not cross): seeds
    resampled with replacement, then each count redrawn from its binomial."""
    M, seeds, memorized, samples = (np.asarray(a) for a in (M, seeds, memorized, samples))
    seed_values = np.unique(seeds)
    replicates = []
    for _ in range(bootstrap):
        chosen = rng.choice(seed_values, size=seed_values.size)
        rows = np.concatenate([np.flatnonzero(seeds == s) for s in chosen])
        redrawn = rng.binomial(samples[rows], memorized[rows] / samples[rows])
        d_b, k_b, n_b = pooled_counts(M[rows], redrawn, samples[rows])
        value = crossing(d_b, isotonic_fit(k_b / n_b, n_b), 0.5)
        replicates.append(np.nan if value is None else value)
    return np.array(replicates)


def pooled_crossing(
    M: Int[np.ndarray, " P"], memorized: Int[np.ndarray, " P"], samples: Int[np.ndarray, " P"]
) -> float | None:
    """Steps 1-3 alone: the 0.5 crossing of the monotone fit to the counts pooled at each M."""
    distinct, k, n = pooled_counts(*(np.asarray(a) for a in (M, memorized, samples)))
    return crossing(distinct, isotonic_fit(k / n, n), 0.5)


def estimate_transition(
    M: Int[np.ndarray, " P"],
    seeds: Int[np.ndarray, " P"],
    memorized: Int[np.ndarray, " P"],
    samples: Int[np.ndarray, " P"],
    rng: np.random.Generator,
    bootstrap: int = 400,
    max_window: float = np.inf,
) -> Transition:
    """:math:`M_{pt}`, its bootstrap interval, the 0.1–0.9 window and the clean-step flag from one
    point per (M, seed)."""
    M, seeds, memorized, samples = (np.asarray(a) for a in (M, seeds, memorized, samples))
    distinct, k, n = pooled_counts(M, memorized, samples)
    fit = isotonic_fit(k / n, n)
    estimate = crossing(distinct, fit, 0.5)

    replicates = bootstrap_crossings(M, seeds, memorized, samples, rng, bootstrap)
    defined = replicates[np.isfinite(replicates)]
    # An interval only when the crossing exists in at least 95% of the replicates.
    ci = (
        (float(np.percentile(defined, 2.5)), float(np.percentile(defined, 97.5)))
        if defined.size >= 0.95 * bootstrap
        else (None, None)
    )

    inside = all(
        lo - 1e-12 <= f <= hi + 1e-12
        for f, lo, hi in (
            (f, *wilson_interval(int(kj), int(nj))) for f, kj, nj in zip(fit, k, n, strict=False)
        )
    )
    window = (crossing(distinct, fit, 0.1), crossing(distinct, fit, 0.9))
    narrow = None not in window and window[1] - window[0] <= max_window
    clean = bool(inside and narrow and fit[0] <= 0.1 and fit[-1] >= 0.9)
    return Transition(estimate, ci, window, clean, tuple(map(float, fit)))
