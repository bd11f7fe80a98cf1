"""Random streams derived from a seed and a purpose, so that no stream is ever shared by accident.

Each estimator asks for ``stream(seed, "noise", time_index)`` and the like: the same seed and
purpose give the same numbers in every run, and different purposes give independent streams (numpy
``SeedSequence`` spawning keyed by a stable hash of the purpose, never Python's salted ``hash``).
"""

from __future__ import annotations

import zlib

import numpy as np

from memlab.theory.errors import InvalidInput

__all__ = ["stream"]


def stream(seed: int, purpose: str, *indices: int) -> np.random.Generator:
    """A numpy Generator for ``(seed, purpose, *indices)``; identical arguments, identical
    numbers."""
    key = [int(seed), zlib.crc32(purpose.encode()), *(int(i) for i in indices)]
    if any(k < 0 for k in key):
        raise InvalidInput("seed and indices", (seed, *indices), "integers >= 0")
    return np.random.default_rng(np.random.SeedSequence(key))
