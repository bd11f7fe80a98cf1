"""Checks of input values, shared by every layer.

Each helper returns the value in its checked type or raises :class:`InvalidInput` naming the field
and what is allowed, so that every layer rejects bad input the same way, before any work. Upper
bounds are the callers' (what keeps their work finite); the helpers only enforce and describe them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .errors import InvalidInput

__all__ = ["integer", "number", "integers", "one_of", "describe_range"]


def describe_range(
    kind: str, low: float | None, high: float | None, strict_low: bool = False
) -> str:
    """``kind`` with its bounds in words: 'an integer in [1, 100]', 'a number > 0'."""
    if low is not None and high is not None and not strict_low:
        return f"{kind} in [{_shown(low)}, {_shown(high)}]"
    bounds = []
    if low is not None:
        bounds.append(f"{'>' if strict_low else '>='} {_shown(low)}")
    if high is not None:
        bounds.append(f"<= {_shown(high)}")
    return " ".join([kind, " and ".join(bounds)]).strip()


def _shown(bound: float) -> str:
    return str(bound) if isinstance(bound, int) else f"{bound:g}"


def integer(field: str, value: object, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int: an integer (not a bool, not 10.0) in ``[low, high]``."""
    allowed = describe_range("an integer", low, high)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, value, allowed)
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidInput(field, value, allowed)
    return int(value)


def number(
    field: str,
    value: object,
    low: float | None = None,
    high: float | None = None,
    strict_low: bool = False,
) -> float:
    """``value`` as a float: a finite number (an int or float, not a bool) within the bounds
    (``strict_low``: above ``low``, not equal to it)."""
    allowed = describe_range("a finite number", low, high, strict_low)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(field, value, allowed)
    try:
        converted = float(value)
    except OverflowError:  # an int beyond the float range
        raise InvalidInput(field, value, allowed) from None
    if (
        not math.isfinite(converted)
        or (low is not None and (converted <= low if strict_low else converted < low))
        or (high is not None and converted > high)
    ):
        raise InvalidInput(field, value, allowed)
    return converted


def integers(
    field: str,
    values: object,
    low: int | None = None,
    high: int | None = None,
    increasing: bool = False,
) -> tuple[int, ...]:
    """A list of integers in ``[low, high]`` (a single integer counts as a list of one);
    ``increasing``: non-empty, strictly increasing."""
    if isinstance(values, int) and not isinstance(values, bool):
        values = [values]
    kind = "increasing distinct integers" if increasing else "a list of integers"
    allowed = describe_range(kind, low, high)
    if not isinstance(values, (list, tuple)):
        raise InvalidInput(field, values, allowed)
    checked = tuple(integer(field, value, low, high) for value in values)
    if increasing and (not checked or list(checked) != sorted(set(checked))):
        raise InvalidInput(field, list(values), allowed)
    return checked


def one_of(field: str, value: object, options: Iterable[str]) -> str:
    """``value``, one of the strings ``options``."""
    options = list(options)
    if not isinstance(value, str) or value not in options:
        raise InvalidInput(field, value, "one of " + ", ".join(options))
    return value
