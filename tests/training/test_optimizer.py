"""The learning-rate schedule at its corners and the optimiser chain."""

import jax.numpy as jnp
import numpy as np
import optax
import pytest

from memlab.training import learning_rate_schedule, paper_optimizer, update_ema


@pytest.mark.parametrize("steps", [1, 10, 1000, 50_000])
def test_schedule_corners(steps):
    schedule = learning_rate_schedule(steps)
    warmup = int(np.ceil(0.1 * steps))
    assert float(schedule(0)) == 0.0
    assert float(schedule(warmup)) == pytest.approx(1e-3, rel=1e-6)
    assert float(schedule(steps)) == pytest.approx(1e-6 if steps > warmup else 1e-3, rel=1e-5)
    if warmup > 1:
        assert float(schedule(warmup // 2)) == pytest.approx(
            1e-3 * (warmup // 2) / warmup, rel=1e-5
        )
    if steps - warmup > 1:
        middle = warmup + (steps - warmup) // 2
        expected = 1e-3 + (1e-6 - 1e-3) * (middle - warmup) / (steps - warmup)
        assert float(schedule(middle)) == pytest.approx(expected, rel=1e-5)
    values = np.array([float(schedule(k)) for k in np.linspace(0, steps, 50).astype(int)])
    peak = np.argmax(values)
    assert np.all(np.diff(values[: peak + 1]) >= 0) and np.all(np.diff(values[peak:]) <= 0)


def test_update_ema_smooths_updates_not_parameters():
    ema = update_ema(0.99)
    state = ema.init(jnp.zeros(3))
    first, state = ema.update(jnp.ones(3), state)
    second, state = ema.update(3 * jnp.ones(3), state)
    np.testing.assert_allclose(first, 1.0, rtol=1e-6)  # debiased: the first update passes unchanged
    np.testing.assert_allclose(second, (0.99 * 0.01 * 1 + 0.01 * 3) / (1 - 0.99**2), rtol=1e-6)


def test_paper_optimizer_is_clip_adam_ema():
    steps, grads = 20, jnp.array([0.5, -2.0])
    optimizer, params = paper_optimizer(steps), jnp.zeros(2)
    state = optimizer.init(params)
    reference = optax.chain(
        optax.adam(learning_rate_schedule(steps), 0.9, 0.999, 1e-8), optax.ema(0.99)
    )
    ref_state = reference.init(params)
    for _ in range(5):
        update, state = optimizer.update(grads, state, params)
        expected, ref_state = reference.update(grads, ref_state, params)
        np.testing.assert_allclose(update, expected, rtol=1e-6)


def _updates(optimizer, grads):
    params = jnp.zeros(2)
    state = optimizer.init(params)
    out = []
    for g in grads:
        update, state = optimizer.update(g, state, params)
        out.append(np.asarray(update))
    return np.array(out)


def test_paper_optimizer_clips_before_adam():
    """Adam is invariant to a constant rescaling of the gradients, so a clip can only be seen with
    gradients whose norms change: a large one (clipped to norm 1) then small ones (not clipped)."""
    steps = 20
    grads = [jnp.array([30.0, -40.0]), jnp.array([0.1, 0.2]), jnp.array([-0.3, 0.1])]
    clipped = _updates(paper_optimizer(steps, clip_norm=1.0), grads)
    adam_ema = [optax.adam(learning_rate_schedule(steps), 0.9, 0.999, 1e-8), optax.ema(0.99)]
    with_clip = _updates(optax.chain(optax.clip_by_global_norm(1.0), *adam_ema), grads)
    without_clip = _updates(optax.chain(*adam_ema), grads)
    np.testing.assert_allclose(clipped, with_clip, rtol=1e-6)
    assert np.abs(clipped - without_clip).max() > 1e-3 * np.abs(without_clip).max()
