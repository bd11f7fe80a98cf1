r"""Figure 5: trained low-rank models across M, their memorization ratio and the transition point
(paper §4.2; docs/theory.md §7).

One configuration (K, N, h, w, σ_c²): the models M ∈ ``M`` (default N/10, …, N) start at the
paper's partially memorizing initialisation (M training points without replacement, each as its
rank-one factors colour ⊗ template, :math:`s^2 = 10^{-6}`), train as one program with the paper's
ε-objective, optimiser and schedule (:func:`training.ensemble.train_parameters`, float32), and are
measured in float64 with the numerics layer's exact :class:`numerics.LowRankDenoiser`: per-time
train and test losses, DDIM samples scored by Definition 2.2 (Wilson interval), and :math:`M_{pt}`
from the isotonic fit with its bootstrap interval (:mod:`training.transition`).

The sweep is held in memory and returned as JSON (the verification layer stores it); unlike the
isotropic sweep it has no run store to resume from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace

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

from .config import canonical_hash, coarse_M
from .ensemble import TrainSettings, largest_divisor_at_most, train_parameters
from .initialization import PMEM_S2
from .jobs import TRAIN_DTYPE, model_batching, point_blocks
from .keys import SHARED, Purpose, jax_key, numpy_rng
from .low_rank_model import LowRankGMMDenoiser
from .provenance import training_provenance
from .transition import estimate_transition

__all__ = ["LowRankSweepConfig", "LOW_RANK_TIERS", "low_rank_sweep_config", "run_low_rank_sweep"]

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
    # About 5 minutes of training on 2 shared CPU cores: an 8×8 image (d = 192), N = 30, K = 3, 10
    # noise draws, 8,000 steps at peak learning rate 3e-3. Measured (2026-12-03, busy machine):
    # 8 models x 10,000 steps took 356 s and left every model near its memorizing start (learned
    # s² ≤ 0.007 σ_c²; ratio 0.00/0.13/0.10/0.52 at M/N = 0.1/0.2/0.3/0.5, 1.00 at M = N); the
    # paper's 1e-3 for 12,000 steps: s² ≤ 2e-4, ratio up to 0.26 at M/N ≤ 0.5; 1e-2 for 6,000
    # steps: s² ≈ 0.01-0.07 and M = N no longer memorizes (0.03). Figure 5's verdict reads the
    # learned variance (``fig-5``'s assumption), so a run that has not left the start is reported
    # as such, not as the transition.
    "ci": {
        "K": 3,
        "N": 30,
        "h": 8,
        "w": 8,
        "M": [3, 6, 9, 15, 21, 27, 30],
        "steps": 8000,
        "noise_draws": 10,
        "samples": 100,
        "peak_lr": 3e-3,
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


def run_low_rank_sweep(
    config: LowRankSweepConfig, progress: Callable[[int, int], None] | None = None
) -> dict:
    """Train and measure every M of ``config``; a JSON-ready dict (points, M_pt, interval,
    window, and a few samples per model)."""
    data = low_rank_dataset(config.data)
    train, D = data.train, data.train.shape[1]
    config_hash = canonical_hash({**asdict(config), "model": "low-rank"})
    grid = numeric_time_grid()
    sizes = config.model_sizes
    width = max(sizes)
    pixels = config.h * config.w
    templates = np.ones((len(sizes), width, pixels))  # padding: any non-zero template
    colours = np.zeros((len(sizes), width, 3))
    masks = np.zeros((len(sizes), width), bool)
    for e, M in enumerate(sizes):
        chosen = numpy_rng(config_hash, config.seed, M, Purpose.INIT).permutation(config.N)[:M]
        templates[e, :M], colours[e, :M] = rank_one_factors(train[chosen])
        masks[e, :M] = True
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
        point_blocks(width, config.N, config.noise_draws),
    )
    (templates, colours, log_std), losses, failed_at, _ = train_parameters(
        (templates, colours, np.full(len(sizes), 0.5 * np.log(PMEM_S2))),
        LowRankGMMDenoiser,
        masks,
        np.zeros(len(sizes), np.int32),
        train[None],
        jnp.stack([jax_key(config_hash, config.seed, SHARED, Purpose.TRAIN)]),
        grid.alpha,
        grid.sigma,
        np.ones(grid.t.size),
        settings,
        TRAIN_DTYPE,
        None if progress is None else (lambda done: progress(done, config.steps)),
    )
    s2 = np.exp(2 * log_std)
    finished = [e for e in range(len(sizes)) if failed_at[e] < 0]
    denoisers = [
        LowRankDenoiser(templates[e, : sizes[e]], colours[e, : sizes[e]], s2[e]) for e in finished
    ]
    loss_seed = int(numpy_rng(config_hash, config.seed, SHARED, Purpose.EVALUATE).integers(2**31))
    per_t = {
        name: per_draw_losses(
            denoisers, points, grid, config.eval_draws, loss_seed, purpose=name
        ).per_draw.mean(axis=2)
        if denoisers
        else np.zeros((0, grid.t.size))
        for name, points in (("training-loss", train), ("test-loss", data.test))
    }
    start = numpy_rng(config_hash, config.seed, SHARED, Purpose.SAMPLE).standard_normal(
        (config.samples, D)
    )
    points = []
    for e, M in enumerate(sizes):
        point = {"M": M, "learned_s2": float(s2[e]), "failed": None}
        if e not in finished:
            point["failed"] = f"non-finite loss or parameters at step {int(failed_at[e])}"
            points.append(point)
            continue
        index = finished.index(e)
        samples = ddim_sample(denoisers[index], grid, start)
        ratio = memorization_ratio(samples, train)
        point.update(
            ratio=ratio.ratio,
            ci=list(ratio.ci),
            memorized=ratio.memorized,
            samples=ratio.samples,
            train_loss=float(per_t["training-loss"][index].mean()),
            test_loss=float(per_t["test-loss"][index].mean()),
            train_loss_per_t=per_t["training-loss"][index].tolist(),
            test_loss_per_t=per_t["test-loss"][index].tolist(),
            final_loss_eps=float(losses[-1, e]),
            example_samples=samples[:SAMPLES_KEPT].tolist(),
        )
        points.append(point)
    good = [p for p in points if p["failed"] is None]
    transition = (
        estimate_transition(
            np.array([p["M"] for p in good]),
            np.zeros(len(good), int),
            np.array([p["memorized"] for p in good]),
            np.array([p["samples"] for p in good]),
            numpy_rng(config_hash, config.seed, SHARED, Purpose.BOOTSTRAP),
        )
        if len({p["M"] for p in good}) >= 2
        else None
    )
    return {
        "config": {**asdict(config), "M": sizes, "d": D},
        "steps": config.steps,
        "templates": data.mixture.templates.tolist(),
        "training_examples": train[:SAMPLES_KEPT].tolist(),
        "points": points,
        "M_pt": None if transition is None else transition.M_pt,
        "M_pt_ci": [None, None] if transition is None else list(transition.M_pt_ci),
        "window": [None, None] if transition is None else list(transition.window),
        "clean_step": bool(transition is not None and transition.clean_step),
        "provenance": training_provenance(TRAIN_DTYPE, seed=config.seed),
    }
