"""The derived float64 round-off bounds of Lemma 2.1's two denoiser evaluations: they hold against
an extended-precision evaluation, they are tiny, and a wrong formula exceeds them."""

import numpy as np
import pytest

from memlab.numerics.checks.lemma import POPULATION_DRAWS, population_points
from memlab.numerics.denoisers import MixtureDenoiser
from memlab.numerics.losses import per_draw_losses
from memlab.numerics.roundoff import mixture_denoiser_roundoff, tweedie_denoiser_roundoff
from memlab.numerics.schedule import numeric_time_grid
from memlab.numerics.score import tweedie_denoiser

GRID = numeric_time_grid("vp")


def _extended_posterior_mean(x, means, s2, alpha, sigma):
    """The posterior mean in extended precision (numpy longdouble): the reference the float64
    evaluations are measured against."""
    x, means = x.astype(np.longdouble), means.astype(np.longdouble)
    alpha, sigma, s2 = np.longdouble(alpha), np.longdouble(sigma), np.longdouble(s2)
    v = alpha**2 * s2 + sigma**2
    logits = -((x[:, None, :] - alpha * means[None]) ** 2).sum(-1) / (2 * v)
    weights = np.exp(logits - logits.max(1, keepdims=True))
    weights /= weights.sum(1, keepdims=True)
    return (alpha * s2 / v) * x + (sigma**2 / v) * (weights @ means)


def _case(d, M, i, seed):
    rng = np.random.default_rng(seed)
    means = np.sqrt(2.0) * rng.standard_normal((M, d))
    alpha, sigma = float(GRID.alpha[i]), float(GRID.sigma[i])
    x0 = means[rng.integers(M, size=64)] + rng.standard_normal((64, d))
    return means, alpha, sigma, alpha * x0 + sigma * rng.standard_normal((64, d))


@pytest.mark.skipif(np.finfo(np.longdouble).eps >= 1e-18, reason="needs an extended longdouble")
@pytest.mark.parametrize("d, M", [(5, 3), (50, 12), (50, 200)])
@pytest.mark.parametrize("i", [0, 12, 25])  # the least noisy, a middle and the noisiest time
def test_the_bounds_hold_against_extended_precision_and_are_tiny(d, M, i):
    means, alpha, sigma, x_t = _case(d, M, i, seed=d + M + i)
    exact = _extended_posterior_mean(x_t, means, 1.0, alpha, sigma)
    for computed, bound in (
        (MixtureDenoiser(means, 1.0)(x_t, alpha, sigma), mixture_denoiser_roundoff),
        (tweedie_denoiser(x_t, means, 1.0, alpha, sigma), tweedie_denoiser_roundoff),
    ):
        error = np.abs(computed - exact).max(1).astype(float)
        limit = bound(x_t, means, 1.0, alpha, sigma)
        assert np.all(error <= limit), (error.max(), limit.min())
        assert limit.max() < 1e-9 * max(1.0, np.abs(computed).max())


def test_a_wrong_formula_exceeds_the_bound():
    # Tweedie with sigma_t in place of sigma_t^2: the identity's residual is O(1), the bound ~1e-13.
    means, alpha, sigma, x_t = _case(20, 4, 12, seed=0)
    right = MixtureDenoiser(means, 1.0)(x_t, alpha, sigma)
    wrong = tweedie_denoiser(x_t, means, 1.0, alpha, np.sqrt(sigma))
    bound = mixture_denoiser_roundoff(x_t, means, 1.0, alpha, sigma) + tweedie_denoiser_roundoff(
        x_t, means, 1.0, alpha, sigma
    )
    assert np.abs(right - wrong).max() > 1e6 * bound.max()


def test_population_points_are_the_points_the_losses_are_measured_at():
    seen = []

    def recording(x_t, alpha, sigma):
        seen.append(x_t.copy())
        return x_t

    x0 = np.random.default_rng(1).standard_normal((7, 3))
    per_draw_losses(
        [recording],
        x0,
        GRID,
        POPULATION_DRAWS,
        5,
        purpose="lemma-population-noise",
        times=[4],
        memory_bytes=1,  # one unit per chunk: the chunking must not matter
        workers=1,
    )
    np.testing.assert_array_equal(np.concatenate(seen), population_points(x0, GRID, 4, 5))
