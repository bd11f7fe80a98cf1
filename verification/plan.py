"""Before any work: how long ``memlab verify`` takes on this machine, stage by stage.

The training sweeps are planned from timed chunks of their own training
(:func:`memlab.training.plan_sweep`; the low-rank sweep of Figure 5 likewise, with
:func:`memlab.training.timed_training`). Every Monte Carlo stage is linear in its noise draws, so
each is timed here at two small sizes, ``a`` and ``2a`` (the faster of two runs each, after a
warm-up run), and extrapolated along the line through them: ``seconds(n) = t(a) + (n - a) (t(2a) -
t(a)) / a``. A stage made of several calls of different shapes (Theorem 3.2 at each size, the
paper's grid, one loss table per trained configuration and seed) is timed call by call. The
fits (eq. (15), the study's predictors) and the report read only stored numbers and are not
estimated. ``fit-losses`` assumes every trained configuration crosses (an upper estimate).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

import numpy as np

from .measure import GRID, NUMERICS_CHECKS, grid_model_sizes
from .tiers import VerifyConfig

__all__ = ["StageEstimate", "plan_monte_carlo"]

SMALL = 4  # noise draws of the smaller timed run; the larger has twice as many


@dataclass(frozen=True)
class StageEstimate:
    """``seconds`` the stage ``name`` is estimated to take at ``size`` (its ``unit``), from
    ``calls`` timed calls that took ``calibration_s``."""

    name: str
    unit: str
    size: int
    calls: int
    seconds: float
    calibration_s: float

    def to_dict(self) -> dict:
        return asdict(self)


def _seconds(run: Callable[[int], object]) -> tuple[float, float, float]:
    """Seconds of ``run(a)`` and ``run(2a)`` (the faster of two each, after a warm-up ``run(a)``:
    other work on the machine only adds time), and of all five calls."""
    stamps = [time.perf_counter()]
    for size in (SMALL, SMALL, 2 * SMALL, SMALL, 2 * SMALL):
        run(size)
        stamps.append(time.perf_counter())
    took = np.diff(stamps)
    return min(took[1], took[3]), min(took[2], took[4]), stamps[-1] - stamps[0]


def _stage(name: str, unit: str, size: int, runs: list[Callable[[int], object]]) -> StageEstimate:
    seconds = calibration = 0.0
    for run in runs:
        small, large, spent = _seconds(run)
        seconds += small + max(0.0, size - SMALL) * max(0.0, large - small) / SMALL
        calibration += spent
    return StageEstimate(name, unit, size, len(runs), seconds, calibration)


def _losses(d: int, K: int, N: int, sizes, seed: int, sigma2: float):
    from memlab import numerics

    return lambda draws: numerics.per_time_losses(d, K, N, sizes, seed, draws, sigma2=sigma2)


def _checks(config: VerifyConfig) -> list[StageEstimate]:
    from memlab import numerics

    def check(claim: str, M: int | None):
        shape = {"d": config.d, "K": config.K, "N": config.N, "seed": config.seed}
        return lambda draws: numerics.run_check(
            claim, **shape, M=M, draws=draws, sigma2=config.sigma2
        )

    return [
        _stage(
            claim,
            "noise draws",
            config.draws,
            [check(claim, M) for M in (config.check_Ms if claim == "thm-3.2" else (None,))],
        )
        for claim in NUMERICS_CHECKS
    ]


def _low_rank(config: VerifyConfig) -> list[StageEstimate]:
    from memlab import numerics, training
    from memlab.numerics.checks import validate_low_rank

    fields = {key: value for key, value in config.low_rank.items() if key != "draws"}
    checked = validate_low_rank(**config.low_rank)
    found = [
        _stage(
            "sec-4.2-losses",
            "noise draws",
            checked.draws,
            [lambda draws: numerics.run_low_rank_check("sec-4.2-losses", draws=draws, **fields)],
        )
    ]
    if config.low_rank_sweep_tier is not None:
        sweep = training.low_rank_sweep_config(config.low_rank_sweep_tier, config.low_rank_sweep)
        short = replace(
            sweep,
            steps=training.CALIBRATION_CHUNK * training.CALIBRATION_CHUNKS,
            chunk=training.CALIBRATION_CHUNK,
        )
        # One job per model (training.low_rank_job), each compiled for its own width, spread
        # over the sweep's worker processes: each model timed on its own.
        started, seconds = time.perf_counter(), 0.0
        for M in sweep.model_sizes:
            timing = training.timed_training(
                lambda progress, M=M: training.low_rank_job(short, M, progress=progress)
            )
            seconds += (
                timing["compile_s"] + sweep.steps * timing["ms_per_step"] / 1e3 + timing["after_s"]
            )
        workers = min(training.local_workers(), len(sweep.model_sizes))
        found.append(
            StageEstimate(
                "low-rank-sweep",
                "steps",
                sweep.steps,
                len(sweep.model_sizes),
                seconds / workers,
                time.perf_counter() - started,
            )
        )
    return found


def _trained_losses(config: VerifyConfig) -> list[StageEstimate]:
    from memlab.training import resolve

    from .measure import FIT_FRACTIONS

    if config.sweep_tier is None:
        return []
    sweep, _ = resolve(config.sweep_tier, config.sweep)
    runs = [
        _losses(d, K, N, sorted({max(1, round(f * N)) for f in FIT_FRACTIONS}), seed, config.sigma2)
        for d, K, N in sweep.shapes()
        for seed in range(sweep.seeds)
    ]
    return [_stage("fit-losses", "noise draws", config.fit_draws, runs)]


def _grid(config: VerifyConfig) -> list[StageEstimate]:
    if not config.grid:
        return []
    # σ⋆² changes no array shape: one timing per (d, K, N) serves its three variances.
    shapes = sorted({(d, K, N) for d, K, N, _ in GRID})
    runs = [_losses(d, K, N, grid_model_sizes(K, N), config.seed, 1.0) for d, K, N in shapes]
    stage = _stage("grid", "noise draws", config.grid_draws, runs)
    variances = len(GRID) // len(shapes)
    return [replace(stage, calls=stage.calls * variances, seconds=stage.seconds * variances)]


def plan_monte_carlo(config: VerifyConfig) -> list[StageEstimate]:
    """Every stage of ``memlab verify`` but the training sweep, timed and extrapolated here."""
    return [
        *_checks(config),
        *_low_rank(config),
        _stage(
            "losses",
            "noise draws",
            config.draws,
            [_losses(config.d, config.K, config.N, config.Ms, config.seed, config.sigma2)],
        ),
        *_trained_losses(config),
        *_grid(config),
    ]
