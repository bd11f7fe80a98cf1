"""Helpers the claim modules share: assumption values of a configuration, the stored numerics checks
as typed records, the schedule's numbers, and the check of a claim whose numerics check pairs theory
and measurement row by row."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from memlab import theory
from memlab.numerics.checks.result import CheckResult, CheckRow
from memlab.theory.errors import InvalidInput

from ..claim import VerifiedClaim, violated_assumptions
from ..margin import Margin
from ..verdict import Comparison, Verdict, aggregate, compare

__all__ = [
    "assumption_values",
    "stored_checks",
    "stored_sweep",
    "row_label",
    "rows_check",
    "snr",
    "IDENTIFYING_FIELDS",
    "RowPrediction",
]

CONFIG_FIELDS = (
    "d",
    "K",
    "N",
    "M",
    "sigma2",
    "gamma2",
    "n",
    "t",
    "r",
    "lam",
    "C_r",
    "memorizing_per_competitor",
)

RowPrediction = Callable[[CheckRow, Mapping], object]
"""``prediction(row, config)``: the theory value (a number or an interval) for a stored check row
on its check's configuration; ``None`` leaves the row out."""

_alpha2 = theory.to_numpy(theory.VP.alpha**2, ["t"])
_sigma = theory.to_numpy(theory.VP.sigma, ["t"])


def snr(t, sigma_power: int = 2):
    r""":math:`\psi_t = \alpha_t^2/\sigma_t^2` on the VP schedule; ``sigma_power=1`` gives the wrong
    :math:`\alpha_t^2/\sigma_t` (a negative control: :math:`\sigma_t` in place of
    :math:`\sigma_t^2`)."""
    t = np.asarray(t, dtype=float)
    return _alpha2(t) / _sigma(t) ** sigma_power


def assumption_values(*configs: Mapping, **extra) -> dict:
    """The fields assumptions read (``d, K, N, M, sigma2, gamma2, t, n``; ``r, lam, C_r,
    memorizing_per_competitor`` for the low-rank model), later mappings winning."""
    values = {}
    for config in (*configs, extra):
        values.update({k: v for k, v in config.items() if k in CONFIG_FIELDS and v is not None})
    if "n" not in values and "N" in values and "K" in values:  # points per cluster
        values["n"] = values["N"] / values["K"]
    return values


def stored_sweep(results):
    """The stored training sweep as a typed record (:class:`training.sweep.SweepResult`): a missing
    or renamed field is an error naming it."""
    from memlab.training.sweep import SweepResult

    return SweepResult.from_dict(results.measurements["sweep"])


def stored_checks(results, name: str) -> list[CheckResult]:
    """The numerics checks stored as measurement ``name``, as typed records: a missing field is an
    error naming it (never an empty comparison)."""
    data = results.measurements[name]
    if "results" not in data:
        raise InvalidInput(f"{name}.results", "missing", "the stored numerics check results")
    return [
        CheckResult.from_dict(result, f"{name}.results[{i}]")
        for i, result in enumerate(data["results"])
    ]


# The fields that say which point a row is; everything else in a row is a measurement.
IDENTIFYING_FIELDS = ("weighting", "kind", "case", "perturbation", "regime", "d", "n", "M", "t")


def row_label(row: CheckRow, config: Mapping | None = None) -> str:
    """``M=40, t=0.839``-style label from the row's identifying fields (and ``M`` from the
    config)."""
    fields = {"M": config.get("M")} if config and config.get("M") is not None else {}
    values = {"t": row.t, **row.extra}
    fields.update({key: values[key] for key in IDENTIFYING_FIELDS if values.get(key) is not None})
    parts = [
        f"{key}={fields[key]:.4g}" if isinstance(fields[key], float) else f"{key}={fields[key]}"
        for key in IDENTIFYING_FIELDS
        if key in fields
    ]
    return ", ".join(parts) or "value"


def compare_rows(
    claim: VerifiedClaim,
    checks: list[CheckResult],
    manifest_config: Mapping,
    prediction: RowPrediction,
    margin_of: Callable[[CheckRow], Margin] | None = None,
) -> list[Comparison]:
    """Each numerics row against ``prediction`` under the claim's margin (or ``margin_of(row)``),
    with the assumptions evaluated on the check's configuration and the row's own fields (e.g.
    ``t``)."""
    comparisons = []
    for result in checks:
        config = {**manifest_config, **{k: v for k, v in result.config.items() if v is not None}}
        for row in result.rows:
            expected = prediction(row, config)
            if expected is None:
                continue
            fields = {"t": row.t, **row.extra}
            values = assumption_values(
                manifest_config,
                result.config,
                **{k: fields[k] for k in CONFIG_FIELDS if fields.get(k) is not None},
            )
            comparisons.append(
                compare(
                    row_label(row, result.config),
                    expected,
                    row.measured,
                    row.se or 0.0,
                    margin_of(row) if margin_of else claim.margin,
                    violated_assumptions(claim.assumptions, values),
                )
            )
    return comparisons


def stored_theory(row: CheckRow, config: Mapping) -> object:
    """The theory value the numerics check computed for the row (30 digits, then float)."""
    return row.theory


def rows_check(
    what: str = "", margin_of: Callable[[CheckRow], Margin] | None = None
) -> Callable[..., Verdict]:
    """The check of a claim whose numerics check (stored as ``measurements[claim.id]``) gives a
    measurement and SE per row: every row against the prediction, aggregated; ``what`` names the
    measured quantity."""

    def check(claim: VerifiedClaim, results, prediction: RowPrediction) -> Verdict:
        rows = compare_rows(
            claim, stored_checks(results, claim.id), results.config, prediction, margin_of
        )
        return aggregate(claim.id, rows, claim.margin, results.config, results.provenance, what)

    return check
