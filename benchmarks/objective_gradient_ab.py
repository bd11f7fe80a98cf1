"""The hand-written reverse pass of the ε objective (training/objective.py) against jax autodiff of
the same residual, timed in one process, interleaved (A B A B ...), so that a machine shared with
other work slows both alike. Each program is a full training step as ``train_ensemble`` runs it on
one model: the step's draws (``ensemble._draws``), value and gradient of the objective, and the
paper's optimiser, in a scanned loop of ``--steps-per-chunk`` steps; reported are medians over
``--rounds`` chunks after a compiling one, of the wall time and of the process's CPU time (less
sensitive to other work on the machine), in the benchmark setting of
``benchmarks/train_throughput.py`` (d = 30, N = 50, R = 100, float32, one block).

    python benchmarks/objective_gradient_ab.py [--json] [--rounds 7] [--steps-per-chunk 50]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax

from memlab.numerics import make_dataset, numeric_time_grid
from memlab.training import GMMDenoiser, epsilon_loss, paper_optimizer
from memlab.training.ensemble import _draws

D, K, N, R = 30, 4, 50, 100
MS = (10, 20, 30, 40, 45, 50)


def autodiff_loss(model, x0, time_index, eps, alphas, sigmas, time_weights):
    """The objective as it was before the hand-written reverse pass: the model's residual,
    differentiated by jax."""
    d, n, draws = eps.shape

    def columns(a):
        return jnp.repeat(a, draws, axis=-1)

    residual = model.epsilon_residual(
        columns(x0.T),
        eps.reshape(d, n * draws),
        columns(alphas[time_index]),
        columns(sigmas[time_index]),
    )
    per_point = jnp.mean(jnp.sum(residual**2, axis=0).reshape(n, draws), axis=1)
    return jnp.mean(time_weights[time_index] * per_point)


def training_chunk(loss, M: int, steps_per_chunk: int):
    """A jitted chunk of training steps of one model of M components with objective ``loss``."""
    data, grid = make_dataset(D, K, N, seed=0), numeric_time_grid("vp")
    x0 = jnp.asarray(data.train, jnp.float32)
    alphas, sigmas = (jnp.asarray(a, jnp.float32) for a in (grid.alpha, grid.sigma))
    weights, key = jnp.ones(len(grid.t), jnp.float32), jax.random.key(0)
    mask, optimizer = jnp.ones(M, bool), paper_optimizer(10 * steps_per_chunk)

    def step(carry, index):
        params, state = carry
        time_index, eps = _draws(R, len(grid.t), index, x0, key)

        def objective(p):
            return loss(GMMDenoiser(p[0], p[1], mask), x0, time_index, eps, alphas, sigmas, weights)

        value, grads = jax.value_and_grad(objective)(params)
        updates, state = optimizer.update(grads, state, params)
        return (optax.apply_updates(params, updates), state), value

    @jax.jit
    def chunk(params, state):
        return jax.lax.scan(step, (params, state), jnp.arange(steps_per_chunk, dtype=jnp.int32))

    params = (x0[:M], jnp.float32(-2.0))
    state = optimizer.init(params)

    def run() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        jax.block_until_ready(chunk(params, state))
        return (
            (time.perf_counter() - wall) / steps_per_chunk,
            (time.process_time() - cpu) / steps_per_chunk,
        )

    run()  # compiles
    return run


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps-per-chunk", type=int, default=50)
    args = parser.parse_args()
    result = {"load_average_before": os.getloadavg()}
    runs = {
        (M, name): training_chunk(loss, M, args.steps_per_chunk)
        for M in MS
        for name, loss in (("autodiff", autodiff_loss), ("custom_vjp", epsilon_loss))
    }
    times = {key: [] for key in runs}
    for round_ in range(args.rounds):
        # every program once per round, the order reversed every other round (A B B A ...)
        for key in list(runs)[:: 1 if round_ % 2 == 0 else -1]:
            times[key].append(runs[key]())
    for clock, column in (("ms_per_step", 0), ("cpu_ms_per_step", 1)):
        result[clock] = {
            M: {
                name: 1e3 * float(np.median([t[column] for t in times[M, name]]))
                for name in ("autodiff", "custom_vjp")
            }
            for M in MS
        }
    result["load_average_after"] = os.getloadavg()
    if args.json:
        print(json.dumps(result))
        return
    for M in MS:
        wall, cpu = result["ms_per_step"][M], result["cpu_ms_per_step"][M]
        print(
            f"M={M:>3}: autodiff {wall['autodiff']:6.2f} ms/step (CPU {cpu['autodiff']:6.2f} ms), "
            f"custom VJP {wall['custom_vjp']:6.2f} ms/step (CPU {cpu['custom_vjp']:6.2f} ms): "
            f"{wall['autodiff'] / wall['custom_vjp']:.2f}x wall, "
            f"{cpu['autodiff'] / cpu['custom_vjp']:.2f}x CPU"
        )
    print(f"load average {result['load_average_before']} -> {result['load_average_after']}")


if __name__ == "__main__":
    main()
