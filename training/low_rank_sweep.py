r"""Figure 5: trained low-rank models across M, their memorization ratio and the transition point
(paper §4.2; docs/theory.md §7).

One configuration (K, N, h, w, σ_c²): each model M ∈ ``M`` (default N/10, …, N) starts at the
paper's partially memorizing initialisation (M training points without replacement, each as its
rank-one factors colour ⊗ template, :math:`s^2 = 10^{-6}`), trains with the paper's ε-objective,
optimiser and schedule (:func:`training.ensemble.train_parameters`, float32), and is measured in
float64 with the numerics layer's exact :class:`numerics.LowRankDenoiser`: per-time train and test
losses, DDIM samples scored by Definition 2.2 (Wilson interval); :math:`M_{pt}` comes from the
isotonic fit with its bootstrap interval (:mod:`training.transition`).

Each model is one job (:func:`low_rank_job`), keyed by the configuration hash and M and stored in
the isotropic sweep's run store (:class:`training.store.RunStore`: atomic writes, one writer under
the directory's lock, resume after a kill), run here, in worker processes or on Dask
(:mod:`training.executors`). Its random streams depend on the training fields and M only, so a
model trains the same whichever other models the sweep holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import jax.numpy as jnp
import numpy as np

from memlab.numerics import (
    LowRankDenoiser,
    ddim_sample,
    memorization_ratio,
    numeric_time_grid,
    per_draw_losses,
    rank_one_factors,
)
from memlab.numerics.checks.low_rank import LowRankConfig, low_rank_dataset, validate_low_rank
from memlab.theory.errors import InvalidInput

from .config import STREAM_VERSION, canonical_hash, coarse_M
from .ensemble import TrainSettings, largest_divisor_at_most, train_parameters
from .executors import Progress, check_scheduler_address, job_executor
from .files import check_writable_directory
from .initialization import PMEM_S2
from .jobs import TRAIN_DTYPE, model_batching, point_blocks
from .keys import SHARED, Purpose, jax_key, numpy_rng
from .low_rank_model import LowRankGMMDenoiser
from .provenance import training_provenance
from .store import RunStore, StoredRun, refuse_another_configuration
from .transition import estimate_transition

__all__ = [
    "LowRankSweepConfig",
    "LOW_RANK_TIERS",
    "low_rank_sweep_config",
    "low_rank_job",
    "run_low_rank_sweep",
]

SAMPLES_KEPT = 8  # generated samples stored per model, for the figure


@dataclass(frozen=True)
class LowRankSweepConfig:
    """The paper's §4.2 experiment (N = 100, K = 6, 15×15) with the paper's training protocol."""

    K: int = 6
    N: int = 100
    h: int = 15
    w: int = 15
    colour_var: float = 1.0
    M: tuple[int, ...] = ()  # empty: N/10, 2N/10, ..., N
    seed: int = 0
    steps: int = 50_000
    noise_draws: int = 100
    samples: int = 50
    eval_draws: int = 20
    peak_lr: float = 1e-3
    final_lr: float = 1e-6
    warmup_fraction: float = 0.1
    ema_decay: float = 0.99
    clip_norm: float = 1e9
    chunk: int = 1000
    templates: str | None = None
    template_labels: str | None = None

    @property
    def data(self) -> LowRankConfig:
        return LowRankConfig(
            K=self.K,
            N=self.N,
            h=self.h,
            w=self.w,
            colour_var=self.colour_var,
            seed=self.seed,
            templates=self.templates,
            template_labels=self.template_labels,
        )

    @property
    def model_sizes(self) -> list[int]:
        return sorted(set(self.M)) if self.M else coarse_M(self.N)


LOW_RANK_TIERS: dict[str, dict] = {
    "paper": {},
    # The paper's optimiser and learning rate for the paper's 100,000 steps of a single experiment
    # (50,000 is its count for the 64-configuration sweep) on a small configuration (8×8 images,
    # d = 192, N = 30, K = 3) with 2 noise draws. Why these and not fewer steps at a larger rate
    # (docs/theory.md §7, "Leaving the memorizing start"): Adam moves log s by at most ~lr a step
    # and the escape needs ½ log(σ_c²/10⁻⁶) ≈ 6.9 of it; a larger rate covers it in fewer steps but
    # shakes the colour means and templates in proportion (8,000 steps at 3e-3: s² ≤ 0.002, ratio
    # 0.26-0.33 at M/N = 0.5). At 50,000 steps the M/N = 0.5 model escaped in one run (ratio 0.03)
    # and was still crawling out in another (0.40, s² = 0.004); at 100,000 it escaped (0.05,
    # s² = 0.78) and M = N still memorized (1.00). Noise draws are what a tier may cut: the time
    # draw, not the noise, dominates the gradient's noise (2 and 10 draws gave the same ratios).
    "ci": {
        "K": 3,
        "N": 30,
        "h": 8,
        "w": 8,
        "M": [3, 6, 9, 15, 21, 27, 30],
        "steps": 100_000,
        "noise_draws": 2,
        "samples": 100,
    },
    "smoke": {
        "K": 2,
        "N": 8,
        "h": 4,
        "w": 4,
        "M": [2, 4, 8],
        "steps": 40,
        "noise_draws": 2,
        "samples": 10,
        "eval_draws": 4,
        "chunk": 20,
    },
}


def low_rank_sweep_config(tier: str, overrides: dict | None = None) -> LowRankSweepConfig:
    """The tier's configuration with ``overrides``; every field validated before any work."""
    if tier not in LOW_RANK_TIERS:
        raise InvalidInput("tier", tier, ", ".join(LOW_RANK_TIERS))
    values = {**LOW_RANK_TIERS[tier], **(overrides or {})}
    known = {f.name for f in fields(LowRankSweepConfig)}
    for key in values:
        if key not in known:
            raise InvalidInput(f"low_rank_sweep.{key}", values[key], ", ".join(sorted(known)))
    if "M" in values:
        values["M"] = tuple(values["M"])
    config = replace(LowRankSweepConfig(), **values)
    validate_low_rank(
        prefix="low_rank_sweep.",
        **{k: v for k, v in asdict(config.data).items() if k != "M"},
    )
    for name in ("steps", "noise_draws", "chunk", "eval_draws"):
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInput(f"low_rank_sweep.{name}", value, "an integer >= 1")
    if not isinstance(config.samples, int) or config.samples < 2:
        raise InvalidInput("low_rank_sweep.samples", config.samples, "an integer >= 2")
    if any(not isinstance(M, int) or not 1 <= M <= config.N for M in config.model_sizes):
        raise InvalidInput("low_rank_sweep.M", list(config.M), f"integers in [1, N = {config.N}]")
    for name in ("peak_lr", "clip_norm"):
        if not getattr(config, name) > 0:
            raise InvalidInput(f"low_rank_sweep.{name}", getattr(config, name), "a number > 0")
    if not 0 <= config.final_lr <= config.peak_lr:
        raise InvalidInput("low_rank_sweep.final_lr", config.final_lr, "in [0, peak_lr]")
    for name in ("warmup_fraction", "ema_decay"):
        if not 0 <= getattr(config, name) <= 1:
            raise InvalidInput(f"low_rank_sweep.{name}", getattr(config, name), "in [0, 1]")
    return config


