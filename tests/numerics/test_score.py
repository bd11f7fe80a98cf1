"""Lemma 2.1's Tweedie form: the closed-form score equals jax autodiff of the exact log-density
(float64: tests/conftest.py enables x64), and (x + σ² ∇log p)/α equals D⋆."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.scipy.special import logsumexp

from memlab.numerics import (
    generalizing_denoiser,
    log_density,
    make_dataset,
    numeric_time_grid,
    score,
    tweedie_denoiser,
)

GRID = numeric_time_grid()
DATA = make_dataset(12, 3, 30, seed=5)


def _jax_log_density(x, means, s2, alpha, sigma):
    v = alpha**2 * s2 + sigma**2
    squared = jnp.sum((x[None, :] - alpha * means) ** 2, axis=-1)
    return (
        logsumexp(-squared / (2 * v))
        - 0.5 * x.shape[0] * jnp.log(2 * jnp.pi * v)
        - jnp.log(means.shape[0])
    )


@pytest.mark.parametrize("i", [0, 4, 12, 20, 25])
def test_closed_form_score_equals_jax_autodiff(i):
    alpha, sigma = float(GRID.alpha[i]), float(GRID.sigma[i])
    means, s2 = DATA.mixture.means, DATA.mixture.sigma2
    x = alpha * DATA.train[:8] + sigma * np.random.default_rng(i).standard_normal((8, 12))
    autodiff = jax.vmap(jax.grad(_jax_log_density), in_axes=(0, None, None, None, None))(
        jnp.asarray(x, jnp.float64), jnp.asarray(means, jnp.float64), s2, alpha, sigma
    )
    assert autodiff.dtype == jnp.float64
    closed = score(x, means, s2, alpha, sigma)
    np.testing.assert_allclose(
        closed, np.asarray(autodiff), rtol=1e-9, atol=1e-9 * np.abs(closed).max()
    )
    values = jax.vmap(_jax_log_density, in_axes=(0, None, None, None, None))(
        jnp.asarray(x), jnp.asarray(means), s2, alpha, sigma
    )
    np.testing.assert_allclose(
        log_density(x, means, s2, alpha, sigma), np.asarray(values), rtol=1e-12
    )


@pytest.mark.parametrize("i", range(0, 26, 5))
def test_tweedie_equals_generalizing_denoiser(i):
    alpha, sigma = float(GRID.alpha[i]), float(GRID.sigma[i])
    x = alpha * DATA.test + sigma * np.random.default_rng(10 + i).standard_normal(DATA.test.shape)
    expected = generalizing_denoiser(DATA.mixture)(x, alpha, sigma)
    got = tweedie_denoiser(x, DATA.mixture.means, DATA.mixture.sigma2, alpha, sigma)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9 * (1 + np.abs(expected).max()))
