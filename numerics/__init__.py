"""The high-precision layer: exact denoisers in float64, Monte Carlo estimators with standard
errors, and the checks that measure every closed form of :mod:`theory` (mpmath / numpy / scipy)."""

from .checks import (
    CHECKS,
    LOW_RANK_CHECKS,
    CheckResult,
    CheckRow,
    run_check,
    run_low_rank_check,
)
from .crossover_root import LinearRoot, falling_root
from .data import Dataset, GaussianMixture, make_dataset, random_mixture
from .denoisers import (
    MixtureDenoiser,
    NestedMemorizingDenoisers,
    generalizing_denoiser,
    memorized_subset,
    memorizing_denoiser,
    partially_memorizing_denoiser,
)
from .estimate import Estimate, estimate, paired_difference
from .loss_table import (
    CrossoverEstimate,
    LossTable,
    default_model_sizes,
    measured_crossover_ratio,
    per_time_losses,
    pooled_loss_table,
)
from .losses import LossSamples, per_draw_losses
from .low_rank_c import low_rank_C, low_rank_crossover, template_cosines
from .low_rank_data import CHANNELS, LowRankDataset, LowRankMixture, make_low_rank_dataset
from .low_rank_denoisers import (
    LowRankDenoiser,
    low_rank_generalizing_denoiser,
    low_rank_memorizing_denoiser,
    low_rank_partially_memorizing_denoiser,
    rank_one_factors,
)
from .low_rank_memorizing import memorizing_loss_per_competitor, pair_distance_density
from .low_rank_score import low_rank_score, low_rank_tweedie_denoiser
from .memorization import (
    MemorizationRatio,
    memorization_ratio,
    memorized,
    wilson_interval,
    wilson_se,
)
from .nearest_neighbour import (
    measured_nearest_neighbour_distance,
    nearest_squared_distances,
    squared_distances,
)
from .parametrizations import PARAMETRIZATIONS, from_x0, target, to_x0
from .provenance import monte_carlo_provenance
from .rng import stream
from .sampler import ddim_sample
from .schedule import TimeGrid, numeric_time_grid
from .score import log_density, score, tweedie_denoiser
from .sharp_c import dense_C, order_statistic_mean, sharp_C
from .templates import glyph_templates, idx_templates, normalise, read_idx, resize

__all__ = [
    "CHECKS",
    "LOW_RANK_CHECKS",
    "run_low_rank_check",
    "CHANNELS",
    "LowRankDataset",
    "LowRankMixture",
    "make_low_rank_dataset",
    "LowRankDenoiser",
    "low_rank_generalizing_denoiser",
    "low_rank_memorizing_denoiser",
    "low_rank_partially_memorizing_denoiser",
    "rank_one_factors",
    "low_rank_score",
    "low_rank_tweedie_denoiser",
    "low_rank_C",
    "memorizing_loss_per_competitor",
    "pair_distance_density",
    "low_rank_crossover",
    "template_cosines",
    "glyph_templates",
    "idx_templates",
    "normalise",
    "read_idx",
    "resize",
    "CheckResult",
    "CheckRow",
    "run_check",
    "Dataset",
    "GaussianMixture",
    "make_dataset",
    "random_mixture",
    "MixtureDenoiser",
    "NestedMemorizingDenoisers",
    "generalizing_denoiser",
    "memorized_subset",
    "memorizing_denoiser",
    "partially_memorizing_denoiser",
    "Estimate",
    "estimate",
    "paired_difference",
    "LinearRoot",
    "falling_root",
    "CrossoverEstimate",
    "LossTable",
    "default_model_sizes",
    "measured_crossover_ratio",
    "per_time_losses",
    "pooled_loss_table",
    "LossSamples",
    "per_draw_losses",
    "MemorizationRatio",
    "memorization_ratio",
    "memorized",
    "wilson_interval",
    "wilson_se",
    "PARAMETRIZATIONS",
    "from_x0",
    "target",
    "to_x0",
    "stream",
    "TimeGrid",
    "numeric_time_grid",
    "ddim_sample",
    "log_density",
    "score",
    "tweedie_denoiser",
    "dense_C",
    "order_statistic_mean",
    "sharp_C",
    "measured_nearest_neighbour_distance",
    "nearest_squared_distances",
    "squared_distances",
    "monte_carlo_provenance",
]
