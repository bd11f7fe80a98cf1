"""Provenance recorded with every run: versions, device, dtype and matmul precision, git revision."""

from __future__ import annotations

import platform
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import jax

__all__ = ["provenance"]

_PACKAGES = ("memorization-lab", "jax", "jaxlib", "numpy", "scipy", "equinox", "optax", "sympy")


@cache
def _static() -> dict[str, object]:
    def package(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    try:
        revision = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=10
        ).stdout.strip() or None
    except OSError:
        revision = None
    device = jax.devices()[0]
    return {
        "versions": {name: package(name) for name in _PACKAGES},
        "python": platform.python_version(),
        "host": platform.node(),
        "machine": platform.machine(),
        "device": f"{device.platform}:{getattr(device, 'device_kind', '')}",
        "git_revision": revision,
        "train_dtype": "float32",
        "matmul_precision": "HIGHEST on every product (full float32, no TF32)",
        "measure_dtype": "float64 (numpy)",
        "noise": "jax.random.normal, threefry2x32",
    }


def provenance(**extra: object) -> dict[str, object]:
    """The static provenance of this process plus ``extra`` (e.g. seed, tier)."""
    return {**_static(), **extra}
