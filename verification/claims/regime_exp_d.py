r"""The degenerate regime of §2, :math:`N \gtrsim d^d = \exp(d\log d)`: the training set is so dense
that memorizing and generalizing become indistinguishable. At :math:`t \to 0` the gap between the
memorizing and generalizing population losses is :math:`\mathbb E\min_i\|x - x_i\|^2` (the
memorizing denoiser returns the nearest training point), which the Weed–Bach rate
:math:`c_d n^{-2/d}` drives to 0 once :math:`n` passes :math:`d^d`. Judged by Monte Carlo at
:math:`d \in \{3, 4, 5\}`, :math:`n` from 10 to :math:`10^5` (``numerics.checks.regime.EXP_GRID``),
beside ``regime-poly-d``; rows below :math:`d^d` are ``assumption-violated`` (shown). So are the
rows at :math:`d \le 4` [derived]: a query's squared nearest-neighbour distance scales as
:math:`(n\,p(x))^{-2/d}`, whose variance under :math:`x \sim p` needs :math:`\int p^{1 - 4/d} <
\infty`, i.e. :math:`d > 4` for a Gaussian; below, the Monte Carlo SE is no error bar (the mean is
carried by rare far queries).

Margin [derived]: the rate's relative correction is :math:`O(n^{-1/d})`, each row judged within its
own :math:`n^{-1/d}` (as ``regime-poly-d``). Negative controls: the rate :math:`c_d n^{-1/d}` and no
decay (:math:`2d\sigma_\star^2`)."""

import sympy as sp

from memlab import theory
from memlab.theory.symbols import d

from ..claim import VerifiedClaim
from .common import rows_check, stored_theory
from .regime_poly_d import CONTROLS, MARGIN, row_margin

FINITE_VARIANCE = theory.Assumption(
    "finite-variance",
    r"d > 4",
    d,
    sp.Integer(5),
    "derived: the per-query distance (n p(x))^(-2/d) has finite variance under a Gaussian p only "
    "for d > 4, so only there is the Monte Carlo SE an error bar",
)

CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("regime-exp-d"),
    assumptions=(*theory.get_claim("regime-exp-d").assumptions, FINITE_VARIANCE),
    margin=MARGIN,
    needs=("regime-exp-d",),
    check=rows_check("E min distance²", margin_of=row_margin),
    prediction=stored_theory,
    controls=CONTROLS,
    tables=("nearest-neighbour distances",),
)
