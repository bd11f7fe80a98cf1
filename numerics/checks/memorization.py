r"""Definition 2.2 exercised: memorization ratios (with Wilson intervals) of sample sets whose
answer is known. Fresh draws of :math:`\pi_\star` and DDIM samples of :math:`D_\star` are not
memorized (theory 0); DDIM samples of :math:`D_\text{mem}` and :math:`D_{\text{pmem},M}` land on
training points (theory 1), as do training points moved by a small fraction of the nearest-neighbour
distance. Four more cases straddle the threshold :math:`d_1/d_2 = 1/3`: points on the segment from a
training point :math:`x_i` towards its nearest neighbour :math:`x_j` at fraction :math:`s = r/(1 +
r)` of the way, whose distance ratio is exactly :math:`r` [derived: :math:`d_1 = s\|x_j - x_i\|`,
and every other training point is at least :math:`(1 - s)\|x_j - x_i\|` away by the triangle
inequality], for :math:`r \in` :data:`STRADDLING_RATIOS`: memorized (theory 1) exactly when :math:`r
< 1/3`, so a shifted threshold in the criterion is caught.

Rows (t = None) carry ``case``, ``memorized``, ``samples`` and the Wilson interval ``ci_low``,
``ci_high``, and ``d1_over_d2`` (the constructed ratio; ``None`` for sampled cases); ``se`` is 0
for a constructed case (each point's distance ratio, hence its label, is fixed by construction) and
the Wilson SE (:func:`numerics.memorization.wilson_se`, not 0 at a ratio of 0 or 1) for a sampled
one; ``draws`` samples per case."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from memlab.theory.errors import InvalidInput

from ..data import make_dataset
from ..denoisers import generalizing_denoiser, memorizing_denoiser, partially_memorizing_denoiser
from ..memorization import memorization_ratio, wilson_se
from ..provenance import monte_carlo_provenance
from ..rng import stream
from ..sampler import ddim_sample
from ..schedule import numeric_time_grid
from .config import CheckConfig
from .partial import default_M
from .result import CheckResult, CheckRow

__all__ = ["check_memorization", "STRADDLING_RATIOS"]

STRADDLING_RATIOS = (0.2, 0.3, 0.37, 0.5)
"""Constructed :math:`d_1/d_2` ratios on both sides of Definition 2.2's 1/3."""


def _at_ratio(train: np.ndarray, ratio: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points whose nearest and second-nearest training distances are in ``ratio`` < 1."""
    picks = rng.integers(train.shape[0], size=n)
    squared = ((train[picks, None, :] - train[None, :, :]) ** 2).sum(-1)
    squared[np.arange(n), picks] = np.inf
    neighbours = squared.argmin(1)
    fraction = ratio / (1 + ratio)
    return train[picks] + fraction * (train[neighbours] - train[picks])


def _denoised_ddim(denoiser, grid, n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """DDIM from ``n`` draws of N(0, I_d), then one last denoising step: this check scores x̂₀ at
    t_min."""
    end = ddim_sample(denoiser, grid, rng.standard_normal((n, d)))
    return denoiser(end, float(grid.alpha[0]), float(grid.sigma[0]))


def check_memorization(
    config: CheckConfig, progress: Callable[[int, int], None] | None = None
) -> CheckResult:
    if config.N < 2:
        raise InvalidInput(
            "N", config.N, "an integer >= 2 (a second-nearest training point is needed)"
        )
    data = make_dataset(config.d, config.K, config.N, config.sigma2, config.seed)
    grid, n, d = numeric_time_grid(config.schedule), config.draws, config.d
    M = default_M(config.N) if config.M is None else config.M
    if M > config.N:
        raise InvalidInput("M", M, f"an integer in [1, N = {config.N}]")
    train = data.train
    near = stream(config.seed, "def22-near")
    picks = train[near.integers(config.N, size=n)]
    cases = [
        (
            "fresh samples of pi*",
            0.0,
            data.mixture.sample(stream(config.seed, "def22-fresh"), n)[0],
        ),
        (
            "DDIM samples of D*",
            0.0,
            _denoised_ddim(
                generalizing_denoiser(data.mixture),
                grid,
                n,
                d,
                stream(config.seed, "def22-ddim-star"),
            ),
        ),
        (
            "DDIM samples of D_mem",
            1.0,
            _denoised_ddim(
                memorizing_denoiser(train), grid, n, d, stream(config.seed, "def22-ddim-mem")
            ),
        ),
        (
            f"DDIM samples of D_pmem,{M}",
            1.0,
            _denoised_ddim(
                partially_memorizing_denoiser(train, M, stream(config.seed, "def22-subset")),
                grid,
                n,
                d,
                stream(config.seed, "def22-ddim-pmem"),
            ),
        ),
        (
            "training points + 0.01 sigma* N(0, I)",
            1.0,
            picks + 0.01 * np.sqrt(config.sigma2) * near.standard_normal(picks.shape),
        ),
    ]
    straddling = stream(config.seed, "def22-straddling")
    cases += [
        (
            f"d1/d2 = {ratio:g} (constructed)",
            1.0 if ratio < 1 / 3 else 0.0,
            _at_ratio(train, ratio, n, straddling),
        )
        for ratio in STRADDLING_RATIOS
    ]
    ratios = [None] * (len(cases) - len(STRADDLING_RATIOS)) + list(STRADDLING_RATIOS)
    rows = []
    for k, ((case, expected, samples), ratio_d) in enumerate(zip(cases, ratios, strict=True), 1):
        ratio = memorization_ratio(samples, train)
        rows.append(
            CheckRow(
                None,
                expected,
                ratio.ratio,
                # a constructed case's answer is fixed by construction; a sampled one's is random
                0.0 if ratio_d is not None else wilson_se(ratio.ratio, ratio.samples),
                {
                    "case": case,
                    "d1_over_d2": ratio_d,
                    "memorized": ratio.memorized,
                    "samples": ratio.samples,
                    "ci_low": ratio.ci[0],
                    "ci_high": ratio.ci[1],
                    "theory_in_ci": bool(ratio.ci[0] <= expected <= ratio.ci[1]),
                },
            )
        )
        if progress is not None:
            progress(k, len(cases))
    summary = {
        "all_in_ci": all(r.extra["theory_in_ci"] for r in rows),
        "M": M,
        "criterion": "d1 < d2 / 3 (d1^2 < d2^2 / 9)",
    }
    return CheckResult(
        "def-2.2",
        {**config.as_dict(), "M": M},
        tuple(rows),
        summary,
        monte_carlo_provenance(config.seed),
    )
