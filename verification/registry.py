"""The registry of verified claims: one line per claim. The test suite and the report both iterate
over it; a new claim is one module in :mod:`verification.claims` plus one line here."""

from __future__ import annotations

from memlab.theory.errors import InvalidInput

from .claim import VerifiedClaim
from .claims import (
    c_order_statistic,
    c_order_statistic_grid,
    def_2_2,
    eq_14,
    eq_14_grid,
    eq_14_sharp,
    eq_14_sharp_grid,
    eq_15,
    fig_1,
    fig_2,
    fig_3,
    fig_5,
    lem_2_1,
    regime_exp_d,
    regime_poly_d,
    sec_4_2_losses,
    sec_4_2_partial,
    thm_3_1,
    thm_3_1_grid,
    thm_3_2,
    thm_3_2_grid,
)

__all__ = ["CLAIMS", "GRID_CLAIMS", "get"]

CLAIMS: dict[str, VerifiedClaim] = {
    module.CLAIM.id: module.CLAIM
    for module in (
        lem_2_1,
        def_2_2,
        thm_3_1,
        thm_3_2,
        c_order_statistic,
        eq_14,
        eq_14_sharp,
        eq_15,
        regime_poly_d,
        regime_exp_d,
        fig_1,
        fig_2,
        fig_3,
        sec_4_2_losses,
        sec_4_2_partial,
        fig_5,
        thm_3_1_grid,
        thm_3_2_grid,
        c_order_statistic_grid,
        eq_14_grid,
        eq_14_sharp_grid,
    )
}

GRID_CLAIMS: tuple[str, ...] = tuple(c.id for c in CLAIMS.values() if "grid" in c.needs)
"""The claims judged over the paper's whole grid (the report's grid table and heat map)."""


def get(claim_id: str) -> VerifiedClaim:
    try:
        return CLAIMS[claim_id]
    except KeyError:
        raise InvalidInput("claim", claim_id, ", ".join(CLAIMS)) from None
