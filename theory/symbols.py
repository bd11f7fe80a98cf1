r"""The symbols every closed form is written in.

``t`` is diffusion time, ``d`` the ambient dimension, ``K`` the number of mixture components,
``N`` the training-set size, ``M`` the model size (components), ``sigma2`` the data variance
:math:`\sigma_\star^2`, ``C`` the open coefficient of Theorem 3.2 and ``gamma2`` the squared
separation :math:`\gamma^2 = \min_{k \ne l} \|\mu_k - \mu_l\|^2`; for the low-rank model of
paper §4.2, ``r`` is the rank of each class and ``lam`` its (common) covariance eigenvalue
:math:`\lambda`, ``C_r`` the order-statistic coefficient of its partially memorizing excess and
``memorizing_per_competitor`` the derived memorizing loss one competitor adds to a memorized point,
:math:`e_t` (docs/theory.md §7); ``margin`` is a claim's relative margin :math:`m`, which conditions
that bound a dropped term by the margin read.
"""

import sympy as sp

t = sp.Symbol("t", positive=True)
d = sp.Symbol("d", positive=True, integer=True)
K = sp.Symbol("K", positive=True, integer=True)
N = sp.Symbol("N", positive=True, integer=True)
M = sp.Symbol("M", positive=True, integer=True)
n = sp.Symbol("n", positive=True)
sigma2 = sp.Symbol("σ⋆²", positive=True)
C = sp.Symbol("C", positive=True)
gamma2 = sp.Symbol("γ²", positive=True)
r = sp.Symbol("r", positive=True, integer=True)
lam = sp.Symbol("λ", positive=True)
C_r = sp.Symbol("C_r", positive=True)
memorizing_per_competitor = sp.Symbol("e_t", nonnegative=True)
margin = sp.Symbol("m", positive=True)

BY_NAME: dict[str, sp.Symbol] = {
    "t": t,
    "d": d,
    "K": K,
    "N": N,
    "M": M,
    "n": n,
    "sigma2": sigma2,
    "C": C,
    "gamma2": gamma2,
    "r": r,
    "lam": lam,
    "C_r": C_r,
    "memorizing_per_competitor": memorizing_per_competitor,
    "margin": margin,
}
"""The symbols by the plain names that configurations and the command line use."""

LATEX_NAMES: dict[sp.Symbol, str] = {sigma2: r"\sigma_\star^2", gamma2: r"\gamma^2"}


def to_latex(expr: sp.Basic) -> str:
    """LaTeX for an expression, with the data variance and separation written as in the paper."""
    return sp.latex(expr, symbol_names=LATEX_NAMES)
