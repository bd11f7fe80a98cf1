"""Sweep configuration: the paper's protocol, a tier's overrides on it (:mod:`.tiers`), validation.

A configuration file is TOML with any of the keys of :data:`PAPER` (values replace the tier's).
Everything is validated before any work: an unknown key, a wrong type or an out-of-range value
raises :class:`theory.errors.InvalidInput` naming the key and the allowed range.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields

from memlab import theory
from memlab.theory import validation
from memlab.theory.errors import InvalidInput

from .initialization import INITIALIZATIONS
from .optimizer import CLIP_NORM, EMA_DECAY, FINAL_LR, PEAK_LR, WARMUP_FRACTION
from .tiers import get_tier

__all__ = [
    "SweepConfig",
    "RunConfig",
    "TRAINING_FIELDS",
    "PAPER",
    "SHARED_KEYS",
    "resolve",
    "sweep_table",
    "canonical_hash",
    "coarse_M",
]

GRID_POINTS = len(theory.grid_times())


@dataclass(frozen=True)
class SweepConfig:
    """The paper's sweep (docs/theory.md §1, §5, §6); a tier or a file overrides fields."""

    d: tuple[int, ...] = (30, 40, 50, 60)
    K: tuple[int, ...] = (3, 6, 9, 12)
    N: tuple[int, ...] = (50, 100, 150, 200)
    seeds: int = 3
    M: tuple[int, ...] = ()  # explicit M values; empty: M_fractions, else N/10, 2N/10, ..., N
    M_fractions: tuple[float, ...] = ()  # the coarse pass as fractions of N (rounded, >= 1)
    refine: int = 10  # M values added after the coarse pass (0: none; never with explicit M)
    refine_at: str = "window"  # where: spread in the 0.1–0.9 window, or "uncertain" (sweep.py)
    steps: int = 50_000
    noise_draws: int = 100
    samples: int = 50
    eval_draws: int = 20
    n_test: int = 0  # held-out points for test losses; 0: N
    init: str = "pmem"
    sigma2: float = 1.0
    schedule: str = "vp"
    peak_lr: float = PEAK_LR
    final_lr: float = FINAL_LR
    warmup_fraction: float = WARMUP_FRACTION
    ema_decay: float = EMA_DECAY
    clip_norm: float = CLIP_NORM
    time_weights: tuple[float, ...] = ()  # per grid time; empty: unit weights
    chunk: int = 1000
    log_every: int = 100
    checkpoints: int = 3  # intermediate steps with each model's memorization ratio (a diagnostic)
    budgets: tuple[int, ...] = ()  # further step budgets the sweep is repeated at (convergence)
    budget_configs: tuple[tuple[int, int, int], ...] = ()  # (d, K, N) at the budgets; empty: all

    def shapes(self) -> list[tuple[int, int, int]]:
        return [(d, K, N) for d in self.d for K in self.K for N in self.N]

    def coarse(self, N: int) -> list[int]:
        """The coarse pass's M for ``N``: explicit M, else M_fractions, else the protocol's."""
        if self.M:
            return list(self.M)
        if self.M_fractions:
            return sorted({max(1, round(f * N)) for f in self.M_fractions})
        return coarse_M(N)

    def budget_steps(self, shape: tuple[int, int, int]) -> list[int]:
        """The step budgets ``shape`` is swept at: ``steps`` first, then the further budgets."""
        if self.budget_configs and tuple(shape) not in self.budget_configs:
            return [self.steps]
        return [self.steps] + [b for b in self.budgets if b != self.steps]

    def checkpoint_steps(self, steps: int) -> tuple[int, ...]:
        """``checkpoints`` steps spread evenly inside (0, steps), each at the end of a scan chunk
        (the step k·steps/(checkpoints + 1) rounded down to one)."""
        from .ensemble import largest_divisor_at_most

        chunk = largest_divisor_at_most(steps, self.chunk)
        found = {
            k * steps // (self.checkpoints + 1) // chunk * chunk
            for k in range(1, self.checkpoints + 1)
        }
        return tuple(sorted(s for s in found if 0 < s < steps))


PAPER = SweepConfig()

