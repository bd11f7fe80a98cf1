r"""Theorem 3.2 measured:
:math:`\mathcal L_{N,t}(\theta_{\text{pmem},M}) - \mathcal L_{N,t}(\theta_\text{mem})` against
:math:`C d\sigma_\star^2(1 - M/N)`, per grid time, with the measured
:math:`C(t, M) = \text{excess}/(d\sigma_\star^2(1 - M/N))`.

The theory leaves :math:`C \in [1, 2]` open; the ``theory`` column uses our 1-sparse prediction
:math:`C_\text{sharp}` (:mod:`numerics.sharp_c`), and each row also gives the ends of the interval
and the dense limit :math:`1 + K/M`. ``se`` covers the draw of the training set (per-point units)
and of the memorized subset (the spread over the table's subset blocks), which the closed forms
average over; ``se_noise`` covers the noise draws only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from memlab import theory
from memlab.theory.errors import InvalidInput

from ..provenance import monte_carlo_provenance
from ..sharp_c import dense_C, sharp_C
from .common import MEASURED_C_TIMES, loss_table, theory_value
from .config import CheckConfig
from .result import CheckResult, CheckRow

__all__ = ["check_partially_memorizing_excess", "default_M"]


def _in_C_interval(C: float) -> bool:
    low, high = (float(c) for c in theory.C_INTERVAL)
    return bool(low <= C <= high)


def default_M(N: int) -> int:
    """M = N/5 (the Figure-1 example M = 40 at N = 200)."""
    return max(1, N // 5)


def check_partially_memorizing_excess(
    config: CheckConfig, progress: Callable[[int, int], None] | None = None
) -> CheckResult:
    M = default_M(config.N) if config.M is None else config.M
    if M >= config.N:
        raise InvalidInput(
            "M", M, f"an integer in [1, N - 1 = {config.N - 1}] (at M = N the excess is 0)"
        )
    table = loss_table(config, (M,), progress)
    scale = config.d * config.sigma2 * (1 - M / config.N)
    measured, se = table.difference(2, 1, "points")
    _, se_noise = table.difference(2, 1, "draws")
    C_sharp, C_dense = sharp_C(config.d, config.K, M, sigma2=config.sigma2), dense_C(config.K, M)
    sigma2 = theory.exact(config.sigma2, "sigma2")

    def closed_form(C: float) -> float:
        return theory_value(
            theory.partially_memorizing_excess_loss(
                config.d, sigma2, M, config.N, theory.exact(float(C), "C")
            )
        )

    interval = [closed_form(float(c)) for c in theory.C_INTERVAL]
    predicted = closed_form(C_sharp)
    rows = []
    for i, time in enumerate(table.t):
        C = measured[i] / scale
        rows.append(
            CheckRow(
                float(time),
                predicted,
                float(measured[i]),
                float(se[i]),
                {
                    "C": float(C),
                    "C_se": float(se[i] / scale),
                    "C_se_noise": float(se_noise[i] / scale),
                    "C_sharp": C_sharp,
                    "C_dense": C_dense,
                    "C_in_interval": _in_C_interval(C),
                    "theory_C1": interval[0],
                    "theory_C2": interval[1],
                    "se_noise": float(se_noise[i]),
                },
            )
        )
    # Claim-level C: the mean over t <= 0.84 of the per-unit C, so its SE keeps the correlation over
    # t.
    flat = table.t <= MEASURED_C_TIMES
    summary = {
        "M": M,
        "C_sharp": C_sharp,
        "C_dense": C_dense,
        "C_sharp_without_conditioning": sharp_C(
            config.d, config.K, M, sigma2=config.sigma2, conditioning=False
        ),
        "C_sharp_without_empty_clusters": sharp_C(
            config.d, config.K, M, sigma2=config.sigma2, empty_clusters=False
        ),
        "C_times": f"t <= {MEASURED_C_TIMES}",
    }
    for units, key in (("points", "C_mean"), ("draws", "C_mean_noise")):
        mean, covariance = table.moments(
            lambda samples: (
                (samples[2, flat] - samples[1, flat]).mean(axis=0, keepdims=True) / scale
            ),
            units,
        )
        summary[key] = float(mean[0])
        summary[key + "_se"] = float(np.sqrt(covariance[0, 0]))
    summary["C_mean_in_interval"] = _in_C_interval(summary["C_mean"])
    summary["closer_to"] = (
        "1-sparse"
        if abs(summary["C_mean"] - C_sharp) <= abs(summary["C_mean"] - C_dense)
        else "dense"
    )
    config_dict = {**config.as_dict(), "M": M}
    return CheckResult(
        "thm-3.2", config_dict, tuple(rows), summary, monte_carlo_provenance(config.seed)
    )
