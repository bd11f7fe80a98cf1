r"""Measurements of trained models, in float64 with the numerics layer's exact denoiser
(docs/theory.md §3, §5).

- Per-time losses in x₀ units,
  :math:`L_{N,t} = \frac1N\sum_i \mathbb E_\varepsilon\|D_\theta(\alpha_t x_i +
  \sigma_t\varepsilon, t) - x_i\|^2`, by Monte Carlo (``numerics.per_draw_losses`` on
  ``numerics.MixtureDenoiser``), all models of a training set on the same noise (common random
  numbers make losses across M comparable); in ε units they are :math:`\psi_t L_{N,t}`.
- Samples from the deterministic DDIM sampler over the grid, from :math:`x \sim \mathcal N(0, I_d)`
  at the largest grid time down to the smallest:
  :math:`x_{t'} = \frac{\sigma_{t'}}{\sigma_t}x_t + \alpha_{t'}\big(1 -
  \frac{\alpha_t\sigma_{t'}}{\alpha_{t'}\sigma_t}\big)D_\theta(x_t, t)`,
  scored by Definition 2.2 (``numerics.memorization_ratio``).
- Where the learned means sit: a mean is *on a training point* when Definition 2.2's rule flags it
  against the training set, and *on a true mean* when :math:`\|m - \mu_k\|^2 < d\sigma_\star^2/4`
  for some k (training points lie at :math:`\approx d\sigma_\star^2` from their mean, averages of
  many far closer).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float

from memlab.numerics import (
    MemorizationRatio,
    MixtureDenoiser,
    TimeGrid,
    ddim_sample,
    memorization_ratio,
    memorized,
    per_draw_losses,
)

__all__ = ["MeanSites", "mean_sites", "Measurements", "measure_models", "sample_ratio"]


@dataclass(frozen=True)
class MeanSites:
    on_training_point: int
    on_true_mean: int


def mean_sites(
    means: Float[np.ndarray, "M d"],
    train: Float[np.ndarray, "N d"],
    true_means: Float[np.ndarray, "K d"],
    sigma2: float,
) -> MeanSites:
    """How many learned means sit on a training point (Definition 2.2's rule) or on a true mean."""
    to_true = np.min(np.sum((means[:, None, :] - true_means[None, :, :]) ** 2, axis=2), axis=1)
    return MeanSites(
        int(memorized(means, train).sum()), int(np.sum(to_true < means.shape[1] * sigma2 / 4))
    )


@dataclass(frozen=True)
class Measurements:
    train_loss_per_t: Float[np.ndarray, " G"]
    test_loss_per_t: Float[np.ndarray, " G"]
    loss_gap_se: float  # of the time-averaged test − train loss, over the points of each set
    memorization: MemorizationRatio
    samples: Float[np.ndarray, "S d"]
    sites: MeanSites


def measure_models(
    models: list[tuple[Float[np.ndarray, "M d"], float]],
    train: Float[np.ndarray, "N d"],
    test: Float[np.ndarray, "n d"],
    true_means: Float[np.ndarray, "K d"],
    sigma2: float,
    grid: TimeGrid,
    draws: int,
    loss_seed: int,
    sample_start: Float[np.ndarray, "S d"],
) -> list[Measurements]:
    """Measure models (means, s²) trained on ``train``: losses on shared noise from ``loss_seed``,
    samples from the shared ``sample_start``."""
    denoisers = [MixtureDenoiser(means, s2) for means, s2 in models]
    train_losses, test_losses = (
        per_draw_losses(denoisers, points, grid, draws, loss_seed, purpose=purpose)
        for points, purpose in ((train, "training-loss"), (test, "test-loss"))
    )
    # Per-point units of the time-averaged loss: their SE covers the noise and the draw of the
    # points; the training and test sets are disjoint and their noise streams independent.
    gap_variance = sum(
        losses.per_point.mean(axis=1).var(axis=1, ddof=1) / losses.per_point.shape[-1]
        for losses in (train_losses, test_losses)
    )
    found = []
    for index, (denoiser, (means, _)) in enumerate(zip(denoisers, models, strict=False)):
        samples = ddim_sample(denoiser, grid, sample_start)
        found.append(
            Measurements(
                train_losses.per_draw[index].mean(axis=-1),
                test_losses.per_draw[index].mean(axis=-1),
                float(np.sqrt(gap_variance[index])),
                memorization_ratio(samples, train),
                samples,
                mean_sites(means, train, true_means, sigma2),
            )
        )
    return found


def sample_ratio(
    means: Float[np.ndarray, "M d"],
    s2: float,
    train: Float[np.ndarray, "N d"],
    grid: TimeGrid,
    sample_start: Float[np.ndarray, "S d"],
) -> MemorizationRatio:
    """The memorization ratio alone (DDIM samples from ``sample_start``, Definition 2.2): what the
    training checkpoints record."""
    return memorization_ratio(ddim_sample(MixtureDenoiser(means, s2), grid, sample_start), train)
