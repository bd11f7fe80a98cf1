import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from memlab import theory

C_VALUES = (sp.Integer(1), sp.Rational(3, 2), sp.Integer(2))


def value(expr, digits=30):
    return float(theory.evaluate(expr, digits=digits))


# docs/theory.md §4's table: weighting -> (C = 1, 3/2, 2), printed to 3 decimals (5 for snr).
TABLE = {
    "uniform": ((0.660, 0.774, 0.830), 5e-4),
    "snr": ((0.99999, 0.99999, 0.99999), 1e-5),
}


@pytest.mark.parametrize("weighting", TABLE)
@pytest.mark.parametrize("column", range(3))
def test_table_of_the_spec(weighting, column):
    expected, printed_precision = TABLE[weighting]
    got = value(theory.crossover_ratio(weighting, C_VALUES[column], sigma2=1))
    assert abs(got - expected[column]) <= printed_precision


@pytest.mark.parametrize(
    "C, exact",
    list(zip(C_VALUES, (sp.Rational(2, 3), sp.Rational(7, 9), sp.Rational(5, 6)), strict=False)),
)
def test_continuous_uniform_is_exact(C, exact):
    assert theory.crossover_ratio("continuous-uniform", C, sigma2=1) == exact


def test_continuous_uniform_simplifies_to_closed_form():
    C = theory.symbols.C
    assert (
        sp.simplify(theory.crossover_ratio("continuous-uniform", sigma2=1) - (1 - 1 / (3 * C))) == 0
    )


def test_uniform_is_one_minus_mean_squared_time():
    grid = np.array([float(time) for time in theory.grid_times()])
    assert value(theory.crossover_ratio("uniform", 1, sigma2=1)) == pytest.approx(
        1 - np.mean(grid**2), rel=1e-14
    )


def _numpy_crossover(weights, C, sigma2):
    """Eq. (14) written independently, in float64 numpy."""
    grid = np.linspace(0.001, 0.999, 26)
    psi = (1 - grid**2) / grid**2
    return 1 - np.sum(weights / (1 + psi * sigma2)) / (C * np.sum(weights))


positive = st.fractions(min_value=sp.Rational(1, 10), max_value=10)


@given(
    st.lists(st.integers(min_value=0, max_value=1000), min_size=26, max_size=26).filter(any),
    positive,
    positive,
)
def test_grid_weighting_matches_independent_numpy(weights, C, sigma2):
    weighting = theory.Weighting.from_values(weights)
    got = value(theory.crossover_ratio(weighting, C, sigma2=sigma2))
    expected = _numpy_crossover(np.array(weights, float), float(C), float(sigma2))
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    "weighting", ["uniform", "snr", "continuous-uniform", "power:1/2", "power:-1"]
)
def test_monotone_in_C_and_below_one(weighting):
    values = [
        value(theory.crossover_ratio(weighting, C, sigma2=1)) for C in (1, "5/4", "3/2", 2, 10)
    ]
    assert all(a < b for a, b in zip(values, values[1:], strict=False))
    assert all(0 <= v < 1 for v in values)


@given(st.fractions(min_value=1, max_value=1000))
def test_range_is_in_unit_interval_for_C_at_least_one(C):
    assert 0 <= value(theory.crossover_ratio("uniform", C, sigma2=1)) < 1


def test_named_power_weightings_reduce_to_uniform_and_snr():
    for name, power in (("uniform", "power:0"), ("snr", "power:1")):
        assert value(theory.crossover_ratio(name, 2, sigma2=1)) == pytest.approx(
            value(theory.crossover_ratio(power, 2, sigma2=1)), rel=1e-25
        )


def test_interval_is_the_crossover_at_the_ends_of_C():
    low, high = theory.crossover_interval("uniform", sigma2=1)
    assert low == theory.crossover_ratio("uniform", 1, sigma2=1)
    assert high == theory.crossover_ratio("uniform", 2, sigma2=1)


def test_per_time_crossover_on_vp():
    t, C = theory.symbols.t, theory.symbols.C
    assert sp.simplify(theory.per_time_crossover_ratio(C, sigma2=1) - (1 - t**2 / C)) == 0


def test_d_K_N_cancel():
    expr = theory.crossover_ratio("uniform")
    assert not expr.free_symbols & {theory.symbols.d, theory.symbols.K, theory.symbols.N}


@pytest.mark.parametrize("bad", [0, -1, "-3/2"])
def test_nonpositive_C_is_rejected(bad):
    with pytest.raises(theory.InvalidInput, match="C"):
        theory.crossover_ratio("uniform", bad, sigma2=1)


@pytest.mark.parametrize("bad", ["uniformish", "power:x", "power:"])
def test_unknown_weighting_is_rejected(bad):
    with pytest.raises(theory.InvalidInput, match="weighting"):
        theory.crossover_ratio(bad, 1, sigma2=1)


def test_bad_weighting_values():
    with pytest.raises(theory.InvalidInput, match="weighting values"):
        theory.Weighting.from_values([0] * 26)
    with pytest.raises(theory.InvalidInput, match="weighting values"):
        theory.crossover_ratio(theory.Weighting.from_values([1] * 25), 1, sigma2=1)


def test_function_weighting_on_grid_and_integrated():
    t = theory.symbols.t
    on_grid = theory.Weighting.from_function(t)
    grid = np.linspace(0.001, 0.999, 26)
    assert value(theory.crossover_ratio(on_grid, 1, sigma2=1)) == pytest.approx(
        _numpy_crossover(grid, 1.0, 1.0), rel=1e-13
    )
    # ∫ t·t² / ∫ t over [0, 1] = (1/4)/(1/2)
    assert theory.crossover_ratio(
        theory.Weighting.from_function(t, (0, 1)), 1, sigma2=1
    ) == sp.Rational(1, 2)
    trimmed = theory.Weighting.from_function(1, ("1/1000", "999/1000"))
    lo, hi = sp.Rational(1, 1000), sp.Rational(999, 1000)
    assert theory.crossover_ratio(trimmed, 1, sigma2=1) == 1 - (hi**3 - lo**3) / 3 / (hi - lo)


def test_bad_function_weighting():
    with pytest.raises(theory.InvalidInput, match="interval"):
        theory.Weighting.from_function(1, (1, 0))
    with pytest.raises(theory.InvalidInput, match="density"):
        theory.Weighting.from_function(theory.symbols.d)
