import numpy as np
import pytest
import sympy as sp

from memlab import theory

# r, lam: the low-rank model of §4.2 at its paper sizes (rank 3, eigenvalue σ_c² hw = 225), with a
# small e_t (at t = 0.5 its memorizing loss is negligible) read with the 6% margin
PAPER_CONFIG = {
    "d": 50,
    "K": 12,
    "N": 200,
    "M": 48,
    "sigma2": 1,
    "gamma2": 100,
    "t": "0.5",
    "r": 3,
    "lam": 225,
    "memorizing_per_competitor": 1e-6,
    "margin": 0.06,
}


@pytest.mark.parametrize("claim", theory.THEORY_CLAIMS.values(), ids=theory.THEORY_CLAIMS)
def test_claim_is_complete(claim):
    assert claim.id and claim.title and claim.location.startswith("§") and claim.statement
    assert isinstance(claim.expression, sp.Basic)
    assert theory.symbols.to_latex(claim.expression)


@pytest.mark.parametrize("claim", theory.THEORY_CLAIMS.values(), ids=theory.THEORY_CLAIMS)
def test_assumptions_hold_in_the_paper_regime(claim):
    for assumption in claim.assumptions:
        check = assumption.evaluate(PAPER_CONFIG)
        # the degenerate regime N ≳ d^d is, by its definition, not the paper's
        assert check.holds is (claim.id != "regime-exp-d"), check
        assert check.margin == pytest.approx(check.lhs - check.rhs)


def test_memorizing_loss_negligible_breaks_at_the_noisiest_times():
    """At d = 50, N = 200 the assumption behind Theorem 3.1 holds up to t ≈ 0.84 and fails from t ≈
    0.88."""
    assumption = theory.assumptions.memorizing_loss_negligible()
    holds = {
        float(time): assumption.evaluate({**PAPER_CONFIG, "t": time}).holds
        for time in theory.grid_times()
    }
    assert all(holds[t] for t in holds if t <= 0.84)
    assert not any(holds[t] for t in holds if t >= 0.88)


def test_threshold_is_a_parameter():
    config = {**PAPER_CONFIG, "t": "0.84"}
    assert theory.assumptions.memorizing_loss_negligible(6).evaluate(config).holds
    assert not theory.assumptions.memorizing_loss_negligible(8).evaluate(config).holds


@pytest.mark.parametrize("factor, holds", [(1.01, True), (0.99, False)])
def test_memorizing_loss_negligible_sits_at_the_derived_edge(factor, holds):
    """ψ_t dσ⋆² ≥ 4 log(N/K), the derived constant (not a fitted one): at d = 30, K = 3, N = 30,
    σ⋆² = 1/2, the time where ψ_t·15 = factor·4·log 10 is on the side ``holds``."""
    import math

    psi = factor * 4 * math.log(10) / 15
    t = (1 / (1 + psi)) ** 0.5  # VP: ψ_t = (1 − t²)/t²
    check = theory.assumptions.memorizing_loss_negligible().evaluate(
        {"d": 30, "K": 3, "N": 30, "sigma2": 0.5, "t": t}
    )
    assert check.holds is holds
    assert check.rhs == pytest.approx(4 * math.log(10))


@pytest.mark.parametrize("M, divides", [(12, True), (48, True), (40, False)])
def test_components_divide_model(M, divides):
    assert theory.assumptions.components_divide_model().evaluate({"K": 12, "M": M}).holds is divides


def test_poly_d_separates_the_two_regimes():
    assumption = theory.assumptions.polynomial_sample_size()
    assert assumption.evaluate({"d": 50, "N": 200}).holds
    assert not assumption.evaluate({"d": 5, "N": 10**4}).holds


def test_missing_field_is_named():
    with pytest.raises(theory.InvalidInput, match="values"):
        theory.assumptions.memorizing_loss_negligible().evaluate({"d": 50, "N": 200})


def test_unknown_claim():
    with pytest.raises(theory.InvalidInput, match="claim"):
        theory.get_claim("thm-9.9")


def test_assumption_margins_are_monotone_in_time():
    assumption = theory.assumptions.memorizing_loss_negligible()
    margins = [
        assumption.evaluate({**PAPER_CONFIG, "t": time}).margin for time in theory.grid_times()
    ]
    assert np.all(np.diff(margins) < 0)


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: theory.generalizing_excess_loss(sigma2=-1), "sigma2"),
        (lambda: theory.partially_memorizing_excess_loss(C=0), "C"),
        (lambda: theory.nearest_neighbour_constant(2, 1), "d"),
        (lambda: theory.crossover_interval(C_range=(-1, 2)), "C"),
        (lambda: theory.per_time_crossover_ratio(-1), "C"),
        (lambda: theory.crossover_ratio("uniform", 1, sigma2=0), "sigma2"),
        (lambda: theory.Weighting.from_function(-1), "density"),
        (lambda: theory.Weighting.from_function(theory.symbols.t - sp.Rational(1, 2)), "density"),
    ],
)
def test_nonpositive_parameters_are_rejected(build, field):
    with pytest.raises(theory.InvalidInput, match=field):
        build()


def test_numbers_stay_exact():
    assert theory.partially_memorizing_excess_loss(50, 1, 40, 200, 1) == 40
    assert isinstance(theory.generalizing_excess_loss(theory.VP, 50, 1, 0.5), sp.Rational)
    assert theory.grid_times(3, 0.001, 0.999)[0] == sp.Rational(1, 1000)
