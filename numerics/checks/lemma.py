r"""Lemma 2.1 measured: (a) Tweedie,
:math:`D_\star(x,t) = (x + \sigma_t^2\nabla\log p_t(x))/\alpha_t` with the closed-form score
(:mod:`numerics.score`), per grid time; (b) :math:`D_\star` is the :math:`M`-component model with
:math:`M/K` copies of each mean and :math:`s^2 = \sigma_\star^2` when :math:`K \mid M`, per grid
time; (c) no random perturbation of :math:`\theta_\star` lowers the population loss
:math:`\sum_t \mathbb E_{x_0\sim\pi_\star,\varepsilon}\|D_\theta(x_t) - x_0\|^2` beyond
:math:`3\,\text{SE}` (common random numbers: every denoiser sees the same fresh :math:`x_0` and
noise).

Rows have ``kind`` = ``tweedie`` | ``class-member`` (measured: max abs difference, theory 0) or
``perturbation`` (t = None; measured: loss increase, theory 0 as the lower bound). Every row carries
``roundoff``, a derived bound on the float64 error of its measured value (:mod:`numerics.roundoff`):
for an identity the sum of the two evaluations' bounds (max over the points); for a loss increase
:math:`\sum_t[2\sqrt d(\sqrt{L^j_t}\,\delta^j_t + \sqrt{L^\star_t}\,\delta^\star_t) +
d((\delta^j_t)^2 + (\delta^\star_t)^2)] + \gamma_{d+R+G+P+4}(L^j + L^\star)`, where :math:`\delta_t`
bounds a denoiser's error at time :math:`t` over the population's noised points, :math:`L_t` is its
loss there (Cauchy–Schwarz: :math:`|\,\overline{\|r+\delta\|^2} - \overline{\|r\|^2}| \le
2\sqrt{\overline{\|r\|^2}}\sqrt{\overline{\|\delta\|^2}} + \overline{\|\delta\|^2}`), and the
:math:`\gamma` term is the accumulation over coordinates, draws, times and points.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from jaxtyping import Float

from ..data import make_dataset
from ..denoisers import MixtureDenoiser, generalizing_denoiser
from ..estimate import estimate
from ..losses import per_draw_losses
from ..provenance import monte_carlo_provenance
from ..rng import stream
from ..roundoff import gamma, mixture_denoiser_roundoff, tweedie_denoiser_roundoff
from ..schedule import TimeGrid, numeric_time_grid
from ..score import tweedie_denoiser
from .config import CheckConfig
from .result import CheckResult, CheckRow

__all__ = ["check_mmse_denoiser", "perturbations", "population_points", "POPULATION_DRAWS"]

POPULATION_DRAWS = 2
"""Noise draws per population point in the perturbation rows' losses."""


def perturbations(
    means: np.ndarray, s2: float, rng: np.random.Generator
) -> list[tuple[str, np.ndarray, float]]:
    """Random perturbations of θ⋆ = (means, s2): means jittered, variance scaled, both, one mean
    moved."""
    K, d = means.shape
    jitter = lambda scale: means + scale * rng.standard_normal((K, d))  # noqa: E731
    moved = means.copy()
    moved[rng.integers(K)] += rng.standard_normal(d)
    return [
        ("means + 0.1 N(0, I)", jitter(0.1), s2),
        ("means + 0.3 N(0, I)", jitter(0.3), s2),
        ("s2 x 1.1", means, 1.1 * s2),
        ("s2 x 0.9", means, 0.9 * s2),
        ("s2 x 0.5", means, 0.5 * s2),
        ("means + 0.05 N(0, I), s2 x 1.05", jitter(0.05), 1.05 * s2),
        ("one mean + N(0, I)", moved, s2),
        ("means x 1.02", 1.02 * means, s2),
    ]