# Bounds that keep a run finite; far above the paper's sizes (d <= 60, N <= 200, 50,000 steps).
_RANGES = {  # integer key -> (lowest, highest); M is bounded by 4N below
    "d": (1, 10_000),
    "K": (1, 100_000),
    "N": (2, 100_000),
    "seeds": (1, 1_000),
    "M": (1, 400_000),
    "refine": (0, 1_000),
    "steps": (1, 10_000_000),
    "noise_draws": (1, 100_000),
    "samples": (2, 1_000_000),
    "eval_draws": (2, 100_000),
    "n_test": (0, 1_000_000),
    "chunk": (1, 10_000_000),
    "log_every": (1, 10_000_000),
    "checkpoints": (0, 1_000),
    "budgets": (1, 10_000_000),
}
_FLOAT_RANGES = {  # float key -> (lowest, highest, lowest excluded)
    "sigma2": (0.0, 1e6, True),
    "peak_lr": (0.0, 1.0, True),
    "final_lr": (0.0, 1.0, False),
    "warmup_fraction": (0.0, 1.0, False),
    "ema_decay": (0.0, 1.0, False),
    "clip_norm": (0.0, 1e30, True),
    "time_weights": (0.0, 1e6, False),
    "M_fractions": (0.0, 4.0, True),
}
REFINE_AT = ("window", "uncertain")
# One training step holds d * N * noise_draws noise values per model set (float32): at most 2^31
# (8 GiB) so that a step fits in memory rather than failing minutes in with a MemoryError.
MAX_NOISE_VALUES = 2**31


def _validated(values: dict[str, object]) -> SweepConfig:
    known = [f.name for f in fields(SweepConfig)]
    for key in values:
        if key not in known:
            raise InvalidInput(key, values[key], "one of the keys " + ", ".join(known))
    merged = {**asdict(PAPER), **values}
    for key, value in merged.items():
        default = getattr(PAPER, key)
        if key == "budget_configs":
            merged[key] = _shapes(value)
        elif key in ("time_weights", "M_fractions"):
            if not isinstance(value, (list, tuple)):
                raise InvalidInput(key, value, "a list of numbers")
            low, high, strict_low = _FLOAT_RANGES[key]
            # Floats as floats: 1 and 1.0 must give the same canonical JSON, hence the same run_id.
            merged[key] = tuple(
                validation.number(key, item, low, high, strict_low) for item in value
            )
        elif isinstance(default, tuple):
            merged[key] = validation.integers(key, value, *_RANGES[key])
        elif isinstance(default, str):
            if not isinstance(value, str):
                raise InvalidInput(key, value, "a string")
        elif isinstance(default, int):
            merged[key] = validation.integer(key, value, *_RANGES[key])
        else:
            low, high, strict_low = _FLOAT_RANGES[key]
            merged[key] = validation.number(key, value, low, high, strict_low)
    for key in ("d", "K", "N"):
        if not merged[key]:
            raise InvalidInput(key, [], "a non-empty list of integers >= 1")
    config = SweepConfig(**merged)
    validation.one_of("init", config.init, INITIALIZATIONS)
    validation.one_of("refine_at", config.refine_at, REFINE_AT)
    missing = [list(shape) for shape in config.budget_configs if shape not in config.shapes()]
    if missing:
        raise InvalidInput("budget_configs", missing[0], "[d, K, N] of one of the sweep's shapes")
    theory.get_schedule(config.schedule)
    if config.K and max(config.K) > min(config.N):
        raise InvalidInput(
            "K", max(config.K), f"an integer <= N = {min(config.N)} (every K <= every N)"
        )
    if config.M and max(config.M) > 4 * min(config.N):
        raise InvalidInput("M", max(config.M), f"integers in [1, 4N] = [1, {4 * min(config.N)}]")
    if config.time_weights and len(config.time_weights) != GRID_POINTS:
        raise InvalidInput(
            "time_weights",
            list(config.time_weights),
            f"a list of {GRID_POINTS} numbers >= 0 (one per grid time)",
        )
    if config.final_lr > config.peak_lr:
        raise InvalidInput(
            "final_lr", config.final_lr, f"a number in [0, peak_lr = {config.peak_lr}]"
        )
    noise_values = max(config.d) * max(config.N) * config.noise_draws
    if noise_values > MAX_NOISE_VALUES:
        raise InvalidInput(
            "noise_draws",
            config.noise_draws,
            f"d * N * noise_draws <= 2^31 (one step's noise in memory); here "
            f"{max(config.d)} * {max(config.N)} * {config.noise_draws} = {noise_values}",
        )
    return config


# Keys a configuration file holds at its top level for the Monte Carlo stages (``memlab verify``)
# that the training sweep also has: at the top level they are the Monte Carlo's, under [sweep] the
# sweep's.
SHARED_KEYS = ("d", "K", "N", "sigma2")


def sweep_table(table: dict[str, object]) -> dict[str, object]:
    """The training overrides of a configuration file: its ``[sweep]`` table (one layout for
    ``train``, ``sweep`` and ``verify``: Monte Carlo keys at the top level, training keys under
    ``[sweep]``). A training key at the top level is refused with that hint rather than ignored."""
    for key, value in table.items():
        if key in SweepConfig.__dataclass_fields__ and key not in SHARED_KEYS:
            raise InvalidInput(key, value, "a training key: put it under the [sweep] table")
    overrides = table.get("sweep", {})
    if not isinstance(overrides, dict):
        raise InvalidInput("sweep", overrides, "a table of training overrides ([sweep])")
    return dict(overrides)


