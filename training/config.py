"""Sweep configuration: the paper's protocol, tiers as named override sets, TOML files, validation.

A configuration file is TOML with any of the keys of :data:`PAPER` (values replace the tier's).
Everything is validated before any work: an unknown key, a wrong type or an out-of-range value
raises :class:`theory.errors.InvalidInput` naming the key and the allowed range.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from memlab import theory
from memlab.theory.errors import InvalidInput

from .initialization import INITIALIZATIONS

__all__ = [
    "SweepConfig",
    "RunConfig",
    "TRAINING_FIELDS",
    "PAPER",
    "TIERS",
    "resolve",
    "load_toml",
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
    M: tuple[int, ...] = ()  # explicit M values; empty: the protocol's N/10, 2N/10, ..., N
    refine: int = 10  # M values added inside the 0.1–0.9 window after the coarse pass (0: none)
    steps: int = 50_000
    noise_draws: int = 100
    samples: int = 50
    eval_draws: int = 20
    n_test: int = 0  # held-out points for test losses; 0: N
    init: str = "pmem"
    sigma2: float = 1.0
    schedule: str = "vp"
    peak_lr: float = 1e-3
    final_lr: float = 1e-6
    warmup_fraction: float = 0.1
    ema_decay: float = 0.99
    clip_norm: float = 1e9
    time_weights: tuple[float, ...] = ()  # per grid time; empty: unit weights
    chunk: int = 1000
    log_every: int = 100

    def shapes(self) -> list[tuple[int, int, int]]:
        return [(d, K, N) for d in self.d for K in self.K for N in self.N]


PAPER = SweepConfig()

TIERS: dict[str, dict[str, object]] = {
    "paper": {},
    # One configuration on the 2-core CPU in <= 10 minutes with a real transition: fewer noise
    # draws, M values and seeds, never fewer steps (models leave the memorizing initialisation only
    # after ~20k of them).
    "ci": {
        "d": [30],
        "K": [3],
        "N": [50],
        "seeds": 1,
        "M": [5, 15, 25, 30, 35, 40, 45, 50],
        "refine": 0,
        "noise_draws": 10,
        "samples": 100,
    },
    # Every stage end to end on tiny sizes, well under a minute (too few steps to leave
    # memorization).
    "smoke": {
        "d": [5],
        "K": [2],
        "N": [12],
        "seeds": 1,
        "M": [3, 6, 12],
        "refine": 0,
        "steps": 300,
        "noise_draws": 2,
        "samples": 20,
        "eval_draws": 4,
        "chunk": 100,
        "log_every": 10,
    },
}

_RANGES = {  # integer key -> (lowest, highest or None)
    "d": (1, None),
    "K": (1, None),
    "N": (2, None),
    "seeds": (1, None),
    "M": (1, None),
    "refine": (0, None),
    "steps": (1, None),
    "noise_draws": (1, None),
    "samples": (2, None),
    "eval_draws": (2, None),
    "n_test": (0, None),
    "chunk": (1, None),
    "log_every": (1, None),
}


def _check_number(
    key: str,
    value: object,
    integer: bool,
    low: float | None,
    high: float | None,
    strict_low: bool = False,
) -> None:
    kind = "an integer" if integer else "a number"
    ok_type = (
        isinstance(value, int) and not isinstance(value, bool)
        if integer
        else isinstance(value, (int, float)) and not isinstance(value, bool)
    )
    bounds = " ".join(
        filter(
            None,
            [
                f"{'>' if strict_low else '>='} {low}" if low is not None else "",
                f"<= {high}" if high is not None else "",
            ],
        )
    )
    allowed = f"{kind} {bounds}".strip()
    if not ok_type or isinstance(value, float) and not math.isfinite(value):
        raise InvalidInput(key, value, f"{allowed} (finite)" if ok_type else allowed)
    if (
        low is not None
        and (value <= low if strict_low else value < low)
        or high is not None
        and value > high
    ):
        raise InvalidInput(key, value, allowed)


def _validated(values: dict[str, object]) -> SweepConfig:
    known = {f.name: f for f in fields(SweepConfig)}
    for key in values:
        if key not in known:
            raise InvalidInput(key, values[key], "one of the keys " + ", ".join(known))
    merged = {**asdict(PAPER), **values}
    for key, value in merged.items():
        default = getattr(PAPER, key)
        if isinstance(default, tuple):
            if key != "time_weights" and isinstance(value, int) and not isinstance(value, bool):
                value = [value]  # one value for a list key
            if not isinstance(value, (list, tuple)):
                raise InvalidInput(key, value, "a list")
            integer = key != "time_weights"
            for item in value:
                low, high = _RANGES.get(key, (0, None)) if integer else (0, None)
                _check_number(key, item, integer, low, high)
            # Floats as floats: 1 and 1.0 must give the same canonical JSON, hence the same run_id.
            merged[key] = tuple(value) if integer else tuple(float(item) for item in value)
        elif isinstance(default, str):
            if not isinstance(value, str):
                raise InvalidInput(key, value, "a string")
        elif isinstance(default, int):
            low, high = _RANGES[key]
            _check_number(key, value, True, low, high)
        else:
            _check_number(
                key, value, False, 0, None, strict_low=key in ("sigma2", "peak_lr", "clip_norm")
            )
            merged[key] = float(value)
    for key in ("d", "K", "N"):
        if not merged[key]:
            raise InvalidInput(key, [], "a non-empty list of integers >= 1")
    config = SweepConfig(**merged)
    if config.init not in INITIALIZATIONS:
        raise InvalidInput("init", config.init, ", ".join(INITIALIZATIONS))
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
    for key in ("warmup_fraction", "ema_decay"):
        if getattr(config, key) > 1:
            raise InvalidInput(key, getattr(config, key), "a number in [0, 1]")
    if config.final_lr > config.peak_lr:
        raise InvalidInput(
            "final_lr", config.final_lr, f"a number in [0, peak_lr = {config.peak_lr}]"
        )
    return config


def load_toml(path: Path) -> dict[str, object]:
    """The overrides in a TOML file (validated by :func:`resolve`)."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise InvalidInput(
            "config", str(path), f"a readable TOML file ({error.strerror})"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput("config", str(path), f"valid TOML ({error})") from None


def resolve(
    tier: str, overrides: dict[str, object] | None = None
) -> tuple[SweepConfig, dict[str, object]]:
    """The validated configuration of ``tier`` with ``overrides`` on top, and all overrides
    applied."""
    if tier not in TIERS:
        raise InvalidInput("tier", tier, ", ".join(TIERS))
    applied = {**TIERS[tier], **(overrides or {})}
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

    def __post_init__(self):
        # Floats as floats (1 and 1.0 hash alike), however the RunConfig was built.
        for f in fields(self):
            if f.type == "float":
                object.__setattr__(self, f.name, float(getattr(self, f.name)))
        object.__setattr__(self, "time_weights", tuple(float(w) for w in self.time_weights))

    @classmethod
    def of(cls, sweep: SweepConfig, d: int, K: int, N: int, M: int, seed: int) -> RunConfig:
        shared = {
            f.name: getattr(sweep, f.name)
            for f in fields(cls)
            if hasattr(sweep, f.name) and f.name not in ("d", "K", "N", "M")
        }
        shared["n_test"] = sweep.n_test or N
        return cls(d=d, K=K, N=N, M=M, seed=seed, **shared)

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "time_weights": list(self.time_weights)}

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
