"""The study's statistics across configurations: seed-inclusive intervals, convergence between
budgets, the predictions without fitting, and eq. (15) by leave-one-configuration-out — each shown
to reject a wrong answer."""

import math

import numpy as np
import pytest
from scipy import stats

from memlab.verification.cross_validation import leave_one_out, power_weights
from memlab.verification.seed_spread import configuration_values, convergence, seed_variance


def config(d, K, N, per_seed, steps=50_000):
    return {
        "d": d,
        "K": K,
        "N": N,
        "steps": steps,
        "M_pt_per_seed": [None if f is None else f * N for f in per_seed],
        "M_pt": float(np.mean([f for f in per_seed if f is not None])) * N,
        "M_pt_ci": [0.7 * N, 0.9 * N],
        "clean_step": True,
    }


def test_pooled_seed_variance_and_t_interval():
    configs = [config(30, 3, 50, [0.78, 0.82]), config(30, 3, 100, [0.80, 0.86, 0.83])]
    variance, freedom = seed_variance(configs)
    by_hand = (2 * 0.02**2 + (0.03**2 + 0.03**2 + 0.0)) / (1 + 2)
    assert freedom == 3 and variance == pytest.approx(by_hand)
    row = configuration_values(configs[0], variance, freedom)
    half = stats.t.ppf(0.975, 3) * math.sqrt(by_hand / 2)
    assert row["measured"] == pytest.approx(0.80)
    assert row["ci"] == pytest.approx([0.80 - half, 0.80 + half])
    assert row["se"] * 1.959963984540054 == pytest.approx(half)  # the normal quantile gives the t
    assert row["per_seed"] == pytest.approx([0.78, 0.82])


def test_one_seed_falls_back_to_the_sample_bootstrap_and_says_so():
    row = configuration_values(config(30, 3, 50, [0.8]), *seed_variance([config(30, 3, 50, [0.8])]))
    assert row["ci"] == pytest.approx([0.7, 0.9]) and "samples only" in row["method"]


def test_convergence_flags_budgets_that_disagree():
    variance, freedom = 0.0004, 8
    main = configuration_values(config(30, 3, 50, [0.80, 0.81]), variance, freedom)
    same = configuration_values(config(30, 3, 50, [0.80, 0.82], 100_000), variance, freedom)
    moved = configuration_values(config(30, 3, 50, [0.70, 0.71], 100_000), variance, freedom)
    assert convergence(main, same)["converged"] is True
    assert convergence(main, moved)["converged"] is False


class Linear:
    """A predictor M*/N = A λ per configuration (its jacobian is A)."""

    name = "linear"

    def __init__(self, A):
        self.A = np.asarray(A)
        self.generalizing = self.A  # the fit reads the grid size from here

    def __call__(self, weights):
        return self.A @ weights

    def jacobian(self, weights):
        return self.A

    def subset(self, index):
        return Linear(self.A[list(index)])


def test_leave_one_out_recovers_a_power_weighting_and_rejects_an_unexplained_offset():
    rng = np.random.default_rng(0)
    snr = np.logspace(-3, 3, 26)
    A = 0.6 + 0.3 * rng.random((8, 26))
    target = A @ power_weights(0.3, snr)
    se = np.full(8, 0.01)
    right = leave_one_out(Linear(A), target, se, "power", snr)
    assert right["held_out_mse"] < 1e-10 and not right["underdetermined"]
    assert all(abs(p["gamma"] - 0.3) < 1e-3 for p in right["fold_parameters"])
    wrong = target + np.where(np.arange(8) % 2, 0.05, -0.05)  # what no weighting explains
    refuted = leave_one_out(Linear(A), wrong, se, "power", snr)
    assert (
        refuted["held_out_mse_noise_corrected"]
        > 2e-4 + 2 * refuted["held_out_mse_noise_corrected_se"]
    )
    simplex = leave_one_out(Linear(A), target, se, "simplex", snr)
    assert simplex["underdetermined"] and simplex["free_parameters"] == 25
    assert simplex["held_out_mse"] < 1e-3


def test_power_weights_are_a_distribution():
    snr = np.logspace(-6, 6, 26)
    for gamma in (-1.0, 0.0, 0.5, 1.0):
        weights = power_weights(gamma, snr)
        assert weights.sum() == pytest.approx(1) and (weights >= 0).all()
    assert power_weights(0.0, snr) == pytest.approx(np.full(26, 1 / 26))
