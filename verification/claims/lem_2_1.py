r"""Lemma 2.1: the generalizing denoiser is the posterior mean (Tweedie's formula), lies in the
M-component class when K | M, and no perturbation of its parameters lowers the population loss. Each
row of the numerics layer's check (identity residuals, class membership, loss change under
perturbation) is compared under one rule; the loss change is an inequality, theory
:math:`[0, \infty)`."""

from memlab import theory

from ..claim import VerifiedClaim
from ..tolerance import Tolerance
from ..verdict import aggregate
from .common import compare_rows

TOLERANCE = Tolerance(
    z=3,
    rtol=0.0,
    atol=1e-9,
    why="the identities are exact: their rows are residuals with theory 0, so a relative term "
    "would add nothing and only the absolute float64 floor atol 1e-9 applies (to residuals of "
    "values of size up to the row's `scale`, O(1)–O(sqrt d)); the perturbation rows (theory "
    "[0, inf)) allow 3 SE of the Monte Carlo loss difference below 0.",
)


def _as_stated(result: dict) -> dict:
    """Perturbation rows state an inequality: the loss change is at least 0 (theory ``[0,
    None]``)."""
    rows = [
        {**row, "theory": [0.0, None]} if row.get("kind") == "perturbation" else row
        for row in result["rows"]
    ]
    return {**result, "rows": rows}


def check(claim: VerifiedClaim, results):
    stated = [_as_stated(result) for result in results.measurements["lem-2.1"]["results"]]
    rows = compare_rows(claim, stated, results.config)
    return aggregate(claim.id, rows, claim.tolerance, results.config, results.provenance)


CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("lem-2.1"),
    tolerance=TOLERANCE,
    needs=("lem-2.1",),
    check=check,
    tables=("Lemma 2.1 checks",),
)
