r"""The degenerate regime of §2, :math:`N \gtrsim d^d = \exp(d\log d)`: the training set is so dense
that memorizing and generalizing become indistinguishable. At :math:`t \to 0` the gap between the
memorizing and generalizing population losses is :math:`\mathbb E\min_i\|x - x_i\|^2` (the
memorizing denoiser returns the nearest training point), which the Weed–Bach rate
:math:`c_d n^{-2/d}` drives to 0 once :math:`n` passes :math:`d^d`. Judged by Monte Carlo at
:math:`d \in \{3, 4, 5, 6\}`, :math:`n` from 10 to :math:`10^5`
(``numerics.checks.regime.EXP_GRID``), beside ``regime-poly-d``;
rows below :math:`d^d` are ``assumption-violated`` (shown), and so are the
rows at :math:`d \le 4` (:data:`EXPANSION`, [derived]). The local law
:math:`\mathbb E[\min_i\|x - x_i\|^2 \mid x] \approx \Gamma(1+2/d)\,(n p(x) V_d)^{-2/d}` has a first
correction of relative size :math:`(n p(x) V_d)^{-2/d}\,\Delta p/p` (the ball's mass
:math:`p V_d r^d(1 + r^2\Delta p/(2(d+2)p))`), which averaged over :math:`x \sim p` is
:math:`n^{-2/d}\int p^{1-4/d}(\|x\|^2 - d)/\int p^{1-2/d}` for a standard Gaussian: finite only
for :math:`d > 4`. There the rate's relative correction is :math:`O(n^{-2/d}) \le n^{-1/d}`, the
margin; at :math:`d \le 4` the integral diverges, the correction is set by the tails (a larger
power of :math:`n` with :math:`\log n` factors) and :math:`n^{-1/d}` is no derived margin. The same
integral is the local law's second moment: the Monte Carlo variance is finite at every :math:`d`
(:math:`\min_i\|x - x_i\|^2 \le \|x - x_1\|^2`), but at :math:`d \le 4` its size relative to the
mean grows with :math:`n` (measured coefficient of variation 2.3 at :math:`d = 3, n = 10^4`, 4.8 at
:math:`10^5`; 1.0 at :math:`d = 5`) and is carried by rare far queries, so a few thousand queries
give no stable error bar there either.

Margin [derived]: each row is judged within its own relative :math:`n^{-1/d}` (as
``regime-poly-d``), which bounds the :math:`O(n^{-2/d})` correction once :math:`n^{1/d}` exceeds its
constant (:math:`n^{1/d} \ge 5` at every admissible row); that constant is not derived (the
second-order term above is dominated by tails where the expansion fails). Admissible rows:
:math:`d = 5` at :math:`n = 5^5, 10^4, 10^{4.5}, 10^5` and :math:`d = 6` at :math:`n = 6^6, 10^5`.
Negative controls: the rate :math:`c_d n^{-1/d}` and no decay (:math:`2d\sigma_\star^2`)."""

import sympy as sp

from memlab import theory
from memlab.theory.symbols import d

from ..claim import VerifiedClaim
from .common import rows_check, stored_theory
from .regime_poly_d import CONTROLS, MARGIN, row_margin

EXPANSION = theory.Assumption(
    "nn-expansion",
    r"d > 4",
    d,
    sp.Integer(5),
    "derived: the rate's first correction, n^(-2/d) ∫p^(1-4/d)(|x|² - d) / ∫p^(1-2/d), is finite "
    "for a Gaussian p only when d > 4; there it is O(n^(-2/d)) ≤ n^(-1/d), the margin. At d ≤ 4 it "
    "diverges (the tails set the correction) and the per-query relative variance grows with n",
)

CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("regime-exp-d"),
    assumptions=(*theory.get_claim("regime-exp-d").assumptions, EXPANSION),
    margin=MARGIN,
    needs=("regime-exp-d",),
    check=rows_check("E min distance²", margin_of=row_margin),
    prediction=stored_theory,
    controls=CONTROLS,
    tables=("nearest-neighbour distances",),
)
