r"""Definition 2.2: a sample is memorized when :math:`d_1 < d_2/3`. The numerics layer
(``numerics/checks/memorization.py``) measures the memorization ratio of sample sets whose answer is
known: fresh draws of :math:`\pi_\star` and DDIM samples of :math:`D_\star` (theory 0), DDIM samples
of :math:`D_\text{mem}` and :math:`D_{\text{pmem},M}` and training points moved by
:math:`0.01\sigma_\star` Gaussian noise (theory 1), and points constructed at distance ratios
:math:`d_1/d_2 \in \{0.2, 0.3, 0.37, 0.5\}` straddling the threshold (theory 1 below 1/3, 0 above).
Each ratio is tested against its theory value with its binomial SE :math:`\sqrt{p(1-p)/n}`.

Negative controls: the threshold shifted to 1/2 and to 1/4 (the same criterion, the same
measurements; only the straddling cases can tell them apart, which is why they are there)."""

from memlab import theory

from ..claim import Control, VerifiedClaim
from ..margin import Margin
from .common import rows_check, stored_theory

MARGIN = Margin(
    0.0,
    relative=False,
    unit="memorization ratio",
    source="derived",
    why="the definition is exact and every case's answer is known (0 or 1 by construction), so no "
    "margin: a ratio is confirmed when its binomial interval sits at the answer, refuted when it "
    "excludes it.",
)


def shifted(threshold: float):
    """The criterion :math:`d_1 < \\tau d_2`: changes the answer of the constructed cases only."""

    def prediction(row, config):
        ratio = row.field("d1_over_d2")
        return row.theory if ratio is None else (1.0 if ratio < threshold else 0.0)

    return prediction


CONTROLS = (
    Control("threshold-1/2", "d1 < d2/2 instead of d1 < d2/3", shifted(1 / 2)),
    Control("threshold-1/4", "d1 < d2/4 instead of d1 < d2/3", shifted(1 / 4)),
)

CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("def-2.2"),
    margin=MARGIN,
    needs=("def-2.2",),
    check=rows_check("memorization ratio"),
    prediction=stored_theory,
    controls=CONTROLS,
    tables=("Definition 2.2 checks",),
)
