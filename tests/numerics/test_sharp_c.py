"""The sharper C: order-statistic integrals (grid vs scipy quad vs mpmath at two precisions) and C
itself."""

import numpy as np
import pytest
from scipy import integrate, stats

from memlab.numerics import dense_C, order_statistic_mean, sharp_C


def test_expected_minimum_of_one_draw_is_the_mean():
    assert order_statistic_mean(1, 50, 50.0) == pytest.approx(100.0, rel=1e-10)
    assert order_statistic_mean(1, 7, 0.0) == pytest.approx(7.0, rel=1e-10)


def test_expected_minimum_decreases_with_the_number_of_draws():
    values = [order_statistic_mean(m, 20, 20.0) for m in (1, 2, 5, 20)]
    assert all(a > b for a, b in zip(values, values[1:], strict=False))


def test_scipy_quadrature_matches_monte_carlo():
    rng = np.random.default_rng(0)
    draws = stats.ncx2.rvs(10, 12.0, size=(200_000, 4), random_state=rng).min(axis=1)
    assert order_statistic_mean(4, 10, 12.0) == pytest.approx(
        draws.mean(), abs=4 * draws.std() / np.sqrt(draws.size)
    )


@pytest.mark.slow
@pytest.mark.parametrize("m, noncentrality", [(3, 40.0), (10, 60.0)])
def test_scipy_quadrature_matches_mpmath_at_two_precisions(m, noncentrality):
    low = order_statistic_mean(m, 50, noncentrality, "mpmath", digits=15)
    high = order_statistic_mean(m, 50, noncentrality, "mpmath", digits=30)
    assert float(low) == pytest.approx(float(high), rel=1e-12)
    assert order_statistic_mean(m, 50, noncentrality) == pytest.approx(float(high), rel=1e-9)


def test_mpmath_matches_scipy_on_a_small_case():
    assert float(order_statistic_mean(2, 4, 1.0, "mpmath", digits=20)) == pytest.approx(
        order_statistic_mean(2, 4, 1.0), rel=1e-9
    )


def test_sharp_C_outer_quadrature_matches_nested_scipy_quad():
    # The whole model for K = 1 (every memorized point in the cluster, m = M): one nested quad.
    d, M = 6, 3
    nested, _ = integrate.quad(
        lambda lam: stats.chi2.pdf(lam, d) * order_statistic_mean(M, d, lam), 0, 80, limit=100
    )
    assert sharp_C(d, 1, M) == pytest.approx(nested / d, rel=1e-6)


def test_sharp_C_at_the_figure_1_configuration():
    C = sharp_C(50, 12, 40)
    assert 1.0 < C < 2.0
    assert sharp_C(50, 12, 40, conditioning=False) < C
    assert sharp_C(50, 12, 40, empty_clusters=False) < C
    assert sharp_C(50, 12, 160) < C  # more memorized neighbours, a nearer one


def test_dense_limit():
    assert dense_C(12, 40) == pytest.approx(1.3)
