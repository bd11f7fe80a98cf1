r"""Verdicts: what a check concludes about a claim, by equivalence tests against the claim's margin.

**One comparison** (a grid time, a model size, a configuration) has a theory value :math:`\theta`
(or an interval :math:`[a, b]`; an end may be unbounded), a measurement :math:`m` with standard
error :math:`s`, and the claim's margin :math:`\Delta` (:mod:`verification.margin`). The
acceptable region is :math:`[a - \Delta, b + \Delta]` (:math:`a = b = \theta` for a point). With
the :math:`(1 - 2\alpha)` interval :math:`m \pm z_{1-\alpha}s` (:math:`\alpha` = :data:`ALPHA`):

- ``confirmed``: the interval lies inside the region — the two one-sided tests (TOST) both reject
  "outside", :math:`p_\text{equiv} = \max(\bar\Phi((m - a + \Delta)/s), \bar\Phi((b + \Delta -
  m)/s)) < \alpha`;
- ``refuted``: the interval lies entirely outside the region,
  :math:`p_\text{refute} = \bar\Phi(\max(m - b - \Delta, a - \Delta - m)/s) < \alpha`;
- ``inconclusive``: it straddles an edge of the region (more draws would decide);
- ``assumption-violated``: an assumption of the claim fails at this point; the test's outcome is
  kept (``test``) and shown, not counted.

A zero SE (an exact identity, a constructed case) makes the test a comparison of :math:`m` with the
region. A non-finite measurement is ``inconclusive``: it is no evidence either way, and not a pass.

**Multiple comparisons.** A claim holds when *all* its admissible comparisons hold; confirming all
of them is an intersection–union test, which is level :math:`\alpha` with each comparison at level
:math:`\alpha` (no correction needed). Refuting the claim needs only one refuted comparison, a
union–intersection test: the refutation p-values are Holm-adjusted over the claim's admissible
comparisons, so a claim is refuted falsely with probability at most :math:`\alpha` however many
points it is checked at.

**Power.** Each comparison reports the smallest deviation from the theory it detects with
probability :data:`POWER`: :math:`\Delta + (z_{1-\alpha/n} + z_\text{power})\,s` (:math:`n`
admissible comparisons, Holm's strictest step), in the margin's units; the claim reports the
smallest over its comparisons.

**A claim's verdict**: ``refuted`` if any admissible comparison is refuted; ``confirmed`` if all
are confirmed; ``inconclusive`` otherwise; ``assumption-violated`` if every comparison is;
``skipped`` (with the reason) when there is nothing to compare — ``unexpected`` when the tier
should have judged the claim.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from statistics import NormalDist

from .margin import Margin, reference

__all__ = [
    "ALPHA",
    "POWER",
    "OUTCOMES",
    "Comparison",
    "Verdict",
    "compare",
    "aggregate",
    "skipped",
    "holm",
]

ALPHA = 0.05
"""Level of every test: a correct theory is refuted with probability at most 5% per claim."""
POWER = 0.8
"""The power at which the smallest detectable deviation is stated."""
OUTCOMES = ("confirmed", "refuted", "inconclusive", "assumption-violated", "skipped")

_NORMAL = NormalDist()


def _upper_tail(z: float) -> float:
    """:math:`\\bar\\Phi(z) = P(Z > z)`; ``z = ±inf`` (zero SE) gives 0 or 1."""
    if math.isinf(z):
        return 0.0 if z > 0 else 1.0
    return 1.0 - _NORMAL.cdf(z)


def _quantile(p: float) -> float:
    return _NORMAL.inv_cdf(p)


def _standardized(distance: float, se: float, at_zero: float) -> float:
    """``distance / se``; with a zero SE, ±inf by the sign of ``distance`` and ``at_zero`` at 0 (a
    measurement exactly on the region's edge is inside it)."""
    if se > 0:
        return distance / se
    return math.inf if distance > 0 else (-math.inf if distance < 0 else at_zero)


@dataclass(frozen=True)
class Comparison:
    """One theory-vs-measurement point and its test (all deviations in the measured units;
    ``scale`` turns them into the margin's: ``deviation / scale``)."""

    label: str
    theory: float | list[float | None]
    measured: float
    se: float
    margin: float
    scale: float
    low: float
    high: float
    deviation: float
    p_equivalent: float
    p_refuted: float
    detectable: float
    test: str
    outcome: str
    violated: list[str] = field(default_factory=list)

    @property
    def admissible(self) -> bool:
        """Counted in the claim's verdict: every assumption holds here."""
        return not self.violated


def _region(theory, margin: float) -> tuple[float, float]:
    if isinstance(theory, list):
        low, high = theory
    else:
        low = high = theory
    return (
        -math.inf if low is None else low - margin,
        math.inf if high is None else high + margin,
    )


def _test(p_equivalent: float, p_refuted: float, finite: bool) -> str:
    if not finite:
        return "inconclusive"
    if p_refuted < ALPHA:
        return "refuted"
    if p_equivalent < ALPHA:
        return "confirmed"
    return "inconclusive"


def _detectable(margin: float, se: float, family: int) -> float:
    z = _quantile(1 - ALPHA / max(family, 1)) + _quantile(POWER)
    return margin + z * se


def compare(
    label: str,
    theory: float | Sequence[float | None],
    measured: float,
    se: float,
    margin: Margin,
    violated: Sequence[str] = (),
) -> Comparison:
    """Test ``measured ± se`` against ``theory`` (a number or an interval ``[low, high]``, an end
    ``None`` unbounded) under ``margin``; ``violated`` lists the assumptions failing here."""
    if isinstance(theory, (list, tuple)):
        theory = [None if end is None else float(end) for end in theory]
    else:
        theory = float(theory)
    measured, se = float(measured), float(se)
    finite = math.isfinite(measured) and math.isfinite(se) and se >= 0
    size = reference(theory, measured) if finite else 1.0
    scale = size if margin.relative else 1.0
    allowed = margin.absolute(theory, measured) if finite else math.inf
    region_low, region_high = _region(theory, allowed if finite else 0.0)
    if finite:
        half = _quantile(1 - ALPHA) * se
        low, high = measured - half, measured + half
        nearest = min(max(measured, region_low + allowed), region_high - allowed)
        deviation = abs(measured - nearest)
        p_equivalent = max(
            _upper_tail(_standardized(measured - region_low, se, math.inf)),
            _upper_tail(_standardized(region_high - measured, se, math.inf)),
        )
        p_refuted = _upper_tail(
            _standardized(max(measured - region_high, region_low - measured), se, -math.inf)
        )
    else:
        low, high, deviation, p_equivalent, p_refuted = (math.nan, math.nan, math.inf, 1.0, 1.0)
    outcome = _test(p_equivalent, p_refuted, finite)
    return Comparison(
        label,
        theory,
        measured,
        se,
        allowed,
        scale,
        low,
        high,
        deviation,
        p_equivalent,
        p_refuted,
        _detectable(allowed, se, 1) if finite else math.inf,
        outcome,
        "assumption-violated" if violated else outcome,
        list(violated),
    )


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (same order as given)."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted, running = [1.0] * len(p_values), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict on one set of results, with its evidence. ``status`` is one of
    :data:`OUTCOMES`; ``detectable`` the smallest deviation (margin units) the check would detect
    with probability :data:`POWER`; ``controls`` the outcomes of the claim's wrong theories when
    they were run (``[{"theory", "wrong", "outcome", "distinguishable"}]``, the last the number of
    admissible comparisons at which the wrong theory differs from the claim's; 0: "not
    distinguishable here")."""

    claim: str
    status: str
    reason: str
    theory: float | list[float | None] | None
    measured: float | None
    se: float | None
    key: str
    margin: dict
    detectable: float | None
    config: dict
    provenance: dict
    comparisons: list[Comparison] = field(default_factory=list)
    unexpected: bool = False
    controls: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["comparisons"] = [asdict(c) for c in self.comparisons]
        return out

    @classmethod
    def from_dict(cls, data: Mapping) -> Verdict:
        data = dict(data)
        data["comparisons"] = [Comparison(**c) for c in data.get("comparisons", [])]
        return cls(**data)

    @property
    def refuted_controls(self) -> list[str]:
        """The wrong theories the check refuted where they differ from the claim's theory (a control
        identical to it here, ``distinguishable == 0``, shares the claim's outcome and proves
        nothing)."""
        return [
            c["theory"]
            for c in self.controls
            if c["outcome"] == "refuted" and c.get("distinguishable") != 0
        ]

    @property
    def no_power(self) -> bool:
        """The claim was judged, its controls were run, and the check refuted none of those it can
        tell from the claim's theory."""
        judged = self.status in ("confirmed", "refuted", "inconclusive")
        return judged and bool(self.controls) and not self.refuted_controls


def skipped(
    claim: str,
    reason: str,
    margin: Margin,
    config: Mapping,
    provenance: Mapping,
    unexpected: bool = False,
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
        margin.to_dict(),
        None,
        dict(config),
        dict(provenance),
        unexpected=unexpected,
    )


def _corrected(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """Holm-adjust the refutation p-values over the admissible comparisons, and state each
    comparison's detectable deviation at the family's size."""
    admissible = [i for i, c in enumerate(comparisons) if c.admissible]
    adjusted = holm([comparisons[i].p_refuted for i in admissible])
    family = max(len(admissible), 1)
    out = []
    for c in comparisons:
        detectable = (
            _detectable(c.margin, c.se, family) if math.isfinite(c.detectable) else math.inf
        )
        out.append(replace(c, detectable=detectable))
    for i, p in zip(admissible, adjusted, strict=True):
        c = out[i]
        finite = math.isfinite(c.measured) and math.isfinite(c.se)
        outcome = _test(c.p_equivalent, p, finite)
        out[i] = replace(c, p_refuted=p, test=outcome, outcome=outcome)
    return out


def aggregate(
    claim: str,
    comparisons: Sequence[Comparison],
    margin: Margin,
    config: Mapping,
    provenance: Mapping,
    what: str = "",
) -> Verdict:
    """The verdict of a list of comparisons (see the module docstring). ``what`` names the measured
    quantity for the key number (e.g. "excess loss")."""
    if not comparisons:
        return skipped(
            claim, "no measurement to compare", margin, config, provenance, unexpected=True
        )
    comparisons = _corrected(comparisons)
    admissible = [c for c in comparisons if c.admissible]
    by_outcome = {s: [c for c in comparisons if c.outcome == s] for s in OUTCOMES}
    if by_outcome["refuted"]:
        status, key = "refuted", min(by_outcome["refuted"], key=lambda c: c.p_refuted)
    elif not admissible:
        status, key = "assumption-violated", max(comparisons, key=lambda c: c.p_equivalent)
    elif by_outcome["inconclusive"]:
        status, key = "inconclusive", max(by_outcome["inconclusive"], key=lambda c: c.p_equivalent)
    else:
        status, key = "confirmed", max(admissible, key=lambda c: c.p_equivalent)
    counts = ", ".join(f"{len(by_outcome[s])} {s}" for s in OUTCOMES if by_outcome[s])
    reason = f"{counts} of {len(comparisons)} comparisons"
    violated_rows = by_outcome["assumption-violated"]
    if violated_rows:
        names = sorted({a for c in violated_rows for a in c.violated})
        tests = {s: sum(c.test == s for c in violated_rows) for s in OUTCOMES}
        reason += f"; assumption(s) {', '.join(names)} fail at {len(violated_rows)} (test there: "
        reason += ", ".join(f"{n} {s}" for s, n in tests.items() if n) + ")"
    detectable = min((c.detectable / c.scale for c in admissible if c.scale > 0), default=None)
    label = f"{what} at {key.label}" if what else key.label
    return Verdict(
        claim,
        status,
        reason,
        key.theory,
        key.measured,
        key.se,
        label,
        margin.to_dict(),
        detectable,
        dict(config),
        dict(provenance),
        list(comparisons),
    )
