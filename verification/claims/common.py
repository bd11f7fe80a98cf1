"""Helpers the claim modules share: assumption values of a configuration, row-by-row comparison, and
the check of a claim whose numerics check already pairs theory and measurement row by row."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..claim import VerifiedClaim, violated_assumptions
from ..verdict import Comparison, Verdict, aggregate, compare

__all__ = ["assumption_values", "compare_rows", "row_label", "rows_check", "IDENTIFYING_FIELDS"]

CONFIG_FIELDS = ("d", "K", "N", "M", "sigma2", "gamma2", "n", "t")


def assumption_values(*configs: Mapping, **extra) -> dict:
    """The fields assumptions read (``d, K, N, M, sigma2, gamma2, t, n``), later mappings
    winning."""
    values = {}
    for config in (*configs, extra):
        values.update({k: v for k, v in config.items() if k in CONFIG_FIELDS and v is not None})
    if "n" not in values and "N" in values and "K" in values:  # points per cluster
        values["n"] = values["N"] / values["K"]
    return values


# The fields that say which point a row is; everything else in a row is a measurement.
IDENTIFYING_FIELDS = ("weighting", "kind", "case", "perturbation", "regime", "d", "n", "M", "t")


def row_label(row: Mapping, config: Mapping | None = None) -> str:
    """``M=40, t=0.839``-style label from the row's identifying fields (and ``M`` from the
    config)."""
    fields = {"M": config.get("M")} if config and config.get("M") is not None else {}
    fields.update({key: row[key] for key in IDENTIFYING_FIELDS if row.get(key) is not None})
    parts = [
        f"{key}={fields[key]:.4g}" if isinstance(fields[key], float) else f"{key}={fields[key]}"
        for key in IDENTIFYING_FIELDS
        if key in fields
    ]
    return ", ".join(parts) or "value"


def compare_rows(
    claim: VerifiedClaim, check_results: list[Mapping], manifest_config: Mapping
) -> list[Comparison]:
    """Each numerics row (``theory``, ``measured``, ``se``) under the claim's tolerance, with the
    assumptions evaluated on the check's configuration and the row's own fields (e.g. ``t``)."""
    comparisons = []
    for result in check_results:
        config = result.get("config", {})
        for row in result["rows"]:
            values = assumption_values(
                manifest_config, config, **{k: row[k] for k in CONFIG_FIELDS if k in row}
            )
            comparisons.append(
                compare(
                    row_label(row, config),
                    row["theory"],
                    row["measured"],
                    row.get("se") or 0.0,
                    claim.tolerance,
                    violated_assumptions(claim.assumptions, values),
                )
            )
    return comparisons


def rows_check(what: str = "") -> Callable[[VerifiedClaim, object], Verdict]:
    """The check of a claim whose numerics check (stored as ``measurements[claim.id]``) gives
    ``theory``, ``measured`` and ``se`` per row: every row under the claim's tolerance, aggregated;
    ``what`` names the measured quantity."""

    def check(claim: VerifiedClaim, results) -> Verdict:
        rows = compare_rows(claim, results.measurements[claim.id]["results"], results.config)
        return aggregate(claim.id, rows, claim.tolerance, results.config, results.provenance, what)

    return check
