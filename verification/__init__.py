"""The verification layer: a registry of the paper's claims, each joined to a check with a stated
equivalence margin and negative controls, producing verdicts; the eq. (15) weighting fit; the
assumption audit; reports (Markdown, HTML, JSON, PNG figures) rebuilt from stored results; and the
``memlab`` subcommands that drive them.

The public names below load on first use (PEP 562), so that ``memlab --help`` and ``memlab derive``
do not import numpy, jax or matplotlib."""

import importlib

# public name -> the module that defines it
_EXPORTS = {
    "AuditRow": ".audit",
    "audit": ".audit",
    "VerifiedClaim": ".claim",
    "violated_assumptions": ".claim",
    "rebuild": ".pipeline",
    "verify": ".pipeline",
    "CLAIMS": ".registry",
    "get": ".registry",
    "exit_code": ".report",
    "verdicts": ".report",
    "Results": ".results",
    "MONTE_CARLO": ".tiers",
    "tier_overrides": ".tiers",
    "VerifyConfig": ".tiers",
    "tier_config": ".tiers",
    "Margin": ".margin",
    "Control": ".claim",
    "ALPHA": ".verdict",
    "POWER": ".verdict",
    "OUTCOMES": ".verdict",
    "Comparison": ".verdict",
    "Verdict": ".verdict",
    "aggregate": ".verdict",
    "compare": ".verdict",
    "ClosedFormPredictor": ".weighting_fit",
    "MeasuredLossPredictor": ".weighting_fit",
    "WeightingFit": ".weighting_fit",
    "fit_weighting": ".weighting_fit",
    "split_configurations": ".weighting_fit",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'memlab.verification' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
