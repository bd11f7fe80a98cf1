"""Exact numbers: every value entering the symbolic layer becomes a sympy Rational (never a
float)."""

from __future__ import annotations

import sympy as sp

from .errors import InvalidInput

__all__ = ["parse_rational", "exact", "positive"]


def parse_rational(value: object, field: str) -> sp.Rational:
    """An exact Rational from an int, a decimal string ("1.5"), a fraction ("3/2") or a float (read
    by its shortest round-trip decimal)."""
    if isinstance(value, float):
        value = repr(value)
    try:
        return sp.Rational(value)
    except (TypeError, ValueError, SyntaxError, ZeroDivisionError):
        raise InvalidInput(field, value, "a number such as 1.5 or 3/2") from None


def exact(value: object, field: str) -> sp.Expr:
    """``value`` as a sympy expression: symbols and expressions pass through, numbers become
    Rationals."""
    return value if isinstance(value, sp.Basic) else parse_rational(value, field)


def positive(value: object, field: str) -> sp.Expr:
    """``exact(value)``, rejected unless it is a symbol or a number > 0 (variances, C, d, sizes)."""
    result = exact(value, field)
    if result.is_number and not (result.is_real and result > 0):
        raise InvalidInput(field, value, "a number > 0")
    return result
