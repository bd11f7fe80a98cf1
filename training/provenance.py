"""Provenance of a training run: the shared record plus the device, dtypes, matmul precision and
PRNG."""

from __future__ import annotations

from functools import cache

import jax
import jax.numpy as jnp

from memlab.numerics.provenance import monte_carlo_provenance

__all__ = ["training_provenance"]


@cache
def _device() -> dict[str, object]:
    device = jax.devices()[0]
    return {
        "device": f"{device.platform}:{getattr(device, 'device_kind', '')}",
        "matmul_precision": "HIGHEST on every product (no TF32)",
        "dtype": "float64 (measurements)",
    }


def _training(train_dtype) -> dict[str, object]:
    """The dtype a run actually trained in, the noise generator that dtype selects
    (training.ensemble) and how the objective's gradient is computed."""
    name = jnp.dtype(train_dtype).name
    noise = (
        "training.noise.standard_normal (bit-equal to jax.random.normal float32), threefry2x32"
        if name == "float32"
        else f"jax.random.normal {name}, threefry2x32"
    )
    return {
        "train_dtype": name,
        "noise": noise,
        "objective_gradient": "hand-written reverse pass (training.objective, jax.custom_vjp)",
    }


def training_provenance(train_dtype=None, **extra: object) -> dict[str, object]:
    """The shared provenance of this process with the training facts and ``extra`` (e.g. seed,
    tier); ``train_dtype`` (the dtype the models were trained in) adds it and its noise
    generator."""
    trained = {} if train_dtype is None else _training(train_dtype)
    return monte_carlo_provenance(**{**_device(), **trained, **extra})
