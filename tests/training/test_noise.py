"""The training noise is jax.random.normal's float32 stream, bit for bit, and standard normal."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from memlab.training.noise import standard_normal, threefry2x32


@pytest.mark.parametrize("shape", [(1,), (7,), (3, 1, 5), (50, 100, 30)])
@pytest.mark.parametrize("seed", [0, 12345])
def test_equals_jax_random_normal_bit_for_bit(seed, shape):
    key = jax.random.fold_in(jax.random.key(seed), 9)
    ours = np.asarray(jax.jit(standard_normal, static_argnums=1)(key, shape))
    theirs = np.asarray(jax.random.normal(key, shape, jnp.float32))
    assert ours.dtype == np.float32 and ours.shape == shape
    np.testing.assert_array_equal(ours.view(np.uint32), theirs.view(np.uint32))


def test_threefry_matches_the_known_answer_vectors():
    """Random123's Threefry-2x32 (20 rounds) known-answer tests, as in jax's own test suite."""
    cases = [
        ((0x00000000, 0x00000000), (0x00000000, 0x00000000), (0x6B200159, 0x99BA4EFE)),
        ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
        ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0)),
    ]
    for key, (x0, x1), expected in cases:
        y = threefry2x32(jnp.asarray(key, jnp.uint32), jnp.uint32(x0), jnp.uint32(x1))
        assert tuple(int(v) for v in y) == expected


def test_draws_are_standard_normal():
    draws = np.asarray(standard_normal(jax.random.key(3), (200_000,)), np.float64)
    assert abs(draws.mean()) < 5 / np.sqrt(draws.size)
    assert abs(draws.var() - 1) < 5 * np.sqrt(2 / draws.size)
    assert stats.kstest(draws, "norm").pvalue > 1e-3
