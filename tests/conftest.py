"""Strict test settings: float64 available in jax (library code passes dtypes explicitly), warnings
are errors (pyproject), and hypothesis runs a fixed, deterministic number of examples."""

from hypothesis import HealthCheck, settings

from memlab.runtime import configure_jax

configure_jax(cache=False)

settings.register_profile(
    "memlab",
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("memlab")
