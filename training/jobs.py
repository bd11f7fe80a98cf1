"""One job: train one shape's ensemble of (M, seed) models and measure each — pure, so a Dask worker
can run it; the caller writes the returned runs to the store."""

from __future__ import annotations

import math
import os
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from memlab.numerics import make_dataset, numeric_time_grid

from .config import RunConfig, SweepConfig
from .ensemble import TrainSettings, largest_divisor_at_most, train_ensemble
from .initialization import initialize
from .keys import SHARED, Purpose, jax_key, numpy_rng
from .measure import measure_models, sample_ratio
from .provenance import training_provenance
from .store import StoredRun

__all__ = ["train_job", "TRAIN_DTYPE", "model_batching", "point_blocks", "local_workers"]

# Every model trains in float32 (docs/theory.md §6); measurements are float64.
TRAIN_DTYPE = jnp.float32


# float32 elements of one (M × columns) array of the objective, per block of points on CPU: 1 MiB,
# about one core's L2 cache. On the 2-core CPU (benchmarks/paper_tier_estimate.py, the coarse
# ensembles of ten models): at N = 200 (20,000 columns) a step took 740-860 ms in one block and
# 270-330 ms in this budget's 16; at N = 150, 9 blocks were 1.2-1.4x faster; at N = 200, 40 blocks
# were no faster than 10 and slower than 20 (each block adds its own small operations).
CACHE_ELEMENTS = 2**18


def model_batching() -> str:
    """How an ensemble's models share the program: batched on accelerators, one after another on
    CPU."""
    return "map" if jax.default_backend() == "cpu" else "vmap"


def local_workers() -> int:
    """Worker processes a sweep runs on this machine by default: one per core on CPU (XLA runs a
    job at these sizes no faster on two cores than on one: 2.1-3.4 ms against 2.1-2.3 ms a step for
    the ci ensemble, while two jobs side by side each kept 2.5 ms); one on an accelerator (one
    process owns it)."""
    if jax.default_backend() != "cpu":
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def point_blocks(width: int, N: int, noise_draws: int) -> int:
    """Blocks of points the objective is evaluated in: on CPU as many as keep a block's (width ×
    columns) arrays within :data:`CACHE_ELEMENTS`; on accelerators one (they want the whole batch at
    once)."""
    if jax.default_backend() != "cpu":
        return 1
    return min(N, math.ceil(width * N * noise_draws / CACHE_ELEMENTS))


def _block_means(losses: np.ndarray, block: int) -> np.ndarray:
    usable = len(losses) // block * block
    return losses[:usable].reshape(-1, block).mean(1) if usable else losses


def _checkpoints(trained, e: int, M: int, train, grid, start) -> list[dict]:
    """The memorization ratio after each snapshot step: a diagnostic of how training got there (the
    learning rate is still decaying at a checkpoint, so it is not the end of a shorter run)."""
    found = []
    for step, (means, s2) in sorted(trained.snapshots.items()):
        ratio = sample_ratio(means[e, :M], float(s2[e]), train, grid, start)
        found.append(
            {
                "step": step,
                "ratio": ratio.ratio,
                "memorized": ratio.memorized,
                "samples": ratio.samples,
            }
        )
    return found


