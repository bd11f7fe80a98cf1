"""What the claims judged over the paper's whole grid share: the stored grid measurement read
entry by entry, the measured C of every model size and time of an entry, and the label that names
an entry's configuration (the report's table and heat map group comparisons by it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..claim import VerifiedClaim, violated_assumptions
from ..verdict import Comparison, Verdict, aggregate, compare
from .common import assumption_values

__all__ = [
    "configuration_label",
    "grid_check",
    "measured_C",
    "outcomes_by_configuration",
    "WORST_FIRST",
]

WORST_FIRST = ("refuted", "inconclusive", "confirmed", "assumption-violated")
"""A configuration's outcome: the first of these among its comparisons (assumption-violated only
when no comparison there is admissible)."""


def outcomes_by_configuration(verdict: Verdict) -> dict[str, str]:
    """``{"d=30 K=3 N=50": outcome}`` over σ⋆², times and model sizes, by :data:`WORST_FIRST`."""
    seen: dict[str, set[str]] = {}
    for c in verdict.comparisons:
        seen.setdefault(c.label.split(" σ⋆²")[0], set()).add(c.outcome)
    return {
        label: next(o for o in WORST_FIRST if o in outcomes) for label, outcomes in seen.items()
    }


def configuration_label(entry: dict) -> str:
    """``d=30 K=3 N=50``: the paper's configuration of a grid entry (σ⋆² is a further axis)."""
    return f"d={entry['d']} K={entry['K']} N={entry['N']}"


def measured_C(entry: dict) -> Iterator[tuple[int, int, float, float, float]]:
    r"""Per model size (index ``j``, size ``M``) and time ``t`` of a grid entry: the measured
    :math:`C(t, M)` = excess / :math:`d\sigma_\star^2(1 - M/N)` and its SE, as ``(j, M, t, C,
    SE)``."""
    d, N, sigma2 = entry["d"], entry["N"], entry["sigma2"]
    for j, (M, excess, excess_se) in enumerate(
        zip(entry["M"], entry["partial_excess"], entry["partial_excess_se"], strict=True)
    ):
        scale = d * sigma2 * (1 - M / N)
        for t, m, se in zip(entry["t"], excess, excess_se, strict=True):
            yield j, M, t, m / scale, se / scale


def grid_check(
    rows: Callable[[dict], list[tuple[str, dict, object, float, float]]], what: str
) -> Callable[..., Verdict]:
    """The check of a grid claim: ``rows(entry, prediction)`` gives, per point of an entry, (label,
    assumption values, theory, measured, SE); every point against the claim's margin."""

    def check(claim: VerifiedClaim, results, prediction) -> Verdict:
        comparisons: list[Comparison] = []
        for entry in results.measurements["grid"]["configurations"]:
            base = {k: entry[k] for k in ("d", "K", "N", "sigma2", "gamma2")}
            prefix = f"{configuration_label(entry)} σ⋆²={entry['sigma2']:g}"
            for label, values, theory, measured, se in rows(entry, prediction):
                violated = violated_assumptions(claim.assumptions, assumption_values(base, values))
                comparisons.append(
                    compare(f"{prefix}, {label}", theory, measured, se, claim.margin, violated)
                )
        return aggregate(
            claim.id, comparisons, claim.margin, results.config, results.provenance, what
        )

    return check
