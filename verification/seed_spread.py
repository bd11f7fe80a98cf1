r"""Transition points with training randomness inside their intervals, and convergence measured
between two step budgets (issue 13).

**Per seed.** Each training seed draws a new training set, initialisation and noise stream; the
sweep fits each seed's memorization curve alone (``M_pt_per_seed``). The measured value of a
configuration is the mean of its per-seed :math:`M_{pt}/N`.

**Interval: pooled between-seed variance, t quantile.** With :math:`n_c` seeds per configuration
and values :math:`m_{cs}`, the seed variance (which contains the sampling noise of each seed's fit,
so seeds *and* samples) is pooled over every configuration with two or more seeds,

.. math::
    s^2 = \frac{\sum_c\sum_s (m_{cs} - \bar m_c)^2}{\sum_c (n_c - 1)},\qquad
    \bar m_c \pm t_{0.975,\,\nu}\,\frac{s}{\sqrt{n_c}},\quad \nu = \sum_c (n_c - 1),

assuming one seed variance for all configurations. Why not a bootstrap over seeds: with 2 seeds a
resample has 3 distinct outcomes and its spread is :math:`\sqrt{1/2}` of the seeds' (the
bootstrap's :math:`(n-1)/n` variance bias), and a per-configuration t interval has 1 degree of
freedom (:math:`t_{0.975,1} = 12.7`). The sweep's own interval (seeds resampled, then each count
redrawn from its binomial: a hierarchical bootstrap of the pooled curve) is kept beside it.
The standard error handed to the verdicts is :math:`(t_{0.975,\nu}/z_{0.975})\,s/\sqrt{n_c}`,
so that their normal quantile gives this t interval.

**Converged or not.** A configuration also trained at a second budget is ``not converged`` when
the two values differ by more than :math:`1.96\sqrt{SE_1^2 + SE_2^2}` (their difference's 95%
interval excludes 0); such a configuration is shown but not used to confirm or refute.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

__all__ = ["seed_variance", "configuration_values", "convergence"]

Z = 1.959963984540054


def _per_seed(config: dict) -> list[float]:
    return [m / config["N"] for m in config.get("M_pt_per_seed") or [] if m is not None]


def seed_variance(configs: Sequence[dict]) -> tuple[float | None, int]:
    """The pooled between-seed variance of M_pt/N and its degrees of freedom (None, 0 when no
    configuration has two seeds with a crossing)."""
    squares, freedom = 0.0, 0
    for config in configs:
        values = _per_seed(config)
        if len(values) >= 2:
            squares += float(np.sum((np.asarray(values) - np.mean(values)) ** 2))
            freedom += len(values) - 1
    return (squares / freedom, freedom) if freedom else (None, 0)


def configuration_values(config: dict, variance: float | None, freedom: int) -> dict:
    """Per-seed values, the measured M_pt/N, its seed-inclusive interval and the SE for the
    verdicts; ``method`` says which interval it is."""
    values = _per_seed(config)
    N = config["N"]
    ci = config.get("M_pt_ci") or [None, None]
    bootstrap = None if None in ci else [ci[0] / N, ci[1] / N]
    found = {
        "d": config["d"],
        "K": config["K"],
        "N": N,
        "steps": config["steps"],
        "per_seed": [None if m is None else m / N for m in config.get("M_pt_per_seed") or []],
        "pooled_curve": None if config.get("M_pt") is None else config["M_pt"] / N,
        "bootstrap_ci": bootstrap,
        "clean_step": bool(config.get("clean_step")),
    }
    if values and variance is not None:
        quantile = float(stats.t.ppf(0.975, freedom))
        half = quantile * math.sqrt(variance / len(values))
        centre = float(np.mean(values))
        return {
            **found,
            "measured": centre,
            "ci": [centre - half, centre + half],
            "se": half / Z,
            "method": f"mean of {len(values)} seeds; t interval, seed variance pooled over "
            f"configurations ({freedom} degrees of freedom)",
        }
    if found["pooled_curve"] is not None and bootstrap is not None:
        return {
            **found,
            "measured": found["pooled_curve"],
            "ci": bootstrap,
            "se": (bootstrap[1] - bootstrap[0]) / (2 * Z),
            "method": "pooled curve; bootstrap over samples only (fewer than two seeds crossed: "
            "training randomness is not in this interval)",
        }
    return {**found, "measured": found["pooled_curve"], "ci": None, "se": None, "method": "none"}


def convergence(main: dict, longer: dict) -> dict:
    """The two budgets' values and whether they agree (see the module docstring)."""
    found = {
        "steps": [main["steps"], longer["steps"]],
        "measured": [main["measured"], longer["measured"]],
        "ci": [main["ci"], longer["ci"]],
    }
    if None in (main["measured"], longer["measured"], main["se"], longer["se"]):
        return {**found, "converged": None, "why": "a budget has no measured M_pt or interval"}
    difference = longer["measured"] - main["measured"]
    bound = Z * math.hypot(main["se"], longer["se"])
    return {
        **found,
        "difference": difference,
        "bound": bound,
        "converged": bool(abs(difference) <= bound),
        "why": f"|difference| {abs(difference):.3f} {'<=' if abs(difference) <= bound else '>'} "
        f"1.96·SE of the difference {bound:.3f}",
    }
