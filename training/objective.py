r"""The paper's training objective: ε-prediction on the time grid, full batch (theory.md §3, §6).

For training points :math:`x_1..x_N`, per point a uniformly random grid time :math:`t_i` and :math:`R` noise
draws :math:`\varepsilon_{ir} \sim \mathcal N(0, I_d)`,

.. math::
    \hat L(\theta) = \frac1N\sum_{i=1}^N \lambda(t_i)\,\frac1R\sum_{r=1}^R
      \big\|\hat\varepsilon_\theta(\alpha_{t_i} x_i + \sigma_{t_i}\varepsilon_{ir}, t_i) - \varepsilon_{ir}\big\|^2 ,

squared error summed over the :math:`d` coordinates, unit weights :math:`\lambda \equiv 1` by default. Its
expectation is :math:`\frac1{|G|}\sum_{t\in G}\lambda(t)\,\psi_t\,L_{N,t}` in the x₀ units of theory.md §3
(:math:`\|\hat\varepsilon - \varepsilon\|^2 = \psi_t\|\hat x_0 - x_0\|^2`). The residual is the exact form of
:meth:`GMMDenoiser.epsilon_residual`.
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
) -> Float[Array, ""]:
    """The objective above for grid times ``alphas[time_index]``, ``sigmas[time_index]`` and noise ``eps``
    (feature-major, as the model takes batches: ``eps[:, i, r]`` is point i's draw r)."""
    d, N, R = eps.shape
    columns = lambda a: jnp.repeat(a, R, axis=-1)  # point i's values for each of its R draws (column i·R + r)
    residual = model.epsilon_residual(
        columns(x0.T), eps.reshape(d, N * R), columns(alphas[time_index]), columns(sigmas[time_index])
    )
    per_point = jnp.mean(jnp.sum(residual**2, axis=0).reshape(N, R), axis=1)
    return jnp.mean(time_weights[time_index] * per_point)
