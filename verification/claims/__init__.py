"""One module per verified claim (each defines ``CLAIM``); :mod:`verification.registry` lists
them."""

__all__ = [
    "c_order_statistic",
    "c_order_statistic_grid",
    "def_2_2",
    "eq_14",
    "eq_14_grid",
    "eq_14_sharp",
    "eq_14_sharp_grid",
    "eq_15",
    "fig_1",
    "fig_2",
    "fig_3",
    "fig_5",
    "lem_2_1",
    "regime_exp_d",
    "regime_poly_d",
    "grid",
    "sec_4_2_losses",
    "sec_4_2_partial",
    "thm_3_1",
    "thm_3_1_grid",
    "thm_3_2",
    "thm_3_2_grid",
]
