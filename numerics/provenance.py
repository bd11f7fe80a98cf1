"""Provenance recorded with every result: package versions, python, platform, git revision, seed.

The one implementation for all layers; the training layer adds its device and precisions to it.
"""

from __future__ import annotations

import platform
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["monte_carlo_provenance"]

PACKAGES = (
    "memorization-lab",
    "numpy",
    "scipy",
    "mpmath",
    "sympy",
    "jax",
    "jaxlib",
    "equinox",
    "optax",
    "matplotlib",
)


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _git_revision() -> str | None:
    """HEAD, with ``-dirty`` when tracked files differ from it; ``None`` outside a git checkout."""
    root = Path(__file__).resolve().parent.parent
    try:
        revision = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if revision.returncode != 0:
        return None
    return revision.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


@cache
def _static() -> dict:
    return {
        "packages": {name: _version(name) for name in PACKAGES},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_revision": _git_revision(),
    }


def monte_carlo_provenance(seed: int | None = None, **extra: object) -> dict:
    """The record attached to a result: the process's static facts, the seed, float64 numerics
    unless ``extra`` says otherwise (e.g. ``device``, ``train_dtype``, ``tier``)."""
    return {**_static(), "device": "cpu", "dtype": "float64", "seed": seed, **extra}
