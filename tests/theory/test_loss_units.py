import itertools

import numpy as np
import pytest
import sympy as sp

from memlab import theory
from memlab.theory.symbols import t


@pytest.mark.parametrize("schedule", theory.SCHEDULES.values(), ids=theory.SCHEDULES)
def test_epsilon_loss_is_snr_times_x0_loss(schedule):
    assert sp.simplify(theory.loss_conversion_factor("epsilon", "x0", schedule) - schedule.snr) == 0


@pytest.mark.parametrize("schedule", theory.SCHEDULES.values(), ids=theory.SCHEDULES)
@pytest.mark.parametrize("target", theory.PARAMETRIZATIONS)
def test_factor_matches_the_parametrisation_numerically(schedule, target):
    """Build x_t from (x₀, ε), a wrong x̂₀, and each parametrisation's prediction and target from its
    definition; the squared errors must be in the ratio the factor states."""
    rng = np.random.default_rng(0)
    time = 0.37
    alpha = float(schedule.alpha.subs(t, time))
    sigma = float(schedule.sigma.subs(t, time))
    x0, eps, x0_hat = rng.standard_normal((3, 8))
    xt = alpha * x0 + sigma * eps

    def predictions(x0_):  # every parametrisation as a function of an x₀ estimate
        eps_ = (xt - alpha * x0_) / sigma
        return {"x0": x0_, "epsilon": eps_, "score": -eps_ / sigma, "v": alpha * eps_ - sigma * x0_}

    truth, guess = predictions(x0), predictions(x0_hat)
    ratio = np.sum((guess[target] - truth[target]) ** 2) / np.sum((x0_hat - x0) ** 2)
    factor = float(theory.loss_conversion_factor(target, "x0", schedule).subs(t, time))
    assert ratio == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize("a, b", list(itertools.permutations(theory.PARAMETRIZATIONS, 2)))
def test_conversions_invert(a, b):
    product = theory.loss_conversion_factor(a, b) * theory.loss_conversion_factor(b, a)
    assert sp.simplify(product) == 1


def test_unknown_parametrisation():
    with pytest.raises(theory.InvalidInput, match="parametrization"):
        theory.loss_conversion_factor("velocity")
