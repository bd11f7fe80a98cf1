"""Provenance recorded with every numerics result: versions, platform, dtype, seed, git revision."""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["provenance"]

_PACKAGES = ("numpy", "scipy", "mpmath", "sympy", "memorization-lab")


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _git_revision() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent, capture_output=True,
                             text=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def provenance(seed: int, **extra: object) -> dict:
    """The record attached to a result: package versions, python, platform, device, dtype, seed, git."""
    return {
        "packages": {name: _version(name) for name in _PACKAGES},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "device": "cpu",
        "dtype": "float64",
        "seed": int(seed),
        "git_revision": _git_revision(),
        **extra,
    }
