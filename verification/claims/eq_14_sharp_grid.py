r"""Ours, beyond the paper, over the paper's whole grid: eq. (14) as a point prediction with the
order-statistic :math:`C` (``eq-14-sharp``: :math:`1 - M^\star/N = \bar r_\lambda /
C_\text{sharp}(M^\star)`, :math:`C_\text{sharp}` interpolated over the grid's model sizes) against
the crossover read off the measured losses (as ``eq-14-grid``), for each weighting, at all 64
configurations and :math:`\sigma_\star^2 \in \{1/2, 1, 2\}`, with ``eq-14-sharp``'s margin (the
order-statistic C's, carried over exactly), assumptions and negative controls."""

from ..claim import VerifiedClaim
from . import eq_14, eq_14_sharp
from .grid import grid_check


def _rows(entry, prediction):
    sizes, C = eq_14_sharp.sharp_curve(entry["M"], entry["N"], entry["C_sharp"])
    return [
        (label, {}, prediction(weighting, entry["sigma2"], sizes, C), measured, se)
        for label, weighting, measured, se in eq_14.crossover_rows(entry["crossover"])
    ]


CLAIM = VerifiedClaim(
    id="eq-14-sharp-grid",
    title="Eq. (14) with the order-statistic C over the paper's grid (ours)",
    location="docs/theory.md §4 [derived]; the grid of Figure 3",
    statement=eq_14_sharp.CLAIM.statement + r"\ \text{at all 64 } (d, K, N),\ "
    r"\sigma_\star^2 \in \{\tfrac12, 1, 2\}",
    assumptions=eq_14_sharp.CLAIM.assumptions,
    margin=eq_14_sharp.MARGIN,
    needs=("grid",),
    check=grid_check(_rows, "1 − M*/N"),
    prediction=eq_14_sharp.CLAIM.prediction,
    controls=eq_14_sharp.CONTROLS,
    figures=("grid_outcomes.png",),
    tables=("grid outcomes by (d, K, N)",),
    note=eq_14_sharp.CLAIM.note,
)
