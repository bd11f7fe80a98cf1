import mpmath
import pytest
import sympy as sp

from memlab import theory

EXPRESSIONS = {
    "crossover-uniform": theory.crossover_ratio("uniform", sp.Rational(3, 2), sigma2=1),
    "crossover-power": theory.crossover_ratio("power:1/3", 2, sigma2=sp.Rational(1, 2)),
    "generalizing": theory.generalizing_excess_loss(theory.COSINE_VP, 50, 1, sp.Rational(1, 3)),
    "nearest-neighbour": theory.asymptotic_nearest_neighbour_distance(50, 1, sp.Rational(200, 12)),
}


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_30_and_60_digits_agree(name):
    low = theory.evaluate(EXPRESSIONS[name], digits=30, check_digits=60)
    high = theory.evaluate(EXPRESSIONS[name], digits=60, check_digits=120)
    with mpmath.workdps(30):
        assert abs(low - high) <= abs(high) * mpmath.mpf(10) ** -28


def test_cancellation_is_caught():
    """cos(10⁻²⁰) − 1 = −5·10⁻⁴¹ rounds to 0 at 30 digits: the two precisions must disagree."""
    with pytest.raises(theory.PrecisionMismatch):
        theory.evaluate(sp.cos(sp.Rational(1, 10**20)) - 1, digits=30)
    well_conditioned = (
        -2 * sp.sin(sp.Rational(1, 2 * 10**20)) ** 2
    )  # the same number, no cancellation
    assert theory.evaluate(well_conditioned, digits=30) == pytest.approx(-5e-41, rel=1e-15)


def test_substitution_by_name_is_exact():
    expr = theory.partially_memorizing_excess_loss()
    got = theory.evaluate(expr, {"d": 50, "sigma2": 1, "M": 40, "N": 200, "C": "1.5"})
    assert got == 60


def test_unset_symbol_and_unknown_name():
    with pytest.raises(theory.InvalidInput, match="values"):
        theory.evaluate(theory.partially_memorizing_excess_loss(), {"d": 50})
    with pytest.raises(theory.InvalidInput):
        theory.evaluate(theory.partially_memorizing_excess_loss(), {"dimension": 50})


def test_lambdify_numpy_and_jax_agree_with_mpmath():
    import jax.numpy as jnp
    import numpy as np

    expr = theory.generalizing_excess_loss(theory.VP, 50, 1)
    times = np.linspace(0.001, 0.999, 26)
    expected = [float(theory.evaluate(expr, {"t": float(time)})) for time in times]
    np.testing.assert_allclose(theory.to_numpy(expr, ["t"])(times), expected, rtol=1e-13)
    np.testing.assert_allclose(
        np.asarray(theory.to_jax(expr, ["t"])(jnp.asarray(times))), expected, rtol=1e-13
    )


def test_bad_evaluation_arguments_name_the_field():
    with pytest.raises(theory.InvalidInput, match="check_digits"):
        theory.evaluate(sp.Integer(1), digits=30, check_digits=30)
    with pytest.raises(theory.InvalidInput, match="sigma2"):
        theory.evaluate(theory.generalizing_excess_loss(), {"d": 50, "t": "1/2"})
    with pytest.raises(theory.InvalidInput, match="names"):
        theory.to_numpy(theory.generalizing_excess_loss(), ["dimension"])
