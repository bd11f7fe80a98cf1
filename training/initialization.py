r"""Initialisations of the model class (docs/theory.md §6).

- ``pmem`` (the paper's): the means are :math:`M` training points drawn without replacement (for
  :math:`M > N`: all of them, then further points drawn uniformly), :math:`s^2 = 10^{-6}`; training
  starts at the partially memorizing denoiser :math:`\theta_{\mathrm{pmem},M}`.
- ``prior``: means i.i.d. :math:`\mathcal N(0, I_d)` (the diffusion prior at :math:`t = 1`),
  :math:`s^2 = 1`.
- ``gaussian``: means i.i.d. from the Gaussian fitted to the training set (per-coordinate mean and
  variance), :math:`s^2` = its mean per-coordinate variance.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float

from memlab.theory.errors import InvalidInput

__all__ = ["INITIALIZATIONS", "initialize"]

INITIALIZATIONS = ("pmem", "prior", "gaussian")
PMEM_S2 = 1e-6


def initialize(
    name: str, M: int, train: Float[np.ndarray, "N d"], rng: np.random.Generator
) -> tuple[Float[np.ndarray, "M d"], float]:
    """Means ``(M, d)`` and :math:`s^2` (float64) for initialisation ``name``."""
    N, d = train.shape
    if name == "pmem":
        chosen = rng.permutation(N)[: min(M, N)]
        extra = rng.integers(N, size=max(M - N, 0))
        return train[np.concatenate([chosen, extra])].copy(), PMEM_S2
    if name == "prior":
        return rng.standard_normal((M, d)), 1.0
    if name == "gaussian":
        centre, spread = train.mean(0), train.std(0)
        return centre + spread * rng.standard_normal((M, d)), float(np.mean(spread**2))
    raise InvalidInput("init", name, ", ".join(INITIALIZATIONS))
