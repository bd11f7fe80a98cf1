"""The ε objective against the numerics layer's exact float64 denoiser and Monte Carlo losses."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from memlab.numerics import MixtureDenoiser, make_dataset, numeric_time_grid, per_draw_losses
from memlab.training import GMMDenoiser, epsilon_loss

GRID = numeric_time_grid("vp")


def setup(seed=0, M=6, R=5):
    data = make_dataset(8, 3, 20, seed=seed)
    rng = np.random.default_rng(seed)
    means = data.train[:M] + 0.3 * rng.normal(size=(M, 8))
    return (
        data.train,
        means,
        0.4,
        rng.integers(26, size=20),
        rng.normal(size=(20, R, 8)),
        rng.uniform(0.5, 2, size=26),
    )


def test_objective_equals_snr_weighted_x0_error_of_the_exact_denoiser():
    """‖ε̂ − ε‖² = ψ_t‖x̂₀ − x₀‖² with x̂₀ from numerics.MixtureDenoiser, on the same draws
    (float64)."""
    x0, means, s2, times, eps, weights = setup()
    denoiser = MixtureDenoiser(means, s2)
    per_point = []
    for i in range(len(x0)):
        a, s = GRID.alpha[times[i]], GRID.sigma[times[i]]
        x_t = a * x0[i] + s * eps[i]
        per_point.append(
            weights[times[i]]
            * GRID.snr[times[i]]
            * np.mean(np.sum((denoiser(x_t, a, s) - x0[i]) ** 2, axis=1))
        )
    expected = np.mean(per_point)
    model = GMMDenoiser(
        jnp.asarray(means), jnp.asarray(0.5 * np.log(s2)), jnp.ones(len(means), bool)
    )
    ours = epsilon_loss(
        model,
        jnp.asarray(x0),
        jnp.asarray(times),
        jnp.asarray(np.moveaxis(eps, 2, 0)),
        jnp.asarray(GRID.alpha),
        jnp.asarray(GRID.sigma),
        jnp.asarray(weights),
    )
    assert float(ours) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("g", [2, 13, 24])
def test_objective_expectation_matches_monte_carlo_losses(g):
    """At one grid time the mean objective over fresh noise estimates ψ_t L_{N,t}, as numerics
    measures it."""
    x0, means, s2, *_ = setup(1)
    exact = per_draw_losses(
        [MixtureDenoiser(means, s2)], x0, GRID, 400, seed=3, times=[g]
    ).per_draw[0, 0]
    target, target_se = (
        GRID.snr[g] * exact.mean(),
        GRID.snr[g] * exact.std(ddof=1) / np.sqrt(exact.size),
    )
    model = GMMDenoiser(
        jnp.asarray(means), jnp.asarray(0.5 * np.log(s2)), jnp.ones(len(means), bool)
    )
    eps = jax.random.normal(jax.random.key(g), (8, len(x0), 400), jnp.float64)
    values = jax.vmap(
        lambda e: epsilon_loss(
            model,
            jnp.asarray(x0),
            jnp.full(len(x0), g),
            e[..., None],
            jnp.asarray(GRID.alpha),
            jnp.asarray(GRID.sigma),
            jnp.ones(26),
        ),
        in_axes=2,
    )(eps)
    values = np.asarray(values)
    ours, ours_se = values.mean(), values.std(ddof=1) / np.sqrt(values.size)
    assert abs(ours - target) <= 4 * np.hypot(ours_se, target_se)


@pytest.mark.parametrize("blocks", [2, 3, 7, 20, 50])
def test_objective_in_blocks_of_points_has_the_same_value_and_gradient(blocks):
    """Blocks of consecutive points (more blocks than points: one point each) sum to the same
    objective (float64)."""
    x0, means, s2, times, eps, weights = setup(2)
    args = (
        jnp.asarray(x0),
        jnp.asarray(times),
        jnp.asarray(np.moveaxis(eps, 2, 0)),
        jnp.asarray(GRID.alpha),
        jnp.asarray(GRID.sigma),
        jnp.asarray(weights),
    )
    mask = jnp.ones(len(means), bool)

    def loss(m, k):
        return epsilon_loss(GMMDenoiser(m, jnp.asarray(0.5 * np.log(s2)), mask), *args, blocks=k)

    whole, whole_grad = jax.value_and_grad(loss)(jnp.asarray(means), 1)
    blocked, blocked_grad = jax.value_and_grad(loss)(jnp.asarray(means), blocks)
    assert float(blocked) == pytest.approx(float(whole), rel=1e-13)
    np.testing.assert_allclose(blocked_grad, whole_grad, rtol=1e-11, atol=1e-13)
