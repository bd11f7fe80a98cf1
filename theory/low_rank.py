r"""Closed forms for the low-rank image-like model of paper §4.2 (docs/theory.md §7).

Each class :math:`k` is a zero-mean Gaussian of rank :math:`r` (:math:`r = 3` colour channels)
with eigenvalues :math:`\lambda_{k,1..r}` (:math:`x = c\otimes T_k`,
:math:`\lambda = \sigma_c^2\|T_k\|^2`).

**Generalizing excess, the rank-r analogue of Theorem 3.1 [derived].** For a training point whose
posterior picks its own class, :math:`D_\star - x_i` is the error of a Gaussian posterior mean, so
:math:`\mathbb E\|D_\star - x_i\|^2 = \operatorname{tr}\mathrm{Cov}(x_0\mid x_t) =
\sum_{j\le r}\lambda_j/(1 + \psi_t\lambda_j)` exactly (it does not depend on the ambient dimension);
the memorizing loss is negligible while :func:`low_rank_memorizing_negligible` holds, so

.. math::
    \mathcal L_{N,t}(\theta_\star) - \mathcal L_{N,t}(\theta_\text{mem}) \approx
    \sum_{j\le r}\frac{\lambda_j}{1 + \psi_t\lambda_j} \;\to\; \frac{r}{\psi_t}
    \quad (\psi_t\lambda_j \gg 1).

**Partially memorizing excess, the analogue of Theorem 3.2 [derived in the 1-sparse regime].**
Memorized points cost :math:`\approx 0` (while :func:`low_rank_one_sparse` holds); a
non-memorized point goes to its nearest memorized point, so the excess is
:math:`(1 - M/N)\,\mathbb E\min_{i\in S}\|x_j - x_i\|^2 = C_r\, r\lambda(1 - M/N)` with
:math:`C_r` the order-statistic integral of :mod:`numerics.low_rank_c`. Unlike the isotropic
:math:`C \in [1, 2]`, :math:`C_r` depends strongly on :math:`M` (nearest neighbours in :math:`r = 3`
dimensions come close: :math:`C_r \sim (M/K)^{-2/r}`), so it is an argument here, not a constant.

**The crossover, the analogue of eq. (14) [derived from the two above].** Equating the
:math:`\lambda`-weighted sums of the two excesses gives the isotropic formula with
:math:`\sigma_\star^2` replaced by the eigenvalue :math:`\lambda` and :math:`C` by
:math:`C_r(M^\star)`:

.. math::
    \frac{M^\star}{N} = 1 - \frac{1}{C_r(M^\star)}\,
    \frac{\sum_t w(t)/(1 + \psi_t\lambda)}{\sum_t w(t)},

a fixed point in :math:`M^\star` (``numerics.low_rank_c.low_rank_crossover``). **Conjectured**, as
in the isotropic case: that trained models switch from generalizing to memorizing at this
:math:`M^\star` (the paper reports the transition only qualitatively here; Figure 5).
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from .assumptions import Assumption
from .exact import exact, positive
from .schedules import VP, Schedule
from .symbols import C as C_symbol
from .symbols import C_r, N, lam, margin, memorizing_per_competitor, r
from .symbols import M as M_symbol
from .symbols import t as t_symbol

__all__ = [
    "RANK",
    "low_rank_generalizing_excess",
    "low_rank_signal_limit",
    "low_rank_partial_excess",
    "low_rank_memorizing_negligible",
    "low_rank_one_sparse",
]

RANK = 3
"""Colour channels: the rank of every class of the paper's model."""


def low_rank_generalizing_excess(
    eigenvalues: Sequence[sp.Expr] | None = None,
    schedule: Schedule = VP,
    time: sp.Expr = t_symbol,
    rank: sp.Expr = r,
    eigenvalue: sp.Expr = lam,
) -> sp.Expr:
    r""":math:`\sum_j \lambda_j/(1 + \psi_t\lambda_j)` over ``eigenvalues``, or
    :math:`r\lambda/(1 + \psi_t\lambda)` for ``rank`` equal eigenvalues ``eigenvalue``; x₀ units."""
    psi = schedule.snr.subs(t_symbol, exact(time, "time"))
    if eigenvalues is None:
        rank, eigenvalue = positive(rank, "r"), positive(eigenvalue, "lam")
        return rank * eigenvalue / (1 + psi * eigenvalue)
    return sum(
        (positive(value, "eigenvalue") / (1 + psi * positive(value, "eigenvalue")))
        for value in eigenvalues
    )


def low_rank_signal_limit(schedule: Schedule = VP, time: sp.Expr = t_symbol, rank=r) -> sp.Expr:
    r""":math:`r/\psi_t`: the generalizing excess when every :math:`\psi_t\lambda_j \gg 1`."""
    return positive(rank, "r") / schedule.snr.subs(t_symbol, exact(time, "time"))


def low_rank_partial_excess(
    rank: sp.Expr = r,
    eigenvalue: sp.Expr = lam,
    M: sp.Expr = M_symbol,
    N_value: sp.Expr = N,
    C: sp.Expr = C_symbol,
) -> sp.Expr:
    r""":math:`C_r\, r\lambda\,(1 - M/N)` in x₀ units, the same at every time (1-sparse regime)."""
    return (
        positive(C, "C")
        * positive(rank, "r")
        * positive(eigenvalue, "lam")
        * (1 - positive(M, "M") / positive(N_value, "N"))
    )


