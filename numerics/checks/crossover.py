r"""Eq. (14) from measured losses: the crossover :math:`M^\star/N` per grid time and for whole
weightings, against the closed form :math:`1 - \bar r_\lambda / C`.

Per time :math:`t` the measured :math:`M^\star_t/N` is the root in :math:`M` of
:math:`\mathcal L_{N,t}(\theta_{\text{pmem},M}) - \mathcal L_{N,t}(\theta_\star)`
(:func:`numerics.measured_crossover_ratio` with all weight on :math:`t`). The closed form needs
:math:`C`; the ``theory`` column uses the measured :math:`C` at the model size nearest the measured
uniform crossover (mean over :math:`t \le 0.84`), and each row gives the :math:`C = 1` and
:math:`C = 2` ends as well.
"""

from __future__ import annotations

from collections.abc import Callable

from memlab import theory

from ..loss_table import default_model_sizes, measured_crossover_ratio
from ..provenance import monte_carlo_provenance
from .common import MEASURED_C_TIMES, grid_rationals, loss_table, theory_value
from .config import CheckConfig
from .result import CheckResult, CheckRow

__all__ = ["check_crossover", "WEIGHTINGS"]

WEIGHTINGS = ("uniform", "snr", "power:1/2")


def check_crossover(
    config: CheckConfig, progress: Callable[[int, int], None] | None = None
) -> CheckResult:
    Ms = default_model_sizes(config.N)
    table = loss_table(config, Ms, progress)
    uniform = measured_crossover_ratio(table, "uniform")
    # Measured C at the size nearest the uniform crossover (sizes below N only: C is undefined at
    # M = N).
    below = [j for j, M in enumerate(table.M) if M < config.N]
    j = min(below, key=lambda j: abs(table.M[j] / config.N - uniform.mean))
    flat = table.t <= MEASURED_C_TIMES
    excess, _ = table.difference(2 + j, 1, "points")
    C_hat = float(excess[flat].mean() / (config.d * config.sigma2 * (1 - table.M[j] / config.N)))
    sigma2, schedule = theory.exact(config.sigma2, "sigma2"), theory.get_schedule(config.schedule)
    C_exact = theory.exact(round(C_hat, 12), "C")
    rows = []
    for i, time in enumerate(grid_rationals()):
        one_hot = theory.Weighting.from_values(
            [1 if k == i else 0 for k in range(table.t.size)], name=f"t={float(time):g}"
        )
        per_time = measured_crossover_ratio(table, one_hot)
        ends = [
            theory_value(theory.per_time_crossover_ratio(c, schedule, sigma2, time))
            for c in theory.C_INTERVAL
        ]
        rows.append(
            CheckRow(
                float(table.t[i]),
                theory_value(theory.per_time_crossover_ratio(C_exact, schedule, sigma2, time)),
                per_time.mean,
                per_time.se,
                {"theory_C1": ends[0], "theory_C2": ends[1], "bracketed": per_time.bracketed},
            )
        )
    weightings = {}
    for name in WEIGHTINGS:
        measured = uniform if name == "uniform" else measured_crossover_ratio(table, name)
        low, high = (
            theory_value(bound) for bound in theory.crossover_interval(name, schedule, sigma2)
        )
        weightings[name] = {
            "measured": measured.mean,
            "se": measured.se,
            "n": measured.n,
            "bracketed": measured.bracketed,
            "theory_at_C": theory_value(theory.crossover_ratio(name, C_exact, schedule, sigma2)),
            "theory_C1": low,
            "theory_C2": high,
        }
    summary = {
        "M*/N": uniform.mean,
        "M*/N_se": uniform.se,
        "weighting": "uniform",
        "C": C_hat,
        "C_at_M": int(table.M[j]),
        "weightings": weightings,
        "model_sizes": [int(M) for M in table.M],
    }
    return CheckResult(
        "eq-14", config.as_dict(), tuple(rows), summary, monte_carlo_provenance(config.seed)
    )
