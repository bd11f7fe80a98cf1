"""Validation of a check's configuration, before any work; messages name the field as the caller
spells it (``prefix="--"`` for the command line)."""

from __future__ import annotations

from dataclasses import dataclass

from memlab.theory.errors import InvalidInput

__all__ = ["CheckConfig", "validate"]


@dataclass(frozen=True)
class CheckConfig:
    """A validated configuration."""

    d: int
    K: int
    N: int
    M: int | None
    seed: int
    draws: int
    sigma2: float

    def as_dict(self) -> dict:
        return {
            "d": self.d,
            "K": self.K,
            "N": self.N,
            "M": self.M,
            "seed": self.seed,
            "draws": self.draws,
            "sigma2": self.sigma2,
            "schedule": "vp",
        }


def _integer(value: object, field: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise InvalidInput(field, value, f"an integer >= {low}")
    return int(value)


def validate(
    d: object,
    K: object,
    N: object,
    M: object = None,
    seed: object = 0,
    draws: object = 100,
    sigma2: object = 1.0,
    prefix: str = "",
) -> CheckConfig:
    """Check every field; raise :class:`InvalidInput` naming ``prefix + field`` on the first bad
    one."""
    d = _integer(d, prefix + "d", 1)
    K = _integer(K, prefix + "K", 1)
    N = _integer(N, prefix + "N", 1)
    if K > N:
        raise InvalidInput(prefix + "K", K, f"an integer in [1, N = {N}]")
    if M is not None:
        M = _integer(M, prefix + "M", 1)
    seed = _integer(seed, prefix + "seed", 0)
    draws = _integer(draws, prefix + "draws", 2)
    try:
        sigma2 = float(sigma2)
    except (TypeError, ValueError):
        raise InvalidInput(prefix + "sigma2", sigma2, "a number > 0") from None
    if not sigma2 > 0 or sigma2 == float("inf"):
        raise InvalidInput(prefix + "sigma2", sigma2, "a finite number > 0")
    return CheckConfig(d, K, N, M, seed, draws, sigma2)
