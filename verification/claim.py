"""A verified claim: the theory's statement joined with the check that judges it, the tolerance and
why, and the figure or table it contributes to the report.

The checks read stored measurements (:class:`verification.results.Results`) and never compute
anything expensive, so a report can be rebuilt from a results directory alone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from memlab.theory import Assumption, Claim

from .tolerance import Tolerance
from .verdict import Verdict, skipped

__all__ = ["VerifiedClaim", "violated_assumptions"]


@dataclass(frozen=True)
class VerifiedClaim:
    """One row of the registry.

    ``needs`` names the stored measurements the check reads; ``check(claim, results)`` returns the
    verdict; ``figures`` / ``tables`` name what it contributes to the report."""

    id: str
    title: str
    location: str
    statement: str
    assumptions: tuple[Assumption, ...]
    tolerance: Tolerance
    needs: tuple[str, ...]
    check: Callable[[VerifiedClaim, object], Verdict]
    figures: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    theory: Claim | None = None
    reconstructed: bool = True
    note: str = ""
    per_time: bool = field(default=False)

    @classmethod
    def from_theory(cls, claim: Claim, **kwargs) -> VerifiedClaim:
        """Statement, location and assumptions from ``theory.THEORY_CLAIMS`` (``kwargs`` may
        override)."""
        fields = dict(
            id=claim.id,
            title=claim.title,
            location=claim.location,
            statement=claim.statement,
            assumptions=claim.assumptions,
            theory=claim,
            reconstructed=claim.reconstructed,
        )
        return cls(**{**fields, **kwargs})

    def verdict(self, results) -> Verdict:
        """The check's verdict, or ``skipped`` naming the missing measurement and why it is
        missing."""
        missing = [name for name in self.needs if name not in results.measurements]
        if missing:
            reasons = "; ".join(
                f"{name}: {results.skipped.get(name, 'not measured')}" for name in missing
            )
            return skipped(
                self.id,
                f"no measurement ({reasons})",
                self.tolerance,
                results.config,
                results.provenance,
            )
        return self.check(self, results)


def violated_assumptions(
    assumptions: Sequence[Assumption], values: Mapping[str, object]
) -> list[str]:
    """Ids of the assumptions that fail on ``values``; an assumption reading a field that ``values``
    lacks (e.g. ``t`` for a claim checked once per configuration) is not evaluated."""
    failing = []
    for assumption in assumptions:
        names = assumption.names
        if all(name in values for name in names) and not _holds(
            assumption, tuple((k, values[k]) for k in names)
        ):
            failing.append(assumption.id)
    return failing


@functools.lru_cache(maxsize=65536)
def _holds(assumption, values: tuple) -> bool:
    # Assumptions are evaluated symbolically at two precisions; reports evaluate the same few
    # thousand (assumption, configuration, time) triples over and over.
    return assumption.evaluate(dict(values)).holds
