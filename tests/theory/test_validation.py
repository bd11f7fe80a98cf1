"""The shared input checks: types, bounds and finiteness, with the field named."""

import math

import pytest

from memlab.theory import validation
from memlab.theory.errors import InvalidInput


@pytest.mark.parametrize(
    "value, low, high", [(True, 0, 9), (2.0, 0, 9), ("3", 0, 9), (-1, 0, 9), (10, 0, 9)]
)
def test_integer_refuses(value, low, high):
    with pytest.raises(InvalidInput) as error:
        validation.integer("n", value, low, high)
    assert error.value.field == "n" and error.value.allowed == "an integer in [0, 9]"


@pytest.mark.parametrize("value", [math.inf, math.nan, 10**400, True, "1", 0.0, -1.0, 1e7])
def test_number_refuses_non_finite_out_of_range_and_non_numbers(value):
    with pytest.raises(InvalidInput, match="x: got"):
        validation.number("x", value, 0, 1e6, strict_low=True)


def test_number_and_integer_return_the_checked_type():
    assert validation.number("x", 3, 0, 10) == 3.0 and isinstance(validation.number("x", 3), float)
    assert validation.integer("n", 7, 1) == 7


def test_integers_accepts_one_value_and_checks_order():
    assert validation.integers("M", 5, 1, 9) == (5,)
    assert validation.integers("M", [1, 3], 1, 9, increasing=True) == (1, 3)
    for bad in ([3, 1], [], [1, 1], "1,2", [1.5]):
        with pytest.raises(InvalidInput, match="M: got"):
            validation.integers("M", bad, 1, 9, increasing=True)


def test_one_of_lists_the_options():
    with pytest.raises(InvalidInput, match="one of a, b"):
        validation.one_of("tier", "c", ["a", "b"])
