r"""Eq. (14) over the paper's whole grid: the crossover :math:`1 - M^\star/N` read off the measured
per-time losses of each configuration (the root in :math:`M` of the weighted loss difference over
the grid's model sizes; the same loss table as Theorems 3.1 and 3.2 on the grid, no further Monte
Carlo) against the closed form for :math:`C \in [1, 2]`, for the weightings uniform, SNR and
:math:`\psi^{1/2}`, at all 64 configurations and :math:`\sigma_\star^2 \in \{1/2, 1, 2\}`, with
``eq-14``'s margin (Theorem 3.2's, carried over exactly), assumptions and negative controls."""

from ..claim import VerifiedClaim
from . import eq_14
from .grid import grid_check


def _rows(entry, prediction):
    return [
        (label, {}, prediction(weighting, entry["sigma2"]), measured, se)
        for label, weighting, measured, se in eq_14.crossover_rows(entry["crossover"])
    ]


CLAIM = VerifiedClaim(
    id="eq-14-grid",
    title="Eq. (14) over the paper's grid",
    location="§3, eq. (14); the grid of Figure 3",
    statement=eq_14.CLAIM.statement + r"\ \text{at all 64 } (d, K, N),\ \sigma_\star^2 \in "
    r"\{\tfrac12, 1, 2\}",
    assumptions=eq_14.CLAIM.assumptions,
    margin=eq_14.MARGIN,
    needs=("grid",),
    check=grid_check(_rows, "1 − M*/N"),
    prediction=eq_14.paper,
    controls=eq_14.CONTROLS,
    figures=("grid_outcomes.png",),
    tables=("grid outcomes by (d, K, N)",),
    reconstructed=eq_14.CLAIM.reconstructed,
)
