r"""Equivalence margins: how far a measurement may sit from the theory and still agree, stated per
claim in units a reader understands (a relative error of a loss, an absolute error of :math:`C` or
of :math:`M^\star/N`, a memorization ratio), and never growing with the standard error.

Each margin says where it comes from (``source``):

- ``derived``: from the claim's own mathematics (e.g. the :math:`O(n^{-1/d})` correction of an
  asymptotic rate, float64 round-off of an identity);
- ``paper``: a number the paper states (eq. (15)'s train/test error);
- ``calibrated``: measured on configurations disjoint from every configuration a tier judges, frozen
  here with the command and the data of the calibration (``why`` records both).

:mod:`verification.verdict` turns a margin, a theory value (or interval) and a measurement with its
standard error into one of ``confirmed`` / ``refuted`` / ``inconclusive`` (README "Reading a
verdict").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Margin", "SOURCES", "reference"]

SOURCES = ("derived", "paper", "calibrated")

Theory = float | tuple[float | None, float | None] | list[float | None]


def reference(theory: Theory, measured: float) -> float:
    """The size a relative margin is taken of: ``|theory|``, or for an interval the magnitude of
    its end nearest ``measured`` (an unbounded end never is the nearest)."""
    if isinstance(theory, (tuple, list)):
        low, high = theory
        ends = [end for end in (low, high) if end is not None]
        if not math.isfinite(measured):
            return max(abs(end) for end in ends)
        return abs(min(ends, key=lambda end: abs(measured - end)))
    return abs(float(theory))


@dataclass(frozen=True)
class Margin:
    r"""``|measured − theory| ≤ value`` (``relative``: ``≤ value·|theory|``) is agreement.

    ``unit`` names what the value is in (e.g. "relative error of the excess loss", "C");
    ``source`` is one of :data:`SOURCES`; ``why`` gives the derivation, the paper's number, or the
    calibration's command and data."""

    value: float
    relative: bool
    unit: str
    source: str
    why: str

    def __post_init__(self):
        if not (self.value >= 0 and math.isfinite(self.value)):
            raise ValueError(f"a margin is a finite number >= 0, not {self.value}")
        if self.source not in SOURCES:
            raise ValueError(f"margin source {self.source!r} is not one of {', '.join(SOURCES)}")

    def absolute(self, theory: Theory, measured: float) -> float:
        """The margin in the measured quantity's own units at this theory value."""
        return self.value * reference(theory, measured) if self.relative else self.value

    @property
    def rule(self) -> str:
        scale = "·|theory|" if self.relative else ""
        return f"|measured − theory| ≤ {self.value:g}{scale} ({self.unit}; {self.source})"

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "relative": self.relative,
            "unit": self.unit,
            "source": self.source,
            "rule": self.rule,
            "why": self.why,
        }