def train_job(
    sweep: SweepConfig,
    d: int,
    K: int,
    N: int,
    members: list[tuple[int, int]],
    progress: Callable[[int, int], None] | None = None,
    initial: dict[int, tuple[np.ndarray, float]] | None = None,
) -> list[StoredRun]:
    """Train the models ``members`` = [(M, seed), ...] of shape (d, K, N) as one program and measure
    them.

    ``initial`` (index into ``members`` → means, s²) replaces an initialisation (tests inject
    failures with it). ``progress(done, total)`` counts training steps.
    """
    runs = [RunConfig.of(sweep, d, K, N, M, seed) for M, seed in members]
    training_hash = runs[0].training_hash
    seeds = sorted({seed for _, seed in members})
    data = {seed: make_dataset(d, K, N, sweep.sigma2, seed, runs[0].n_test) for seed in seeds}
    grid = numeric_time_grid(sweep.schedule)
    weights = np.asarray(sweep.time_weights or np.ones(len(grid.t)), float)

    width = max(M for M, _ in members)
    means = np.zeros((len(members), width, d))
    s2 = np.zeros(len(members))
    masks = np.zeros((len(members), width), bool)
    for e, (M, seed) in enumerate(members):
        start = initialize(
            sweep.init, M, data[seed].train, numpy_rng(training_hash, seed, M, Purpose.INIT)
        )
        means[e, :M], s2[e] = (initial or {}).get(e, start)
        masks[e, :M] = True
    settings = TrainSettings(
        sweep.steps,
        sweep.noise_draws,
        largest_divisor_at_most(sweep.steps, sweep.chunk),
        sweep.peak_lr,
        sweep.final_lr,
        sweep.warmup_fraction,
        sweep.ema_decay,
        sweep.clip_norm,
        model_batching(),
        point_blocks(width, N, sweep.noise_draws),
    )
    trained = train_ensemble(
        means,
        s2,
        masks,
        np.array([seeds.index(seed) for _, seed in members]),
        np.stack([data[seed].train for seed in seeds]),
        jnp.stack([jax_key(training_hash, seed, SHARED, Purpose.TRAIN) for seed in seeds]),
        grid.alpha,
        grid.sigma,
        weights,
        settings,
        TRAIN_DTYPE,
        None if progress is None else (lambda done: progress(done, sweep.steps)),
        runs[0].checkpoints,
    )

    found, starts = {}, {}
    for seed in seeds:
        finished = [e for e, (_, s) in enumerate(members) if s == seed and trained.failed_at[e] < 0]
        evaluation = numpy_rng(training_hash, seed, SHARED, Purpose.EVALUATE)
        starts[seed] = numpy_rng(training_hash, seed, SHARED, Purpose.SAMPLE).standard_normal(
            (sweep.samples, d)
        )
        measured = measure_models(
            [(trained.means[e, : members[e][0]], float(trained.s2[e])) for e in finished],
            data[seed].train,
            data[seed].test,
            data[seed].mixture.means,
            sweep.sigma2,
            grid,
            sweep.eval_draws,
            int(evaluation.integers(2**31)),
            starts[seed],
        )
        found.update(zip(finished, measured, strict=False))
    stored = []
    for e, ((M, seed), run) in enumerate(zip(members, runs, strict=False)):
        curve = _block_means(trained.losses[:, e].astype(np.float64), sweep.log_every)
        result: dict[str, object] = {
            "M": M,
            "seed": seed,
            "learned_s2": float(trained.s2[e]),
            "failed": None,
        }
        arrays = {"loss_curve": curve, "means": trained.means[e, :M]}
        if e not in found:
            result["failed"] = (
                f"model M={M} seed={seed}: non-finite loss or parameters at step "
                f"{int(trained.failed_at[e])}; "
                "stopped there (the other models went on)"
            )
        else:
            m = found[e]
            result.update(
                ratio=m.memorization.ratio,
                ci=list(m.memorization.ci),
                memorized=m.memorization.memorized,
                samples=m.memorization.samples,
                train_loss=float(m.train_loss_per_t.mean()),
                test_loss=float(m.test_loss_per_t.mean()),
                train_loss_eps=float((grid.snr * m.train_loss_per_t).mean()),
                test_loss_eps=float((grid.snr * m.test_loss_per_t).mean()),
                train_loss_per_t=m.train_loss_per_t.tolist(),
                test_loss_per_t=m.test_loss_per_t.tolist(),
                loss_gap_se=m.loss_gap_se,
                means_on_training_points=m.sites.on_training_point,
                means_on_true_means=m.sites.on_true_mean,
                checkpoints=_checkpoints(trained, e, M, data[seed].train, grid, starts[seed]),
            )
            arrays.update(samples=m.samples)
        layout = {"model_batching": settings.batching, "point_blocks": settings.point_blocks}
        stored.append(
            StoredRun(
                run.run_id,
                run.to_dict(),
                result,
                training_provenance(TRAIN_DTYPE, seed=seed, **layout),
                arrays,
            )
        )
    return stored
