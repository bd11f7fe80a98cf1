r"""Exact float64 denoisers of the low-rank model class (paper §4.2; docs/theory.md §7).

Component :math:`m` of the class has a template :math:`\tau_m \in \mathbb R^p`, a colour mean
:math:`\mu_m \in \mathbb R^3` and the shared colour variance :math:`s^2`:
:math:`x_0 \sim \mathcal N(\mu_m \otimes \tau_m,\ a_m P_m)`, priors :math:`1/M`, where
:math:`P_m = I_3 \otimes \hat\tau_m\hat\tau_m^\top` projects on the rank-3 colour subspace of
:math:`\hat\tau_m = \tau_m/\|\tau_m\|` and :math:`a_m = s^2\|\tau_m\|^2` is its eigenvalue. Under
:math:`x_t = \alpha_t x_0 + \sigma_t\varepsilon` the component is
:math:`\mathcal N(\alpha_t\mu_m\otimes\tau_m,\ \alpha_t^2 a_m P_m + \sigma_t^2 I)`; by Woodbury
(:math:`P_m` a projection)

.. math::
    (\alpha_t^2 a_m P_m + \sigma_t^2 I)^{-1} = \sigma_t^{-2}(I - P_m) + v_m^{-1} P_m,\quad
    v_m = \alpha_t^2 a_m + \sigma_t^2,\qquad
    \log\det = (D - 3)\log\sigma_t^2 + 3\log v_m .

With the colour coordinates :math:`h_m = (x_t\cdot\hat\tau_m)_{j=1..3}` (channel by channel) and
:math:`b_m = \alpha_t\|\tau_m\|\mu_m`, the log-likelihood is, up to terms common to all components,

.. math::
    \ell_m = \frac{\alpha_t^2 a_m}{2\sigma_t^2 v_m}\|h_m\|^2
      + \frac{h_m\cdot b_m - \tfrac12\|b_m\|^2}{v_m} - \frac32\log v_m

(the log-determinant term matters as soon as the :math:`a_m` differ), the weights are
:math:`w = \operatorname{softmax}(\ell)` and the posterior mean is

.. math::
    D(x_t, t) = \sum_m w_m\, \hat\tau_m \otimes k_m,\qquad
    k_m = \|\tau_m\|\mu_m + \frac{\alpha_t a_m}{v_m}(h_m - b_m).

Members: the generalizing :math:`D_\star` (true templates, :math:`\mu = 0`, :math:`s^2 =
\sigma_c^2`), the memorizing :math:`D_\text{mem}` (each training point as its rank-one factors,
:math:`s^2 = 0`: then :math:`\ell_m` is the isotropic empirical logit and :math:`D` the posterior
mean of the empirical measure) and the partially memorizing :math:`D_{\text{pmem},M}`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float, Int

from memlab.theory.errors import InvalidInput

from .denoisers import LOGIT_FLOOR, memorized_subset
from .low_rank_data import CHANNELS, LowRankMixture

__all__ = [
    "LowRankDenoiser",
    "rank_one_factors",
    "low_rank_generalizing_denoiser",
    "low_rank_memorizing_denoiser",
    "low_rank_partially_memorizing_denoiser",
]


@dataclass(frozen=True)
class LowRankDenoiser:
    r"""The class member with ``templates`` (M, p), colour means ``colours`` (M, 3) and shared
    colour variance ``s2``."""

    templates: Float[np.ndarray, "M p"]
    colours: Float[np.ndarray, "M 3"]
    s2: float

    def __post_init__(self) -> None:
        templates = np.asarray(self.templates, np.float64)
        colours = np.asarray(self.colours, np.float64)
        if templates.ndim != 2 or templates.shape[0] < 1:
            raise InvalidInput("templates", templates.shape, "an (M, p) array with M >= 1")
        if colours.shape != (templates.shape[0], CHANNELS):
            raise InvalidInput("colours", colours.shape, f"({templates.shape[0]}, {CHANNELS})")
        norms = np.sqrt((templates**2).sum(1))
        if np.any(norms == 0):
            raise InvalidInput("templates", "a zero template", "non-zero templates")
        if not self.s2 >= 0:
            raise InvalidInput("s2", self.s2, "a variance >= 0")
        object.__setattr__(self, "templates", templates)
        object.__setattr__(self, "colours", colours)
        object.__setattr__(self, "s2", float(self.s2))
        object.__setattr__(self, "_unit", templates / norms[:, None])
        object.__setattr__(self, "_offsets", colours * norms[:, None])  # ‖τ‖μ
        object.__setattr__(self, "_eigenvalues", self.s2 * norms**2)  # a_m

    @property
    def M(self) -> int:
        return self.templates.shape[0]

    @property
    def width(self) -> int:
        """Components (what bounds the memory of one call)."""
        return self.M

    outputs = 1

    def _posterior(
        self, x_t: np.ndarray, alpha: float, sigma: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Normalised weights (n, M) and colour coefficients k (n, M, 3)."""
        n = x_t.shape[0]
        coordinates = (x_t.reshape(n * CHANNELS, -1) @ self._unit.T).reshape(n, CHANNELS, -1)
        h = coordinates.transpose(0, 2, 1)  # (n, M, 3)
        b = alpha * self._offsets
        v = alpha**2 * self._eigenvalues + sigma**2
        logits = (
            alpha**2 * self._eigenvalues / (2 * sigma**2 * v) * (h**2).sum(-1)
            + ((h * b).sum(-1) - 0.5 * (b**2).sum(-1)) / v
            - 0.5 * CHANNELS * np.log(v)
        )
        shifted = np.maximum(logits - logits.max(1, keepdims=True), LOGIT_FLOOR)
        weights = np.exp(shifted)
        weights /= weights.sum(1, keepdims=True)
        coefficients = self._offsets + (alpha * self._eigenvalues / v)[:, None] * (h - b)
        return weights, coefficients

    def weights(
        self, x_t: Float[np.ndarray, "n d"], alpha: float, sigma: float
    ) -> Float[np.ndarray, "n M"]:
        """Posterior component weights."""
        return self._posterior(x_t, alpha, sigma)[0]

    def __call__(
        self, x_t: Float[np.ndarray, "n d"], alpha: float, sigma: float
    ) -> Float[np.ndarray, "n d"]:
        r""":math:`\hat x_0 = D(x_t, t)` for each row of ``x_t``."""
        weights, coefficients = self._posterior(x_t, alpha, sigma)
        colour = np.einsum("nm,nmc->ncm", weights, coefficients)
        return (colour @ self._unit).reshape(x_t.shape)


