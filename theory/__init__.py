"""The symbolic layer: the paper's closed forms in exact sympy arithmetic.

Schedules, loss-unit conversions, Theorems 3.1 and 3.2, the crossover of eq. (14), the
N = poly(d) nearest-neighbour scaling, each claim's assumptions as data, and evaluation at
checked precision (mpmath) or as numpy / jax functions.
"""

from . import symbols, validation
from .assumptions import Assumption, AssumptionCheck
from .claims import THEORY_CLAIMS, Claim, get_claim
from .crossover import (
    crossover_interval,
    crossover_ratio,
    generalizing_fraction,
    per_time_crossover_ratio,
)
from .epsilon_residual import epsilon_residual, naive_epsilon_residual
from .errors import InvalidInput
from .evaluate import PrecisionMismatch, evaluate, to_jax, to_numpy
from .exact import exact, parse_rational
from .generalizing import generalizing_excess_loss
from .loss_units import PARAMETRIZATIONS, loss_conversion_factor
from .low_rank import (
    RANK,
    low_rank_generalizing_excess,
    low_rank_memorizing_negligible,
    low_rank_one_sparse,
    low_rank_partial_excess,
    low_rank_signal_limit,
)
from .nearest_neighbour import (
    asymptotic_nearest_neighbour_distance,
    indistinguishable_sample_size,
    nearest_neighbour_constant,
)
from .partial_memorization import C_INTERVAL, partially_memorizing_excess_loss
from .schedules import COSINE_VP, LINEAR, SCHEDULES, VE, VP, Schedule, get_schedule, grid_times
from .weightings import WEIGHTING_NAMES, Weighting, get_weighting

__all__ = [
    "symbols",
    "validation",
    "Assumption",
    "AssumptionCheck",
    "Claim",
    "THEORY_CLAIMS",
    "get_claim",
    "crossover_interval",
    "crossover_ratio",
    "generalizing_fraction",
    "per_time_crossover_ratio",
    "epsilon_residual",
    "naive_epsilon_residual",
    "InvalidInput",
    "PrecisionMismatch",
    "evaluate",
    "to_jax",
    "to_numpy",
    "generalizing_excess_loss",
    "RANK",
    "low_rank_generalizing_excess",
    "low_rank_memorizing_negligible",
    "low_rank_one_sparse",
    "low_rank_partial_excess",
    "low_rank_signal_limit",
    "PARAMETRIZATIONS",
    "loss_conversion_factor",
    "indistinguishable_sample_size",
    "nearest_neighbour_constant",
    "asymptotic_nearest_neighbour_distance",
    "C_INTERVAL",
    "partially_memorizing_excess_loss",
    "COSINE_VP",
    "LINEAR",
    "SCHEDULES",
    "VE",
    "VP",
    "Schedule",
    "get_schedule",
    "grid_times",
    "WEIGHTING_NAMES",
    "Weighting",
    "get_weighting",
    "parse_rational",
    "exact",
]
