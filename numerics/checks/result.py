"""The result of a claim's Monte Carlo check: per-time (or per-case) rows and claim-level numbers.

``CheckResult.to_dict()`` is the stable JSON form the verification layer reads:
``{"claim", "config", "rows": [{"t", "theory", "measured", "se", "rel_err", ...extra}], "summary",
"provenance"}``; every number a plain float (``None`` for a row that is not per-time, or an
undefined relative error), excess losses in x0 units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from memlab.theory.errors import InvalidInput

__all__ = ["CheckRow", "CheckResult", "plain", "relative_error"]


def plain(value: object, strict: bool = False) -> object:
    """``value`` with numpy scalars and arrays turned into plain floats, ints, bools and lists
    (mappings with string keys, tuples as lists); ``strict``: non-finite floats become ``None`` too,
    as strict JSON has no NaN or Infinity."""
    if isinstance(value, Mapping):
        return {str(k): plain(v, strict) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, strict) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist(), strict)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if strict and not math.isfinite(value) else float(value)
    return value


def relative_error(measured: float, theory: float | None) -> float | None:
    """``(measured - theory) / |theory|``; ``None`` where the theory value is 0 or missing."""
    if theory is None or theory == 0 or not math.isfinite(theory):
        return None
    return float((measured - theory) / abs(theory))


_ROW_FIELDS = ("t", "theory", "measured", "se")


@dataclass(frozen=True)
class CheckRow:
    """One comparison: grid time ``t`` (``None`` if not per-time), theory, measured ± se, extra
    fields."""

    t: float | None
    theory: float | None
    measured: float
    se: float
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def rel_err(self) -> float | None:
        return relative_error(self.measured, self.theory)

    def field(self, name: str) -> object:
        """The extra field ``name``; a row without it is a broken contract, an error naming it."""
        if name not in self.extra:
            raise InvalidInput(
                f"row.{name}", "missing", f"a field of the row ({sorted(self.extra)})"
            )
        return self.extra[name]

    @classmethod
    def from_dict(cls, data: Mapping[str, object], where: str = "row") -> CheckRow:
        """The row of :meth:`to_dict`; a missing field is an error naming it and ``where``."""
        for name in _ROW_FIELDS:
            if name not in data:
                raise InvalidInput(f"{where}.{name}", "missing", "a field of every check row")
        extra = {k: v for k, v in data.items() if k not in (*_ROW_FIELDS, "rel_err")}
        return cls(data["t"], data["theory"], data["measured"], data["se"], extra)

    def to_dict(self) -> dict:
        return plain(
            {
                "t": self.t,
                "theory": self.theory,
                "measured": self.measured,
                "se": self.se,
                "rel_err": self.rel_err,
                **self.extra,
            }
        )


@dataclass(frozen=True)
class CheckResult:
    """A claim's check on one configuration."""

    claim: str
    config: Mapping[str, object]
    rows: tuple[CheckRow, ...]
    summary: Mapping[str, object]
    provenance: Mapping[str, object]

    @classmethod
    def from_dict(cls, data: Mapping[str, object], where: str = "check") -> CheckResult:
        """The result of :meth:`to_dict`; a missing field is an error naming it and ``where``."""
        for name in ("claim", "config", "rows", "summary", "provenance"):
            if name not in data:
                raise InvalidInput(f"{where}.{name}", "missing", "a field of every check result")
        rows = tuple(
            CheckRow.from_dict(row, f"{where}.rows[{i}]") for i, row in enumerate(data["rows"])
        )
        return cls(data["claim"], data["config"], rows, data["summary"], data["provenance"])

    def to_dict(self) -> dict:
        return {
            "claim": self.claim,
            "config": plain(dict(self.config)),
            "rows": [row.to_dict() for row in self.rows],
            "summary": plain(dict(self.summary)),
            "provenance": plain(dict(self.provenance)),
        }
