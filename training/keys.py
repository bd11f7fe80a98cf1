"""Random streams derived from the configuration hash, seed, model (its M) and purpose; none reused.

A model's streams depend on its own M, not on its position in an ensemble, so a model draws the same
random numbers whichever ensemble it is padded into. Its trained numbers then agree to float32
rounding, not bit for bit: a different padded width changes the shapes XLA reduces over (logit
softmax, mean products), so sums may be taken in a different order
(``tests/training/test_ensemble.py`` checks agreement to rtol 1e-5).
"""

from __future__ import annotations

from enum import IntEnum

import jax
import numpy as np

__all__ = ["Purpose", "SHARED", "jax_key", "numpy_rng"]


class Purpose(IntEnum):
    INIT = 0
    TRAIN = 1
    EVALUATE = 2
    SAMPLE = 3
    BOOTSTRAP = 4  # the M_pt interval's resampling (training.sweep), per shape
    PLACEMENT = 5  # the bootstrap that places refinement M (training.sweep.uncertain_M), per shape


def _hash_word(config_hash: str) -> int:
    # 31 bits: a valid seed with or without jax x64, so workers and the CLI draw the same numbers.
    return int(config_hash[:8], 16) % 2**31


# in place of M (always >= 1): a stream shared by every model of a seed (common random numbers)
SHARED = 0


def jax_key(config_hash: str, seed: int, M: int, purpose: Purpose) -> jax.Array:
    """A threefry key: fold_in(fold_in(fold_in(key(hash), seed), M), purpose); ``M=SHARED`` for
    shared streams."""
    key = jax.random.key(_hash_word(config_hash))
    for word in (seed, M, int(purpose)):
        key = jax.random.fold_in(key, word)
    return key


def numpy_rng(config_hash: str, seed: int, M: int, purpose: Purpose) -> np.random.Generator:
    """A numpy generator for host-side draws, from the same four words as :func:`jax_key`."""
    return np.random.default_rng(
        np.random.SeedSequence([_hash_word(config_hash), seed, M, int(purpose)])
    )
