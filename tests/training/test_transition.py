"""The M_pt estimator: monotone fit, interpolated crossing, bootstrap interval, clean-step flag."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from memlab.training import crossing, estimate_transition, isotonic_fit


@given(st.lists(st.floats(0, 1), min_size=1, max_size=15), st.integers(0, 2**31))
def test_isotonic_fit_is_monotone_and_weighted_least_squares(values, seed):
    values = np.array(values)
    weights = np.random.default_rng(seed).integers(1, 100, size=values.size).astype(float)
    fit = isotonic_fit(values, weights)
    assert np.all(np.diff(fit) >= -1e-12)
    assert np.sum(weights * fit) == pytest.approx(
        np.sum(weights * values)
    )  # PAV preserves weighted mass
    if np.all(np.diff(values) >= 0):
        np.testing.assert_allclose(fit, values)


def test_crossing_interpolates_and_handles_flats_and_range():
    x = np.array([10.0, 20, 30, 40])
    assert crossing(x, np.array([0.0, 0.2, 0.8, 1.0]), 0.5) == pytest.approx(25.0)
    assert crossing(x, np.array([0.0, 0.5, 0.5, 1.0]), 0.5) == pytest.approx(
        25.0
    )  # midpoint of the flat
    assert crossing(x, np.array([0.6, 0.7, 0.8, 1.0]), 0.5) is None
    assert crossing(x, np.array([0.0, 0.1, 0.2, 0.3]), 0.5) is None


def logistic_counts(M, centre, width, n, rng, seeds=1):
    rows = []
    for seed in range(seeds):
        p = 1 / (1 + np.exp(-(M - centre) / width))
        rows += [(m, seed, k, n) for m, k in zip(M, rng.binomial(n, p), strict=False)]
    return [np.array(c) for c in zip(*rows, strict=False)]


def test_recovers_a_known_transition_with_an_interval():
    rng = np.random.default_rng(0)
    M = np.arange(5, 51, 5)
    found = estimate_transition(
        *logistic_counts(M, 37.0, 2.0, 200, rng, seeds=3), np.random.default_rng(1), max_window=20
    )
    assert found.M_pt == pytest.approx(37.0, abs=2.0)
    assert found.M_pt_ci[0] <= found.M_pt <= found.M_pt_ci[1]
    assert found.M_pt_ci[1] - found.M_pt_ci[0] < 6
    assert found.window[0] < found.M_pt < found.window[1]
    assert found.clean_step


def test_a_ragged_curve_is_flagged_and_a_dip_does_not_move_M_pt_much():
    M = np.arange(5, 51, 5)
    k = np.array([0, 0, 0, 50, 0, 0, 50, 50, 50, 50])  # a spurious full point at M=20
    n = np.full(10, 50)
    found = estimate_transition(M, np.zeros(10, int), k, n, np.random.default_rng(0))
    assert not found.clean_step
    assert found.M_pt > 20  # a first-crossing rule would say 17.5


def test_a_slow_ramp_is_not_a_clean_step():
    rng = np.random.default_rng(2)
    M = np.arange(5, 51, 5)
    counts = logistic_counts(M, 27.0, 8.0, 400, rng)
    found = estimate_transition(*counts, np.random.default_rng(0), max_window=20)
    assert found.window[1] - found.window[0] > 20 and not found.clean_step
