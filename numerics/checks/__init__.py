"""Monte Carlo checks of the claims of :mod:`theory`, one function per claim id, and one entry
point.

``CHECKS`` maps a claim id to ``check(config, progress) -> CheckResult``; :func:`run_check`
validates the configuration (before any work) and runs it.
"""

from __future__ import annotations

from collections.abc import Callable

from memlab.theory.errors import InvalidInput

from .config import CheckConfig, validate
from .crossover import check_crossover
from .generalizing import check_generalizing_excess
from .lemma import check_mmse_denoiser
from .low_rank import LowRankConfig, check_low_rank_losses, validate_low_rank
from .memorization import check_memorization
from .partial import check_partially_memorizing_excess
from .regime import check_exp_regime, check_nearest_neighbour
from .result import CheckResult, CheckRow

__all__ = [
    "CHECKS",
    "LOW_RANK_CHECKS",
    "CheckConfig",
    "CheckResult",
    "CheckRow",
    "LowRankConfig",
    "run_check",
    "run_low_rank_check",
    "validate",
    "validate_low_rank",
]

CHECKS: dict[str, Callable[[CheckConfig, Callable[[int, int], None] | None], CheckResult]] = {
    "thm-3.1": check_generalizing_excess,
    "thm-3.2": check_partially_memorizing_excess,
    "eq-14": check_crossover,
    "lem-2.1": check_mmse_denoiser,
    "regime-poly-d": check_nearest_neighbour,
    "regime-exp-d": check_exp_regime,
    "def-2.2": check_memorization,
}


LOW_RANK_CHECKS: dict[
    str, Callable[[LowRankConfig, Callable[[int, int], None] | None], CheckResult]
] = {"sec-4.2-losses": check_low_rank_losses}
"""The checks of paper §4.2's low-rank model (their configuration is :class:`LowRankConfig`)."""


def run_low_rank_check(
    claim_id: str, progress: Callable[[int, int], None] | None = None, **config: object
) -> CheckResult:
    """Run the Monte Carlo check of a low-rank claim; ``config`` as :class:`LowRankConfig`."""
    if claim_id not in LOW_RANK_CHECKS:
        raise InvalidInput("claim", claim_id, ", ".join(LOW_RANK_CHECKS))
    return LOW_RANK_CHECKS[claim_id](validate_low_rank(**config), progress)


def run_check(
    claim_id: str,
    *,
    d: int,
    K: int,
    N: int,
    M: int | None = None,
    seed: int = 0,
    draws: int = 100,
    sigma2: float = 1.0,
    schedule: str = "vp",
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Run the Monte Carlo check of ``claim_id`` on one configuration, on the noise ``schedule``
    (the closed forms are read on the same schedule)."""
    if claim_id not in CHECKS:
        raise InvalidInput("claim", claim_id, ", ".join(CHECKS))
    return CHECKS[claim_id](validate(d, K, N, M, seed, draws, sigma2, schedule), progress)
