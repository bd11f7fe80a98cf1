"""The model class against a float64 per-component reference; the exact ε residual; padding
invariance."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.special import logsumexp

from memlab.numerics import MixtureDenoiser, numeric_time_grid
from memlab.training import GMMDenoiser

GRID = numeric_time_grid("vp")


def reference_denoiser(means, s2, x_t, alpha, sigma):
    r"""Per component, float64: :math:`\sum_m w_m[m_m + (\alpha s^2/v)(x_t - \alpha m_m)]`,
    :math:`w \propto \exp(-\|x_t - \alpha m_m\|^2 / 2v)`."""
    v = alpha**2 * s2 + sigma**2
    logits = -np.sum((x_t[:, None, :] - alpha * means[None]) ** 2, axis=2) / (2 * v)
    weights = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
    per_component = means[None] + (alpha * s2 / v) * (x_t[:, None, :] - alpha * means[None])
    return np.einsum("bm,bmd->bd", weights, per_component)


def problem(seed, M=7, d=6, B=40, s2=0.3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(M, d)) * 2, s2, rng.normal(size=(B, d)) * 2, rng.normal(size=(B, d))


def model(means, s2, dtype, pad=0, fill=5.0):
    M, d = means.shape
    padded = np.concatenate([means, np.full((pad, d), fill)])
    mask = np.arange(M + pad) < M
    return GMMDenoiser(
        jnp.asarray(padded, dtype), jnp.asarray(0.5 * np.log(s2), dtype), jnp.asarray(mask)
    )


@pytest.mark.parametrize("g", [0, 5, 12, 20, 25])
def test_denoiser_matches_float64_reference(g):
    means, s2, x0, eps = problem(g)
    alpha, sigma = GRID.alpha[g], GRID.sigma[g]
    x_t = alpha * x0 + sigma * eps
    expected = reference_denoiser(means, s2, x_t, alpha, sigma)
    rows = np.full(len(x_t), alpha), np.full(len(x_t), sigma)
    ours = np.asarray(model(means, s2, jnp.float64)(jnp.asarray(x_t.T), *map(jnp.asarray, rows))).T
    np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        MixtureDenoiser(means, s2)(x_t, alpha, sigma), expected, rtol=1e-10, atol=1e-10
    )


@pytest.mark.parametrize("s2", [1e-6, 1e-2, 1.0])
@pytest.mark.parametrize("g", [0, 1, 13, 25])
def test_epsilon_residual_float32_against_float64(g, s2):
    """The residual form keeps float32 accurate where (x_t − α x̂₀)/σ − ε cancels (t = 0.001)."""
    means, _, _, eps = problem(100 + g, s2=s2)
    rng = np.random.default_rng(g)
    x0 = means[rng.integers(len(means), size=len(eps))] + 0.5 * rng.normal(size=eps.shape)
    alpha, sigma = GRID.alpha[g], GRID.sigma[g]
    x_t = alpha * x0 + sigma * eps
    expected = (x_t - alpha * reference_denoiser(means, s2, x_t, alpha, sigma)) / sigma - eps
    rows = [jnp.full(len(x0), v, jnp.float32) for v in (alpha, sigma)]
    ours = np.asarray(
        model(means, s2, jnp.float32).epsilon_residual(
            jnp.asarray(x0.T, jnp.float32), jnp.asarray(eps.T, jnp.float32), *rows
        ),
        np.float64,
    ).T
    scale = (
        np.linalg.norm(expected, axis=1)
        + np.linalg.norm(eps, axis=1) * alpha**2 * s2 / (alpha**2 * s2 + sigma**2)
        + 1e-3
    )
    assert np.max(np.linalg.norm(ours - expected, axis=1) / scale) < 1e-4


def test_padding_changes_nothing_and_gets_no_gradient():
    means, s2, x0, eps = problem(7)
    alpha, sigma = jnp.full(len(x0), GRID.alpha[3]), jnp.full(len(x0), GRID.sigma[3])
    plain, padded = model(means, s2, jnp.float64), model(means, s2, jnp.float64, pad=4)
    args = (jnp.asarray(x0.T), jnp.asarray(eps.T), alpha, sigma)
    np.testing.assert_allclose(
        padded.epsilon_residual(*args), plain.epsilon_residual(*args), rtol=1e-13, atol=1e-13
    )

    def loss(means_):
        return jnp.sum(
            GMMDenoiser(means_, padded.log_std, padded.mask).epsilon_residual(*args) ** 2
        )

    grads = jax.grad(loss)(padded.means)
    assert np.all(np.asarray(grads[len(means) :]) == 0.0)
    assert np.all(np.isfinite(np.asarray(grads)))


@pytest.mark.parametrize("g", [0, 13, 25])
def test_epsilon_residual_is_the_derived_form(g):
    """The model's residual is theory's stable form (derived symbolically) at the model's own m̄."""
    import sympy as sp

    from memlab import theory
    from memlab.theory.epsilon_residual import RESIDUAL_SYMBOLS

    means, s2, x0, eps = problem(200 + g)
    alpha, sigma = GRID.alpha[g], GRID.sigma[g]
    denoiser = model(means, s2, jnp.float64)
    rows = [jnp.full(len(x0), v, jnp.float64) for v in (alpha, sigma)]
    x_t = jnp.asarray((alpha * x0 + sigma * eps).T)
    m_bar = np.asarray(denoiser.posterior_mean_of_means(x_t, rows[0], denoiser.variance(*rows))).T
    derived = sp.lambdify(RESIDUAL_SYMBOLS, theory.epsilon_residual(), "numpy")(
        alpha, sigma, s2, x0, eps, m_bar
    )
    ours = np.asarray(denoiser.epsilon_residual(jnp.asarray(x0.T), jnp.asarray(eps.T), *rows)).T
    np.testing.assert_allclose(ours, derived, rtol=1e-12, atol=1e-12)
