"""memorization-lab: verify "On the Edge of Memorization in Diffusion Models" (arXiv 2508.17689).

The four layers, each importing only the ones before it:

- :mod:`memlab.theory`: the closed forms in exact sympy arithmetic, evaluated at checked precision;
- :mod:`memlab.numerics`: exact float64 denoisers and Monte Carlo estimates with standard errors;
- :mod:`memlab.training`: the paper's experiment in jax/equinox/optax;
- :mod:`memlab.verification`: claims, verdicts and reports.

``memlab.cli`` is the command line. The layers load on first use (PEP 562), so ``import memlab`` is
cheap and ``memlab.training`` imports jax only when touched.
"""

import importlib

__all__ = ["theory", "numerics", "training", "verification", "configure_jax"]


def __getattr__(name: str):
    if name == "configure_jax":
        from .runtime import configure_jax

        return configure_jax
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'memlab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
