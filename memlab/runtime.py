"""The one place that sets global JAX state, shared by the command line, the library's entry points
and the tests."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["configure_jax"]


def configure_jax(cache: bool = True) -> None:
    """Float64 available (library code passes its dtypes explicitly), full-precision matrix
    products, and, when ``cache``, a persistent compilation cache (``MEMLAB_JAX_CACHE``, default
    ``~/.cache/memlab/jax``; an empty value disables it). Idempotent."""
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_default_matmul_precision", "highest")
    directory = os.environ.get("MEMLAB_JAX_CACHE", str(Path.home() / ".cache" / "memlab" / "jax"))
    if cache and directory:
        jax.config.update("jax_compilation_cache_dir", directory)
