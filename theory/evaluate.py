"""Evaluating the symbolic layer: mpmath at a chosen precision, or numpy / jax functions.

Every closed form is exact (sympy Rationals); numbers appear only here. :func:`evaluate` runs the
expression through mpmath at ``digits`` and again at ``check_digits``, and refuses a result on which
the two precisions disagree: a cancellation the lower precision could not resolve.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import mpmath
import sympy as sp

from .errors import InvalidInput
from .exact import parse_rational
from .symbols import BY_NAME

__all__ = ["PrecisionMismatch", "evaluate", "to_numpy", "to_jax"]


class PrecisionMismatch(ArithmeticError):
    """The same expression gave different values at two precisions."""


def _evaluate_at(expr: sp.Expr, values: Mapping[sp.Symbol, sp.Rational], digits: int) -> mpmath.mpf:
    """mpmath at ``digits``: the exact values enter as mpmath numbers, so sympy never expands
    them."""
    symbols = list(values)
    with mpmath.workdps(digits):
        arguments = [mpmath.mpf(value.p) / value.q for value in values.values()]
        return +sp.lambdify(symbols, expr, modules="mpmath")(*arguments)


def evaluate(
    expr: sp.Expr,
    values: Mapping[str, object] | None = None,
    digits: int = 30,
    check_digits: int | None = None,
) -> mpmath.mpf:
    """The value of ``expr`` at ``digits`` significant digits, checked against ``check_digits``
    (default ``2 * digits``). Raises :class:`PrecisionMismatch` if they disagree beyond ``digits -
    3`` digits, and :class:`InvalidInput` if a symbol is left unset."""
    if digits < 5:
        raise InvalidInput("digits", digits, "an integer >= 5")
    if check_digits is not None and check_digits <= digits:
        raise InvalidInput("check_digits", check_digits, f"an integer > digits = {digits}")
    values = values or {}
    unknown = set(values) - set(BY_NAME)
    if unknown:
        raise InvalidInput(
            ", ".join(sorted(unknown)), sorted(unknown), "names among " + ", ".join(BY_NAME)
        )
    expr = sp.sympify(expr)
    exact_values = {
        BY_NAME[k]: parse_rational(v, k)
        for k, v in values.items()
        if BY_NAME[k] in expr.free_symbols
    }
    missing = expr.free_symbols - set(exact_values)
    if missing:
        names = {symbol: name for name, symbol in BY_NAME.items()}
        raise InvalidInput(
            "values",
            sorted(names.get(s, str(s)) for s in missing),
            "a value for every symbol of the expression",
        )
    value = _evaluate_at(expr, exact_values, digits)
    reference = _evaluate_at(expr, exact_values, check_digits or 2 * digits)
    with mpmath.workdps(digits):
        # Relative agreement; an exact zero must come out as zero at both precisions.
        if abs(value - reference) > abs(reference) * mpmath.mpf(10) ** (3 - digits):
            raise PrecisionMismatch(
                f"{digits} digits gave {value}, {check_digits or 2 * digits} gave {reference}"
            )
    return value


def _symbols(names: Sequence[str]) -> list[sp.Symbol]:
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise InvalidInput("names", unknown, "names among " + ", ".join(BY_NAME))
    return [BY_NAME[name] for name in names]


def to_numpy(expr: sp.Expr, names: Sequence[str]) -> Callable:
    """A numpy (float64) function of the named symbols, in that order."""
    return sp.lambdify(_symbols(names), expr, modules="numpy")


def to_jax(expr: sp.Expr, names: Sequence[str]) -> Callable:
    """A jax function of the named symbols, in that order."""
    return sp.lambdify(_symbols(names), expr, modules="jax")
