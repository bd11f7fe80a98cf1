r"""The tolerance rule every check uses.

.. math::
    |\text{measured} - \text{theory}|
      \le z\cdot\mathrm{SE} + \mathrm{rtol}\cdot|\text{theory}| + \mathrm{atol}

``z·SE`` absorbs Monte Carlo / sampling noise, ``rtol`` the approximation error the theory admits
("≈"), ``atol`` a floor where the theory value is ~0. When the theory gives an interval (Theorem
3.2's :math:`C \in [1, 2]`, eq. (14)'s :math:`M^\star/N` for that :math:`C`), ``theory`` is the
point of the interval nearest the measurement, so a measurement inside the interval always agrees;
an interval may be open on one side (an inequality such as Lemma 2.1's "no perturbation lowers the
loss").
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Tolerance", "nearest_theory"]


def nearest_theory(theory: float | tuple[float | None, float | None], measured: float) -> float:
    """``theory`` itself, or for an interval the point of it nearest ``measured`` (an end of
    ``None`` is unbounded: ``(0, None)`` states "at least 0")."""
    if isinstance(theory, (tuple, list)):
        low, high = theory
        nearest = measured if low is None else max(measured, low)
        return nearest if high is None else min(nearest, high)
    return float(theory)


@dataclass(frozen=True)
class Tolerance:
    """``|measured − theory| ≤ z·se + rtol·|theory| + atol``, with ``why`` those values."""

    z: float
    rtol: float
    atol: float
    why: str

    def bound(self, theory: float | tuple[float, float], measured: float, se: float) -> float:
        """The allowed deviation for this theory value (or interval) and standard error."""
        return self.z * se + self.rtol * abs(nearest_theory(theory, measured)) + self.atol

    def deviation(self, theory: float | tuple[float, float], measured: float) -> float:
        """``|measured − theory|`` (distance to the interval for an interval)."""
        return abs(measured - nearest_theory(theory, measured))

    def agrees(self, theory: float | tuple[float, float], measured: float, se: float) -> bool:
        return self.deviation(theory, measured) <= self.bound(theory, measured, se)

    @property
    def rule(self) -> str:
        return f"|measured − theory| ≤ {self.z:g}·SE + {self.rtol:g}·|theory| + {self.atol:g}"

    def to_dict(self) -> dict:
        return {
            "z": self.z,
            "rtol": self.rtol,
            "atol": self.atol,
            "rule": self.rule,
            "why": self.why,
        }
