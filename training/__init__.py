"""The training layer: the paper's experiment (docs/theory.md §2, §5, §6) in jax/equinox/optax.

The GMM denoiser model class in matrix-product form, the ε-prediction objective, the paper's
optimiser and schedule, ensembles trained as one vmapped and scanned program, float64 measurements
(losses, DDIM samples scored by Definition 2.2), the phase-transition estimate, the run store, and
sweeps run locally or on Dask.
"""

from .config import (
    PAPER,
    RunConfig,
    SweepConfig,
    canonical_hash,
    coarse_M,
    resolve,
    sweep_table,
)
from .ensemble import TrainedEnsemble, TrainSettings, train_ensemble, train_parameters
from .executors import check_scheduler_address
from .files import atomic_write, check_writable_directory, fsync_directory, read_toml
from .initialization import INITIALIZATIONS, initialize
from .jobs import local_workers, train_job
from .keys import SHARED, Purpose, jax_key, numpy_rng
from .lock import DirectoryLock
from .low_rank_model import LowRankGMMDenoiser
from .low_rank_sweep import (
    LOW_RANK_TIERS,
    LowRankSweepConfig,
    low_rank_job,
    low_rank_sweep_config,
    run_low_rank_sweep,
)
from .measure import MeanSites, Measurements, mean_sites, measure_models
from .model import GMMDenoiser
from .objective import epsilon_loss
from .optimizer import (
    CLIP_NORM,
    EMA_DECAY,
    FINAL_LR,
    PEAK_LR,
    WARMUP_FRACTION,
    learning_rate_schedule,
    paper_optimizer,
    update_ema,
)
from .plan import (
    CALIBRATION_CHUNK,
    CALIBRATION_CHUNKS,
    Plan,
    PlannedJob,
    plan_sweep,
    timed_training,
)
from .provenance import training_provenance
from .store import RunStore, StoredRun
from .sweep import (
    ConfigResult,
    Point,
    SweepResult,
    load_sweep,
    refinement_M,
    run_sweep,
    submission_order,
    uncertain_M,
)
from .tiers import TIER_NAMES, TIERS, Tier, get_tier, tier_help
from .transition import Transition, crossing, estimate_transition, isotonic_fit, pooled_counts

__all__ = [
    "PAPER",
    "RunConfig",
    "SweepConfig",
    "canonical_hash",
    "coarse_M",
    "resolve",
    "sweep_table",
    "check_scheduler_address",
    "DirectoryLock",
    "check_writable_directory",
    "TIERS",
    "TIER_NAMES",
    "Tier",
    "get_tier",
    "tier_help",
    "read_toml",
    "atomic_write",
    "fsync_directory",
    "PEAK_LR",
    "FINAL_LR",
    "WARMUP_FRACTION",
    "EMA_DECAY",
    "CLIP_NORM",
    "TrainedEnsemble",
    "TrainSettings",
    "train_ensemble",
    "train_parameters",
    "LowRankGMMDenoiser",
    "LOW_RANK_TIERS",
    "LowRankSweepConfig",
    "low_rank_sweep_config",
    "low_rank_job",
    "run_low_rank_sweep",
    "INITIALIZATIONS",
    "initialize",
    "train_job",
    "local_workers",
    "SHARED",
    "Purpose",
    "jax_key",
    "numpy_rng",
    "Measurements",
    "MeanSites",
    "mean_sites",
    "measure_models",
    "GMMDenoiser",
    "epsilon_loss",
    "learning_rate_schedule",
    "paper_optimizer",
    "update_ema",
    "training_provenance",
    "Plan",
    "PlannedJob",
    "plan_sweep",
    "timed_training",
    "CALIBRATION_CHUNK",
    "CALIBRATION_CHUNKS",
    "RunStore",
    "StoredRun",
    "ConfigResult",
    "Point",
    "SweepResult",
    "load_sweep",
    "refinement_M",
    "run_sweep",
    "submission_order",
    "uncertain_M",
    "Transition",
    "crossing",
    "estimate_transition",
    "isotonic_fit",
    "pooled_counts",
]
