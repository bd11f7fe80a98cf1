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
from .memorization import check_memorization
from .partial import check_partially_memorizing_excess
from .regime import check_nearest_neighbour
from .result import CheckResult, CheckRow

__all__ = ["CHECKS", "CheckConfig", "CheckResult", "CheckRow", "run_check", "validate"]

CHECKS: dict[str, Callable[[CheckConfig, Callable[[int, int], None] | None], CheckResult]] = {
    "thm-3.1": check_generalizing_excess,
    "thm-3.2": check_partially_memorizing_excess,
    "eq-14": check_crossover,
    "lem-2.1": check_mmse_denoiser,
    "regime-poly-d": check_nearest_neighbour,
    "def-2.2": check_memorization,
}


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
