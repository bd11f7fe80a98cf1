r"""Exact denoisers (posterior means) of the model class, in float64 matrix-product form.

The model class (docs/theory.md §2) with means :math:`m_1..m_M`, shared variance :math:`s^2 \ge 0`
and uniform priors :math:`1/M`:

.. math::
    D_\theta(x_t, t) = \frac{\alpha_t s^2}{v_t}\,x_t + \frac{\sigma_t^2}{v_t}\sum_m w_m(x_t)\, m_m,
    \qquad v_t = \alpha_t^2 s^2 + \sigma_t^2,\qquad
    w = \operatorname{softmax}_m\Big(
      \frac{\alpha_t\, x_t\cdot m_m - \tfrac12\alpha_t^2\|m_m\|^2}{v_t}\Big),

which is :math:`\sum_m w_m[m_m + (\alpha_t s^2/v_t)(x_t - \alpha_t m_m)]` rearranged (the weights
sum to one); the :math:`\|x_t\|^2` term of the logits is common to all components and cancels in the
softmax. Two matrix products (logits :math:`X_t M^\top`, output :math:`W M`) and a log-sum-exp
softmax keep it exact and stable at :math:`t = 0.001`, where :math:`\psi_t = 10^6`.

Members (paper §2): the generalizing :math:`D_\star` (true means, :math:`s^2 = \sigma_\star^2`; the
posterior mean of :math:`\pi_\star`), the memorizing :math:`D_\text{mem}` (training points,
:math:`s^2 = 0`; the posterior mean of the empirical measure) and the partially memorizing
:math:`D_{\text{pmem},M}` (eq. (10): :math:`M` training points drawn without replacement,
:math:`s^2 = 0`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float, Int

from memlab.theory.errors import InvalidInput

from .data import GaussianMixture

__all__ = [
    "MixtureDenoiser",
    "generalizing_denoiser",
    "memorizing_denoiser",
    "partially_memorizing_denoiser",
    "memorized_subset",
    "NestedMemorizingDenoisers",
]


LOGIT_FLOOR = -300.0
"""Shifted logits are clipped here before exp: exp(-300) ~ 5e-131 is far below float64 resolution
next to the largest weight (1), so the result is unchanged, and exp avoids its slow underflow
path."""


def _unnormalised_softmax(logits: np.ndarray, shift: np.ndarray) -> np.ndarray:
    r""":math:`\exp(\max(\ell - \text{shift}, \text{floor}))` in a new array (shift >= every logit
    of the row)."""
    weights = np.subtract(logits, shift)
    np.maximum(weights, LOGIT_FLOOR, out=weights)
    return np.exp(weights, out=weights)


@dataclass(frozen=True)
class MixtureDenoiser:
    r"""The model-class denoiser :math:`D_\theta` for ``means`` (M, d) and shared variance
    ``s2``."""

    means: Float[np.ndarray, "M d"]
    s2: float

    def __post_init__(self) -> None:
        means = np.asarray(self.means, np.float64)
        if means.ndim != 2 or means.shape[0] < 1:
            raise InvalidInput("means", means.shape, "an (M, d) array with M >= 1")
        if not self.s2 >= 0:
            raise InvalidInput("s2", self.s2, "a variance >= 0")
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "s2", float(self.s2))
        object.__setattr__(self, "_half_norms", 0.5 * (means**2).sum(1))

    @property
    def M(self) -> int:
        return self.means.shape[0]

    @property
    def width(self) -> int:
        """Components (what bounds the memory of one call)."""
        return self.M

    outputs = 1

    def weights(
        self, x_t: Float[np.ndarray, "n d"], alpha: float, sigma: float
    ) -> Float[np.ndarray, "n M"]:
        """Posterior component weights :math:`w(x_t)` (log-sum-exp softmax)."""
        weights = self._unnormalised_weights(x_t, alpha, sigma)
        return weights / weights.sum(axis=1, keepdims=True)

    def _unnormalised_weights(self, x_t: np.ndarray, alpha: float, sigma: float) -> np.ndarray:
        v = alpha**2 * self.s2 + sigma**2
        logits = (alpha * (x_t @ self.means.T) - alpha**2 * self._half_norms) / v
        return _unnormalised_softmax(logits, logits.max(axis=1, keepdims=True))

    def __call__(
        self, x_t: Float[np.ndarray, "n d"], alpha: float, sigma: float
    ) -> Float[np.ndarray, "n d"]:
        r""":math:`\hat x_0 = D_\theta(x_t, t)` for each row of ``x_t``."""
        v = alpha**2 * self.s2 + sigma**2
        weights = self._unnormalised_weights(x_t, alpha, sigma)
        # Normalise after the product: an (n, d) division instead of an (n, M) one.
        posterior_mean = (weights @ self.means) / weights.sum(axis=1, keepdims=True)
        if self.s2 == 0.0:
            return posterior_mean
        return (alpha * self.s2 / v) * x_t + (sigma**2 / v) * posterior_mean


def generalizing_denoiser(mixture: GaussianMixture) -> MixtureDenoiser:
    r""":math:`D_\star`: the exact posterior mean :math:`\mathbb E_{\pi_\star}[x_0 \mid x_t]`."""
    return MixtureDenoiser(mixture.means, mixture.sigma2)


def memorizing_denoiser(train: Float[np.ndarray, "N d"]) -> MixtureDenoiser:
    r""":math:`D_\text{mem}`: the posterior mean of the empirical measure
    :math:`\frac1N\sum_i\delta_{x_i}`."""
    return MixtureDenoiser(train, 0.0)


def memorized_subset(N: int, M: int, rng: np.random.Generator) -> Int[np.ndarray, " M"]:
    """Indices of ``M`` of ``N`` training points drawn uniformly without replacement."""
    if not 1 <= M <= N:
        raise InvalidInput("M", M, f"an integer in [1, N = {N}]")
    return rng.permutation(N)[:M]


def partially_memorizing_denoiser(
    train: Float[np.ndarray, "N d"],
    M: int,
    rng: np.random.Generator | None = None,
    subset: Int[np.ndarray, " M"] | None = None,
) -> MixtureDenoiser:
    r""":math:`D_{\text{pmem},M}` (eq. (10)): the empirical denoiser of ``M`` training points drawn
    uniformly without replacement (from ``rng``), or of the given ``subset`` indices."""
    if subset is None:
        if rng is None:
            raise InvalidInput("rng, subset", None, "a numpy Generator or explicit subset indices")
        subset = memorized_subset(train.shape[0], M, rng)
    subset = np.asarray(subset)
    if subset.shape != (M,) or len(np.unique(subset)) != M:
        raise InvalidInput("subset", subset.shape, f"{M} distinct indices")
    return MixtureDenoiser(train[subset], 0.0)


@dataclass(frozen=True)
class NestedMemorizingDenoisers:
    r"""The empirical denoisers of the prefixes ``points[:M]`` for increasing ``sizes``, evaluated
    together.

    Calling it returns the stack (len(sizes), n, d) of :math:`D_{\text{pmem},M}(x_t)`, identical to
    rounding to ``MixtureDenoiser(points[:M], 0)`` for each M. The prefixes are the blocks between
    consecutive sizes, swept once with the online (running-maximum) log-sum-exp: with
    :math:`S_j = \sum_{i<M_j} e^{\ell_i - m_j} x_i`, :math:`Z_j = \sum_{i<M_j} e^{\ell_i - m_j}` and
    :math:`m_j` the running maximum of the logits,
    :math:`S_{j+1} = e^{m_j - m_{j+1}} S_j + \sum_{i \in \text{block}} e^{\ell_i - m_{j+1}} x_i`
    (likewise :math:`Z`), and :math:`D_{\text{pmem},M_j} = S_j / Z_j`. Every logit is exponentiated
    once, so all prefixes cost about as much as the largest alone.
    """

    points: Float[np.ndarray, "N d"]
    sizes: tuple[int, ...]

    def __post_init__(self) -> None:
        points = np.asarray(self.points, np.float64)
        sizes = tuple(int(M) for M in self.sizes)
        if (
            not sizes
            or sizes[0] < 1
            or sizes[-1] > points.shape[0]
            or any(a >= b for a, b in zip(sizes, sizes[1:], strict=False))
        ):
            raise InvalidInput(
                "sizes", self.sizes, f"strictly increasing integers in [1, {points.shape[0]}]"
            )
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "_half_norms", 0.5 * (points**2).sum(1))

    @property
    def width(self) -> int:
        return self.sizes[-1]

    @property
    def outputs(self) -> int:
        return len(self.sizes)

    def __call__(
        self, x_t: Float[np.ndarray, "n d"], alpha: float, sigma: float
    ) -> Float[np.ndarray, "k n d"]:
        largest = self.sizes[-1]
        logits = (
            alpha * (x_t @ self.points[:largest].T) - alpha**2 * self._half_norms[:largest]
        ) / sigma**2
        out = np.empty((len(self.sizes), *x_t.shape))
        running_max = np.full((x_t.shape[0], 1), -np.inf)
        weighted_sum, normaliser = np.zeros(x_t.shape), np.zeros((x_t.shape[0], 1))
        for j, (start, stop) in enumerate(zip((0, *self.sizes[:-1]), self.sizes, strict=False)):
            block = logits[:, start:stop]
            new_max = np.maximum(running_max, block.max(axis=1, keepdims=True))
            rescale = np.exp(np.maximum(running_max - new_max, LOGIT_FLOOR))
            weights = _unnormalised_softmax(block, new_max)
            weighted_sum = rescale * weighted_sum + weights @ self.points[start:stop]
            normaliser = rescale * normaliser + weights.sum(axis=1, keepdims=True)
            running_max = new_max
            np.divide(weighted_sum, normaliser, out=out[j])
        return out
