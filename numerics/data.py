r"""The data of the memorization laboratory (docs/theory.md §1).

:math:`\pi_\star = \frac1K\sum_k \mathcal N(\mu_k, \sigma_\star^2 I_d)` with means on the sphere of
radius :math:`\sqrt d`: :math:`\mu_k = \sqrt d\, g_k/\|g_k\|`, :math:`g_k \sim \mathcal N(0, I_d)`,
so :math:`\|\mu_k - \mu_l\|^2 \approx 2d`. A training set of :math:`N` i.i.d. points and a held-out
set of fresh points, all from one seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float, Int

from memlab.theory.errors import InvalidInput

__all__ = ["GaussianMixture", "Dataset", "random_mixture", "make_dataset"]


@dataclass(frozen=True)
class GaussianMixture:
    """Uniform-weight isotropic Gaussian mixture: ``means`` (K, d), shared variance ``sigma2``."""

    means: Float[np.ndarray, "K d"]
    sigma2: float

    @property
    def d(self) -> int:
        return self.means.shape[1]

    @property
    def K(self) -> int:
        return self.means.shape[0]

    @property
    def separation2(self) -> float:
        r""":math:`\gamma^2 = \min_{k\ne l}\|\mu_k - \mu_l\|^2` (infinite for one component)."""
        if self.K < 2:
            return float("inf")
        gaps = ((self.means[:, None, :] - self.means[None, :, :]) ** 2).sum(-1)
        return float(gaps[~np.eye(self.K, dtype=bool)].min())

    def sample(
        self, rng: np.random.Generator, n: int
    ) -> tuple[Float[np.ndarray, "n d"], Int[np.ndarray, " n"]]:
        """``n`` i.i.d. points and their component labels."""
        labels = rng.integers(self.K, size=n)
        points = self.means[labels] + np.sqrt(self.sigma2) * rng.standard_normal((n, self.d))
        return points, labels


def random_mixture(d: int, K: int, sigma2: float, rng: np.random.Generator) -> GaussianMixture:
    r"""Means :math:`\sqrt d\, g_k/\|g_k\|` with :math:`g_k \sim \mathcal N(0, I_d)`."""
    g = rng.standard_normal((K, d))
    return GaussianMixture(np.sqrt(d) * g / np.linalg.norm(g, axis=1, keepdims=True), float(sigma2))


@dataclass(frozen=True)
class Dataset:
    """A mixture, its training set and a held-out set drawn independently of it."""

    mixture: GaussianMixture
    train: Float[np.ndarray, "N d"]
    train_labels: Int[np.ndarray, " N"]
    test: Float[np.ndarray, "N_test d"]
    test_labels: Int[np.ndarray, " N_test"]


def make_dataset(
    d: int, K: int, N: int, sigma2: float = 1.0, seed: int = 0, n_test: int | None = None
) -> Dataset:
    """The mixture, ``N`` training points and ``n_test`` (default ``N``) held-out points for
    ``seed``.

    Means, training set and held-out set come from three independent streams spawned from ``seed``,
    so changing ``N`` or ``n_test`` never changes the means.
    """
    for field, value, low in (("d", d, 1), ("K", K, 1), ("N", N, 1)):
        if not isinstance(value, (int, np.integer)) or value < low:
            raise InvalidInput(field, value, f"an integer >= {low}")
    if K > N:
        raise InvalidInput("K", K, f"an integer <= N = {N}")
    if not sigma2 > 0:
        raise InvalidInput("sigma2", sigma2, "a number > 0")
    n_test = N if n_test is None else n_test
    if n_test < 1:
        raise InvalidInput("n_test", n_test, "an integer >= 1")
    means_rng, train_rng, test_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    mixture = random_mixture(d, K, sigma2, means_rng)
    train, train_labels = mixture.sample(train_rng, N)
    test, test_labels = mixture.sample(test_rng, n_test)
    return Dataset(mixture, train, train_labels, test, test_labels)
