import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from memlab import theory
from memlab.theory.symbols import sigma2, t

unit_interval = st.fractions(min_value=0, max_value=1).filter(lambda q: 0 < q < 1)


def test_vp_identity_symbolic():
    """1/(1 + ψ_t σ⋆²) = t² on VP at σ⋆² = 1 (docs/theory.md §1)."""
    assert sp.simplify(1 / (1 + theory.VP.snr * 1) - t**2) == 0


@given(unit_interval)
def test_vp_identity_at_rational_times(q):
    time = sp.Rational(q.numerator, q.denominator)
    assert (1 / (1 + theory.VP.snr.subs(t, time))) == time**2


@given(unit_interval, st.fractions(min_value=0, max_value=10).filter(lambda q: q > 0))
def test_generalizing_excess_is_variance_times_relative_noise(q, s2):
    time, s2 = sp.Rational(q.numerator, q.denominator), sp.Rational(s2.numerator, s2.denominator)
    value = theory.generalizing_excess_loss(theory.VP, 7, s2, time)
    assert value == 7 * s2 * time**2 / (time**2 + (1 - time**2) * s2)


def test_schedule_corners():
    """Every schedule is pure signal at t = 0; the VP family is pure noise at t = 1."""
    for schedule in theory.SCHEDULES.values():
        assert schedule.alpha.subs(t, 0) == 1 and schedule.sigma.subs(t, 0) == 0
    for name in ("vp", "cosine-vp", "linear"):
        schedule = theory.get_schedule(name)
        assert sp.simplify(schedule.alpha.subs(t, 1)) == 0 and schedule.sigma.subs(t, 1) == 1


def test_variance_preserving_schedules_preserve_variance():
    for name in ("vp", "cosine-vp"):
        schedule = theory.get_schedule(name)
        assert sp.simplify(schedule.alpha**2 + schedule.sigma**2) == 1


def test_grid_times_are_exact_and_match_the_paper():
    grid = theory.grid_times()
    assert len(grid) == 26
    assert all(isinstance(time, sp.Rational) for time in grid)
    assert grid[0] == sp.Rational(1, 1000) and grid[-1] == sp.Rational(999, 1000)
    assert len({b - a for a, b in zip(grid, grid[1:], strict=False)}) == 1


def test_sigma2_is_a_positive_symbol():
    assert sigma2.is_positive


def test_unknown_schedule_names_the_field():
    try:
        theory.get_schedule("cosine")
    except theory.InvalidInput as error:
        assert error.field == "schedule" and "vp" in str(error)
    else:
        raise AssertionError("no error")


@pytest.mark.parametrize("name", list(theory.SCHEDULES))
def test_time_dependent_closed_forms_evaluate_at_checked_precision_on_every_schedule(name):
    """No cancellation at the grid's ends on any schedule: the two precisions of ``evaluate`` agree
    (a form through 1 - cos(pi t) or 1 - 1/(1 + psi_t) loses ~6 digits at t = 0.001 or 0.999), and
    the posterior-variance fraction is 1/(1 + psi_t sigma2)."""
    schedule = theory.get_schedule(name)
    negligible = theory.get_claim("thm-3.1", schedule).assumptions[-1]
    for time in (theory.grid_times()[0], theory.grid_times()[-1]):
        for expression in (
            theory.generalizing_excess_loss(schedule, 50, sp.Rational(3, 2), time),
            theory.per_time_crossover_ratio(1, schedule, sp.Rational(3, 2), time),
        ):
            assert float(theory.evaluate(expression, digits=30)) > 0
        negligible.evaluate({"d": 50, "K": 12, "N": 200, "t": time, "sigma2": 1})
    fraction = schedule.posterior_variance_fraction(sigma2)
    assert sp.simplify(fraction - 1 / (1 + schedule.snr * sigma2)) == 0
