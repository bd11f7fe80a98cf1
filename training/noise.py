r"""Standard normal training noise, the same numbers as ``jax.random.normal`` but generated faster
on CPU.

``jax.random.normal(key, shape, float32)`` (threefry keys, partitionable bits — jax's default)
computes, for the element of flat index :math:`j`, the Threefry-2x32 hash
:math:`(y_0, y_1) = T_k(\lfloor j/2^{32}\rfloor,\ j \bmod 2^{32})` (20 rounds), the word
:math:`b = y_0 \oplus y_1`, a uniform
:math:`u = \max(\ell, 2\,(1.\text{mantissa}(b \gg 9) - 1) - 1)` with :math:`\ell` the float32 just
above :math:`-1`, and :math:`z = \sqrt2\,\operatorname{erf}^{-1}(u)`. Here the same formula is
written out in ``jax.numpy`` with the rounds unrolled: jax's CPU lowering of the hash runs the
rounds as a ``fori_loop``, one pass over memory per round group, which made noise ~45% of a training
step; unrolled, XLA fuses the hash into one loop (2-3x faster for 150k draws on 2 cores).
``tests/training/test_noise.py`` checks bit equality with ``jax.random.normal``, so switching
changed no random stream.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from memlab.theory.errors import InvalidInput

__all__ = ["standard_normal"]

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_PARITY = np.uint32(0x1BD11BDA)  # Threefry's key-schedule constant


def _rotate_left(x, r: int):
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def threefry2x32(key: jax.Array, high, low):
    """Threefry-2x32 (20 rounds) of the counters ``(high, low)`` under the key words ``key = (k0,
    k1)``."""
    k0, k1 = key[0], key[1]
    schedule = (k0, k1, k0 ^ k1 ^ _PARITY)
    x0, x1 = high + schedule[0], low + schedule[1]
    for block in range(5):
        for r in _ROTATIONS[block % 2]:
            x0 = x0 + x1
            x1 = _rotate_left(x1, r) ^ x0
        x0 = x0 + schedule[(block + 1) % 3]
        x1 = x1 + schedule[(block + 2) % 3] + np.uint32(block + 1)
    return x0, x1


def standard_normal(key: jax.Array, shape: tuple[int, ...]) -> Float[Array, ...]:
    """float32 :math:`\\mathcal N(0, 1)` draws of ``shape``, equal to ``jax.random.normal(key,
    shape, float32)``."""
    size = math.prod(shape)
    if size >= 2**32:
        raise InvalidInput("shape", shape, "at most 2**32 draws per key")
    # Flat, then reshaped: XLA CPU vectorises an element-wise loop along the last axis, and with a
    # short last axis (d = 30) the same work ran ~2.5x slower.
    low = jax.lax.iota(jnp.uint32, size)
    y0, y1 = threefry2x32(jax.random.key_data(key), jnp.zeros_like(low), low)
    # Materialise the bits: fused with erf⁻¹ in one loop the hash ran ~2x slower on XLA CPU when
    # generated in the (N, R, d) shape; generated flat the two are about even, and training steps
    # measured no slower with it.
    bits = jax.lax.optimization_barrier(y0 ^ y1)
    mantissa = (bits >> np.uint32(9)) | np.float32(1.0).view(np.uint32)
    unit = jax.lax.bitcast_convert_type(mantissa, jnp.float32) - np.float32(1.0)  # [0, 1)
    lowest = np.nextafter(np.float32(-1.0), np.float32(0.0))
    uniform = jnp.maximum(lowest, unit * (np.float32(1.0) - lowest) + lowest)
    return (np.float32(np.sqrt(2)) * jax.lax.erf_inv(uniform)).reshape(shape)
