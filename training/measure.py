r"""Measurements of a trained model, in float64 numpy (theory.md §3, §5).

- Per-time losses in x₀ units, :math:`L_{N,t} = \frac1N\sum_i \mathbb E_\varepsilon\|D_\theta(\alpha_t x_i +
  \sigma_t\varepsilon, t) - x_i\|^2`, by Monte Carlo with ``draws`` noise vectors per point and time (the same
  noise for every model of a training set: common random numbers make losses across M comparable); in ε
  units they are :math:`\psi_t L_{N,t}`.
- Samples from the deterministic DDIM sampler over the grid, from :math:`x \sim \mathcal N(0, I_d)` at the
  largest grid time down to the smallest:
  :math:`x_{t'} = \frac{\sigma_{t'}}{\sigma_t}x_t + \alpha_{t'}\big(1 - \frac{\alpha_t\sigma_{t'}}{\alpha_{t'}\sigma_t}\big)D_\theta(x_t, t)`,
  scored by Definition 2.2 (``numerics.memorization.memorization_ratio``).
- Where the learned means sit: a mean is *on a training point* when Definition 2.2's rule flags it
  against the training set, and *on a true mean* when :math:`\|m - \mu_k\|^2 < d\sigma_\star^2/4` for some k
  (training points lie at :math:`\approx d\sigma_\star^2` from their mean, averages of many far closer).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float
from scipy.special import softmax

from numerics.memorization import MemorizationRatio, memorization_ratio, memorized

__all__ = ["denoise", "per_time_losses", "ddim_samples", "MeanSites", "mean_sites", "Measurements", "measure"]


def denoise(
    means: Float[np.ndarray, "M d"], s2: float, x_t: Float[np.ndarray, "B d"], alpha: float, sigma: float
) -> Float[np.ndarray, "B d"]:
    r""":math:`D_\theta(x_t, t) = (\sigma_t^2/v_t)\bar m + (\alpha_t s^2/v_t)x_t` in float64 (see ``training.model``)."""
    v = alpha**2 * s2 + sigma**2
    logits = (alpha * x_t @ means.T - 0.5 * alpha**2 * np.sum(means**2, axis=1)) / v
    return (sigma**2 / v) * softmax(logits, axis=1) @ means + (alpha * s2 / v) * x_t


def per_time_losses(
    means: Float[np.ndarray, "M d"], s2: float, points: Float[np.ndarray, "n d"],
    alphas: Float[np.ndarray, " G"], sigmas: Float[np.ndarray, " G"], noise: Float[np.ndarray, "G D n d"],
) -> Float[np.ndarray, " G"]:
    """x₀-unit loss at each grid time, averaged over ``points`` and the ``D`` noise draws ``noise[g]``."""
    losses = np.empty(len(alphas))
    for g, (alpha, sigma) in enumerate(zip(alphas, sigmas)):
        x0 = np.broadcast_to(points, noise[g].shape).reshape(-1, points.shape[1])
        x_t = alpha * x0 + sigma * noise[g].reshape(x0.shape)
        losses[g] = np.mean(np.sum((denoise(means, s2, x_t, alpha, sigma) - x0) ** 2, axis=1))
    return losses


def ddim_samples(
    means: Float[np.ndarray, "M d"], s2: float, alphas: Float[np.ndarray, " G"], sigmas: Float[np.ndarray, " G"],
    start: Float[np.ndarray, "S d"],
) -> Float[np.ndarray, "S d"]:
    """Deterministic DDIM from ``start`` at the last grid time down to the first."""
    x = start
    for g in range(len(alphas) - 1, 0, -1):
        a, s, a_next, s_next = alphas[g], sigmas[g], alphas[g - 1], sigmas[g - 1]
        x = (s_next / s) * x + a_next * (1 - a * s_next / (a_next * s)) * denoise(means, s2, x, a, s)
    return x


@dataclass(frozen=True)
class MeanSites:
    on_training_point: int
    on_true_mean: int


def mean_sites(
    means: Float[np.ndarray, "M d"], train: Float[np.ndarray, "N d"], true_means: Float[np.ndarray, "K d"], sigma2: float
) -> MeanSites:
    """How many learned means sit on a training point (Definition 2.2's rule) or on a true mean."""
    to_true = np.min(np.sum((means[:, None, :] - true_means[None, :, :]) ** 2, axis=2), axis=1)
    return MeanSites(int(memorized(means, train).sum()), int(np.sum(to_true < means.shape[1] * sigma2 / 4)))


@dataclass(frozen=True)
class Measurements:
    train_loss_per_t: Float[np.ndarray, " G"]
    test_loss_per_t: Float[np.ndarray, " G"]
    memorization: MemorizationRatio
    samples: Float[np.ndarray, "S d"]
    sites: MeanSites


def measure(
    means: Float[np.ndarray, "M d"], s2: float, train: Float[np.ndarray, "N d"], test: Float[np.ndarray, "n d"],
    true_means: Float[np.ndarray, "K d"], sigma2: float, alphas: Float[np.ndarray, " G"], sigmas: Float[np.ndarray, " G"],
    train_noise: Float[np.ndarray, "G D N d"], test_noise: Float[np.ndarray, "G D n d"], sample_start: Float[np.ndarray, "S d"],
) -> Measurements:
    """All measurements of one trained model (float64)."""
    samples = ddim_samples(means, s2, alphas, sigmas, sample_start)
    return Measurements(
        per_time_losses(means, s2, train, alphas, sigmas, train_noise),
        per_time_losses(means, s2, test, alphas, sigmas, test_noise),
        memorization_ratio(samples, train),
        samples,
        mean_sites(means, train, true_means, sigma2),
    )
