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


def autodiff_objective(model, x0, time_index, eps, alphas, sigmas, time_weights):
    """The objective as the definition reads, on the model's residual, for jax to differentiate."""
    d, n, draws = eps.shape

    def columns(a):
        return jnp.repeat(a, draws, axis=-1)

    residual = model.epsilon_residual(
        columns(x0.T),
        eps.reshape(d, n * draws),
        columns(alphas[time_index]),
        columns(sigmas[time_index]),
    )
    per_point = jnp.mean(jnp.sum(residual**2, axis=0).reshape(n, draws), axis=1)
    return jnp.mean(time_weights[time_index] * per_point)


@pytest.mark.parametrize(
    "M, d, N, R, padded, blocks",
    [
        (6, 8, 20, 5, 0, 1),
        (7, 5, 11, 4, 2, 3),  # padded components in the middle and at the end, uneven blocks
        (1, 3, 4, 1, 0, 4),  # one component (weights all 1), one point per block
        (12, 30, 9, 7, 5, 2),
    ],
)
def test_hand_written_gradient_equals_autodiff_of_the_residual(M, d, N, R, padded, blocks):
    """The custom reverse pass (value and gradient in the means and log-std) against jax autodiff of
    :meth:`GMMDenoiser.epsilon_residual`, float64, with padded components and blocks of points."""
    rng = np.random.default_rng(M * 1000 + N)
    x0 = rng.normal(size=(N, d))
    mask = np.ones(M, bool)
    mask[rng.choice(M, padded, replace=False)] = False
    # means near the points, so that the softmax weights are far from uniform and from one-hot
    means = np.where(mask[:, None], x0[rng.integers(N, size=M)] + 0.3 * rng.normal(size=(M, d)), 0)
    args = (
        jnp.asarray(x0),
        jnp.asarray(rng.integers(26, size=N)),
        jnp.asarray(rng.normal(size=(d, N, R))),
        jnp.asarray(GRID.alpha),
        jnp.asarray(GRID.sigma),
        jnp.asarray(rng.uniform(0.5, 2, size=26)),
    )
    params = (jnp.asarray(means), jnp.asarray(np.log(0.4) / 2))

    def ours(p):
        return epsilon_loss(GMMDenoiser(p[0], p[1], jnp.asarray(mask)), *args, blocks=blocks)

    def reference(p):
        return autodiff_objective(GMMDenoiser(p[0], p[1], jnp.asarray(mask)), *args)

    value, (means_grad, log_std_grad) = jax.value_and_grad(ours)(params)
    expected, (expected_means_grad, expected_log_std_grad) = jax.value_and_grad(reference)(params)
    assert value.dtype == jnp.float64
    assert float(value) == pytest.approx(float(expected), rel=1e-12)
    scale = float(jnp.max(jnp.abs(expected_means_grad)))
    assert scale > 0
    np.testing.assert_allclose(means_grad, expected_means_grad, rtol=1e-10, atol=1e-12 * scale)
    assert float(log_std_grad) == pytest.approx(float(expected_log_std_grad), rel=1e-10)
    np.testing.assert_array_equal(means_grad[~mask], 0.0)
