r"""The low-rank image-like model of paper §4.2 (docs/theory.md §7).

Class :math:`k` has a grayscale template :math:`T_k \in \mathbb R^{h\times w}` (:math:`p = hw`
pixels); a sample is a coloured copy,

.. math::
    x = c \otimes T_k \in \mathbb R^{3p},\qquad c \sim \mathcal N(0, \sigma_c^2 I_3),\qquad
    k \sim \mathrm{Uniform}\{1..K\},

stored channel-major (``x.reshape(3, p)[j] = c_j T_k``). Each class is a zero-mean Gaussian of rank
:math:`r = 3` with covariance :math:`\sigma_c^2 (I_3 \otimes t_k t_k^\top)`, :math:`t_k =
\mathrm{vec}\,T_k`: three equal eigenvalues :math:`\lambda_k = \sigma_c^2\|T_k\|_F^2` and zero
elsewhere. With :func:`numerics.templates.normalise` templates, :math:`\lambda_k = \sigma_c^2 hw`
(225 at the paper's 15×15 and :math:`\sigma_c^2 = 1`: far above :math:`1/\psi_t` except at the
noisiest times, which is what makes the generalizing loss :math:`\approx r/\psi_t`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float, Int

from memlab.theory.errors import InvalidInput

from .templates import glyph_templates, normalise

__all__ = ["CHANNELS", "LowRankMixture", "LowRankDataset", "make_low_rank_dataset"]

CHANNELS = 3
"""Colour channels: the rank r of each class."""


@dataclass(frozen=True)
class LowRankMixture:
    """``templates`` (K, h, w) and the colour variance :math:`\\sigma_c^2`."""

    templates: Float[np.ndarray, "K h w"]
    colour_var: float

    def __post_init__(self) -> None:
        templates = np.asarray(self.templates, np.float64)
        if templates.ndim != 3 or templates.shape[0] < 1:
            raise InvalidInput("templates", templates.shape, "a (K, h, w) array with K >= 1")
        if np.any((templates**2).sum((1, 2)) == 0):
            raise InvalidInput("templates", "a zero template", "non-zero templates")
        if not self.colour_var > 0 or not np.isfinite(self.colour_var):
            raise InvalidInput("colour_var", self.colour_var, "a finite number > 0")
        object.__setattr__(self, "templates", templates)
        object.__setattr__(self, "colour_var", float(self.colour_var))

    @property
    def K(self) -> int:
        return self.templates.shape[0]

    @property
    def pixels(self) -> int:
        return self.templates.shape[1] * self.templates.shape[2]

    @property
    def d(self) -> int:
        """Ambient dimension 3p."""
        return CHANNELS * self.pixels

    @property
    def flat_templates(self) -> Float[np.ndarray, "K p"]:
        return self.templates.reshape(self.K, -1)

    @property
    def eigenvalues(self) -> Float[np.ndarray, " K"]:
        r""":math:`\lambda_k = \sigma_c^2\|T_k\|_F^2` (each of multiplicity 3)."""
        return self.colour_var * (self.flat_templates**2).sum(1)

    def sample(
        self, rng: np.random.Generator, n: int
    ) -> tuple[Float[np.ndarray, "n d"], Int[np.ndarray, " n"], Float[np.ndarray, "n 3"]]:
        """``n`` i.i.d. points, their classes and their colours."""
        labels = rng.integers(self.K, size=n)
        colours = np.sqrt(self.colour_var) * rng.standard_normal((n, CHANNELS))
        points = colours[:, :, None] * self.flat_templates[labels][:, None, :]
        return points.reshape(n, self.d), labels, colours


@dataclass(frozen=True)
class LowRankDataset:
    """A mixture, its training set and a held-out set drawn independently of it."""

    mixture: LowRankMixture
    train: Float[np.ndarray, "N d"]
    train_labels: Int[np.ndarray, " N"]
    test: Float[np.ndarray, "N_test d"]
    test_labels: Int[np.ndarray, " N_test"]


def make_low_rank_dataset(
    K: int,
    N: int,
    h: int = 15,
    w: int = 15,
    colour_var: float = 1.0,
    seed: int = 0,
    n_test: int | None = None,
    templates: Float[np.ndarray, "K h w"] | None = None,
) -> LowRankDataset:
    """The mixture (``templates``, default the glyphs of :func:`numerics.templates.glyph_templates`,
    normalised), ``N`` training and ``n_test`` (default ``N``) held-out points for ``seed``
    (independent streams spawned from it)."""
    for field, value in (("K", K), ("N", N)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise InvalidInput(field, value, "an integer >= 1")
    if K > N:
        raise InvalidInput("K", K, f"an integer <= N = {N}")
    n_test = N if n_test is None else n_test
    if n_test < 1:
        raise InvalidInput("n_test", n_test, "an integer >= 1")
    if templates is None:
        templates = glyph_templates(K, h, w)
    elif np.shape(templates)[0] != K:
        raise InvalidInput("templates", np.shape(templates), f"K = {K} templates")
    mixture = LowRankMixture(normalise(templates), colour_var)
    train_rng, test_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    train, train_labels, _ = mixture.sample(train_rng, N)
    test, test_labels, _ = mixture.sample(test_rng, n_test)
    return LowRankDataset(mixture, train, train_labels, test, test_labels)
