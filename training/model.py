r"""The model class of docs/theory.md §2 as an equinox Module, in matrix-product form.

:math:`\theta = (m_1,\dots,m_M \in \mathbb R^d,\ s > 0)`, priors fixed at :math:`1/M`, one parameter
set for every time. With :math:`v_t = \alpha_t^2 s^2 + \sigma_t^2`,

.. math::
    w(x_t) = \operatorname{softmax}_m\Big(
      \frac{\alpha_t\, x_t\!\cdot\! m_m - \tfrac12\alpha_t^2\|m_m\|^2}{v_t}\Big),
    \qquad \bar m = \sum_m w_m m_m,
    \qquad D_\theta(x_t, t) = \frac{\sigma_t^2}{v_t}\,\bar m + \frac{\alpha_t s^2}{v_t}\,x_t .

The logits are :math:`-\|x_t - \alpha_t m_m\|^2 / 2v_t` with the :math:`\|x_t\|^2` term dropped (it
is the same for every component and cancels in the softmax). A batch is feature-major, one point per
column (:math:`X_t \in \mathbb R^{d\times B}`): XLA on CPU vectorises element-wise work along the
last axis, and with points as rows (a last axis of d = 30) ``benchmarks/train_throughput.py`` ran
1.7x slower. Evaluating a batch is two matrix products, :math:`M X_t` for the logits and
:math:`M^\top W` for :math:`\bar m`, with a log-sum-exp softmax over components.

**The ε residual [derived].** ε-prediction is
:math:`\hat\varepsilon = (x_t - \alpha_t D_\theta)/\sigma_t`. Since
:math:`x_t - \alpha_t D_\theta = (\sigma_t^2/v_t)(x_t - \alpha_t \bar m)`, substituting
:math:`x_t = \alpha_t x_0 + \sigma_t\varepsilon` gives

.. math::
    \hat\varepsilon - \varepsilon
      = \frac{\sigma_t\alpha_t}{v_t}\,(x_0 - \bar m) - \frac{\alpha_t^2 s^2}{v_t}\,\varepsilon ,
    \qquad D_\theta - x_0 = -\frac{\sigma_t}{\alpha_t}(\hat\varepsilon - \varepsilon)
      = \frac{\sigma_t^2}{v_t}(\bar m - x_0) + \frac{\alpha_t\sigma_t s^2}{v_t}\,\varepsilon .

Both are free of the catastrophic cancellation of :math:`(x_t - \alpha_t\hat x_0)/\sigma_t` at
:math:`t = 0.001` in float32 (docs/theory.md §6). :mod:`theory.epsilon_residual` derives the first
symbolically; ``tests/training`` checks the model against it and against float64.

**Padding.** ``mask[m] = False`` marks a padded component: its logit is :math:`-\infty`, its weight
exactly 0, so models of different :math:`M` padded to one width train as one vmapped program. The
padded components add nothing, but the wider reductions may sum in a different order, so results
agree to float32 rounding (rtol 1e-5 in ``tests/training/test_ensemble.py``), not bit for bit.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float

__all__ = ["GMMDenoiser"]

HIGHEST = jax.lax.Precision.HIGHEST  # full float32 products: TF32 would corrupt the softmax


class GMMDenoiser(eqx.Module):
    """M learnable means and one shared log-std; ``mask`` (not trained) marks the real
    components."""

    means: Float[Array, "M d"]
    log_std: Float[Array, ""]
    mask: Bool[Array, " M"]

    @property
    def s2(self) -> Float[Array, ""]:
        return jnp.exp(2 * self.log_std)

    def variance(self, alpha: Float[Array, " B"], sigma: Float[Array, " B"]) -> Float[Array, " B"]:
        r""":math:`v_t = \alpha_t^2 s^2 + \sigma_t^2`."""
        return alpha**2 * self.s2 + sigma**2

    def posterior_mean_of_means(
        self, x_t: Float[Array, "d B"], alpha: Float[Array, " B"], v: Float[Array, " B"]
    ) -> Float[Array, "d B"]:
        r""":math:`\bar m = M^\top W` with :math:`W = \operatorname{softmax}(\text{logits})` over
        components: two GEMMs."""
        weights = self.component_weights(self.logits(x_t, alpha, v))
        return jnp.dot(self.means.T, weights, precision=HIGHEST)

    def logits(
        self, x_t: Float[Array, "d B"], alpha: Float[Array, " B"], v: Float[Array, " B"]
    ) -> Float[Array, "M B"]:
        r""":math:`(\alpha_t\, x_t\!\cdot\! m_m - \tfrac12\alpha_t^2\|m_m\|^2)/v_t`, padded
        components included (finite)."""
        half_norms = 0.5 * jnp.sum(self.means**2, axis=1)
        products = jnp.dot(self.means, x_t, precision=HIGHEST)
        return (alpha * products - alpha**2 * half_norms[:, None]) / v

    def component_weights(self, logits: Float[Array, "M B"]) -> Float[Array, "M B"]:
        """The softmax over the real components; a padded component's weight is exactly 0."""
        return jax.nn.softmax(jnp.where(self.mask[:, None], logits, -jnp.inf), axis=0)

    def __call__(
        self, x_t: Float[Array, "d B"], alpha: Float[Array, " B"], sigma: Float[Array, " B"]
    ) -> Float[Array, "d B"]:
        r"""The denoiser
        :math:`D_\theta(x_t, t) = (\sigma_t^2/v_t)\bar m + (\alpha_t s^2/v_t) x_t`."""
        v = self.variance(alpha, sigma)
        m_bar = self.posterior_mean_of_means(x_t, alpha, v)
        return (sigma**2 / v) * m_bar + (alpha * self.s2 / v) * x_t

    def epsilon_residual(
        self,
        x0: Float[Array, "d B"],
        eps: Float[Array, "d B"],
        alpha: Float[Array, " B"],
        sigma: Float[Array, " B"],
    ) -> Float[Array, "d B"]:
        r""":math:`\hat\varepsilon - \varepsilon
        = (\sigma_t\alpha_t/v_t)(x_0 - \bar m) - (\alpha_t^2 s^2/v_t)\varepsilon`
        at :math:`x_t = \alpha_t x_0 + \sigma_t \varepsilon`."""
        v = self.variance(alpha, sigma)
        m_bar = self.posterior_mean_of_means(alpha * x0 + sigma * eps, alpha, v)
        return (sigma * alpha / v) * (x0 - m_bar) - (alpha**2 * self.s2 / v) * eps
