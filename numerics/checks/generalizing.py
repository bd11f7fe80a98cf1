r"""Theorem 3.1 measured:
:math:`\mathcal L_{N,t}(\theta_\star) - \mathcal L_{N,t}(\theta_\text{mem})` against
:math:`d\sigma_\star^2/(1 + \psi_t\sigma_\star^2)`, per grid time.

Rows carry, besides the closed form, its value *given this training set* [derived]: if every point's
posterior picks its own cluster, :math:`\mathbb E_\varepsilon\|D_\star - x_i\|^2 =
(\sigma_t^2/v_t)^2\|x_i - \mu_{k_i}\|^2 + (\alpha_t\sigma_t\sigma_\star^2/v_t)^2 d`,
:math:`v_t = \alpha_t^2\sigma_\star^2 + \sigma_t^2`; its average over training sets is the closed
form. The gap between the two is the training set's own fluctuation, which the ``se`` (per-point
units) covers and ``se_noise`` (noise draws only) does not. The verdict (agreement within a margin)
is the verification layer's, which judges these rows.
"""

from __future__ import annotations

from collections.abc import Callable

from memlab import theory

from ..data import make_dataset
from ..provenance import monte_carlo_provenance
from ..schedule import numeric_time_grid
from .common import grid_rationals, loss_table, theory_value
from .config import CheckConfig
from .result import CheckResult, CheckRow

__all__ = ["check_generalizing_excess"]


def check_generalizing_excess(
    config: CheckConfig, progress: Callable[[int, int], None] | None = None
) -> CheckResult:
    table = loss_table(config, (), progress)
    grid, schedule = numeric_time_grid(config.schedule), theory.get_schedule(config.schedule)
    data = make_dataset(config.d, config.K, config.N, config.sigma2, config.seed)
    within_cluster = ((data.train - data.mixture.means[data.train_labels]) ** 2).sum(1).mean()
    v = grid.alpha**2 * config.sigma2 + grid.sigma**2
    given_train = (grid.sigma**2 / v) ** 2 * within_cluster + (
        grid.alpha * grid.sigma * config.sigma2 / v
    ) ** 2 * config.d
    measured, se = table.difference(0, 1, "points")
    _, se_noise = table.difference(0, 1, "draws")
    negligible = theory.get_claim("thm-3.1", schedule).assumptions[-1]
    rows = []
    for i, time in enumerate(grid_rationals()):
        predicted = theory_value(
            theory.generalizing_excess_loss(
                schedule, config.d, theory.exact(config.sigma2, "sigma2"), time
            )
        )
        assumption = negligible.evaluate(
            {
                "d": config.d,
                "K": config.K,
                "N": config.N,
                "t": time,
                "sigma2": theory.exact(config.sigma2, "sigma2"),
            }
        )
        rows.append(
            CheckRow(
                float(grid.t[i]),
                predicted,
                float(measured[i]),
                float(se[i]),
                {
                    "se_noise": float(se_noise[i]),
                    "theory_given_train": float(given_train[i]),
                    "generalizing_loss": float(table.generalizing[i]),
                    "memorizing_loss": float(table.memorizing[i]),
                    "assumption_holds": assumption.holds,
                },
            )
        )
    summary = {
        "max_abs_rel_err_t_le_0.8": max(abs(r.rel_err) for r in rows if r.t <= 0.8),
        "within_cluster_mean_square_over_d": float(within_cluster / (config.d * config.sigma2)),
    }
    return CheckResult(
        "thm-3.1", config.as_dict(), tuple(rows), summary, monte_carlo_provenance(config.seed)
    )