# The fields that change a model's training trajectory (the data, the objective, the optimiser):
# they key the random streams. M is a word of every key, not a field; samples and eval_draws only
# change how a trained model is measured; chunk (scan length) changes no random number.
TRAINING_FIELDS = (
    "K",
    "N",
    "h",
    "w",
    "colour_var",
    "seed",
    "steps",
    "noise_draws",
    "peak_lr",
    "final_lr",
    "warmup_fraction",
    "ema_decay",
    "clip_norm",
    "templates",
    "template_labels",
)
MODEL = "low-rank"  # in every hash: a low-rank run never shares a key with an isotropic one


def training_hash(config: LowRankSweepConfig) -> str:
    """The hash keying a configuration's random streams (:data:`TRAINING_FIELDS` only)."""
    values = asdict(config)
    return canonical_hash({"model": MODEL, **{key: values[key] for key in TRAINING_FIELDS}})


def run_id(config: LowRankSweepConfig, M: int) -> str:
    """The store key of model ``M``: every field that changes its numbers, M and the stream
    version (not the sweep's list of M, nor ``chunk``)."""
    values = {k: v for k, v in asdict(config).items() if k not in ("M", "chunk")}
    return canonical_hash({"model": MODEL, **values, "M": M, "stream_version": STREAM_VERSION})


