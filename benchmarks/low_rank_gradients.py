"""Diagnostic (not a test): why the low-rank model of §4.2 does or does not leave its memorizing
start. At the ci tier's sizes, for one M, prints per parameter group the gradient of the expected
ε-objective (many noise draws, float64) at the paper's initialisation and after a few hundred
steps of the ci tier's training, the contribution of each grid time to the colour-variance
gradient, and the objective as a function of the colour variance alone (templates and colour means
held at the start), and how far Adam moved log s against the bound its learning rates allow.

    python benchmarks/low_rank_gradients.py [--M 15] [--steps 0,800,8000] [--draws 50]
        [--peak-lr 3e-3]
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import jax
import jax.numpy as jnp
import numpy as np

from memlab.numerics import numeric_time_grid, rank_one_factors
from memlab.numerics.checks.low_rank import low_rank_dataset
from memlab.training.ensemble import TrainSettings, largest_divisor_at_most, train_parameters
from memlab.training.initialization import PMEM_S2
from memlab.training.keys import SHARED, Purpose, jax_key
from memlab.training.low_rank_model import LowRankGMMDenoiser
from memlab.training.low_rank_sweep import low_rank_sweep_config
from memlab.training.objective import epsilon_loss
from memlab.training.optimizer import learning_rate_schedule


@jax.jit
def _objective(params, mask, x0, time_index, eps, alpha, sigma, weights):
    def loss(p):
        return epsilon_loss(
            LowRankGMMDenoiser(*p, mask), x0, time_index, eps, alpha, sigma, weights
        )

    return jax.value_and_grad(loss)(params)


def per_time_objective(params, mask, train, grid, draws, key):
    """Value and gradient of the ε-objective's term at each grid time (every training point at
    that time, ``draws`` noise draws: the expectation over the training draws, up to the Monte
    Carlo error of ``draws``); their mean over times is the expected objective."""
    N, D = train.shape
    alpha, sigma = jnp.asarray(grid.alpha), jnp.asarray(grid.sigma)
    x0 = jnp.asarray(train)
    found = []
    for i in range(grid.t.size):
        eps = jax.random.normal(jax.random.fold_in(key, i), (D, N, draws), jnp.float64)
        found.append(
            _objective(params, mask, x0, jnp.full(N, i), eps, alpha, sigma, jnp.ones(grid.t.size))
        )
    return found


def report(label, params, mask, train, grid, draws, key):
    found = per_time_objective(params, mask, train, grid, draws, key)
    loss = np.mean([float(value) for value, _ in found])
    grads = [np.mean([np.asarray(g[j]) for _, g in found], axis=0) for j in range(3)]
    templates, colours, log_std = (np.asarray(p) for p in params)
    s2 = float(np.exp(2 * log_std))
    p = templates.shape[1]
    norms = np.sqrt((templates**2).sum(1))
    print(f"\n== {label}: s² = {s2:.3g}, expected objective {loss:.4f}")
    print(
        f"   template norms / sqrt(p): {norms.min() / np.sqrt(p):.3f}.."
        f"{norms.max() / np.sqrt(p):.3f}"
        f"; |colour| mean {np.linalg.norm(colours, axis=1).mean():.3f}; effective colour variance "
        f"s²‖τ‖²/p: {s2 * (norms**2).min() / p:.3g}..{s2 * (norms**2).max() / p:.3g}"
    )
    for name, g, value in zip(("templates", "colours", "log_std"), grads, params, strict=True):
        print(
            f"   dL/d{name:<9}: RMS per entry {np.sqrt(np.mean(g**2)):.3e}, max "
            f"{np.abs(g).max():.3e}, norm {np.linalg.norm(g):.3e}, sum {g.sum():+.3e} "
            f"(parameter RMS {np.sqrt(np.mean(np.asarray(value) ** 2)):.3g})"
        )
    print("   dL/dlog_std by grid time (t: its term / 26):")
    print(
        "    "
        + ", ".join(
            f"{t:.2f}: {float(g[2]) / grid.t.size:+.2e}"
            for t, (_, g) in zip(grid.t, found, strict=True)
        )
    )


def variance_profile(params, mask, train, grid, draws, key):
    templates, colours, _ = params
    print("\n== the expected objective against s² (templates and colour means held)")
    values = {}
    for s2 in (1e-6, 1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 1.0, 3.0):
        candidate = (templates, colours, jnp.asarray(0.5 * np.log(s2)))
        found = per_time_objective(candidate, mask, train, grid, draws, key)
        values[s2] = np.mean([float(v) for v, _ in found])
    print("   " + ", ".join(f"s²={s2:g}: {v:.4f}" for s2, v in values.items()))
    generalizing = (templates, jnp.zeros_like(colours), jnp.asarray(0.0))
    found = per_time_objective(generalizing, mask, train, grid, draws, key)
    print(
        "   colour means 0, s² = 1 (the generalizing member on these templates): "
        f"{np.mean([float(v) for v, _ in found]):.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--M", type=int, default=15)
    parser.add_argument("--steps", default="0,800,8000")
    parser.add_argument("--draws", type=int, default=50)
    parser.add_argument("--tier", default="ci")
    parser.add_argument("--peak-lr", type=float, help="default: the tier's")
    args = parser.parse_args()
    jax.config.update("jax_enable_x64", True)
    config = replace(low_rank_sweep_config(args.tier), M=(args.M,))
    if args.peak_lr is not None:
        config = replace(config, peak_lr=args.peak_lr)
    data = low_rank_dataset(config.data)
    train = data.train
    grid = numeric_time_grid()
    rng = np.random.default_rng(0)
    chosen = rng.permutation(config.N)[: args.M]
    templates, colours = rank_one_factors(train[chosen])
    mask = jnp.ones(args.M, bool)
    key = jax.random.key(1)
    start = (jnp.asarray(templates), jnp.asarray(colours), jnp.asarray(0.5 * np.log(PMEM_S2)))
    print(
        f"tier {args.tier}: N={config.N} K={config.K} {config.h}x{config.w} M={args.M}, "
        f"peak lr {config.peak_lr}, {config.steps} steps, {config.noise_draws} noise draws"
    )
    report("start", start, mask, train, grid, args.draws, key)
    variance_profile(start, mask, train, grid, args.draws, key)
    for steps in [int(s) for s in args.steps.split(",") if int(s) > 0]:
        # the tier's optimiser and schedule, cut at ``steps`` (its warm-up is 10% of ``steps``)
        settings = TrainSettings(
            steps,
            config.noise_draws,
            largest_divisor_at_most(steps, config.chunk),
            config.peak_lr,
            config.final_lr,
            config.warmup_fraction,
            config.ema_decay,
            config.clip_norm,
            "map",
            1,
        )
        (t, c, s), _, _, _ = train_parameters(
            tuple(np.asarray(p)[None] for p in start),
            LowRankGMMDenoiser,
            np.ones((1, args.M), bool),
            np.zeros(1, np.int32),
            train[None],
            jnp.stack([jax_key("0" * 8, 0, SHARED, Purpose.TRAIN)]),
            grid.alpha,
            grid.sigma,
            np.ones(grid.t.size),
            settings,
            jnp.float32,
        )
        trained = (jnp.asarray(t[0]), jnp.asarray(c[0]), jnp.asarray(s[0]))
        report(f"after {steps} steps", trained, mask, train, grid, args.draws, key)
        # Adam moves a parameter by at most ~lr a step, whatever its gradient's size: the sum of
        # the schedule bounds how far log s can travel; the escape needs ½ log(σ_c²/1e-6).
        schedule = learning_rate_schedule(
            steps, config.peak_lr, config.final_lr, config.warmup_fraction
        )
        travel = float(sum(schedule(k) for k in range(steps)))
        moved = float(s[0]) - 0.5 * np.log(PMEM_S2)
        print(
            f"   log s moved {moved:+.2f}; Adam's bound, the schedule's sum of learning rates: "
            f"{travel:.2f} (efficiency {moved / travel:.2f}); the escape to s² = σ_c² needs "
            f"{0.5 * np.log(config.colour_var / PMEM_S2):.2f}"
        )


if __name__ == "__main__":
    main()
