"""Verification tiers: named sets of overrides on the paper's configuration.

The base (``paper``) is the configuration of the paper's Figure 1 (d = 50, K = 12, N = 200) for the
Monte Carlo checks, plus the training layer's tier of the same name for the phase transition. A TOML
file (``--config``) overrides fields on top of the tier; the report states every override.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from memlab.theory.errors import InvalidInput

__all__ = ["VerifyConfig", "TIERS", "tier_config", "read_config", "overrides"]


@dataclass(frozen=True)
class VerifyConfig:
    """What ``memlab verify`` measures.

    ``d, K, N``: the Monte Carlo configuration (Figure 1); ``Ms``: model sizes of the per-time loss
    table (Figures 1–2, eq. (14)); ``check_Ms``: sizes at which Theorem 3.2 is checked; ``draws``:
    noise draws per grid time; ``seed``; ``sigma2``: data variance; ``C``: the coefficient of the
    closed-form eq. (15) predictor; ``sweep_tier`` / ``sweep``: the training layer's tier and
    overrides (none: no training); ``fit_draws``: noise draws of the per-configuration loss tables
    behind eq. (15); ``low_rank``: overrides of the §4.2 low-rank model's Monte Carlo check
    (``numerics.checks.LowRankConfig``: K, N, h, w, colour_var, M, draws, templates, ...);
    ``low_rank_sweep_tier`` / ``low_rank_sweep``: the trained low-rank sweep of Figure 5 (tier of
    ``training.LOW_RANK_TIERS`` and overrides; none: no training).
    """

    d: int = 50
    K: int = 12
    N: int = 200
    Ms: tuple[int, ...] = (20, 40, 60, 80, 100, 120, 140, 160, 180, 200)
    check_Ms: tuple[int, ...] = (40, 120)
    draws: int = 400
    seed: int = 0
    sigma2: float = 1.0
    C: float = 1.5
    sweep_tier: str | None = "paper"
    sweep: dict = field(default_factory=dict)
    fit_draws: int = 100
    low_rank: dict = field(default_factory=dict)
    low_rank_sweep_tier: str | None = "paper"
    low_rank_sweep: dict = field(default_factory=dict)

    def validate(self) -> VerifyConfig:
        for name, low in (
            ("d", 3),
            ("K", 1),
            ("N", 2),
            ("draws", 2),
            ("fit_draws", 2),
            ("seed", 0),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise InvalidInput(name, value, f"an integer >= {low}")
        if self.K > self.N:
            raise InvalidInput("K", self.K, f"an integer <= N = {self.N}")
        for name in ("Ms", "check_Ms"):
            sizes = getattr(self, name)
            if (
                not sizes
                or any(not isinstance(M, int) or not 1 <= M <= self.N for M in sizes)
                or list(sizes) != sorted(set(sizes))
            ):
                raise InvalidInput(
                    name, list(sizes), f"increasing distinct integers in [1, N = {self.N}]"
                )
        for name in ("sigma2", "C"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise InvalidInput(name, value, "a number > 0")
        if self.sweep_tier not in (None, "smoke", "ci", "paper"):
            raise InvalidInput("sweep_tier", self.sweep_tier, "smoke, ci, paper or none")
        if not isinstance(self.sweep, dict):
            raise InvalidInput("sweep", self.sweep, "a table of training overrides")
        if not isinstance(self.low_rank, dict):
            raise InvalidInput("low_rank", self.low_rank, "a table of low-rank model overrides")
        from memlab.numerics.checks import validate_low_rank

        unknown = sorted(set(self.low_rank) - set(_LOW_RANK_FIELDS))
        if unknown:
            raise InvalidInput(
                f"low_rank.{unknown[0]}", self.low_rank[unknown[0]], ", ".join(_LOW_RANK_FIELDS)
            )
        validate_low_rank(prefix="low_rank.", **self.low_rank)
        if self.low_rank_sweep_tier not in (None, "smoke", "ci", "paper"):
            raise InvalidInput(
                "low_rank_sweep_tier", self.low_rank_sweep_tier, "smoke, ci, paper or none"
            )
        if not isinstance(self.low_rank_sweep, dict):
            raise InvalidInput("low_rank_sweep", self.low_rank_sweep, "a table of overrides")
        if self.low_rank_sweep_tier is not None:
            from memlab.training.low_rank_sweep import low_rank_sweep_config

            low_rank_sweep_config(self.low_rank_sweep_tier, self.low_rank_sweep)
        if self.sweep_tier is not None:
            # the training layer's own validation, now rather than minutes into the Monte Carlo
            # stages
            from memlab.training.config import resolve

            resolve(self.sweep_tier, self.sweep)
        return self


_LOW_RANK_FIELDS = (
    "K",
    "N",
    "h",
    "w",
    "colour_var",
    "M",
    "seed",
    "draws",
    "templates",
    "template_labels",
)

TIERS: dict[str, dict] = {
    # every claim's pipeline on tiny sizes, in seconds
    "smoke": {
        "d": 30,
        "K": 3,
        "N": 30,
        "Ms": (10, 20, 30),
        "check_Ms": (10,),
        "draws": 20,
        "sweep_tier": "smoke",
        "fit_draws": 10,
        "low_rank": {"K": 3, "N": 12, "h": 6, "w": 6, "draws": 6},
        "low_rank_sweep_tier": "smoke",
    },
    # the paper's sizes for the Monte Carlo verdicts; the training layer's ci sweep with a second K,
    # so that Figure 3 has two configurations and eq. (15) one to fit and one to test (~4 min of
    # training each)
    "ci": {
        "draws": 100,
        "sweep_tier": "ci",
        "sweep": {"K": [3, 6]},
        "fit_draws": 50,
        "low_rank": {"draws": 50},
        "low_rank_sweep_tier": "ci",
    },
    "paper": {},
}


def tier_config(tier: str, extra: dict | None = None) -> VerifyConfig:
    """The tier's configuration with ``extra`` overrides (from a TOML file) on top."""
    if tier not in TIERS:
        raise InvalidInput("tier", tier, ", ".join(TIERS))
    known = {f.name for f in fields(VerifyConfig)}
    extra = dict(extra or {})
    unknown = sorted(set(extra) - known)
    if unknown:
        raise InvalidInput(unknown[0], extra[unknown[0]], "one of " + ", ".join(sorted(known)))
    values = {**TIERS[tier], **extra}
    for name in ("Ms", "check_Ms"):
        if name in values and isinstance(values[name], list):
            values[name] = tuple(values[name])
    for name in ("sweep_tier", "low_rank_sweep_tier"):
        if values.get(name) == "none":
            values[name] = None
    return replace(VerifyConfig(), **values).validate()


def read_config(path: str | Path) -> dict:
    """A TOML file of overrides (unknown keys are rejected by :func:`tier_config`)."""
    try:
        return tomllib.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput("--config", str(path), f"a readable TOML file ({error})") from None


def overrides(config: VerifyConfig) -> dict:
    """Fields that differ from the paper's configuration."""
    base, here = asdict(VerifyConfig()), asdict(config)
    return {name: value for name, value in here.items() if base[name] != value}
