"""Provenance of a training run: the shared record plus the device, dtypes, matmul precision and PRNG."""

from __future__ import annotations

from functools import cache

import jax

from numerics.provenance import provenance as shared_provenance

__all__ = ["provenance"]


@cache
def _training() -> dict[str, object]:
    device = jax.devices()[0]
    return {
        "device": f"{device.platform}:{getattr(device, 'device_kind', '')}",
        "train_dtype": "float32",
        "matmul_precision": "HIGHEST on every product (full float32, no TF32)",
        "dtype": "float64 (measurements)",
        "noise": "jax.random.normal, threefry2x32",
    }


def provenance(**extra: object) -> dict[str, object]:
    """The shared provenance of this process with the training facts and ``extra`` (e.g. seed, tier)."""
    return shared_provenance(**{**_training(), **extra})
