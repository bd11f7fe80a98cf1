"""Benchmark: the Figure-1 Monte Carlo (d=50, K=12, N=200; 26 times; 100 noise draws per point;
D⋆, D_mem and D_pmem,M for 20 values of M), timed on this machine, with peak memory.

Target (issue 3): under 60 s on a 2-core CPU, at most 1 GiB. Run:

    python benchmarks/figure1.py [--draws 100] [--workers 2] [--seed 0] [--json]

BLAS runs one thread per worker (``OPENBLAS_NUM_THREADS=1`` unless already set): the workers
(threads over grid times) supply the parallelism, and small multi-threaded BLAS calls only add
synchronisation.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from memlab.numerics import default_model_sizes, measured_crossover_ratio, per_time_losses  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--d", type=int, default=50)
    parser.add_argument("--K", type=int, default=12)
    parser.add_argument("--N", type=int, default=200)
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--sizes", type=int, default=20, help="number of model sizes M")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    Ms = default_model_sizes(args.N, args.sizes)
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    table = per_time_losses(args.d, args.K, args.N, Ms, args.seed, args.draws, workers=args.workers)
    seconds = time.perf_counter() - start
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    crossover = measured_crossover_ratio(table, "uniform")
    j40 = (
        int(np.nonzero(max(1, round(args.N / 5)) == table.M)[0][0])
        if max(1, round(args.N / 5)) in table.M
        else 0
    )
    C, _ = table.difference(2 + j40, 1, "points")
    C = C / (args.d * (1 - table.M[j40] / args.N))
    result = {
        "benchmark": "figure1",
        "config": {
            "d": args.d,
            "K": args.K,
            "N": args.N,
            "times": int(table.t.size),
            "draws": args.draws,
            "model_sizes": len(Ms),
            "denoisers": 2 + len(Ms),
            "seed": args.seed,
            "workers": args.workers,
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        },
        "seconds": round(seconds, 3),
        "peak_rss_mib": round(peak_rss_mib, 1),
        "rss_before_mib": round(start_rss / 1024, 1),
        "target": {"seconds": 60, "memory_mib": 1024},
        "meets_target": bool(seconds < 60 and peak_rss_mib <= 1024),
        "crossover_uniform": {"M*/N": crossover.mean, "se": crossover.se},
        "C_at_M": {"M": int(table.M[j40]), "mean_t_le_0.84": float(C[table.t <= 0.84].mean())},
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average": os.getloadavg(),
        },
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
