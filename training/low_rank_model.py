r"""The low-rank model class of paper §4.2 as an equinox Module (docs/theory.md §7).

Component :math:`m`: a template :math:`\tau_m \in \mathbb R^p`, a colour mean
:math:`\mu_m \in \mathbb R^3`, and one shared colour log-std (:math:`s^2 = e^{2\,\text{log\_std}}`);
priors :math:`1/M`. It is the float32 twin of :class:`numerics.LowRankDenoiser` (the same
formulas, checked against it in ``tests/training``): with unit templates :math:`\hat\tau_m`,
eigenvalues :math:`a_m = s^2\|\tau_m\|^2`, offsets :math:`o_m = \|\tau_m\|\mu_m`, colour coordinates
:math:`h_m = (x_t\cdot\hat\tau_m)_{j\le3}`, :math:`b_m = \alpha_t o_m`,
:math:`v_m = \alpha_t^2 a_m + \sigma_t^2`,

.. math::
    \ell_m = \frac{\alpha_t^2 a_m}{2\sigma_t^2 v_m}\|h_m\|^2
      + \frac{h_m\cdot b_m - \tfrac12\|b_m\|^2}{v_m} - \frac32\log v_m,\qquad
    D_\theta = \sum_m w_m\,\hat\tau_m\otimes\Big(o_m + \frac{\alpha_t a_m}{v_m}(h_m - b_m)\Big).

A batch is feature-major (:math:`x_t \in \mathbb R^{3p\times B}`, channel-major rows), as
:class:`GMMDenoiser` takes it, so :func:`training.objective.epsilon_loss` and
:func:`training.ensemble.train_parameters` serve both classes.

**The ε residual [derived].** With :math:`x_t = \alpha_t x_0 + \sigma_t\varepsilon`, colour
coordinates :math:`g_m` of :math:`x_0` and :math:`e_m` of :math:`\varepsilon` (so
:math:`h_m = \alpha_t g_m + \sigma_t e_m`) and :math:`U(y) = \sum_m \hat\tau_m\otimes y_m`,
:math:`\hat\varepsilon = (x_t - \alpha_t D_\theta)/\sigma_t` gives

.. math::
    \hat\varepsilon - \varepsilon = \frac{\alpha_t}{\sigma_t}x_0
      - U\Big(w_m\Big[\frac{\alpha_t^3 a_m}{\sigma_t v_m}g_m + \frac{\sigma_t\alpha_t}{v_m}o_m
      + \frac{\alpha_t^2 a_m}{v_m}e_m\Big]\Big),

which never forms :math:`x_t - \alpha_t\hat x_0`. Its first two terms still cancel when
:math:`x_0` lies in a component's subspace (as :math:`x_0 - \bar m` does for the isotropic
class); float32 rounding then leaves :math:`\sim 10^{-7}\|x_0\|\alpha_t/\sigma_t` per coordinate.

**Padding.** ``mask[m] = False`` marks a padded component: its logit is :math:`-\infty`, its weight
and gradients exactly 0. Padded templates must be non-zero (they are normalised).
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float

from .model import HIGHEST

__all__ = ["LowRankGMMDenoiser", "CHANNELS"]

CHANNELS = 3


class LowRankGMMDenoiser(eqx.Module):
    """M learnable templates and colour means, one shared colour log-std; ``mask`` (not trained)
    marks the real components."""

    templates: Float[Array, "M p"]
    colours: Float[Array, "M 3"]
    log_std: Float[Array, ""]
    mask: Bool[Array, " M"]

    @property
    def s2(self) -> Float[Array, ""]:
        return jnp.exp(2 * self.log_std)

    def _parts(self, x: Float[Array, "d B"], alpha: Float[Array, " B"], sigma: Float[Array, " B"]):
        """Unit templates, offsets, eigenvalues, v (M, B) and the weights (M, B) at ``x``."""
        norms = jnp.sqrt(jnp.sum(self.templates**2, axis=1))
        unit = self.templates / norms[:, None]
        offsets = self.colours * norms[:, None]  # (M, 3)
        eigenvalues = self.s2 * norms**2  # (M,)
        v = alpha**2 * eigenvalues[:, None] + sigma**2  # (M, B)
        h = self._coordinates(unit, x)  # (3, M, B)
        b = alpha * offsets.T[:, :, None]  # (3, M, B)
        logits = (
            alpha**2 * eigenvalues[:, None] / (2 * sigma**2 * v) * jnp.sum(h**2, axis=0)
            + (jnp.sum(h * b, axis=0) - 0.5 * jnp.sum(b**2, axis=0)) / v
            - 0.5 * CHANNELS * jnp.log(v)
        )
        weights = jax.nn.softmax(jnp.where(self.mask[:, None], logits, -jnp.inf), axis=0)
        return unit, offsets, eigenvalues, v, h, b, weights

    @staticmethod
    def _coordinates(unit: Float[Array, "M p"], x: Float[Array, "d B"]) -> Float[Array, "3 M B"]:
        return jnp.matmul(unit, x.reshape(CHANNELS, unit.shape[1], -1), precision=HIGHEST)

    @staticmethod
    def _expand(unit: Float[Array, "M p"], y: Float[Array, "3 M B"]) -> Float[Array, "d B"]:
        r""":math:`U(y) = \sum_m \hat\tau_m\otimes y_m`."""
        return jnp.matmul(unit.T, y, precision=HIGHEST).reshape(-1, y.shape[-1])

    def __call__(
        self, x_t: Float[Array, "d B"], alpha: Float[Array, " B"], sigma: Float[Array, " B"]
    ) -> Float[Array, "d B"]:
        """The posterior mean :math:`D_\\theta(x_t, t)`."""
        unit, offsets, eigenvalues, v, h, b, weights = self._parts(x_t, alpha, sigma)
        coefficients = offsets.T[:, :, None] + alpha * eigenvalues[:, None] / v * (h - b)
        return self._expand(unit, weights * coefficients)

    def epsilon_residual(
        self,
        x0: Float[Array, "d B"],
        eps: Float[Array, "d B"],
        alpha: Float[Array, " B"],
        sigma: Float[Array, " B"],
    ) -> Float[Array, "d B"]:
        r""":math:`\hat\varepsilon - \varepsilon` at
        :math:`x_t = \alpha_t x_0 + \sigma_t\varepsilon` (the form above)."""
        unit, offsets, eigenvalues, v, _, _, weights = self._parts(
            alpha * x0 + sigma * eps, alpha, sigma
        )
        g, e = self._coordinates(unit, x0), self._coordinates(unit, eps)
        a = eigenvalues[:, None]
        terms = (
            alpha**3 * a / (sigma * v) * g
            + (sigma * alpha / v) * offsets.T[:, :, None]
            + alpha**2 * a / v * e
        )
        return (alpha / sigma) * x0 - self._expand(unit, weights * terms)
