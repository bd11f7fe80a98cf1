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
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Array, Float, Int

from .model import GMMDenoiser

__all__ = ["epsilon_loss"]


def epsilon_loss(
    model: GMMDenoiser,
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
    evaluated in ``blocks`` blocks of consecutive points."""
    N, k = eps.shape[1], min(blocks, eps.shape[1])
    bounds = [N * b // k for b in range(k + 1)]
    per_point = jnp.concatenate(
        [
            _per_point_loss(
                model,
                x0[lo:hi],
                alphas[time_index[lo:hi]],
                sigmas[time_index[lo:hi]],
                eps[:, lo:hi],
            )
            for lo, hi in zip(bounds[:-1], bounds[1:], strict=False)
        ]
    )
    return jnp.mean(time_weights[time_index] * per_point)


def _per_point_loss(
    model: GMMDenoiser,
    x0: Float[Array, "n d"],
    alpha: Float[Array, " n"],
    sigma: Float[Array, " n"],
    eps: Float[Array, "d n R"],
) -> Float[Array, " n"]:
    r""":math:`\frac1R\sum_r \|\hat\varepsilon - \varepsilon_{ir}\|^2` for each of the points."""
    d, n, R = eps.shape

    def columns(a):
        # point i's values for each of its R draws (column i·R + r)
        return jnp.repeat(a, R, axis=-1)

    residual = model.epsilon_residual(
        columns(x0.T), eps.reshape(d, n * R), columns(alpha), columns(sigma)
    )
    return jnp.mean(jnp.sum(residual**2, axis=0).reshape(n, R), axis=1)
