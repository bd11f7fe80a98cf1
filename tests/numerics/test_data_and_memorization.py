"""Data (means on the sqrt(d) sphere, reproducible) and Definition 2.2 (flags, ratio, Wilson
interval)."""

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from memlab.numerics import (
    estimate,
    make_dataset,
    memorization_ratio,
    memorized,
    nearest_squared_distances,
    paired_difference,
    squared_distances,
    stream,
    wilson_interval,
    wilson_se,
)
from memlab.theory.errors import InvalidInput


def test_dataset_is_reproducible_and_means_lie_on_the_sphere():
    a, b = make_dataset(30, 5, 50, seed=4), make_dataset(30, 5, 50, seed=4)
    np.testing.assert_array_equal(a.train, b.train)
    np.testing.assert_allclose((a.mixture.means**2).sum(1), 30.0)
    assert make_dataset(30, 5, 80, seed=4).mixture.means.tolist() == a.mixture.means.tolist()
    assert not np.array_equal(make_dataset(30, 5, 50, seed=5).train, a.train)


@pytest.mark.parametrize(
    "kwargs", [dict(d=0, K=1, N=2), dict(d=3, K=4, N=2), dict(d=3, K=1, N=2, sigma2=0.0)]
)
def test_dataset_rejects_bad_input(kwargs):
    with pytest.raises(InvalidInput):
        make_dataset(**kwargs)


def _wilson_mpmath(k: int, n: int, confidence: float) -> tuple[float, float]:
    with mpmath.workdps(40):
        z = mpmath.sqrt(2) * mpmath.erfinv(mpmath.mpf(confidence))
        p = mpmath.mpf(k) / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * mpmath.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
        return float(centre - half), float(centre + half)


@pytest.mark.parametrize(
    "k, n", [(0, 10), (1, 10), (5, 10), (10, 10), (7, 50), (25, 50), (49, 50), (3, 1000)]
)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_interval_matches_the_formula_at_high_precision(k, n, confidence):
    low, high = wilson_interval(k, n, confidence)
    expected = _wilson_mpmath(k, n, confidence)
    assert low == pytest.approx(0.0 if k == 0 else expected[0], abs=1e-12)
    assert high == pytest.approx(1.0 if k == n else expected[1], abs=1e-12)


@pytest.mark.parametrize("k, n", [(0, 10), (10, 10), (0, 100), (50, 100), (7, 50)])
def test_wilson_se_reaches_the_one_sided_bound_and_is_never_zero(k, n):
    se, p = wilson_se(k / n, n), k / n
    low, high = wilson_interval(k, n, 0.90)  # one-sided 95% bounds, the verdicts' tests
    z = 1.6448536269514722
    assert p + z * se >= high - 1e-12 and p - z * se <= low + 1e-12
    assert se > 0  # a ratio of 0 or 1 from finitely many samples is not certain
    if k == n // 2:  # symmetric there: the textbook SE
        assert se == pytest.approx(np.sqrt(p * (1 - p) / n), rel=0.02)
    if k == 0:  # 0 of n shows the ratio below the Wilson bound z²/(n + z²), not below 0
        assert p + z * se == pytest.approx(z**2 / (n + z**2))


def test_wilson_interval_known_values():
    # Textbook values (95%): 0/10 -> [0, 0.2775]; 5/10 -> [0.2366, 0.7634] (Wilson 1927; Newcombe
    # 1998).
    assert wilson_interval(0, 10)[1] == pytest.approx(0.2775, abs=5e-5)
    low, high = wilson_interval(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=5e-5), pytest.approx(0.7634, abs=5e-5))


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_estimate_and_is_symmetric(kn):
    k, n = kn
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    mirrored = wilson_interval(n - k, n)
    assert mirrored[0] == pytest.approx(1 - high, abs=1e-12) and mirrored[1] == pytest.approx(
        1 - low, abs=1e-12
    )


def test_memorized_flags_follow_the_one_third_rule():
    training = np.array([[0.0, 0.0], [10.0, 0.0]])
    samples = np.array(
        [[2.4, 0.0], [2.6, 0.0], [5.0, 0.0], [10.0, 1.0]]
    )  # d1/d2 = 2.4/7.6, 2.6/7.4, 1, 1/sqrt(101)
    np.testing.assert_array_equal(memorized(samples, training), [True, False, False, True])
    ratio = memorization_ratio(samples, training)
    assert (ratio.ratio, ratio.memorized, ratio.samples) == (0.5, 2, 4)
    assert ratio.ci == wilson_interval(2, 4)


def test_wilson_and_memorized_reject_bad_input():
    with pytest.raises(InvalidInput):
        wilson_interval(3, 2)
    with pytest.raises(InvalidInput):
        memorized(np.zeros((2, 2)), np.zeros((1, 2)))


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: memorization_ratio(np.zeros((0, 2)), np.eye(2)), "samples"),
        (lambda: memorized(np.zeros((1, 2)), np.eye(2), threshold=0.0), "threshold"),
        (lambda: memorized(np.zeros((1, 2)), np.eye(2), threshold=1.0), "threshold"),
        (lambda: memorization_ratio(np.zeros((1, 2)), np.eye(2), confidence=1.0), "confidence"),
        (lambda: wilson_interval(1, 2, confidence=0.0), "confidence"),
        (lambda: estimate(np.zeros(1)), "units"),
        (lambda: paired_difference(np.zeros(3), np.zeros(4)), "paired units"),
        (lambda: stream(-1, "noise"), "seed and indices"),
    ],
)
def test_bad_input_raises_invalid_input_naming_the_field(call, field):
    with pytest.raises(InvalidInput) as error:
        call()
    assert error.value.field == field


@pytest.mark.parametrize("d", [3, 8, 9, 20])  # both sides of the k-d tree's dimension limit
def test_squared_distances_match_the_direct_difference(d):
    rng = np.random.default_rng(d)
    a, b = rng.standard_normal((50, d)), rng.standard_normal((70, d))
    direct = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    np.testing.assert_allclose(squared_distances(a, b), direct, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        nearest_squared_distances(a, b, chunk=7), direct.min(1), rtol=1e-12, atol=1e-12
    )
    assert np.all(squared_distances(a, a) >= 0)
