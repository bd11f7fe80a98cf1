r"""Theorem 3.1 over the paper's whole grid: the generalizing excess loss against
:math:`d\sigma_\star^2/(1 + \psi_t\sigma_\star^2)` per grid time at all 64 configurations
(:math:`d \in \{30, 40, 50, 60\}`, :math:`K \in \{3, 6, 9, 12\}`, :math:`N \in \{50, 100, 150,
200\}`) and :math:`\sigma_\star^2 \in \{1/2, 1, 2\}`, with Theorem 3.1's margin, assumptions
(the derived memorizing-negligible edge) and negative controls; measured in the tiers with ``grid``
(``study``, ``paper``)."""

from ..claim import Control, VerifiedClaim
from . import thm_3_1
from .grid import grid_check


def _rows(entry, prediction):
    return [
        (f"t={t:.3f}", {"t": t}, prediction(entry["d"], entry["sigma2"], t), m, se)
        for t, m, se in zip(
            entry["t"], entry["generalizing_excess"], entry["generalizing_excess_se"], strict=True
        )
    ]


def _wrong(**kwargs):
    def prediction(d, sigma2, t):
        return thm_3_1.excess(d, sigma2, t, **kwargs)

    return prediction


CLAIM = VerifiedClaim(
    id="thm-3.1-grid",
    title="Theorem 3.1 over the paper's grid",
    location="§3, Theorem 3.1; the grid of Figure 3",
    statement=thm_3_1.CLAIM.statement + r"\ \text{at all 64 } (d, K, N),\ \sigma_\star^2 \in "
    r"\{\tfrac12, 1, 2\}",
    assumptions=thm_3_1.CLAIM.assumptions,
    margin=thm_3_1.MARGIN,
    needs=("grid",),
    check=grid_check(_rows, "excess loss"),
    prediction=_wrong(),
    controls=tuple(
        Control(name, wrong, _wrong(**kwargs)) for name, (wrong, kwargs) in thm_3_1.WRONG.items()
    ),
    figures=("grid_outcomes.png", "thm31_edge.png"),
    tables=("grid outcomes by (d, K, N)",),
    reconstructed=thm_3_1.CLAIM.reconstructed,
    per_time=True,
)
