"""Verdicts: what a check concludes about a claim on one configuration.

A claim is checked at one or more points (grid times, model sizes, configurations): each point is a
:class:`Comparison` with its own status. The claim's :class:`Verdict` aggregates them:

- ``fail``: some comparison disagrees *while the claim's assumptions hold* there;
- ``pass``: no failure and at least one comparison agrees with its assumptions holding;
- ``assumption-violated``: every comparison sits where an assumption fails (reported, not a
  failure);
- ``skipped``: nothing could be compared (the reason says why, e.g. the tier does not train).

The verdict's ``theory``/``measured``/``se`` are its key comparison: the worst failing one for a
failure, otherwise the one closest to its tolerance bound.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from .tolerance import Tolerance

__all__ = ["STATUSES", "Comparison", "Verdict", "compare", "aggregate", "skipped"]

STATUSES = ("pass", "fail", "assumption-violated", "skipped")
PASSING = ("pass", "assumption-violated", "skipped")


@dataclass(frozen=True)
class Comparison:
    """One theory-vs-measurement point: ``status`` is pass / fail / assumption-violated."""

    label: str
    theory: float | list[float]
    measured: float
    se: float
    bound: float
    deviation: float
    agrees: bool
    status: str
    violated: list[str] = field(default_factory=list)

    @property
    def slack(self) -> float:
        """deviation / bound: above 1 disagrees."""
        return (
            self.deviation / self.bound
            if self.bound > 0
            else (math.inf if self.deviation > 0 else 0.0)
        )


def compare(
    label: str,
    theory: float | Sequence[float],
    measured: float,
    se: float,
    tolerance: Tolerance,
    violated: Sequence[str] = (),
) -> Comparison:
    """Apply ``tolerance``; ``violated`` lists the assumptions that fail at this point."""
    if isinstance(theory, (list, tuple)):
        theory = [None if end is None else float(end) for end in theory]
    else:
        theory = float(theory)
    measured, se = float(measured), float(se)
    finite = math.isfinite(measured) and math.isfinite(se)
    stated = tuple(theory) if isinstance(theory, list) else theory
    bound = tolerance.bound(stated, measured, se) if finite else math.inf
    deviation = tolerance.deviation(stated, measured) if finite else math.inf
    agrees = finite and tolerance.agrees(stated, measured, se)
    status = "assumption-violated" if violated else ("pass" if agrees else "fail")
    return Comparison(label, theory, measured, se, bound, deviation, agrees, status, list(violated))


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict on one configuration, with its evidence."""

    claim: str
    status: str
    reason: str
    theory: float | list[float] | None
    measured: float | None
    se: float | None
    key: str
    tolerance: dict
    config: dict
    provenance: dict
    comparisons: list[Comparison] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["comparisons"] = [asdict(c) for c in self.comparisons]
        return out

    @classmethod
    def from_dict(cls, data: Mapping) -> Verdict:
        data = dict(data)
        data["comparisons"] = [Comparison(**c) for c in data.get("comparisons", [])]
        return cls(**data)


def skipped(
    claim: str, reason: str, tolerance: Tolerance, config: Mapping, provenance: Mapping
) -> Verdict:
    """A verdict for a claim that could not be checked, with the reason."""
    return Verdict(
        claim,
        "skipped",
        reason,
        None,
        None,
        None,
        "",
        tolerance.to_dict(),
        dict(config),
        dict(provenance),
    )


def aggregate(
    claim: str,
    comparisons: Sequence[Comparison],
    tolerance: Tolerance,
    config: Mapping,
    provenance: Mapping,
    what: str = "",
) -> Verdict:
    """The verdict of a list of comparisons (see the module docstring). ``what`` names the measured
    quantity for the key number (e.g. "excess loss")."""
    if not comparisons:
        return skipped(claim, "no measurement to compare", tolerance, config, provenance)
    by_status = {s: [c for c in comparisons if c.status == s] for s in STATUSES}
    if by_status["fail"]:
        status, key = "fail", max(by_status["fail"], key=lambda c: c.slack)
    elif by_status["pass"]:
        status, key = "pass", max(by_status["pass"], key=lambda c: c.slack)
    else:
        status, key = "assumption-violated", max(comparisons, key=lambda c: c.slack)
    counts = ", ".join(
        f"{len(by_status[s])} {s}" for s in ("pass", "fail", "assumption-violated") if by_status[s]
    )
    violated = sorted({a for c in by_status["assumption-violated"] for a in c.violated})
    reason = f"{counts} of {len(comparisons)} comparisons"
    if violated:
        agree = sum(c.agrees for c in by_status["assumption-violated"])
        reason += (
            f"; assumption(s) {', '.join(violated)} fail at "
            f"{len(by_status['assumption-violated'])} (of which {agree} agree anyway)"
        )
    label = f"{what} at {key.label}" if what else key.label
    return Verdict(
        claim,
        status,
        reason,
        key.theory,
        key.measured,
        key.se,
        label,
        tolerance.to_dict(),
        dict(config),
        dict(provenance),
        list(comparisons),
    )
