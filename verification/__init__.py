"""The verification layer: a registry of the paper's claims, each joined to a check with a stated
tolerance, producing verdicts; the eq. (15) weighting fit; the assumption audit; reports (Markdown,
HTML, JSON, PNG figures) rebuilt from stored results; and the ``memlab`` subcommands that drive them."""

from .audit import AuditRow, audit
from .claim import VerifiedClaim, violated_assumptions
from .pipeline import rebuild, verify
from .registry import CLAIMS, get
from .report import exit_code, verdicts
from .results import Results
from .tiers import TIERS, VerifyConfig, tier_config
from .tolerance import Tolerance
from .verdict import STATUSES, Comparison, Verdict, aggregate, compare
from .weighting_fit import ClosedFormPredictor, MeasuredLossPredictor, WeightingFit, fit_weighting, split_configurations

__all__ = [
    "AuditRow",
    "audit",
    "VerifiedClaim",
    "violated_assumptions",
    "rebuild",
    "verify",
    "CLAIMS",
    "get",
    "exit_code",
    "verdicts",
    "Results",
    "TIERS",
    "VerifyConfig",
    "tier_config",
    "Tolerance",
    "STATUSES",
    "Comparison",
    "Verdict",
    "aggregate",
    "compare",
    "ClosedFormPredictor",
    "MeasuredLossPredictor",
    "WeightingFit",
    "fit_weighting",
    "split_configurations",
]
