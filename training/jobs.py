"""One job: train one shape's ensemble of (M, seed) models and measure each — pure, so a Dask worker can run
it; the caller writes the returned runs to the store."""

from __future__ import annotations

from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

import theory
from numerics.data import make_dataset

from .config import RunConfig, SweepConfig
from .ensemble import TrainSettings, largest_divisor_at_most, train_ensemble
from .initialization import initialize
from .keys import SHARED, Purpose, jax_key, numpy_rng
from .measure import measure
from .provenance import provenance
from .store import StoredRun

__all__ = ["schedule_on_grid", "train_job"]


def schedule_on_grid(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid and α, σ on it, as float64 arrays, from ``theory``."""
    grid = np.array(theory.time_grid(), float)
    schedule = theory.get_schedule(name)
    on_grid = lambda expr: np.broadcast_to(np.asarray(theory.to_numpy(expr, ["t"])(grid), float), grid.shape).copy()
    return grid, on_grid(schedule.alpha), on_grid(schedule.sigma)


def _block_means(losses: np.ndarray, block: int) -> np.ndarray:
    usable = len(losses) // block * block
    return losses[:usable].reshape(-1, block).mean(1) if usable else losses


def train_job(
    sweep: SweepConfig, d: int, K: int, N: int, members: list[tuple[int, int]],
    progress: Callable[[int, int], None] | None = None, initial: dict[int, tuple[np.ndarray, float]] | None = None,
) -> list[StoredRun]:
    """Train the models ``members`` = [(M, seed), ...] of shape (d, K, N) as one program and measure them.

    ``initial`` (index into ``members`` → means, s²) replaces an initialisation (tests inject failures
    with it). ``progress(done, total)`` counts training steps.
    """
    runs = [RunConfig.of(sweep, d, K, N, M, seed) for M, seed in members]
    stream = runs[0].training_hash
    seeds = sorted({seed for _, seed in members})
    data = {seed: make_dataset(d, K, N, sweep.sigma2, seed, runs[0].n_test) for seed in seeds}
    grid, alphas, sigmas = schedule_on_grid(sweep.schedule)
    weights = np.asarray(sweep.time_weights or np.ones(len(grid)), float)

    width = max(M for M, _ in members)
    means = np.zeros((len(members), width, d))
    s2 = np.zeros(len(members))
    masks = np.zeros((len(members), width), bool)
    for e, (M, seed) in enumerate(members):
        start = initialize(sweep.init, M, data[seed].train, numpy_rng(stream, seed, M, Purpose.INIT))
        means[e, :M], s2[e] = (initial or {}).get(e, start)
        masks[e, :M] = True
    settings = TrainSettings(
        sweep.steps, sweep.noise_draws, largest_divisor_at_most(sweep.steps, sweep.chunk),
        sweep.peak_lr, sweep.final_lr, sweep.warmup_fraction, sweep.ema_decay, sweep.clip_norm,
    )
    trained = train_ensemble(
        means, s2, masks, np.array([seeds.index(seed) for _, seed in members]),
        np.stack([data[seed].train for seed in seeds]),
        jnp.stack([jax_key(stream, seed, SHARED, Purpose.TRAIN) for seed in seeds]),
        alphas, sigmas, weights, settings, jnp.float32,
        None if progress is None else (lambda done: progress(done, sweep.steps)),
    )

    shared_draws = {}
    for seed in seeds:
        evaluate, sample = numpy_rng(stream, seed, SHARED, Purpose.EVALUATE), numpy_rng(stream, seed, SHARED, Purpose.SAMPLE)
        shared_draws[seed] = (
            evaluate.standard_normal((len(grid), sweep.eval_draws, N, d)),
            evaluate.standard_normal((len(grid), sweep.eval_draws, runs[0].n_test, d)),
            sample.standard_normal((sweep.samples, d)),
        )
    snr = alphas**2 / sigmas**2
    stored = []
    for e, ((M, seed), run) in enumerate(zip(members, runs)):
        curve = _block_means(trained.losses[:, e].astype(np.float64), sweep.log_every)
        result: dict[str, object] = {"M": M, "seed": seed, "learned_s2": float(trained.s2[e]), "failed": None}
        arrays = {"loss_curve": curve, "means": trained.means[e, :M]}
        if trained.failed_at[e] >= 0:
            result["failed"] = (
                f"model M={M} seed={seed}: non-finite loss or parameters at step {int(trained.failed_at[e])}; "
                "stopped there (the other models went on)"
            )
        else:
            found = measure(trained.means[e, :M], float(trained.s2[e]), data[seed].train, data[seed].test,
                            data[seed].mixture.means, sweep.sigma2, alphas, sigmas, *shared_draws[seed])
            result.update(
                ratio=found.memorization.ratio, ci=list(found.memorization.ci), memorized=found.memorization.memorized,
                samples=found.memorization.samples,
                train_loss=float(found.train_loss_per_t.mean()), test_loss=float(found.test_loss_per_t.mean()),
                train_loss_eps=float((snr * found.train_loss_per_t).mean()), test_loss_eps=float((snr * found.test_loss_per_t).mean()),
                train_loss_per_t=found.train_loss_per_t.tolist(), test_loss_per_t=found.test_loss_per_t.tolist(),
                means_on_training_points=found.sites.on_training_point, means_on_true_means=found.sites.on_true_mean,
            )
            arrays.update(samples=found.samples)
        stored.append(StoredRun(run.run_id, run.to_dict(), result, provenance(seed=seed), arrays))
    return stored