def low_rank_job(
    config: LowRankSweepConfig, M: int, progress: Callable[[int, int], None] | None = None
) -> list[StoredRun]:
    """Train model ``M`` of ``config`` from the paper's partially memorizing start and measure it
    (float64: per-time losses, DDIM samples scored by Definition 2.2); pure, so a worker process or
    a Dask worker can run it. Its streams depend on the configuration and M alone, so it trains the
    same wherever it runs. ``progress(done, total)`` counts training steps."""
    data = low_rank_dataset(config.data)
    train, D = data.train, data.train.shape[1]
    key = training_hash(config)
    grid = numeric_time_grid()
    chosen = numpy_rng(key, config.seed, M, Purpose.INIT).permutation(config.N)[:M]
    start_templates, start_colours = rank_one_factors(train[chosen])
    settings = TrainSettings(
        config.steps,
        config.noise_draws,
        largest_divisor_at_most(config.steps, config.chunk),
        config.peak_lr,
        config.final_lr,
        config.warmup_fraction,
        config.ema_decay,
        config.clip_norm,
        model_batching(),
        point_blocks(M, config.N, config.noise_draws),
    )
    (templates, colours, log_std), losses, failed_at, _ = train_parameters(
        (start_templates[None], start_colours[None], np.full(1, 0.5 * np.log(PMEM_S2))),
        LowRankGMMDenoiser,
        np.ones((1, M), bool),
        np.zeros(1, np.int32),
        train[None],
        jnp.stack([jax_key(key, config.seed, SHARED, Purpose.TRAIN)]),
        grid.alpha,
        grid.sigma,
        np.ones(grid.t.size),
        settings,
        TRAIN_DTYPE,
        None if progress is None else (lambda done: progress(done, config.steps)),
    )
    s2 = float(np.exp(2 * log_std[0]))
    result: dict = {"M": M, "learned_s2": s2, "failed": None}
    arrays = {"templates": templates[0], "colours": colours[0], "loss_curve": losses[:, 0]}
    if failed_at[0] >= 0:
        result["failed"] = f"non-finite loss or parameters at step {int(failed_at[0])}"
    else:
        denoiser = LowRankDenoiser(templates[0], colours[0], s2)
        loss_seed = int(numpy_rng(key, config.seed, SHARED, Purpose.EVALUATE).integers(2**31))
        per_t = {
            name: per_draw_losses(
                [denoiser], points, grid, config.eval_draws, loss_seed, purpose=name
            ).per_draw.mean(axis=2)[0]
            for name, points in (("training-loss", train), ("test-loss", data.test))
        }
        start = numpy_rng(key, config.seed, SHARED, Purpose.SAMPLE).standard_normal(
            (config.samples, D)
        )
        samples = ddim_sample(denoiser, grid, start)
        ratio = memorization_ratio(samples, train)
        result.update(
            ratio=ratio.ratio,
            ci=list(ratio.ci),
            memorized=ratio.memorized,
            samples=ratio.samples,
            train_loss=float(per_t["training-loss"].mean()),
            test_loss=float(per_t["test-loss"].mean()),
            train_loss_per_t=per_t["training-loss"].tolist(),
            test_loss_per_t=per_t["test-loss"].tolist(),
            final_loss_eps=float(losses[-1, 0]),
            example_samples=samples[:SAMPLES_KEPT].tolist(),
        )
        arrays["samples"] = samples
    layout = {"model_batching": settings.batching, "point_blocks": settings.point_blocks}
    return [
        StoredRun(
            run_id(config, M),
            {"model": MODEL, **asdict(config), "M": M},
            result,
            training_provenance(TRAIN_DTYPE, seed=config.seed, **layout),
            arrays,
        )
    ]


