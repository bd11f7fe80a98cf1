import math

import numpy as np
import pytest
import sympy as sp
from scipy import integrate, special, stats

from memlab import theory


def direct_constant(d: int, sigma2: float) -> float:
    r"""c_d from its definition, by quadrature: for n → ∞, E min_i ‖x − x_i‖² ≈ Γ(1+2/d) E_x[(n p(x)
    V_d)^{-2/d}] with p the cluster density; with ‖x − μ‖²/σ⋆² = r ~ χ²_d, p(x)^{-2/d} = 2πσ⋆²
    e^{r/d}."""
    volume = math.pi ** (d / 2) / math.gamma(d / 2 + 1)
    mean_exp, _ = integrate.quad(
        lambda r: math.exp(r / d + stats.chi2.logpdf(r, d)), 0, np.inf, epsrel=1e-12
    )
    return special.gamma(1 + 2 / d) * volume ** (-2 / d) * 2 * math.pi * sigma2 * mean_exp


@pytest.mark.parametrize("d", [3, 5, 10, 30, 50])
@pytest.mark.parametrize("sigma2", [sp.Rational(1, 2), 1, 3])
def test_constant_against_direct_integral(d, sigma2):
    closed = float(theory.evaluate(theory.nearest_neighbour_constant(d, sigma2)))
    assert closed == pytest.approx(direct_constant(d, float(sigma2)), rel=1e-9)


def test_constant_over_d_tends_to_one():
    ratios = [
        float(theory.evaluate(theory.nearest_neighbour_constant(d, 1) / d))
        for d in (10, 100, 1000, 10**5)
    ]
    assert all(abs(b - 1) < abs(a - 1) for a, b in zip(ratios, ratios[1:], strict=False))
    assert ratios[-1] == pytest.approx(1, abs=1e-3)


def test_paper_size_value_of_the_spec():
    """docs/theory.md §4: the asymptotic formula gives 49.4 at d = 50, N = 200, K = 12 (n = N/K)."""
    got = float(
        theory.evaluate(theory.asymptotic_nearest_neighbour_distance(50, 1, sp.Rational(200, 12)))
    )
    assert got == pytest.approx(49.4, abs=0.05)


def test_indistinguishable_size_grows_like_d_to_d_over_2():
    for d in (10, 30, 50):
        size = float(theory.evaluate(theory.indistinguishable_sample_size(d, 1)))
        at_size = theory.asymptotic_nearest_neighbour_distance(d, 1, size)
        assert float(theory.evaluate(at_size)) == pytest.approx(1, rel=1e-9)
        assert 0.5 < math.log(size) / (d / 2 * math.log(d)) < 1.5
