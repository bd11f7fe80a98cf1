"""A verified claim: the theory's statement joined with the check that judges it, the claim's
equivalence margin and where it comes from, the deliberately wrong theories (negative controls) the
same check must refute, and the figure or table it contributes to the report.

A check is ``check(claim, results, prediction) -> Verdict``: ``prediction`` is the theory it judges
the measurements against (the claim's own, ``claim.prediction``, or a control's), so a control runs
through exactly the check that judges the claim. The checks read stored measurements
(:class:`verification.results.Results`) and never compute anything expensive, so a report can be
rebuilt from a results directory alone.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from memlab.theory import Assumption, Claim

from .margin import Margin
from .verdict import Verdict, skipped

__all__ = ["Control", "VerifiedClaim", "violated_assumptions", "differs", "DIFFERENCE"]


@dataclass(frozen=True)
class Control:
    """A deliberately wrong theory: ``name`` (short), ``wrong`` (what is wrong, in words) and the
    ``prediction`` that replaces the claim's in its check."""

    name: str
    wrong: str
    prediction: Callable


@dataclass(frozen=True)
class VerifiedClaim:
    """One row of the registry.

    ``needs`` names the stored measurements the check reads; ``check(claim, results, prediction)``
    returns the verdict; ``prediction`` is the claim's theory in the form its check reads;
    ``controls`` the wrong theories; ``figures`` / ``tables`` name what it contributes to the
    report."""

    id: str
    title: str
    location: str
    statement: str
    assumptions: tuple[Assumption, ...]
    margin: Margin
    needs: tuple[str, ...]
    check: Callable[..., Verdict]
    prediction: Callable
    controls: tuple[Control, ...]
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

    def verdict(self, results, prediction: Callable | None = None) -> Verdict:
        """The check's verdict against ``prediction`` (default: the claim's own theory), or
        ``skipped`` naming the missing measurement and why it is missing. A skip is ``unexpected``
        unless the tier chose not to make the measurement (``expected_skips`` in the manifest) or
        declares the claim unjudged (``config["unjudged"]``)."""
        missing = [name for name in self.needs if name not in results.measurements]
        if missing:
            reasons = "; ".join(
                f"{name}: {results.skipped.get(name, 'not measured')}" for name in missing
            )
            expected = set(results.manifest.get("expected_skips", ()))
            return skipped(
                self.id,
                f"no measurement ({reasons})",
                self.margin,
                results.config,
                results.provenance,
                unexpected=not (set(missing) <= expected or self.judged_elsewhere(results)),
            )
        verdict = self.check(self, results, prediction or self.prediction)
        if verdict.status == "skipped" and self.judged_elsewhere(results):
            return skipped(self.id, verdict.reason, self.margin, results.config, results.provenance)
        return verdict

    def judged_elsewhere(self, results) -> bool:
        """The tier declares that it does not judge this claim (e.g. no transition can form in
        the smoke tier's few training steps)."""
        return self.id in (results.config.get("unjudged") or ())

    def control_outcomes(self, results, own: Verdict | None = None) -> list[dict]:
        """Each wrong theory through the same check: ``[{"theory", "wrong", "outcome",
        "distinguishable"}]``. ``distinguishable`` counts the admissible comparisons at which the
        wrong theory's value differs from the claim's (:func:`differs`); at 0 the control is
        identical to the theory here (e.g. σ⋆² misplaced at σ⋆² = 1), its outcome is the claim's
        own and says nothing about the check's power; ``None`` where the claim has no admissible
        comparison. ``own``: the claim's verdict on ``results``, if already at hand."""
        own = own or self.verdict(results)
        theories = {c.label: c.theory for c in own.comparisons if c.admissible}
        outcomes = []
        for control in self.controls:
            verdict = self.verdict(results, control.prediction)
            distinguishable = (
                sum(
                    c.label in theories and differs(c.theory, theories[c.label])
                    for c in verdict.comparisons
                )
                if theories
                else None
            )
            outcomes.append(
                {
                    "theory": control.name,
                    "wrong": control.wrong,
                    "outcome": verdict.status,
                    "distinguishable": distinguishable,
                }
            )
        return outcomes


DIFFERENCE = 1e-9
"""Relative difference below which a wrong theory's value is the claim's own (float round-off of
two evaluations of the same number, e.g. 30-digit theory against a float64 closed form, is ~1e-16;
every margin is at least 1e-9 of its theory or a sign)."""


def differs(a, b) -> bool:
    """Two theory values (numbers or intervals, ``None`` an unbounded end) differ beyond
    :data:`DIFFERENCE`."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        if not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))):
            return True
        return any(differs(x, y) for x, y in zip(a, b, strict=True))
    if a is None or b is None:
        return (a is None) != (b is None)
    return not math.isclose(a, b, rel_tol=DIFFERENCE, abs_tol=0.0)


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
