r"""Standard normal noise by the Box–Muller transform on threefry bits.

.. math::
    z_1 = \sqrt{-2\log(1-u_1)}\cos(2\pi u_2),\qquad z_2 = \sqrt{-2\log(1-u_1)}\sin(2\pi u_2),

with :math:`u_1, u_2` uniform on :math:`[0, 1)` from 24 random bits each. Both outputs of a pair are used, so
drawing :math:`n` normals costs :math:`n` random words and no inverse error function; on the 2-core CPU this is
about 20% cheaper than ``jax.random.normal`` (the noise is a large part of a training step).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

__all__ = ["standard_normal"]


def standard_normal(key: jax.Array, shape: tuple[int, ...], dtype=jnp.float32) -> Float[Array, "..."]:
    """``shape`` i.i.d. N(0, 1) draws in ``dtype`` from ``key``."""
    size = math.prod(shape)
    pairs = (size + 1) // 2
    bits = jax.random.bits(key, (2, pairs), jnp.uint32)
    uniform = (bits >> 8).astype(dtype) * jnp.asarray(2.0**-24, dtype)
    radius = jnp.sqrt(-2 * jnp.log1p(-uniform[0]))
    angle = (2 * jnp.pi) * uniform[1]
    return jnp.concatenate([radius * jnp.cos(angle), radius * jnp.sin(angle)])[:size].reshape(shape)