def run_low_rank_sweep(
    config: LowRankSweepConfig,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
    workers: int = 1,
    wait: bool = False,
) -> dict:
    """Run (or resume) the sweep of ``config``, one job per model, storing every trained model
    under ``out`` (the isotropic sweep's run store, lock and executors: models already stored are
    skipped, so a killed sweep rerun finishes with the numbers an uninterrupted one gives);
    ``scheduler`` is a Dask scheduler address or None (this machine: ``workers`` processes, 1 =
    this one). Returns the sweep as a JSON-ready dict (points, M_pt, its interval, window and a
    few samples per model).

    Checked before any work: ``out`` (a writable directory with no other writer, not holding
    another configuration's sweep) and the scheduler address."""
    if not isinstance(workers, int) or workers < 1:
        raise InvalidInput("workers", workers, "an integer >= 1")
    check_writable_directory(out)
    if scheduler is not None:
        check_scheduler_address(scheduler)
    sizes = config.model_sizes
    # Connect before the store exists: an unreachable scheduler leaves nothing behind.
    executor = job_executor(low_rank_job, scheduler, min(workers, len(sizes)), Progress(progress))
    try:
        store = RunStore(out, wait=wait)
    except BaseException:
        executor.close()
        raise
    try:
        stored = {"model": MODEL, **asdict(config)}
        refuse_another_configuration(store, stored, out)
        store.set_meta("sweep", {"model": MODEL, "config": stored})
        done = store.finished()
        # the widest first, so that the narrow ones fill in at the end
        for M in sorted(sizes, reverse=True):
            if run_id(config, M) not in done:
                executor.submit(M, config.steps, config, M)
        for _, runs in executor.results():
            store.write(runs)
        return _sweep_from_store(store, config)
    finally:
        executor.close()
        store.close()


def _sweep_from_store(store: RunStore, config: LowRankSweepConfig) -> dict:
    """The sweep of ``config`` from its stored models; M_pt, its interval and window are a
    deterministic fit to their counts."""
    data = low_rank_dataset(config.data)
    rows = {r.run_id: r for r in store.read(with_arrays=False)}
    present = [rows[run_id(config, M)] for M in config.model_sizes]
    points = [r.result for r in present]
    good = [p for p in points if p["failed"] is None]
    transition = (
        estimate_transition(
            np.array([p["M"] for p in good]),
            np.zeros(len(good), int),
            np.array([p["memorized"] for p in good]),
            np.array([p["samples"] for p in good]),
            numpy_rng(training_hash(config), config.seed, SHARED, Purpose.BOOTSTRAP),
        )
        if len({p["M"] for p in good}) >= 2
        else None
    )
    return {
        "config": {**asdict(config), "M": config.model_sizes, "d": data.train.shape[1]},
        "steps": config.steps,
        "templates": data.mixture.templates.tolist(),
        "training_examples": data.train[:SAMPLES_KEPT].tolist(),
        "points": points,
        "M_pt": None if transition is None else transition.M_pt,
        "M_pt_ci": [None, None] if transition is None else list(transition.M_pt_ci),
        "window": [None, None] if transition is None else list(transition.window),
        "clean_step": bool(transition is not None and transition.clean_step),
        "provenance": {k: v for k, v in present[0].provenance.items() if k != "point_blocks"},
    }
