"""Training throughput of the model class on this machine (issue 4's performance target).

Setting d = 30, K = 4, N = 50, R = 100 noise draws, M in {10, 20, 30, 40, 45, 50}, float32 with
full-precision products. Each M trains alone (one model per program); ``ms_per_step`` is the median
over timed chunks of ``STEPS_PER_CHUNK`` steps after a first, compiling chunk. Also timed: all six M
as one program (padded to M = 50, one noise draw shared) — the way sweeps actually run. Flops per
model step: 12·N·R·M·d (two GEMMs forward, four backward). Peak: a float32 numpy 2048² matrix
product, best of five, in the same run, with all cores (as training uses them). For comparison,
``products_only_*``: the six products alone; ``noise_only_ms_per_step``: the step's draws alone;
``floor_ms_per_step`` their sum, and ``step_over_floor`` each step against it (issue 13: within
2x).

    python benchmarks/train_throughput.py [--json] [--chunks 5] [--steps-per-chunk 100]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from memlab.numerics import make_dataset, numeric_time_grid
from memlab.training import (
    SHARED,
    Purpose,
    TrainSettings,
    initialize,
    jax_key,
    numpy_rng,
    train_ensemble,
)
from memlab.training.ensemble import _draws
from memlab.training.jobs import model_batching, point_blocks

D, K, N, R = 30, 4, 50, 100
MS = (10, 20, 30, 40, 45, 50)
REFERENCE_MS = {10: 18.0, 20: 21.5, 30: 69.2, 40: 169.8, 45: 201.3, 50: 196.1}


def matmul_peak_gflops(size: int = 2048, repeats: int = 5) -> float:
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((size, size)).astype(np.float32) for _ in range(2))
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * size**3 / best / 1e9


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def chunk_seconds(Ms: tuple[int, ...], chunks: int, steps_per_chunk: int) -> list[float]:
    """Wall time of each chunk after the first (compiling) one, for Ms trained as one program."""
    data, grid = make_dataset(D, K, N, seed=0), numeric_time_grid("vp")
    width = max(Ms)
    means, s2, masks = (
        np.zeros((len(Ms), width, D)),
        np.zeros(len(Ms)),
        np.zeros((len(Ms), width), bool),
    )
    for e, M in enumerate(Ms):
        means[e, :M], s2[e] = initialize(
            "pmem", M, data.train, numpy_rng("0badc0de", 0, M, Purpose.INIT)
        )
        masks[e, :M] = True
    stamps = [time.perf_counter()]
    settings = TrainSettings(
        (chunks + 1) * steps_per_chunk,
        R,
        steps_per_chunk,
        batching=model_batching(),
        point_blocks=point_blocks(width, N, R),
    )
    train_ensemble(
        means,
        s2,
        masks,
        np.zeros(len(Ms), int),
        data.train[None],
        jax_key("0badc0de", 0, SHARED, Purpose.TRAIN)[None],
        grid.alpha,
        grid.sigma,
        np.ones(len(grid.t)),
        settings,
        jnp.float32,
        progress=lambda done: stamps.append(time.perf_counter()),
    )
    return list(np.diff(stamps)[1:])


def products_only_seconds(M: int, chunks: int, steps_per_chunk: int) -> float:
    """Median seconds per step of the six matrix products the flop count stands for, alone in a
    scanned loop (feature-major as in training, float32, HIGHEST): what XLA's products at these
    shapes allow, with no noise, softmax or optimiser work around them."""
    B, highest = N * R, jax.lax.Precision.HIGHEST
    dot = lambda a, b: jnp.dot(a, b, precision=highest)  # noqa: E731
    x = jax.random.normal(jax.random.key(0), (D, B), jnp.float32)

    @jax.jit
    def chunk(means):
        def step(means, _):
            logits = dot(means, x)  # M·d·B each, two forward and four backward
            m_bar = dot(means.T, logits)
            back = dot(means, m_bar)
            spread = dot(means.T, back)
            update = dot(back, x.T) + dot(logits, spread.T)
            return means + 1e-9 * update, None

        return jax.lax.scan(step, means, None, length=steps_per_chunk)[0]

    means = jax.random.normal(jax.random.key(1), (M, D), jnp.float32) / D
    run = lambda: chunk(means).block_until_ready()  # noqa: E731
    run()  # compiles
    return float(np.median([_timed(run) for _ in range(chunks)])) / steps_per_chunk


def noise_only_seconds(M: int, chunks: int, steps_per_chunk: int) -> float:
    """Median seconds per step of drawing one step's grid times and noise alone, exactly as the
    training step draws them (``ensemble._draws``, vmapped over training sets as in a chunk), in a
    scanned loop; a sum over the draws keeps them live. The draws do not depend on M: timed per M
    all the same, as the floor of each M's step."""
    x0 = jnp.asarray(make_dataset(D, K, N, seed=0).train, jnp.float32)[None]
    keys = jax_key("0badc0de", 0, SHARED, Purpose.TRAIN)[None]
    draw_all = jax.vmap(partial(_draws, R, len(numeric_time_grid("vp").t)), in_axes=(None, 0, 0))

    @jax.jit
    def chunk(total):
        def step(total, index):
            time_index, eps = draw_all(index, x0, keys)
            return total + jnp.sum(eps) + jnp.sum(time_index), None

        steps = jnp.arange(steps_per_chunk, dtype=jnp.int32)
        return jax.lax.scan(step, total, steps)[0]

    run = lambda: chunk(jnp.float32(M)).block_until_ready()  # noqa: E731
    run()  # compiles
    return float(np.median([_timed(run) for _ in range(chunks)])) / steps_per_chunk


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--steps-per-chunk", type=int, default=100)
    args = parser.parse_args()

    peak = matmul_peak_gflops()
    ms_per_step, gflops = {}, {}
    for M in MS:
        per_step = (
            float(np.median(chunk_seconds((M,), args.chunks, args.steps_per_chunk)))
            / args.steps_per_chunk
        )
        ms_per_step[M] = 1e3 * per_step
        gflops[M] = 12 * N * R * M * D / per_step / 1e9
    products_ms = {M: 1e3 * products_only_seconds(M, args.chunks, args.steps_per_chunk) for M in MS}
    noise_ms = {M: 1e3 * noise_only_seconds(M, args.chunks, args.steps_per_chunk) for M in MS}
    floor_ms = {M: products_ms[M] + noise_ms[M] for M in MS}
    ensemble_step = (
        float(np.median(chunk_seconds(MS, args.chunks, args.steps_per_chunk)))
        / args.steps_per_chunk
    )
    total_ms = sum(ms_per_step.values())
    achieved = 12 * N * R * sum(MS) * D / (total_ms / 1e3) / 1e9
    result = {
        "setting": {
            "d": D,
            "K": K,
            "N": N,
            "R": R,
            "M": list(MS),
            "dtype": "float32",
            "precision": "HIGHEST",
        },
        "ms_per_step": ms_per_step,
        "ms_per_step_sum": total_ms,
        "achieved_gflops": achieved,
        "achieved_gflops_per_M": gflops,
        "matmul_peak_gflops": peak,
        "fraction_of_peak": achieved / peak,
        "products_only_ms_per_step": products_ms,
        "products_only_fraction_of_peak": 12
        * N
        * R
        * sum(MS)
        * D
        / (sum(products_ms.values()) / 1e3)
        / 1e9
        / peak,
        "noise_only_ms_per_step": noise_ms,
        "floor_ms_per_step": floor_ms,
        "step_over_floor": {M: ms_per_step[M] / floor_ms[M] for M in MS},
        "step_over_floor_sum": total_ms / sum(floor_ms.values()),
        "speedup_vs_reference_sum": sum(REFERENCE_MS.values()) / total_ms,
        "ensemble_ms_per_step": 1e3 * ensemble_step,
        "ensemble_ms_per_step_per_model": 1e3 * ensemble_step / len(MS),
        "ensemble_speedup_vs_reference_sum": sum(REFERENCE_MS.values()) / (1e3 * ensemble_step),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "device": str(jax.devices()[0]),
            "cpus": os.cpu_count(),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
            "jax": jax.__version__,
            "numpy": np.__version__,
        },
        "date": time.strftime("%Y-%m-%d"),
    }
    if args.json:
        print(json.dumps(result))
        return
    for M in MS:
        print(
            f"M={M:>3}: {ms_per_step[M]:7.2f} ms/step ({gflops[M]:6.1f} GFLOP/s; reference "
            f"{REFERENCE_MS[M]} ms)"
        )
    print(
        f"sum {total_ms:.1f} ms (reference 676, {result['speedup_vs_reference_sum']:.1f}x); "
        f"{achieved:.1f} GFLOP/s = {100 * result['fraction_of_peak']:.0f}% of the {peak:.1f} "
        "GFLOP/s matmul peak"
    )
    print(
        f"the six products of a step alone: {sum(products_ms.values()):.1f} ms summed over M "
        f"= {100 * result['products_only_fraction_of_peak']:.0f}% of peak (the ceiling for XLA's "
        "products at these shapes)"
    )
    print(
        f"drawing a step's noise alone: {sum(noise_ms.values()):.1f} ms summed over M; floor "
        f"(products + noise) {sum(floor_ms.values()):.1f} ms; the summed step is "
        f"{result['step_over_floor_sum']:.2f}x its floor"
    )
    print(
        f"all six M as one program: {result['ensemble_ms_per_step']:.1f} ms/step "
        f"({result['ensemble_speedup_vs_reference_sum']:.1f}x the reference sum)"
    )


if __name__ == "__main__":
    main()
