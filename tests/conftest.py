"""Strict test settings: float64 available in jax (library code passes dtypes explicitly), warnings
are errors (pyproject), and hypothesis runs a fixed, deterministic number of examples."""

import jax
from hypothesis import HealthCheck, settings

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_default_matmul_precision", "highest")

settings.register_profile(
    "memlab", max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("memlab")
