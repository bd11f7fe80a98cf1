"""Validation of a check's configuration, before any work; messages name the field as the caller
spells it (``prefix="--"`` for the command line)."""

from __future__ import annotations

from dataclasses import dataclass

from memlab import theory
from memlab.theory import validation
from memlab.theory.errors import InvalidInput

__all__ = ["CheckConfig", "validate", "check_cost", "MAX_COST"]


@dataclass(frozen=True)
class CheckConfig:
    """A validated configuration; ``schedule`` is a name in :data:`theory.SCHEDULES`."""

    d: int
    K: int
    N: int
    M: int | None
    seed: int
    draws: int
    sigma2: float
    schedule: str = "vp"

    def as_dict(self) -> dict:
        return {
            "d": self.d,
            "K": self.K,
            "N": self.N,
            "M": self.M,
            "seed": self.seed,
            "draws": self.draws,
            "sigma2": self.sigma2,
            "schedule": self.schedule,
        }


# Bounds that keep a check finite, far above the paper's sizes (d = 50, N = 200, 400 draws):
# field -> (lowest, highest).
_RANGES = {
    "d": (1, 10_000),
    "K": (1, 100_000),
    "N": (2, 100_000),  # one training point has no spread: standard errors would be NaN
    "M": (1, 400_000),
    "seed": (0, 2**63 - 1),
    "draws": (2, 1_000_000),
}


# The Monte Carlo cost grows as N^2 d draws (each noisy point against every training point); the
# paper tier's largest check is 200^2 * 50 * 400 = 8e8. A bound 125 times that keeps a run finite
# (hours, not years) on a CPU.
MAX_COST = 10**11


def check_cost(d: int, N: int, draws: int, field: str = "draws") -> None:
    """Refuse a configuration whose Monte Carlo cost N² d draws exceeds :data:`MAX_COST`."""
    cost = N * N * d * draws
    if cost > MAX_COST:
        raise InvalidInput(
            field,
            draws,
            f"N^2 * d * {field.lstrip('-')} <= 1e11 (the Monte Carlo cost; here {N}^2 * {d} * "
            f"{draws} = {cost:.3g}, the paper's largest check is 8e8)",
        )


def validate(
    d: object,
    K: object,
    N: object,
    M: object = None,
    seed: object = 0,
    draws: object = 100,
    sigma2: object = 1.0,
    schedule: object = "vp",
    prefix: str = "",
) -> CheckConfig:
    """Check every field; raise :class:`InvalidInput` naming ``prefix + field`` on the first bad
    one."""
    d, K, N, seed, draws = (
        validation.integer(prefix + name, value, *_RANGES[name])
        for name, value in (("d", d), ("K", K), ("N", N), ("seed", seed), ("draws", draws))
    )
    if K > N:
        raise InvalidInput(prefix + "K", K, f"an integer in [1, N = {N}]")
    if M is not None:
        M = validation.integer(prefix + "M", M, *_RANGES["M"])
    sigma2 = validation.number(prefix + "sigma2", sigma2, 0, 1e6, strict_low=True)
    schedule = validation.one_of(prefix + "schedule", schedule, theory.SCHEDULES)
    check_cost(d, N, draws, prefix + "draws")
    return CheckConfig(d, K, N, M, seed, draws, sigma2, schedule)