def check_mmse_denoiser(
    config: CheckConfig, progress: Callable[[int, int], None] | None = None
) -> CheckResult:
    data = make_dataset(config.d, config.K, config.N, config.sigma2, config.seed)
    mixture, grid = data.mixture, numeric_time_grid(config.schedule)
    D_star = generalizing_denoiser(mixture)
    M = 2 * config.K if config.M is None else config.M
    member = (
        MixtureDenoiser(np.repeat(mixture.means, M // config.K, axis=0), config.sigma2)
        if M % config.K == 0
        else None
    )
    points_rng = stream(config.seed, "lemma-points")
    rows = []
    for i in range(grid.t.size):
        alpha, sigma = float(grid.alpha[i]), float(grid.sigma[i])
        x0, _ = mixture.sample(points_rng, config.draws)
        x_t = alpha * x0 + sigma * points_rng.standard_normal(x0.shape)
        denoised = D_star(x_t, alpha, sigma)
        scale = float(np.abs(denoised).max())
        tweedie = float(
            np.abs(
                denoised - tweedie_denoiser(x_t, mixture.means, mixture.sigma2, alpha, sigma)
            ).max()
        )
        bound = mixture_denoiser_roundoff(x_t, mixture.means, config.sigma2, alpha, sigma)
        roundoff = bound + tweedie_denoiser_roundoff(
            x_t, mixture.means, config.sigma2, alpha, sigma
        )
        rows.append(
            CheckRow(
                float(grid.t[i]),
                0.0,
                tweedie,
                0.0,
                {"kind": "tweedie", "scale": scale, "roundoff": float(roundoff.max())},
            )
        )
        if member is not None:
            gap = float(np.abs(denoised - member(x_t, alpha, sigma)).max())
            roundoff = bound + mixture_denoiser_roundoff(
                x_t, member.means, config.sigma2, alpha, sigma
            )
            extra = {"kind": "class-member", "M": M, "scale": scale}
            rows.append(
                CheckRow(
                    float(grid.t[i]), 0.0, gap, 0.0, {**extra, "roundoff": float(roundoff.max())}
                )
            )
    if progress is not None:
        progress(1, 2)

    # Population loss: fresh x0 ~ π⋆ as the points, two noise draws each; per-point units are i.i.d.
    variants = perturbations(
        mixture.means, mixture.sigma2, stream(config.seed, "lemma-perturbations")
    )
    x0, _ = mixture.sample(stream(config.seed, "lemma-population"), max(config.draws, 2) * 20)
    denoisers = [D_star] + [MixtureDenoiser(means, s2) for _, means, s2 in variants]
    population = per_draw_losses(
        denoisers, x0, grid, POPULATION_DRAWS, config.seed, purpose="lemma-population-noise"
    ).per_point
    per_point = population.sum(axis=1)
    roundoffs = _loss_increase_roundoffs(denoisers, x0, grid, population.mean(axis=2), config.seed)
    increases = []
    for j, (description, _, _) in enumerate(variants, start=1):
        increase = estimate(per_point[j] - per_point[0])
        increases.append(increase)
        rows.append(
            CheckRow(
                None,
                0.0,
                increase.mean,
                increase.se,
                {
                    "kind": "perturbation",
                    "perturbation": description,
                    "z": increase.mean / increase.se,
                    "population_loss": float(per_point[0].mean()),
                    "roundoff": roundoffs[j - 1],
                },
            )
        )
    if progress is not None:
        progress(2, 2)
    tweedie_rows = [r for r in rows if r.extra["kind"] == "tweedie"]
    member_rows = [r for r in rows if r.extra["kind"] == "class-member"]
    summary = {
        "max_tweedie_discrepancy": max(r.measured for r in tweedie_rows),
        "max_class_member_discrepancy": max((r.measured for r in member_rows), default=None),
        "class_member_M": M if member is not None else None,
        "K_divides_M": member is not None,
        "min_loss_increase": min(e.mean for e in increases),
        "min_loss_increase_z": min(e.mean / e.se for e in increases),
    }
    return CheckResult(
        "lem-2.1",
        {**config.as_dict(), "M": M},
        tuple(rows),
        summary,
        monte_carlo_provenance(config.seed),
    )


def population_points(
    x0: Float[np.ndarray, "P d"], grid: TimeGrid, i: int, seed: int
) -> Float[np.ndarray, "R*P d"]:
    """The noised population points the perturbation rows' losses are evaluated at, grid time
    ``i``: the draws of ``numerics.losses`` (a time's noise is whole units of one stream)."""
    alpha, sigma = float(grid.alpha[i]), float(grid.sigma[i])
    noise = stream(seed, "lemma-population-noise", i).standard_normal((POPULATION_DRAWS, *x0.shape))
    return (alpha * x0[None] + sigma * noise).reshape(-1, x0.shape[1])


def _loss_increase_roundoffs(
    denoisers: list[MixtureDenoiser],
    x0: Float[np.ndarray, "P d"],
    grid: TimeGrid,
    losses: Float[np.ndarray, "D T"],
    seed: int,
) -> list[float]:
    """For each perturbed denoiser ``j >= 1``, the bound on the float64 error of its estimated loss
    increase over ``denoisers[0]`` (module docstring). ``losses`` (denoisers, times): the per-time
    population losses; the bounds are taken over :func:`population_points`."""
    points, d = x0.shape
    worst = np.zeros((len(denoisers), grid.t.size))
    for i in range(grid.t.size):
        alpha, sigma = float(grid.alpha[i]), float(grid.sigma[i])
        x_t = population_points(x0, grid, i, seed)
        for k, denoiser in enumerate(denoisers):
            bound = mixture_denoiser_roundoff(x_t, denoiser.means, denoiser.s2, alpha, sigma)
            worst[k, i] = bound.max()
    accumulation = gamma(d + POPULATION_DRAWS + grid.t.size + points + 4)
    out = []
    for j in range(1, len(denoisers)):
        propagated = 2 * np.sqrt(d) * (
            np.sqrt(losses[j]) * worst[j] + np.sqrt(losses[0]) * worst[0]
        ) + d * (worst[j] ** 2 + worst[0] ** 2)
        out.append(float(propagated.sum() + accumulation * (losses[j].sum() + losses[0].sum())))
    return out
