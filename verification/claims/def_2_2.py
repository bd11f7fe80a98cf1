r"""Definition 2.2: a sample is memorized when :math:`d_1 < d_2/3`. The numerics layer
(``numerics/checks/memorization.py``) measures the memorization ratio of five sample sets whose
answer is known: fresh draws of :math:`\pi_\star` and DDIM samples of :math:`D_\star` (theory 0),
DDIM samples of :math:`D_\text{mem}` and :math:`D_{\text{pmem},M}` and training points moved by
:math:`0.01\sigma_\star` Gaussian noise (theory 1). Each ratio is compared with its theory value
within 3 binomial SEs :math:`\sqrt{p(1-p)/n}`, which vanish at ratios 0 and 1, so those cases must
match exactly. The rows' Wilson intervals are shown, not used in the verdict."""

from memlab import theory

from ..claim import VerifiedClaim
from ..tolerance import Tolerance
from .common import rows_check

TOLERANCE = Tolerance(
    z=3,
    rtol=0.0,
    atol=1e-9,
    why="constructed cases are exact (atol for float rounding only); sampled ratios carry their "
    "binomial SE, 3 of them.",
)


CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("def-2.2"),
    tolerance=TOLERANCE,
    needs=("def-2.2",),
    check=rows_check(),
    tables=("Definition 2.2 checks",),
)
