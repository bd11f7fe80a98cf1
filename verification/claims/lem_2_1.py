r"""Lemma 2.1: the generalizing denoiser is the posterior mean (Tweedie's formula), lies in the
M-component class when K | M, and no perturbation of its parameters lowers the population loss.
The identity rows (Tweedie, class membership) are residuals with theory 0; the perturbation rows
test the inequality "the loss change is at least 0" (theory :math:`[0, \infty)`), the lemma being
exact.

Margins [derived]: each row's own float64 round-off bound (the row's ``roundoff``, derived from the
operations in :mod:`numerics.roundoff` and ``numerics/checks/lemma.py``): for an identity, the sum
of the two evaluations' error bounds over the row's points (up to ~1e-11 at the paper's sizes,
growing as :math:`u\|x_t\|_\infty/\alpha_t` at the noisiest times); for a loss increase, the error
that the denoisers' round-off and the averaging can put into the estimated difference. The lemma
allows no other slack; the Monte Carlo SE carries the sampling of the perturbation rows.

Negative control: "θ⋆ is not a minimizer" — every perturbation lowers the loss (theory
:math:`(-\infty, 0]` for the loss change)."""

from memlab import theory

from ..claim import Control, VerifiedClaim
from ..margin import Margin
from .common import rows_check

MARGIN = Margin(
    0.0,
    relative=False,
    unit="max abs residual of an identity (x0 units); each row: 0 + its round-off bound",
    source="derived",
    why="the identities are exact, so the margin is the arithmetic's own error: each row is judged "
    "within its float64 round-off bound (its `roundoff`: the first-order error bounds of the two "
    "evaluations compared, numerics.roundoff; ~1e-14 to 1e-11 at the paper's sizes), which a "
    "wrong formula exceeds by "
    "orders of magnitude. The value shown (0) is the bound's floor; each row states its own.",
)
EXACT = Margin(
    0.0,
    relative=False,
    unit="loss change (x0 units); each row: 0 + its round-off bound",
    source="derived",
    why="the lemma is exact (θ⋆ minimizes the population loss): the loss change is tested against "
    "0 within the float64 error bound of the estimated difference (its `roundoff`: the denoisers' "
    "round-off propagated by Cauchy–Schwarz plus the averaging; ~6e-9 at the paper's sizes), "
    "the Monte Carlo SE carrying the sampling.",
)


def row_margin(row) -> Margin:
    """The row's own derived round-off bound, in the units of :data:`EXACT` (perturbation rows) or
    :data:`MARGIN` (identities)."""
    base = EXACT if _is_perturbation(row) else MARGIN
    return Margin(row.field("roundoff"), False, base.unit, base.source, base.why)


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
    check=rows_check(margin_of=row_margin),
    prediction=as_stated,
    controls=CONTROLS,
    tables=("Lemma 2.1 checks",),
)
