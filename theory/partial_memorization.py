r"""Theorem 3.2 (reconstructed): the partially memorizing denoiser's excess training loss.

.. math::
    \mathcal L_{N,t}(\theta_{\text{pmem},M}) - \mathcal L_{N,t}(\theta_\text{mem})
    \approx C\, d\,\sigma_\star^2 \left(1 - \frac{M}{N}\right), \qquad C \in [1, 2].

Paper §3, Theorem 3.2 (docs/theory.md §4). Memorized points cost :math:`\approx 0`; each of the
:math:`(1 - M/N)N` others is pulled to memorized points of its own cluster, at a cost between the
dense limit :math:`d\sigma_\star^2` (:math:`C \to 1`) and the 1-sparse limit
:math:`2d\sigma_\star^2` (:math:`C \to 2`). The theory leaves :math:`C` open: it stays a symbol here
and is measured downstream.

Assumptions: as Theorem 3.1, plus :math:`M \le N`.
"""

from __future__ import annotations

import sympy as sp

from .exact import positive
from .symbols import C as C_symbol
from .symbols import M as M_symbol
from .symbols import N as N_symbol
from .symbols import d as d_symbol
from .symbols import sigma2 as sigma2_symbol

__all__ = ["C_INTERVAL", "partially_memorizing_excess_loss"]

C_INTERVAL: tuple[sp.Integer, sp.Integer] = (sp.Integer(1), sp.Integer(2))
"""The range of the coefficient :math:`C` that the theory allows (dense limit, 1-sparse limit)."""


def partially_memorizing_excess_loss(
    d: sp.Expr = d_symbol,
    sigma2: sp.Expr = sigma2_symbol,
    M: sp.Expr = M_symbol,
    N: sp.Expr = N_symbol,
    C: sp.Expr = C_symbol,
) -> sp.Expr:
    r""":math:`C d \sigma_\star^2 (1 - M/N)`, in :math:`x_0` units, the same at every time."""
    d, sigma2, M, N, C = (
        positive(v, name)
        for v, name in ((d, "d"), (sigma2, "sigma2"), (M, "M"), (N, "N"), (C, "C"))
    )
    return C * d * sigma2 * (1 - M / N)
