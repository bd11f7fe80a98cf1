import numpy as np
import sympy as sp

from memlab import theory
from memlab.theory.epsilon_residual import RESIDUAL_SYMBOLS


def test_stable_form_equals_the_definition():
    assert sp.simplify(theory.naive_epsilon_residual() - theory.epsilon_residual()) == 0


def test_stable_form_avoids_float32_cancellation_at_t_0001():
    """A memorized point (m̄ = x₀) at t = 0.001, s² = 1e-6: the naive float32 residual subtracts
    O(1) numbers to get O(σ_t) and loses digits; the stable form keeps full float32 precision."""
    values = (
        float(np.sqrt(1 - 1e-6)),
        1e-3,
        1e-6,
        1.3,
        -0.7,
        1.3,
    )  # alpha, sigma, s2, x0, eps, m_bar
    exact = float(
        theory.evaluate(
            theory.epsilon_residual().subs(
                {
                    symbol: theory.parse_rational(value, str(symbol))
                    for symbol, value in zip(RESIDUAL_SYMBOLS, values, strict=False)
                }
            )
        )
    )
    single = [np.float32(value) for value in values]
    naive = sp.lambdify(RESIDUAL_SYMBOLS, theory.naive_epsilon_residual(), "numpy")(*single)
    stable = sp.lambdify(RESIDUAL_SYMBOLS, theory.epsilon_residual(), "numpy")(*single)
    assert abs(stable - exact) <= 1e-5 * abs(exact)
    assert abs(naive - exact) > 10 * abs(stable - exact)