def rank_one_factors(
    points: Float[np.ndarray, "n d"],
) -> tuple[Float[np.ndarray, "n p"], Float[np.ndarray, "n 3"]]:
    r"""Each point as colour ⊗ template (its leading singular pair as a 3 × p matrix), the
    template at unit mean-square pixel: exact for points of the model (rank one)."""
    n = points.shape[0]
    if points.ndim != 2 or points.shape[1] % CHANNELS:
        raise InvalidInput("points", points.shape, f"an (n, {CHANNELS}·p) array")
    u, s, vt = np.linalg.svd(points.reshape(n, CHANNELS, -1), full_matrices=False)
    scale = np.sqrt(vt.shape[-1])
    return vt[:, 0, :] * scale, u[:, :, 0] * (s[:, :1] / scale)


def low_rank_generalizing_denoiser(mixture: LowRankMixture) -> LowRankDenoiser:
    r""":math:`D_\star`: the exact posterior mean of the model."""
    return LowRankDenoiser(
        mixture.flat_templates, np.zeros((mixture.K, CHANNELS)), mixture.colour_var
    )


def low_rank_memorizing_denoiser(train: Float[np.ndarray, "N d"]) -> LowRankDenoiser:
    r""":math:`D_\text{mem}`: the posterior mean of :math:`\frac1N\sum_i\delta_{x_i}`."""
    return LowRankDenoiser(*rank_one_factors(train), 0.0)


def low_rank_partially_memorizing_denoiser(
    train: Float[np.ndarray, "N d"], M: int, rng: np.random.Generator
) -> tuple[LowRankDenoiser, Int[np.ndarray, " M"]]:
    r""":math:`D_{\text{pmem},M}`: :math:`M` training points drawn without replacement, and
    which."""
    subset = memorized_subset(train.shape[0], M, rng)
    return low_rank_memorizing_denoiser(train[subset]), subset
