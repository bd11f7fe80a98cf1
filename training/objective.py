r"""The paper's training objective: ε-prediction on the time grid, full batch
(docs/theory.md §3, §6).

For training points :math:`x_1..x_N`, per point a uniformly random grid time :math:`t_i` and
:math:`R` noise draws :math:`\varepsilon_{ir} \sim \mathcal N(0, I_d)`,

.. math::
    \hat L(\theta) = \frac1N\sum_{i=1}^N \lambda(t_i)\,\frac1R\sum_{r=1}^R
      \big\|\hat\varepsilon_\theta(\alpha_{t_i} x_i + \sigma_{t_i}\varepsilon_{ir}, t_i)
      - \varepsilon_{ir}\big\|^2 ,

squared error summed over the :math:`d` coordinates, unit weights :math:`\lambda \equiv 1` by
default. Its expectation is :math:`\frac1{|G|}\sum_{t\in G}\lambda(t)\,\psi_t\,L_{N,t}` in the x₀
units of docs/theory.md §3
(:math:`\|\hat\varepsilon - \varepsilon\|^2 = \psi_t\|\hat x_0 - x_0\|^2`). The residual is the
exact form of :meth:`GMMDenoiser.epsilon_residual`.

**Blocks.** The sum over points may be evaluated in blocks of consecutive points (the same value up
to float32 rounding of the gradient's sums). On CPU this keeps each block's (M × columns) arrays in
cache: for the paper tier's N = 200 (M up to 200, R = 100: 20,000 columns) sixteen blocks made a
step 2.5-2.8x faster (``training.jobs.point_blocks``).

**The gradient [derived].** A block's loss has a hand-written reverse pass (``jax.custom_vjp``):
autodiff of the forward pass makes more passes over the (M × columns) arrays for the softmax, its
backward and the masking (in XLA's optimised CPU program for M = 50, N·R = 5000: 2 element-wise
loops that write such an array against 7, the three products alike). Per column, with
:math:`c` the column's weight :math:`\lambda(t_i)/(NR)`, loss :math:`c\|r\|^2`, residual
:math:`r = (\sigma\alpha/v)(x_0 - \bar m) - (\alpha^2 s^2/v)\varepsilon`,
:math:`G = 2cr`, :math:`\bar G = -(\sigma\alpha/v)G` (the cotangent of :math:`\bar m`), logits
:math:`\ell_m` and weights :math:`w_m`:

.. math::
    \bar\ell_m = w_m\big((M\bar G)_m - \bar m\cdot\bar G\big),\qquad
    \frac{\partial L}{\partial M} = \frac{\alpha}{v}\bar\ell\,x_t^\top + w\,\bar G^\top
      - \Big(\sum_{\text{cols}}\frac{\alpha^2}{v}\bar\ell_m\Big) m_m,

    \frac{\partial L}{\partial s^2} = \sum_{\text{cols}}\Big[-\frac{\alpha^2}{v}\,G\cdot\varepsilon
      + \alpha^2\,\bar v\Big],\qquad
    \bar v = -\frac1v\Big(G\cdot r + \sum_m \bar\ell_m\ell_m\Big),

using :math:`\sum_m w_m (M\bar G)_m = \bar m\cdot\bar G` (no reduction over components) and
:math:`\partial r/\partial v = -r/v` at fixed :math:`\bar m` (the residual keeps its
cancellation-free form). ``tests/training/test_objective.py`` checks value and gradient against
autodiff of the residual in float64, with padded components and blocks.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Float, Int

from .model import HIGHEST, GMMDenoiser

__all__ = ["epsilon_loss"]


def epsilon_loss(
    model: eqx.Module,
    x0: Float[Array, "N d"],
    time_index: Int[Array, " N"],
    eps: Float[Array, "d N R"],
    alphas: Float[Array, " G"],
    sigmas: Float[Array, " G"],
    time_weights: Float[Array, " G"],
    blocks: int = 1,
) -> Float[Array, ""]:
    """The objective above for grid times ``alphas[time_index]``, ``sigmas[time_index]`` and noise
    ``eps`` (feature-major, as the model takes batches: ``eps[:, i, r]`` is point i's draw r),
    evaluated in ``blocks`` blocks of consecutive points. ``model`` is a :class:`GMMDenoiser`
    (hand-written reverse pass) or any model with an ``epsilon_residual`` (autodiff)."""
    N, k = eps.shape[1], min(blocks, eps.shape[1])
    bounds = [N * b // k for b in range(k + 1)]
    point_weights = time_weights[time_index] / (N * eps.shape[2])
    block_loss = _gmm_block_loss if isinstance(model, GMMDenoiser) else _residual_block_loss
    return sum(
        block_loss(
            model,
            x0[lo:hi].T,
            eps[:, lo:hi],
            alphas[time_index[lo:hi]],
            sigmas[time_index[lo:hi]],
            point_weights[lo:hi],
        )
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    )


def _columns(a: Array, R: int) -> Array:
    """Point i's values for each of its R draws (column i·R + r)."""
    return jnp.repeat(a, R, axis=-1)


def _residual_block_loss(model, x0, eps, alpha, sigma, point_weights):
    r""":math:`\sum_{i,r} c_i\|\hat\varepsilon - \varepsilon_{ir}\|^2` from the model's own
    ``epsilon_residual``, differentiated by autodiff."""
    d, n, R = eps.shape
    residual = model.epsilon_residual(
        _columns(x0, R), eps.reshape(d, n * R), _columns(alpha, R), _columns(sigma, R)
    )
    return jnp.sum(_columns(point_weights, R) * jnp.sum(residual**2, axis=0))


def _gmm_block_loss(model, x0, eps, alpha, sigma, point_weights):
    return _block_loss(model.means, model.log_std, model.mask, x0, eps, alpha, sigma, point_weights)


@jax.custom_vjp
def _block_loss(means, log_std, mask, x0, eps, alpha, sigma, point_weights):
    return _block_forward(means, log_std, mask, x0, eps, alpha, sigma, point_weights)[0]


def _block_forward(
    means: Float[Array, "M d"],
    log_std: Float[Array, ""],
    mask: Bool[Array, " M"],
    x0: Float[Array, "d n"],
    eps: Float[Array, "d n R"],
    alpha: Float[Array, " n"],
    sigma: Float[Array, " n"],
    point_weights: Float[Array, " n"],
):
    r""":math:`\sum_{i,r} c_i\|\hat\varepsilon - \varepsilon_{ir}\|^2` over the block's columns
    (column i·R + r is point i's draw r), and what the reverse pass reuses."""
    d, n, R = eps.shape
    model = GMMDenoiser(means, log_std, mask)

    a, s, c = _columns(alpha, R), _columns(sigma, R), _columns(point_weights, R)
    e = eps.reshape(d, n * R)
    v = model.variance(a, s)
    x_t = a * _columns(x0, R) + s * e
    logits = model.logits(x_t, a, v)
    weights = model.component_weights(logits)
    m_bar = jnp.dot(means.T, weights, precision=HIGHEST)
    residual = (s * a / v) * (_columns(x0, R) - m_bar) - (a**2 * model.s2 / v) * e
    loss = jnp.sum(c * jnp.sum(residual**2, axis=0))
    return loss, (means, log_std, mask, x_t, e, a, s, c, v, logits, weights, m_bar, residual)


def _block_backward(saved, cotangent):
    means, log_std, mask, x_t, e, a, s, c, v, logits, weights, m_bar, residual = saved
    g = (2 * cotangent) * c * residual
    g_bar = -(s * a / v) * g  # cotangent of m̄
    logit_bar = weights * (
        jnp.dot(means, g_bar, precision=HIGHEST) - jnp.sum(m_bar * g_bar, axis=0)
    )
    product_bar = (a / v) * logit_bar
    v_bar = -(jnp.sum(g * residual, axis=0) + jnp.sum(logit_bar * logits, axis=0)) / v
    means_bar = (
        jnp.dot(product_bar, x_t.T, precision=HIGHEST)
        + jnp.dot(weights, g_bar.T, precision=HIGHEST)
        - jnp.dot(product_bar, a, precision=HIGHEST)[:, None] * means
    )
    s2 = jnp.exp(2 * log_std)
    s2_bar = jnp.sum(a**2 * (v_bar - jnp.sum(g * e, axis=0) / v))
    return means_bar, 2 * s2 * s2_bar, None, None, None, None, None, None


_block_loss.defvjp(_block_forward, _block_backward)
