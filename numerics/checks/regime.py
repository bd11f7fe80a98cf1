r"""The :math:`N = \mathrm{poly}(d)` regime measured: :math:`\mathbb E_x\min_i\|x - x_i\|^2` over a
grid of (d, n) against the asymptotic :math:`c_d\,d\sigma_\star^2`-scale law :math:`c_d n^{-2/d}`
(``theory.asymptotic_nearest_neighbour_distance``), with each row's regime from the claim's
assumption (``poly-d`` when it holds, ``asymptotic`` when :math:`n` is beyond it).

Rows (t = None): the configuration itself (mixture, nearest over all :math:`N` training points,
:math:`n = N/K` per cluster) and single Gaussians (K = 1) for d in {5, 10, 20, 50} and n in {100,
1000, 10000}. ``draws`` fresh query points per row (SE over queries, for the row's training set).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from memlab import theory

from ..data import make_dataset
from ..nearest_neighbour import measured_nearest_neighbour_distance
from ..provenance import monte_carlo_provenance
from ..rng import stream
from .common import theory_value
from .config import CheckConfig
from .result import CheckResult, CheckRow

__all__ = [
    "check_nearest_neighbour",
    "check_exp_regime",
    "GRID",
    "EXP_GRID",
    "EXP_QUERIES_PER_DRAW",
]

GRID = tuple((d, n) for d in (5, 10, 20, 50) for n in (100, 1000, 10000))
EXP_GRID = (
    *((d, n) for d in (3, 4) for n in (10, 100, 1000, 10_000, 100_000)),
    *((5, n) for n in (10, 100, 1000, 5**5, 10_000, 31_623, 100_000)),
    *((6, n) for n in (1000, 6**6, 100_000)),
)
"""The degenerate regime: d ≤ 6, n from far below d^d (27, 256, 3125, 46656) to 10^5; d = 5 at
d^d, 10^4, 10^4.5 and 10^5 and d = 6 at d^d and 10^5 are the rows past d^d with d > 4."""
EXP_QUERIES_PER_DRAW = 100
"""Query points per ``draws`` in the degenerate regime: a query is one k-d tree search at d ≤ 6
(``numerics.nearest_neighbour``), so 100 per draw costs seconds, and the SE (per-query coefficient
of variation ≈ 1 at d > 4, measured 0.8–1.1) is ≈ 1/√(100·draws): 1% at the ci tier's 100 draws, a
tenth of the smallest margin it is judged with (n^(-1/d) = 10% at d = 5, n = 10^5)."""


def _row(d: int, K: int, N: int, sigma2: float, seed: int, queries: int, case: str) -> CheckRow:
    data = make_dataset(d, K, N, sigma2, seed, n_test=queries)
    measured = measured_nearest_neighbour_distance(data.test, data.train)
    n = sp.Rational(N, K)
    sigma2_exact = theory.exact(sigma2, "sigma2")
    predicted = (
        theory_value(theory.asymptotic_nearest_neighbour_distance(d, sigma2_exact, n))
        if d > 2
        else None
    )
    assumption = theory.get_claim("regime-poly-d").assumptions[0].evaluate({"d": d, "K": 1, "N": n})
    return CheckRow(
        None,
        predicted,
        measured.mean,
        measured.se,
        {
            "case": case,
            "d": d,
            "K": K,
            "N": N,
            "n": float(n),
            "queries": queries,
            "regime": "poly-d" if assumption.holds else "asymptotic",
            "two_d_sigma2": 2.0 * d * sigma2,
            "measured_over_2d": measured.mean / (2.0 * d * sigma2),
        },
    )


def check_nearest_neighbour(
    config: CheckConfig, progress: Callable[[int, int], None] | None = None
) -> CheckResult:
    seeds = stream(config.seed, "regime-grid").integers(2**31, size=len(GRID))
    cases = [(config.d, config.K, config.N, config.seed, "configuration")]
    cases += [(d, 1, n, int(s), "single-gaussian") for (d, n), s in zip(GRID, seeds, strict=False)]
    rows = []
    for k, (d, K, N, seed, case) in enumerate(cases, start=1):
        rows.append(_row(d, K, N, config.sigma2, seed, config.draws, case))
        if progress is not None:
            progress(k, len(cases))
    first = rows[0]
    summary = {
        "configuration": {
            "measured": first.measured,
            "se": first.se,
            "theory": first.theory,
            "regime": first.extra["regime"],
            "two_d_sigma2": first.extra["two_d_sigma2"],
        },
        "max_abs_rel_err_asymptotic": max(
            (
                abs(r.rel_err)
                for r in rows
                if r.extra["regime"] == "asymptotic" and r.rel_err is not None
            ),
            default=None,
        ),
        "min_rel_err_poly_d": min(
            (r.rel_err for r in rows if r.extra["regime"] == "poly-d" and r.rel_err is not None),
            default=None,
        ),
    }
    return CheckResult(
        "regime-poly-d", config.as_dict(), tuple(rows), summary, monte_carlo_provenance(config.seed)
    )


def check_exp_regime(
    config: CheckConfig, progress: Callable[[int, int], None] | None = None
) -> CheckResult:
    r"""The :math:`N \gtrsim d^d` regime: single Gaussians at :math:`d \le 5` with :math:`n` up to
    :math:`10^5` (:data:`EXP_GRID`). At :math:`t \to 0` the memorizing denoiser returns the
    nearest training point and the generalizing one the point itself, so the gap between their
    population losses is :math:`\mathbb E\min_i\|x - x_i\|^2`, measured here with
    :data:`EXP_QUERIES_PER_DRAW` · ``draws`` fresh queries per row against Weed–Bach's
    :math:`c_d n^{-2/d}`."""
    seeds = stream(config.seed, "regime-exp-grid").integers(2**31, size=len(EXP_GRID))
    rows = []
    for k, ((d, n), seed) in enumerate(zip(EXP_GRID, seeds, strict=True), start=1):
        queries = EXP_QUERIES_PER_DRAW * config.draws
        rows.append(_row(d, 1, n, config.sigma2, int(seed), queries, "single-gaussian"))
        if progress is not None:
            progress(k, len(EXP_GRID))
    return CheckResult(
        "regime-exp-d", config.as_dict(), tuple(rows), {}, monte_carlo_provenance(config.seed)
    )