def low_rank_memorizing_negligible(
    fraction: sp.Expr = margin, schedule: Schedule = VP
) -> Assumption:
    r"""The generalizing closed form's condition [derived]: the memorizing loss it drops is at most
    ``fraction`` (the claim's relative margin :math:`m`) of it,

    .. math::
        e_t\,(N - 1) \le m\,\frac{r\lambda}{1 + \psi_t\lambda}.

    The closed form is the excess over :math:`\mathcal L_{N,t}(\theta_\text{mem})` taken as 0. To
    first order in rare competitors each of the :math:`N - 1` others adds :math:`e_t` to a
    training point's memorizing loss (:func:`low_rank_one_sparse` derives :math:`e_t`; this is its
    memorizing part at :math:`M = 0`). In rank :math:`r` nearest neighbours
    come close, so the loss falls as a power law in :math:`\psi_t\lambda` with no sharp edge like
    the isotropic :math:`4\log(N/K)`: whether it is negligible depends on the margin it must fit
    in. First order overstates the loss where competitors share the posterior, so the condition
    errs towards failing early (docs/theory.md §7)."""
    return Assumption(
        "memorizing-negligible-low-rank",
        rf"e_t\,(N - 1) \leq {sp.latex(fraction)}\,\frac{{r\lambda}}{{1 + \psi_t\lambda}}",
        fraction * low_rank_generalizing_excess(schedule=schedule),
        memorizing_per_competitor * (N - 1),
        f"derived, m = {fraction}: the memorizing loss the generalizing closed form drops, "
        "e_t (N - 1) with e_t the loss one competitor adds, must fit in the claim's margin",
    )


def low_rank_one_sparse(fraction: sp.Expr) -> Assumption:
    r"""The 1-sparse condition of the partially memorizing closed form [derived]: the memorizing
    part it drops is at most ``fraction`` (the claim's relative margin) of it,

    .. math::
        e_t\,\Big(N - 1 - \frac{M(M-1)}{N}\Big) \le m\; C_r(M)\, r\lambda\,(1 - M/N),

    :math:`e_t` the memorizing loss one competitor adds to a memorized point
    (:mod:`numerics.low_rank_memorizing`; a configuration field, as it needs the template angles).

    Derivation (docs/theory.md §7). At :math:`x_t = \alpha_t x_i + \sigma_t\varepsilon` the
    memorizing posterior's log-weight gap between :math:`x_i` and a competitor :math:`x_j` is
    :math:`\Delta_j = \tfrac{\psi_t}2 D_{ij} + \sqrt{\psi_t}\,\varepsilon\cdot(x_i - x_j)
    \sim\mathcal N(a/2, a)`, :math:`a = \psi_t D_{ij}`. In the isotropic model :math:`D_{ij}
    \approx 2d\sigma_\star^2` concentrates, which gives a sharp edge in :math:`\sqrt{\psi_t
    d\sigma_\star^2}` against :math:`\sqrt{2\log(N/K)}`. In rank :math:`r` it does not: within
    class :math:`k`, :math:`D_{ij} = \|c_i - c_j\|^2\|T_k\|^2 \sim 2\lambda\chi^2_r` has
    density :math:`\propto D^{r/2-1}` at 0, so a few competitors always sit close; across classes
    :math:`D_{ij}/\lambda = \|z_i - c_{kl}z_j\|^2 + (1 - c_{kl}^2)\|z_j\|^2` (template
    cosine :math:`c_{kl}`), close only when both colours are small. The expected number of
    winning competitors, :math:`(N-1)\,\mathbb E\,\Phi(-\sqrt{\psi_t D}/2)`, falls like
    :math:`(N/K)(\psi_t\lambda)^{-r/2}`, a power law, not a Gaussian tail; what the closed form
    needs is the loss they cause. One competitor adds :math:`w^2 D`, :math:`w = \sigma(-\Delta)`,
    so a point among :math:`n` others loses :math:`n\,e_t`, :math:`e_t = \mathbb E[D\,
    h(\psi_t D)]`, :math:`h(a) = \mathbb E_g\,\sigma(-a/2 - \sqrt a\,g)^2` (first order in rare
    competitors: each weighed as if alone, which overstates shared weights). The excess is
    :math:`\tfrac1N[\sum_{j\notin S}(\min_{i\in S}D_{ij} - (N-1)e_t) + \sum_{i\in S}((M-1)
    - (N-1))e_t]`: the closed form less :math:`e_t(N - 1 - M(M-1)/N)`. For a non-memorized point
    the two first-order effects of noise at a Voronoi face of the memorized set (a switch to the
    runner-up, and the averaging of the two) cancel (docs/theory.md §7), so the memorizing part is
    the first failure. The closed form can hold within its margin only while that part fits in it.
    """
    return Assumption(
        "one-sparse-low-rank",
        rf"e_t\,(N - 1 - M(M-1)/N) \leq {sp.latex(fraction)}\, C_r\, r\lambda\,(1 - M/N)",
        fraction * C_r * r * lam * (1 - M_symbol / N),
        memorizing_per_competitor * (N - 1 - M_symbol * (M_symbol - 1) / N),
        f"derived, m = {fraction}: the memorizing part the 1-sparse closed form drops, "
        "e_t (N - 1 - M(M-1)/N) with e_t the loss one competitor adds (pair distances of the "
        "low-rank model, template angles included), must fit in the claim's margin",
    )
