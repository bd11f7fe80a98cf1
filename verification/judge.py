"""The verdict on one numerics check (``memlab check``): the check's rows judged by the registered
claims that read them, with the same margins, assumptions and equivalence tests as ``memlab
verify``.

The payload gains a top-level ``outcome`` (the claim's verdict), ``margin``, ``detectable`` and
``reason``; every row gains an ``outcome`` (its comparison's; where the claim makes no statement
about the row, that of the first further claim that does, else ``skipped``); ``also`` holds the
verdicts and comparisons of further claims reading the same rows (Theorem 3.2's rows also judge
the order-statistic C; the low-rank partially memorizing rows are ``sec-4.2-partial``'s).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .registry import CLAIMS
from .results import Results
from .verdict import Verdict, compare

__all__ = ["judge_check", "ALSO"]

ALSO = {"thm-3.2": ("c-order-stat",), "sec-4.2-losses": ("sec-4.2-partial",)}
"""Further claims judged on a check's rows."""


def _results(payload: Mapping, gamma2: float) -> Results:
    config = {**payload["config"], "gamma2": gamma2}
    manifest = {"tier": "check", "config": config, "provenance": payload["provenance"]}
    claim = payload["claim"]
    if claim == "eq-14":
        crossover = {
            name: {
                "mean": w["measured"] if w["bracketed"] else math.nan,
                "se": w["se"] if w["bracketed"] else math.nan,
                "bracketed": True,
            }
            for name, w in payload["summary"]["weightings"].items()
        }
        return Results(manifest, {"losses": {"config": config, "crossover": crossover}})
    return Results(manifest, {claim: {"results": [payload]}})


def _summary(verdict: Verdict) -> dict:
    return {
        "outcome": verdict.status,
        "reason": verdict.reason,
        "margin": verdict.margin,
        "detectable": verdict.detectable,
        "key": verdict.key,
    }


def _row_outcomes(payload: Mapping, claim_id: str, verdict: Verdict, results: Results) -> list[str]:
    claim = CLAIMS[claim_id]
    if claim_id == "eq-14":  # per time: the measured root against the C ∈ [1, 2] ends
        outcomes = []
        for row in payload["rows"]:
            ends = [1 - row["theory_C2"], 1 - row["theory_C1"]]
            measured = math.nan if row["measured"] is None else 1 - row["measured"]
            se = math.nan if row["se"] is None else row["se"]
            outcomes.append(compare("t", ends, measured, se, claim.margin).outcome)
        return outcomes
    from memlab.numerics.checks.result import CheckRow

    config = results.config
    kept = iter(verdict.comparisons)
    outcomes = []
    for data in payload["rows"]:
        row = CheckRow.from_dict(data)
        outcomes.append("skipped" if claim.prediction(row, config) is None else next(kept).outcome)
    return outcomes


def judge_check(payload: Mapping, gamma2: float) -> dict:
    """``payload`` (a numerics ``CheckResult.to_dict()``) with its verdict; ``gamma2`` is the
    configuration's squared separation of the means (read by the separation assumption)."""
    results = _results(payload, gamma2)
    claim = CLAIMS[payload["claim"]]
    verdict = claim.verdict(results)
    outcomes = _row_outcomes(payload, claim.id, verdict, results)
    also = {other: CLAIMS[other].verdict(results) for other in ALSO.get(claim.id, ())}
    if payload["claim"] != "eq-14":
        for other, other_verdict in also.items():
            theirs = _row_outcomes(payload, other, other_verdict, results)
            outcomes = [o if o != "skipped" else t for o, t in zip(outcomes, theirs, strict=True)]
    rows = [{**row, "outcome": o} for row, o in zip(payload["rows"], outcomes, strict=True)]
    out = {**payload, **_summary(verdict), "rows": rows}
    out["comparisons"] = verdict.to_dict()["comparisons"]
    out["also"] = {
        other: {**_summary(v), "comparisons": v.to_dict()["comparisons"]}
        for other, v in also.items()
    }
    return out
