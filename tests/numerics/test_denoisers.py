"""Exact denoisers: the four parametrisations agree, D_mem is the class member with M = N and s ->
0, the nested prefixes equal separate denoisers, and everything stays finite at t = 0.001."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from memlab import theory
from memlab.numerics import (
    PARAMETRIZATIONS,
    MixtureDenoiser,
    NestedMemorizingDenoisers,
    from_x0,
    generalizing_denoiser,
    make_dataset,
    memorizing_denoiser,
    numeric_time_grid,
    partially_memorizing_denoiser,
    stream,
    target,
    to_x0,
)
from memlab.theory.errors import InvalidInput

GRID = numeric_time_grid()
DATA = make_dataset(20, 4, 40, seed=3)


def _noisy(points: np.ndarray, i: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    eps = np.random.default_rng(seed).standard_normal(points.shape)
    return GRID.alpha[i] * points + GRID.sigma[i] * eps, eps


@pytest.mark.parametrize("i", [0, 5, 13, 20, 25])
@pytest.mark.parametrize("parametrization", PARAMETRIZATIONS)
def test_parametrisations_round_trip_and_scale_losses_by_theory_factor(parametrization, i):
    alpha, sigma = float(GRID.alpha[i]), float(GRID.sigma[i])
    x_t, eps = _noisy(DATA.train, i)
    x0_hat = generalizing_denoiser(DATA.mixture)(x_t, alpha, sigma)
    prediction = from_x0(parametrization, x0_hat, x_t, alpha, sigma)
    np.testing.assert_allclose(
        to_x0(parametrization, prediction, x_t, alpha, sigma), x0_hat, rtol=1e-9, atol=1e-9
    )
    loss = ((prediction - target(parametrization, DATA.train, eps, alpha, sigma)) ** 2).sum(1)
    x0_loss = ((x0_hat - DATA.train) ** 2).sum(1)
    factor = float(
        theory.evaluate(
            theory.loss_conversion_factor(parametrization), {"t": sp.Rational(GRID.t[i])}
        )
    )
    np.testing.assert_allclose(loss, factor * x0_loss, rtol=1e-7)


@given(st.floats(0.01, 0.99), st.integers(0, 2**31))
def test_epsilon_score_and_v_agree_with_each_other(time, seed):
    alpha, sigma = np.sqrt(1 - time**2), time
    rng = np.random.default_rng(seed)
    x_t, x0_hat = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    epsilon = from_x0("epsilon", x0_hat, x_t, alpha, sigma)
    np.testing.assert_allclose(from_x0("score", x0_hat, x_t, alpha, sigma), -epsilon / sigma)
    np.testing.assert_allclose(
        from_x0("v", x0_hat, x_t, alpha, sigma), alpha * epsilon - sigma * x0_hat
    )
    for name in PARAMETRIZATIONS:
        np.testing.assert_allclose(
            to_x0(name, from_x0(name, x0_hat, x_t, alpha, sigma), x_t, alpha, sigma),
            x0_hat,
            rtol=1e-8,
            atol=1e-8,
        )


@pytest.mark.parametrize("i", [0, 3, 12, 22, 25])
def test_memorizing_is_the_class_member_with_M_equal_N_and_vanishing_variance(i):
    alpha, sigma = float(GRID.alpha[i]), float(GRID.sigma[i])
    x_t, _ = _noisy(DATA.train, i, seed=1)
    memorizing = memorizing_denoiser(DATA.train)(x_t, alpha, sigma)
    gaps = [
        np.abs(MixtureDenoiser(DATA.train, s2)(x_t, alpha, sigma) - memorizing).max()
        for s2 in (1e-4, 1e-7, 1e-10)
    ]
    assert gaps[-1] < 1e-6 * (1 + np.abs(memorizing).max())
    assert gaps[0] >= gaps[1] >= gaps[2]


def test_memorizing_returns_training_points_at_low_noise():
    x_t, _ = _noisy(DATA.train, 0, seed=2)
    np.testing.assert_allclose(
        memorizing_denoiser(DATA.train)(x_t, float(GRID.alpha[0]), float(GRID.sigma[0])),
        DATA.train,
        atol=1e-12,
    )


@pytest.mark.parametrize("i", [0, 10, 25])
def test_nested_prefixes_equal_separate_partially_memorizing_denoisers(i):
    alpha, sigma = float(GRID.alpha[i]), float(GRID.sigma[i])
    x_t, _ = _noisy(DATA.train, i, seed=4)
    order = stream(0, "test-order").permutation(40)
    sizes = (1, 3, 10, 25, 40)
    stacked = NestedMemorizingDenoisers(DATA.train[order], sizes)(x_t, alpha, sigma)
    for j, M in enumerate(sizes):
        single = partially_memorizing_denoiser(DATA.train, M, subset=order[:M])(x_t, alpha, sigma)
        np.testing.assert_allclose(stacked[j], single, rtol=1e-12, atol=1e-12)


@given(st.integers(0, 25), st.integers(0, 2**31), st.floats(0.0, 2.0))
def test_output_is_finite_and_permutation_invariant(i, seed, s2):
    alpha, sigma = float(GRID.alpha[i]), float(GRID.sigma[i])
    rng = np.random.default_rng(seed)
    means = rng.standard_normal((6, 5)) * 3
    x_t = rng.standard_normal((7, 5)) * 4
    out = MixtureDenoiser(means, s2)(x_t, alpha, sigma)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(
        MixtureDenoiser(means[::-1], s2)(x_t, alpha, sigma), out, rtol=1e-9, atol=1e-9
    )
    weights = MixtureDenoiser(means, s2).weights(x_t, alpha, sigma)
    np.testing.assert_allclose(weights.sum(1), 1.0)


def test_bad_input_is_rejected():
    with pytest.raises(InvalidInput):
        MixtureDenoiser(np.zeros((2, 3)), -1.0)
    with pytest.raises(InvalidInput):
        partially_memorizing_denoiser(DATA.train, 41, np.random.default_rng(0))
    with pytest.raises(InvalidInput):
        NestedMemorizingDenoisers(DATA.train, (5, 3))
