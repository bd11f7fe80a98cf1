r"""Theorem 3.2 over the paper's whole grid: the measured :math:`C(t, M)` against :math:`[1, 2]` at
all 64 configurations and :math:`\sigma_\star^2 \in \{1/2, 1, 2\}`, over the pre-declared model
sizes :math:`\{\lfloor K/2\rfloor, K, N/4, N/2, 3N/4\}` (``measure.grid_model_sizes``; below
:math:`K` the derived clusters-covered condition fails and says so), with Theorem 3.2's margin,
assumptions and negative controls."""

from ..claim import VerifiedClaim
from . import thm_3_2
from .grid import grid_check, measured_C


def _rows(entry, prediction):
    theory = prediction(None, {"sigma2": entry["sigma2"]})
    return [
        (f"M={M}, t={t:.3f}", {"t": t, "M": M}, theory, C, se)
        for _, M, t, C, se in measured_C(entry)
    ]


CLAIM = VerifiedClaim(
    id="thm-3.2-grid",
    title="Theorem 3.2 over the paper's grid",
    location="§3, Theorem 3.2; the grid of Figure 3",
    statement=thm_3_2.CLAIM.statement + r"\ \text{at all 64 } (d, K, N),\ \sigma_\star^2 \in "
    r"\{\tfrac12, 1, 2\}",
    assumptions=thm_3_2.CLAIM.assumptions,
    margin=thm_3_2.MARGIN,
    needs=("grid",),
    check=grid_check(_rows, "C"),
    prediction=thm_3_2.paper_interval,
    controls=thm_3_2.CONTROLS,
    figures=("grid_outcomes.png",),
    tables=("grid outcomes by (d, K, N)",),
    reconstructed=thm_3_2.CLAIM.reconstructed,
    per_time=True,
)
