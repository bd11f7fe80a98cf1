r"""Definition 2.2: a sample is memorized when :math:`d_1 < d_2/3`. The numerics layer checks the
shared implementation on constructed cases (known flags, the Wilson interval at known counts) and on
samples of the memorizing and generalizing denoisers (ratio ≈ 1 and ≈ 0)."""

import theory

from ..claim import VerifiedClaim
from ..tolerance import Tolerance
from ..verdict import aggregate
from .common import compare_rows

TOLERANCE = Tolerance(
    z=3, rtol=0.0, atol=1e-9,
    why="constructed cases are exact (atol for float rounding only); sampled ratios carry their binomial "
    "SE, 3 of them.",
)


def check(claim: VerifiedClaim, results):
    rows = compare_rows(claim, results.measurements["def-2.2"]["results"], results.config)
    return aggregate(claim.id, rows, claim.tolerance, results.config, results.provenance)


CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("def-2.2"), tolerance=TOLERANCE, needs=("def-2.2",), check=check, tables=("Definition 2.2 checks",),
)
