r"""The :math:`N = \mathrm{poly}(d)` regime: the measured nearest-neighbour distance
:math:`\mathbb E\min_i\|x - x_i\|^2` against the fixed-:math:`d` asymptotic :math:`c_d n^{-2/d}`.
The asymptotic form assumes :math:`n^{1/d} \gg 1` (read: :math:`n^{1/d} \ge 3`); at the paper's
sizes that fails and the formula is ~30% low, which the report shows as ``assumption-violated`` with
the numbers."""

import sympy as sp

from memlab import theory
from memlab.theory.symbols import d, n

from ..claim import VerifiedClaim
from ..tolerance import Tolerance
from .common import rows_check

TOLERANCE = Tolerance(
    z=3,
    rtol=0.1,
    atol=0.0,
    why="10%: an asymptotic rate with O(n^(-1/d)) corrections (docs/theory.md §4: 0.22 ± 0.02 "
    "measured vs 0.26 at d=5, n=10⁴); 3 SE of the Monte Carlo mean.",
)

ASYMPTOTIC = theory.Assumption(
    "asymptotic-nn",
    r"n^{1/d} \ge 3",
    n ** (1 / d),
    sp.Integer(3),
    "3: the n^(-2/d) rate needs many points per unit of the d-th root; at d=50, n=17 it is 1.06",
)


CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("regime-poly-d"),
    tolerance=TOLERANCE,
    needs=("regime-poly-d",),
    check=rows_check("E min distance²"),
    tables=("nearest-neighbour distances",),
    assumptions=(ASYMPTOTIC,),
)
