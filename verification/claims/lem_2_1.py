r"""Lemma 2.1: the generalizing denoiser is the posterior mean (Tweedie's formula), lies in the
M-component class when K | M, and no perturbation of its parameters lowers the population loss.
The identity rows (Tweedie, class membership) are residuals with theory 0 and a float64 round-off
margin;
the perturbation rows test the inequality "the loss change is at least 0" (theory
:math:`[0, \infty)`) with no margin, the lemma being exact.

Negative control: "θ⋆ is not a minimizer" — every perturbation lowers the loss (theory
:math:`(-\infty, 0]` for the loss change)."""

from memlab import theory

from ..claim import Control, VerifiedClaim
from ..margin import Margin
from .common import rows_check

MARGIN = Margin(
    1e-9,
    relative=False,
    unit="max abs residual of an identity (x0 units)",
    source="derived",
    why="the identities are exact: float64 evaluations of values of size up to the row's `scale` "
    "(O(1)–O(√d)) agree to ~1e-15·scale, far inside 1e-9; a wrong formula misses by O(scale).",
)
EXACT = Margin(
    0.0,
    relative=False,
    unit="loss change (x0 units)",
    source="derived",
    why="the lemma is exact (θ⋆ minimizes the population loss): the loss change is tested against "
    "0 with its Monte Carlo SE alone.",
)


def _is_perturbation(row) -> bool:
    return row.extra.get("kind") == "perturbation"


def as_stated(row, config):
    """Perturbation rows state an inequality: the loss change is at least 0."""
    return [0.0, None] if _is_perturbation(row) else row.theory


def not_a_minimizer(row, config):
    return [None, 0.0] if _is_perturbation(row) else row.theory


CONTROLS = (
    Control("not-a-minimizer", "θ⋆ is not optimal: perturbations lower the loss", not_a_minimizer),
)

CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("lem-2.1"),
    margin=MARGIN,
    needs=("lem-2.1",),
    check=rows_check(margin_of=lambda row: EXACT if _is_perturbation(row) else MARGIN),
    prediction=as_stated,
    controls=CONTROLS,
    tables=("Lemma 2.1 checks",),
)
