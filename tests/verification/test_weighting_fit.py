import numpy as np
import pytest

from memlab.numerics import falling_root
from memlab.theory.errors import InvalidInput
from memlab.verification import (
    ClosedFormPredictor,
    MeasuredLossPredictor,
    fit_weighting,
    split_configurations,
)

L = 26
T = np.linspace(0.001, 0.999, L)


def synthetic(n: int, seed: int):
    """Per-configuration excess losses with config-dependent shapes over t (so λ is
    identifiable)."""
    rng = np.random.default_rng(seed)
    generalizing = rng.uniform(0.5, 2.0, (n, L)) * T**2 * 50
    C = rng.uniform(1.0, 2.0, (n, 1, L))
    fraction = np.linspace(0.1, 1.0, 10)
    partial = C * 50 * (1 - fraction)[None, :, None]
    return MeasuredLossPredictor(generalizing, partial, np.tile(fraction, (n, 1)))


def test_recovers_a_known_weighting_from_synthetic_transitions():
    predictor = synthetic(60, seed=1)
    truth = np.random.default_rng(2).dirichlet(np.ones(L))
    target = predictor(truth)
    train, test = split_configurations(60)
    fit = fit_weighting(predictor, target, train, test)
    assert fit.converged
    assert np.all(fit.weights >= 0) and fit.weights.sum() == pytest.approx(1.0)
    assert np.abs(fit.weights - truth).max() < 1e-3
    assert fit.train_error < 1e-10 and fit.test_error < 1e-10


def test_measured_predictor_jacobian_matches_finite_differences():
    predictor = synthetic(8, seed=3)
    weights = np.random.default_rng(4).dirichlet(np.ones(L))
    step = 1e-7
    numeric = np.array(
        [
            (predictor(weights + step * e) - predictor(weights - step * e)) / (2 * step)
            for e in np.eye(L)
        ]
    ).T
    assert np.allclose(predictor.jacobian(weights), numeric, atol=1e-6)


def test_closed_form_predictor_fits_the_mean_transition():
    predictor = ClosedFormPredictor(T**2, 1.5, 5)
    target = np.array([0.80, 0.79, 0.81, 0.80, 0.78])
    fit = fit_weighting(predictor, target, [0, 1, 2, 3], [4])
    assert fit.predicted == pytest.approx(np.full(5, target[:4].mean()), abs=1e-6)
    assert fit.test_error == pytest.approx((target[:4].mean() - 0.78) ** 2, rel=1e-4)


def test_a_split_needs_two_configurations():
    with pytest.raises(InvalidInput):
        split_configurations(1)
    train, test = split_configurations(2)
    assert len(train) == len(test) == 1 and set(train) | set(test) == {0, 1}


def test_measured_predictor_agrees_with_the_numerics_root_and_clamps_an_unbracketed_one():
    predictor = synthetic(2, seed=5)
    weights = np.full(L, 1 / L)
    h = (predictor.partial - predictor.generalizing[:, None, :]) @ weights
    assert np.allclose(predictor(weights), falling_root(predictor.model_fraction, h).root)
    # Generalizing excess above every partial one: h <= 0 at every M, so M*/N sits at the smallest
    # fraction.
    below = MeasuredLossPredictor(
        predictor.generalizing + 1e3, predictor.partial, predictor.model_fraction
    )
    assert np.allclose(below(weights), predictor.model_fraction[:, 0])
    assert np.all(below.jacobian(weights) == 0)
