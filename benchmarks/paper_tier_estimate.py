"""How long the paper tier's sweep takes for one seed on this machine (issue 4's GPU target: under 1
hour on one H100), estimated from short timed runs of the sweep's own jobs.

A training step's cost depends on d, N, the ensemble (its models and their padded width) and R, not
on K. So for each (d, N) of the paper tier this runs ``training.train_job`` on the coarse ensemble
(M = N/10 … N, seed 0, R = 100, 50 samples: the paper's settings) for ``--steps`` steps, timing
every chunk after the first (compiling) one, and the measurement that follows training (losses, DDIM
samples, Definition 2.2).

The estimate for one seed, per configuration (d, K, N): the coarse ensemble and the refinement
ensemble (at most ``refine`` = 10 models, none wider than N, so at most the coarse cost) each train
``steps`` = 50,000 steps and measure their models; every configuration compiles its refinement
program and each (d, N) its coarse one (shared by the four K). It is an upper estimate: refinement
ensembles are usually narrower.

    python benchmarks/paper_tier_estimate.py [--json] [--steps 40] [--chunk 10] \\
        [--d 30 40 ...] [--N 50 ...]

It runs 16 short jobs (3 minutes on the 2-core CPU); on a GPU (``pip install -e ".[dev,gpu]"``) they
train there and measure on the host's CPU, as the sweep does. The full measurement is
``memlab sweep --tier paper --config one_seed.toml`` with ``seeds = 1`` in the file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from memlab.training import PAPER, coarse_M, resolve, train_job, training_provenance  # noqa: E402

TARGET_HOURS = 1.0


def time_coarse_job(d: int, N: int, steps: int, chunk: int) -> dict[str, float]:
    """Seconds per training step, compile seconds and measurement seconds per model of one coarse
    job (``steps`` a multiple of ``chunk``, so that the job's chunks are the ones timed here)."""
    sweep, _ = resolve(
        "paper", {"d": [d], "K": [PAPER.K[0]], "N": [N], "seeds": 1, "steps": steps, "chunk": chunk}
    )
    members = [(M, 0) for M in coarse_M(N)]
    stamps = [time.perf_counter()]
    train_job(
        sweep,
        d,
        PAPER.K[0],
        N,
        members,
        progress=lambda done, total: stamps.append(time.perf_counter()),
    )
    finished = time.perf_counter()
    chunk_seconds = np.diff(stamps)
    step_seconds = float(np.median(chunk_seconds[1:])) / chunk
    return {
        "d": d,
        "N": N,
        "models": len(members),
        "ms_per_step": 1e3 * step_seconds,
        "compile_s": max(0.0, float(chunk_seconds[0]) - chunk * step_seconds),
        "measure_s_per_model": (finished - stamps[-1]) / len(members),
    }


def one_seed_estimate(shapes: list[dict[str, float]], K_count: int) -> dict[str, float]:
    """Hours of one seed of the paper sweep over ``shapes``, each standing for its ``K_count``
    configurations."""
    seconds = {
        "training_hours": sum(K_count * 2 * PAPER.steps * s["ms_per_step"] / 1e3 for s in shapes),
        "measurement_hours": sum(
            K_count * (s["models"] + PAPER.refine) * s["measure_s_per_model"] for s in shapes
        ),
        "compile_hours": sum((1 + K_count) * s["compile_s"] for s in shapes),
    }
    return {
        **{key: value / 3600 for key, value in seconds.items()},
        "total_hours": sum(seconds.values()) / 3600,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--steps", type=int, default=40, help="steps per timed job (the first chunk compiles)"
    )
    parser.add_argument("--chunk", type=int, default=10, help="steps per timed chunk")
    parser.add_argument("--d", type=int, nargs="+", default=list(PAPER.d))
    parser.add_argument("--N", type=int, nargs="+", default=list(PAPER.N))
    args = parser.parse_args()
    if args.chunk < 1 or args.steps % args.chunk or args.steps < 2 * args.chunk:
        parser.error(
            f"--steps ({args.steps}) must be a multiple of --chunk ({args.chunk}) and at least two "
            "chunks: "
            "the first chunk compiles"
        )

    shapes = []
    for d in args.d:
        for N in args.N:
            shapes.append(time_coarse_job(d, N, args.steps, args.chunk))
            if not args.json:
                s = shapes[-1]
                print(
                    f"d={d:>3} N={N:>4}: {s['ms_per_step']:9.2f} ms/step for {s['models']} models, "
                    f"compile {s['compile_s']:.1f} s, measure {s['measure_s_per_model']:.2f} "
                    "s/model",
                    flush=True,
                )
    complete = sorted(args.d) == sorted(PAPER.d) and sorted(args.N) == sorted(PAPER.N)
    estimate = one_seed_estimate(shapes, len(PAPER.K))
    recorded = training_provenance()
    result = {
        "setting": {
            "tier": "paper",
            "seeds": 1,
            "steps": PAPER.steps,
            "noise_draws": PAPER.noise_draws,
            "samples": PAPER.samples,
            "refine": PAPER.refine,
            "K_per_shape": len(PAPER.K),
            "timed_steps_per_job": args.steps,
            "chunk": args.chunk,
            "all_64_configurations": complete,
        },
        "shapes": shapes,
        **estimate,
        "target_hours": TARGET_HOURS,
        "meets_target": complete and estimate["total_hours"] < TARGET_HOURS,
        "provenance": recorded,
        "date": time.strftime("%Y-%m-%d"),
    }
    if args.json:
        print(json.dumps(result))
        return
    scope = (
        "the paper tier's 64 configurations"
        if complete
        else f"the {len(shapes) * len(PAPER.K)} configurations timed"
    )
    print(
        f"one seed of {scope}: {estimate['total_hours']:.2f} h (training "
        f"{estimate['training_hours']:.2f} h, "
        f"measurement {estimate['measurement_hours']:.2f} h, compilation "
        f"{estimate['compile_hours']:.2f} h); "
        f"target < {TARGET_HOURS:g} h on one H100 ({recorded['device']})"
    )


if __name__ == "__main__":
    main()
