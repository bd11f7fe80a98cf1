"""Provenance of a verification run: package versions, platform, dtype, seed, git revision."""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["provenance"]

PACKAGES = ("memorization-lab", "numpy", "scipy", "sympy", "mpmath", "jax", "equinox", "optax", "matplotlib")


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _git_revision() -> str | None:
    root = Path(__file__).resolve().parent.parent
    try:
        revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True,
                               text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if revision.returncode != 0:
        return None
    return revision.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def provenance(seed: int) -> dict:
    """What produced a result (recorded once per run, stored in the manifest)."""
    return {
        "packages": {package: _version(package) for package in PACKAGES},
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "numerics_dtype": "float64",
        "seed": seed,
        "git_revision": _git_revision(),
    }
