"""Run the measurements a tier needs (numerics Monte Carlo, the training sweep, the eq. (15) fit)
and store them, in order; each reads only what the ones before it stored.

A measurement that a layer cannot provide (the tier does not train; too few configurations for a
fit) is recorded as skipped with the reason, and the claims reading it get ``skipped`` verdicts.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from memlab import theory
from memlab.numerics.provenance import monte_carlo_provenance

from .progress import stderr_progress
from .results import Results, jsonable
from .tiers import VerifyConfig, overrides
from .weighting_fit import (
    ClosedFormPredictor,
    MeasuredLossPredictor,
    fit_weighting,
    split_configurations,
)

__all__ = ["Unavailable", "MEASUREMENTS", "measure", "loss_summary"]

NUMERICS_CHECKS = ("thm-3.1", "thm-3.2", "lem-2.1", "def-2.2", "regime-poly-d", "regime-exp-d")
CROSSOVER_WEIGHTINGS = ("uniform", "snr", "power:1/2")
FIT_FRACTIONS = tuple(k / 10 for k in range(1, 11))


class Unavailable(Exception):
    """This measurement cannot be made here; the message says why. ``expected``: the tier chose
    not to make it (its claims' ``skipped`` verdicts are then not a surprise, exit code 0)."""

    def __init__(self, reason: str, expected: bool = False):
        super().__init__(reason)
        self.expected = expected


def _log(message: str) -> None:
    print(f"[memlab verify] {message}", file=sys.stderr, flush=True)


def _numerics_check(claim: str):
    def run(config: VerifyConfig, out: Path, results: Results):
        from memlab import numerics

        sizes = config.check_Ms if claim == "thm-3.2" else (None,)
        return {
            "results": [
                numerics.run_check(
                    claim,
                    d=config.d,
                    K=config.K,
                    N=config.N,
                    M=M,
                    seed=config.seed,
                    draws=config.draws,
                    sigma2=config.sigma2,
                    progress=stderr_progress(
                        f"verify {claim}" if M is None else f"verify {claim} M={M}"
                    ),
                ).to_dict()
                for M in sizes
            ]
        }, None

    return run


def _low_rank_check(config: VerifyConfig, out: Path, results: Results):
    from memlab import numerics

    claim = "sec-4.2-losses"
    result = numerics.run_low_rank_check(
        claim, progress=stderr_progress(f"verify {claim}"), **config.low_rank
    )
    return {"results": [result.to_dict()]}, None


def _low_rank_sweep(config: VerifyConfig, out: Path, results: Results):
    if config.low_rank_sweep_tier is None:
        raise Unavailable(
            "this configuration does not train (low_rank_sweep_tier = none)", expected=True
        )
    from memlab import numerics, training

    sweep_config = training.low_rank_sweep_config(config.low_rank_sweep_tier, config.low_rank_sweep)
    sweep = training.run_low_rank_sweep(
        sweep_config,
        Path(out) / "low-rank-sweep",
        progress=stderr_progress("verify low-rank sweep", "steps"),
        workers=training.local_workers(),
    )
    templates = numerics.normalise(np.array(sweep["templates"])).reshape(sweep_config.K, -1)
    eigenvalue = sweep_config.colour_var * sweep_config.h * sweep_config.w
    fraction = float(
        theory.evaluate(
            theory.generalizing_fraction("uniform", theory.VP, theory.exact(eigenvalue, "lam"))
        )
    )
    low_rank, C_r = numerics.low_rank_crossover(templates, sweep_config.N, fraction)
    isotropic = [
        float(theory.evaluate(bound))
        for bound in theory.crossover_interval("uniform", theory.VP, 1)
    ]
    sweep["predicted"] = {
        "low_rank": low_rank,
        "C_r": C_r,
        "weighting": "uniform",
        "isotropic_eq14": isotropic,
    }
    return jsonable(sweep), None


def loss_summary(table) -> tuple[dict, dict]:
    """A numerics ``LossTable`` as JSON metadata and arrays: losses (noise SE) and paired excess
    losses over the memorizing denoiser (mean, SE over training points per time), and eq. (14) from
    them."""
    from memlab import numerics

    # Excess SEs over training points (noise and the draw of the training set): the closed forms are
    # averages over training sets, as in the numerics checks of Theorems 3.1 and 3.2.
    excess = [table.difference(row, 1, "points") for row in range(2, 2 + len(table.M))]
    generalizing_excess = table.difference(0, 1, "points")
    arrays = {
        "t": table.t,
        "M": table.M,
        "generalizing": table.loss(0)[0],
        "generalizing_se": table.loss(0)[1],
        "memorizing": table.loss(1)[0],
        "memorizing_se": table.loss(1)[1],
        "partially_memorizing": table.partially_memorizing,
        "partially_memorizing_se": table.partially_memorizing_se,
        "generalizing_excess": generalizing_excess[0],
        "generalizing_excess_se": generalizing_excess[1],
        "partial_excess": np.array([e[0] for e in excess]),
        "partial_excess_se": np.array([e[1] for e in excess]),
    }
    crossover = {
        w: numerics.measured_crossover_ratio(table, w).to_dict() for w in CROSSOVER_WEIGHTINGS
    }
    return {"config": jsonable(table.config), "crossover": crossover}, arrays


def _losses(config: VerifyConfig, out: Path, results: Results):
    from memlab import numerics

    table = numerics.per_time_losses(
        config.d,
        config.K,
        config.N,
        config.Ms,
        config.seed,
        config.draws,
        sigma2=config.sigma2,
        progress=stderr_progress("verify per-time losses"),
    )
    meta, arrays = loss_summary(table)
    arrays["C_sharp"] = sharp_C_column(config.d, config.K, config.N, table.M, config.sigma2)
    return meta, arrays


def sharp_C_column(d: int, K: int, N: int, sizes, sigma2: float) -> np.ndarray:
    """The order-statistic C at every model size below N (NaN at N): eq. (14)'s point prediction
    reads it."""
    from memlab import numerics

    return np.array(
        [numerics.sharp_C(d, K, int(M), sigma2=sigma2) if M < N else np.nan for M in sizes]
    )


def _sweep(config: VerifyConfig, out: Path, results: Results):
    if config.sweep_tier is None:
        raise Unavailable("this configuration does not train (sweep_tier = none)", expected=True)
    from memlab import training

    sweep = training.run_sweep(
        config.sweep_tier,
        Path(out) / "sweep",
        config=config.sweep or None,
        progress=stderr_progress("verify training sweep", "steps"),
        workers=training.local_workers(),
    )
    return jsonable(sweep.to_dict()), None


def _expected(results: Results, name: str) -> bool:
    """Measurement ``name`` was skipped because the tier chose so."""
    return name in results.manifest.get("expected_skips", ())


def measured_transitions(sweep: dict) -> list[dict]:
    """The sweep's configurations with a measured M_pt."""
    return [c for c in sweep["configs"] if c.get("M_pt") is not None]


def _fit_losses(config: VerifyConfig, out: Path, results: Results):
    from memlab import numerics

    if "sweep" not in results.measurements:
        raise Unavailable("no training sweep", expected=_expected(results, "sweep"))
    transitions = measured_transitions(results.measurements["sweep"])
    if len(transitions) < 2:
        raise Unavailable(
            f"{len(transitions)} configuration(s) with a measured M_pt; eq. (15) needs at least 2"
        )
    tables, arrays = [], {}
    for index, c in enumerate(transitions):
        sizes = sorted({max(1, round(f * c["N"])) for f in FIT_FRACTIONS})
        # Every trained seed's training set: the transition is measured over them all.
        table = numerics.pooled_loss_table(
            [
                numerics.per_time_losses(
                    c["d"],
                    c["K"],
                    c["N"],
                    sizes,
                    int(seed),
                    config.fit_draws,
                    sigma2=config.sigma2,
                    progress=stderr_progress(
                        f"verify losses d={c['d']} K={c['K']} N={c['N']} seed={seed}"
                    ),
                )
                for seed in c["seeds"]
            ]
        )
        meta, table_arrays = loss_summary(table)
        table_arrays["C_sharp"] = sharp_C_column(c["d"], c["K"], c["N"], table.M, config.sigma2)
        tables.append(meta)
        arrays.update({f"{index}/{key}": value for key, value in table_arrays.items()})
    return {"tables": tables}, arrays


def _eq15(config: VerifyConfig, out: Path, results: Results):
    if "fit-losses" not in results.measurements:
        raise Unavailable(
            results.skipped.get("fit-losses", "no per-configuration losses"),
            expected=_expected(results, "fit-losses"),
        )
    transitions = measured_transitions(results.measurements["sweep"])
    stored = results.arrays["fit-losses"]
    tables = [
        {
            "M": stored[f"{i}/M"],
            "N": c["N"],
            "generalizing": stored[f"{i}/generalizing_excess"],
            "partially_memorizing": stored[f"{i}/partial_excess"],
        }
        for i, c in enumerate(transitions)
    ]
    target = np.array([c["M_pt"] / c["N"] for c in transitions])
    train, test = split_configurations(len(transitions), seed=config.seed)
    grid, relative_excess = _relative_excess(config.sigma2)
    fits = {
        predictor.name: fit_weighting(predictor, target, train, test).to_dict()
        for predictor in (
            ClosedFormPredictor(relative_excess, config.C, len(transitions)),
            MeasuredLossPredictor.from_tables(tables),
        )
    }
    configurations = [
        {
            "d": c["d"],
            "K": c["K"],
            "N": c["N"],
            "M_pt_over_N": c["M_pt"] / c["N"],
            "ci": [x / c["N"] for x in c["M_pt_ci"]]
            if None not in (c.get("M_pt_ci") or [None])
            else None,
        }
        for c in transitions
    ]
    return {"t": grid, "C": config.C, "configurations": configurations, "fits": fits}, None


def _relative_excess(sigma2: float) -> tuple[list[float], np.ndarray]:
    r"""The grid times and :math:`r_t = 1/(1 + \psi_t\sigma_\star^2)` there."""
    grid = [float(t) for t in theory.grid_times()]
    return grid, np.array(
        [1 / (1 + float(theory.VP.snr.subs(theory.symbols.t, t)) * sigma2) for t in grid]
    )


def _study(config: VerifyConfig, out: Path, results: Results):
    """Across configurations (:mod:`verification.seed_spread`, :mod:`verification.predictors`):
    per-seed M_pt/N with seed-inclusive intervals, convergence between budgets, the three
    predictions without fitting, and eq. (15) by leave-one-configuration-out."""
    if "sweep" not in results.measurements:
        raise Unavailable("no training sweep", expected=_expected(results, "sweep"))
    from .predictors import across_configurations

    transitions = measured_transitions(results.measurements["sweep"])
    tables = {
        (c["d"], c["K"], c["N"]): (
            results.measurements["fit-losses"]["tables"][i],
            {
                key.split("/", 1)[1]: value
                for key, value in results.arrays["fit-losses"].items()
                if key.startswith(f"{i}/")
            },
        )
        for i, c in enumerate(transitions)
        if "fit-losses" in results.measurements
    }
    grid, relative_excess = _relative_excess(config.sigma2)
    return across_configurations(
        results.measurements["sweep"], tables, config.sigma2, config.C, grid, relative_excess
    ), None


GRID = tuple(
    (d, K, N, sigma2)
    for d in (30, 40, 50, 60)
    for K in (3, 6, 9, 12)
    for N in (50, 100, 150, 200)
    for sigma2 in (0.5, 1.0, 2.0)
)
"""The paper's 64 configurations (d, K, N), each at σ⋆² ∈ {1/2, 1, 2}."""


def grid_model_sizes(K: int, N: int) -> list[int]:
    """The pre-declared model sizes of the grid: half of K (clusters left empty), K, and N/4, N/2,
    3N/4; distinct, below N."""
    return sorted({max(1, K // 2), K, N // 4, N // 2, 3 * N // 4} - {N})


def _grid(config: VerifyConfig, out: Path, results: Results):
    """Per configuration of :data:`GRID`: the excess losses of Theorems 3.1 and 3.2, the measured
    crossover of eq. (14) for each weighting (read off the same loss table, no further Monte Carlo)
    and the order-statistic C at each model size (quadrature)."""
    if not config.grid:
        raise Unavailable("this tier does not measure the paper's grid (grid = false)", True)
    from memlab import numerics
    from memlab.numerics.data import make_dataset

    entries = []
    progress = stderr_progress("verify paper grid", "configurations")
    for k, (d, K, N, sigma2) in enumerate(GRID, start=1):
        sizes = grid_model_sizes(K, N)
        table = numerics.per_time_losses(
            d, K, N, sizes, config.seed, config.grid_draws, sigma2=sigma2
        )
        meta, arrays = loss_summary(table)
        entries.append(
            {
                "d": d,
                "K": K,
                "N": N,
                "sigma2": sigma2,
                "gamma2": make_dataset(d, K, N, sigma2, config.seed).mixture.separation2,
                "t": table.t,
                "M": sizes,
                **{key: arrays[key] for key in GRID_ARRAYS},
                "C_sharp": sharp_C_column(d, K, N, sizes, sigma2),
                "crossover": meta["crossover"],
            }
        )
        progress(k, len(GRID))
    return {"draws": config.grid_draws, "configurations": jsonable(entries)}, None


GRID_ARRAYS = (
    "generalizing_excess",
    "generalizing_excess_se",
    "partial_excess",
    "partial_excess_se",
)
"""The loss summaries (:func:`loss_summary`) a grid entry keeps: excess losses over the memorizing
denoiser with their SEs over training points, per time (and model size)."""


MEASUREMENTS: dict[str, Callable] = {
    **{claim: _numerics_check(claim) for claim in NUMERICS_CHECKS},
    "sec-4.2-losses": _low_rank_check,
    "losses": _losses,
    "sweep": _sweep,
    "low-rank-sweep": _low_rank_sweep,
    "fit-losses": _fit_losses,
    "eq-15": _eq15,
    "study": _study,
    "grid": _grid,
}
"""Measurement name -> function(config, out, results so far) -> (JSON object, arrays or None)."""


def measure(tier: str, config: VerifyConfig, out: Path, gamma2: float | None = None) -> Results:
    """Run every measurement for ``config`` (tier name ``tier``), storing sweep runs under
    ``out``."""
    from memlab.numerics.data import make_dataset

    if gamma2 is None:
        gamma2 = make_dataset(
            config.d, config.K, config.N, config.sigma2, config.seed
        ).mixture.separation2
    manifest = {
        "tier": tier,
        "config": {**jsonable(asdict(config)), "gamma2": gamma2},
        "overrides": jsonable(overrides(config)),
        "provenance": monte_carlo_provenance(config.seed),
        "skipped": {},
        "expected_skips": [],
        "timings": {},
    }
    results = Results(manifest)
    for name, run in MEASUREMENTS.items():
        start = time.perf_counter()
        _log(f"{name} ...")
        try:
            data, arrays = run(config, out, results)
        except Unavailable as reason:
            results.skipped[name] = str(reason)
            if reason.expected:
                manifest["expected_skips"].append(name)
            _log(f"{name}: skipped ({reason})")
            continue
        results.measurements[name] = data
        if arrays:
            results.arrays[name] = arrays
        manifest["timings"][name] = round(time.perf_counter() - start, 1)
        _log(f"{name}: done in {manifest['timings'][name]} s")
    return results