def _shapes(value: object) -> tuple[tuple[int, int, int], ...]:
    allowed = "a list of [d, K, N] lists of integers >= 1"
    if not isinstance(value, (list, tuple)):
        raise InvalidInput("budget_configs", value, allowed)
    for shape in value:
        if not isinstance(shape, (list, tuple)) or len(shape) != 3:
            raise InvalidInput("budget_configs", shape, allowed)
    return tuple(
        tuple(validation.integer("budget_configs", item, 1, 100_000) for item in shape)
        for shape in value
    )


def resolve(
    tier: str, overrides: dict[str, object] | None = None
) -> tuple[SweepConfig, dict[str, object]]:
    """The validated configuration of ``tier`` with ``overrides`` on top, and all overrides
    applied."""
    if overrides is not None and not isinstance(overrides, dict):
        raise InvalidInput("sweep", overrides, "a table of training overrides")
    applied = {**get_tier(tier).sweep, **(overrides or {})}
    return _validated(applied), applied


def canonical_hash(values: dict[str, object]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces) of ``values``."""
    return hashlib.sha256(
        json.dumps(values, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


# The fields that change a model's training trajectory: the training data (d, K, N, sigma2), the
# start (init), the objective (schedule, noise_draws, time_weights) and the optimiser (steps,
# peak_lr, final_lr, warmup_fraction, ema_decay, clip_norm). M and seed are left out on purpose
# (they are separate words of every key), and so is everything used only after training (samples,
# eval_draws, n_test): changing how a model is measured must not change the model. ``chunk`` (scan
# length) is not a RunConfig field: each step's noise is keyed by the step index, so it changes no
# random number.
TRAINING_FIELDS = (
    "d",
    "K",
    "N",
    "sigma2",
    "init",
    "schedule",
    "noise_draws",
    "time_weights",
    "steps",
    "peak_lr",
    "final_lr",
    "warmup_fraction",
    "ema_decay",
    "clip_norm",
)


# Raised whenever the code draws a run's random numbers differently, so that a results directory
# written by older code is trained again on resume rather than mixed with new runs. 2: noise drawn
# feature-major (d, N, R).
STREAM_VERSION = 2


@dataclass(frozen=True)
class RunConfig:
    """One model's configuration: a shape, an M, a seed and the training settings. Its hash keys the
    store; ``training_hash`` (the :data:`TRAINING_FIELDS` only) keys the random streams."""

    d: int
    K: int
    N: int
    M: int
    seed: int
    steps: int
    noise_draws: int
    samples: int
    eval_draws: int
    n_test: int
    init: str
    sigma2: float
    schedule: str
    peak_lr: float
    final_lr: float
    warmup_fraction: float
    ema_decay: float
    clip_norm: float
    time_weights: tuple[float, ...]
    checkpoints: tuple[int, ...] = ()  # steps with a memorization ratio (diagnostic, not a field
    # of the training: the model is the same with or without them)

    def __post_init__(self):
        # Floats as floats (1 and 1.0 hash alike), however the RunConfig was built.
        for f in fields(self):
            if f.type == "float":
                object.__setattr__(self, f.name, float(getattr(self, f.name)))
        object.__setattr__(self, "time_weights", tuple(float(w) for w in self.time_weights))
        object.__setattr__(self, "checkpoints", tuple(int(s) for s in self.checkpoints))

    @classmethod
    def of(cls, sweep: SweepConfig, d: int, K: int, N: int, M: int, seed: int) -> RunConfig:
        shared = {
            f.name: getattr(sweep, f.name)
            for f in fields(cls)
            if hasattr(sweep, f.name) and f.name not in ("d", "K", "N", "M", "checkpoints")
        }
        shared["n_test"] = sweep.n_test or N
        shared["checkpoints"] = sweep.checkpoint_steps(sweep.steps)
        return cls(d=d, K=K, N=N, M=M, seed=seed, **shared)

    def to_dict(self) -> dict[str, object]:
        return {
            **asdict(self),
            "time_weights": list(self.time_weights),
            "checkpoints": list(self.checkpoints),
        }

    @property
    def run_id(self) -> str:
        return canonical_hash({**self.to_dict(), "stream_version": STREAM_VERSION})

    @property
    def training_hash(self) -> str:
        values = self.to_dict()
        return canonical_hash({key: values[key] for key in TRAINING_FIELDS})


def coarse_M(N: int) -> list[int]:
    """The protocol's coarse pass: N/10, 2N/10, ..., N (rounded, at least 1)."""
    return sorted({max(1, round(i * N / 10)) for i in range(1, 11)})
