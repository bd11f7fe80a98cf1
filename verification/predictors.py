r"""Figure 3 across configurations: each configuration's measured :math:`M_{pt}/N` (per seed, with
training randomness in its interval: :mod:`verification.seed_spread`) against three predictions made
without fitting anything to the transition points, and eq. (15) by leave-one-configuration-out
(:mod:`verification.cross_validation`).

The predictions, per configuration :math:`(d, K, N)`, all with the uniform :math:`x_0` weighting:

- ``measured-losses`` (a): eq. (14)'s root read off that configuration's Monte Carlo per-time
  losses of the exact denoisers, over the training sets of all its trained seeds
  (``numerics.pooled_loss_table``, ``numerics.measured_crossover_ratio``);
- ``order-statistic`` (b): eq. (14)'s closed form with :math:`C = C_\text{sharp}(M^\star)` solved as
  a fixed point (``claims.eq_14_sharp.crossover``);
- ``C-interval`` (c): eq. (14)'s closed form for :math:`C \in [1, 2]`; its error is the distance
  to the interval (0 inside).

The report gives :math:`|\text{predicted} - \text{measured}|` per configuration and each
predictor's RMSE over the configurations that have both numbers.
"""

from __future__ import annotations

import math

import numpy as np

from .claims import eq_14, eq_14_sharp
from .cross_validation import FAMILIES, leave_one_out
from .seed_spread import configuration_values, convergence, seed_variance
from .weighting_fit import ClosedFormPredictor, MeasuredLossPredictor

__all__ = ["PREDICTORS", "across_configurations"]

PREDICTORS = ("measured-losses", "order-statistic", "C-interval")


def _predictions(meta: dict, arrays: dict, N: int, sigma2: float) -> dict:
    crossover = meta["crossover"]["uniform"]
    known = np.isfinite(arrays["C_sharp"])
    sizes = np.asarray(arrays["M"], float)[known] / N
    fraction = eq_14.generalizing_fraction("uniform", sigma2)
    return {
        "measured-losses": crossover["mean"] if crossover.get("bracketed", True) else None,
        "order-statistic": 1 - eq_14_sharp.crossover(fraction, sizes, arrays["C_sharp"][known]),
    }


def _distance(predicted, measured: float) -> float | None:
    if predicted is None or measured is None:
        return None
    if isinstance(predicted, list):
        return max(predicted[0] - measured, measured - predicted[1], 0.0)
    return abs(predicted - measured)


def across_configurations(
    sweep: dict, tables: dict, sigma2: float, C: float, grid: list[float], relative_excess
) -> dict:
    """Everything the study reports across configurations, as JSON (see the module docstring).
    ``tables[(d, K, N)]`` = (loss-table metadata, arrays) for the configurations that have one."""
    budget_runs = sweep.get("budget_runs", [])
    variance, freedom = seed_variance(sweep["configs"] + budget_runs)
    band = eq_14.interval("uniform", sigma2)
    rows = []
    for config in sweep["configs"]:
        row = configuration_values(config, variance, freedom)
        shape = (config["d"], config["K"], config["N"])
        row["budgets"] = [
            convergence(row, configuration_values(longer, variance, freedom))
            for longer in budget_runs
            if (longer["d"], longer["K"], longer["N"]) == shape
        ]
        checked = [b["converged"] for b in row["budgets"] if b["converged"] is not None]
        row["converged"] = all(checked) if checked else None
        row["checkpoints"] = [
            {**k, "M_pt_over_N": None if k["M_pt"] is None else k["M_pt"] / config["N"]}
            for k in config.get("checkpoint_M_pt", [])
        ]
        predicted = {"C-interval": band}
        if shape in tables:
            predicted.update(_predictions(*tables[shape], config["N"], sigma2))
        row["predicted"] = predicted
        row["errors"] = {
            name: _distance(predicted.get(name), row["measured"]) for name in PREDICTORS
        }
        rows.append(row)
    rmse = {}
    for name in PREDICTORS:
        errors = [r["errors"][name] for r in rows if r["errors"][name] is not None]
        rmse[name] = {
            "rmse": math.sqrt(float(np.mean(np.square(errors)))) if errors else None,
            "configurations": len(errors),
        }
    return {
        "seed_variance": variance,
        "degrees_of_freedom": freedom,
        "configurations": rows,
        "rmse": rmse,
        "eq15_cv": _cross_validation(rows, tables, C, grid, relative_excess, sigma2),
    }


def _cross_validation(rows, tables, C, grid, relative_excess, sigma2) -> dict | None:
    """eq. (15) by leave-one-configuration-out over the configurations with a measured value, an
    interval and a loss table; in the shape of the ``eq-15`` measurement (every configuration held
    out once), so the eq-15 claim judges it the same way."""
    usable = [
        (i, r)
        for i, r in enumerate(rows)
        if r["measured"] is not None and r["se"] is not None and (r["d"], r["K"], r["N"]) in tables
    ]
    if len(usable) < 3:
        return None
    target = np.array([r["measured"] for _, r in usable])
    se = np.array([r["se"] for _, r in usable])
    loss_tables = [
        {
            "M": arrays["M"],
            "N": r["N"],
            "generalizing": arrays["generalizing_excess"],
            "partially_memorizing": arrays["partial_excess"],
        }
        for _, r in usable
        for arrays in [tables[r["d"], r["K"], r["N"]][1]]
    ]
    snr = (1 / relative_excess - 1) / sigma2
    fits = {}
    for predictor in (
        ClosedFormPredictor(relative_excess, C, len(usable)),
        MeasuredLossPredictor.from_tables(loss_tables),
    ):
        for family in FAMILIES:
            found = leave_one_out(predictor, target, se, family, snr)
            fits[f"{predictor.name}, {family}"] = {
                **found,
                "predicted": found["held_out"],
                "train": [],
                "test": list(range(len(usable))),
                "train_error": found["train_mse"],
                "test_error": found["held_out_mse"],
            }
    return {
        "t": grid,
        "C": C,
        "configurations": [
            {
                "d": r["d"],
                "K": r["K"],
                "N": r["N"],
                "M_pt_over_N": r["measured"],
                "ci": r["ci"],
                "converged": r["converged"],
                "clean_step": r["clean_step"],
                "steps": r["steps"],
            }
            for _, r in usable
        ],
        "fits": fits,
    }
