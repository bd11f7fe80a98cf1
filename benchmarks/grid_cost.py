"""Benchmark: the cost of the paper's grid measurement (``memlab verify``'s ``grid``, on in the
study and paper tiers) split into its Monte Carlo (the per-time loss tables, what Theorems 3.1 and
3.2 on the grid always cost) and what the order-statistic C and eq. (14) on the grid add (the order
statistic by quadrature, the crossovers read off the same tables), with the grid claims' verdicts
on what was measured.

The whole grid is 64 configurations × σ⋆² ∈ {1/2, 1, 2}; ``--subset latin`` measures a quarter of
it, a Latin square over (d, K, N) (every (d, K), (d, N) and (K, N) pair once, N = N_((i + j) mod 4)
for d_i, K_j) at all three σ⋆², so the Monte Carlo time extrapolates by 4. The quadrature tables are
one per (d, σ⋆²) either way. Verdicts on a subset are Holm-corrected over that subset only. Run:

    python benchmarks/grid_cost.py [--subset latin|all] [--tier study] [--out DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from memlab import numerics  # noqa: E402
from memlab.numerics.provenance import monte_carlo_provenance  # noqa: E402
from memlab.verification import CLAIMS, Results, tier_config  # noqa: E402
from memlab.verification import measure as measure_module  # noqa: E402
from memlab.verification.claims.grid import outcomes_by_configuration  # noqa: E402
from memlab.verification.registry import GRID_CLAIMS  # noqa: E402
from memlab.verification.results import jsonable  # noqa: E402

DS, KS, NS = (30, 40, 50, 60), (3, 6, 9, 12), (50, 100, 150, 200)


def latin_square() -> tuple[tuple[int, int, int, float], ...]:
    """A quarter of the grid: every (d, K), (d, N) and (K, N) pair once, at every σ⋆²."""
    return tuple(
        (d, K, NS[(i + j) % len(NS)], sigma2)
        for i, d in enumerate(DS)
        for j, K in enumerate(KS)
        for sigma2 in (0.5, 1.0, 2.0)
    )


def timed(seconds: dict, key: str, function):
    """``function`` with its wall time added to ``seconds[key]`` and its CPU time (this process, all
    threads: the wall time on a shared machine says little) to ``seconds[key + "_cpu"]``."""

    def wrapper(*args, **kwargs):
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[key] = seconds.get(key, 0.0) + time.perf_counter() - start
            cpu = time.process_time() - start_cpu
            seconds[key + "_cpu"] = seconds.get(key + "_cpu", 0.0) + cpu

    return wrapper


def quadrature_cost(grid) -> dict:
    """Wall and CPU seconds of the order-statistic C at every model size of every entry."""
    start, start_cpu = time.perf_counter(), time.process_time()
    for d, K, N, sigma2 in grid:
        measure_module.sharp_C_column(d, K, N, measure_module.grid_model_sizes(K, N), sigma2)
    return {
        "benchmark": "grid_cost quadrature",
        "entries": len(grid),
        "seconds": round(time.perf_counter() - start, 1),
        "cpu_seconds": round(time.process_time() - start_cpu, 1),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subset", choices=("latin", "all"), default="latin")
    parser.add_argument("--tier", default="study", help="the tier whose grid settings to use")
    parser.add_argument("--out", type=Path, help="write grid.json and grid_outcomes.png here")
    parser.add_argument(
        "--quadrature-only",
        action="store_true",
        help="time only the order-statistic C of every entry (no Monte Carlo, no verdicts)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.quadrature_only:
        print(
            json.dumps(
                quadrature_cost(measure_module.GRID if args.subset == "all" else latin_square())
            )
        )
        return

    config = tier_config(args.tier, {"grid": True})
    whole = measure_module.GRID
    grid = latin_square() if args.subset == "latin" else whole
    seconds: dict[str, float] = {}
    # The measurement itself, its parts timed where it calls them.
    measure_module.GRID = grid
    numerics.per_time_losses = timed(seconds, "monte_carlo", numerics.per_time_losses)
    measure_module.loss_summary = timed(seconds, "loss_summaries", measure_module.loss_summary)
    measure_module.sharp_C_column = timed(
        seconds, "order_statistic_C", measure_module.sharp_C_column
    )
    data, _ = timed(seconds, "total", measure_module.MEASUREMENTS["grid"])(config, args.out, None)
    scale = len(whole) / len(grid)

    manifest = {
        "tier": args.tier,
        "config": jsonable(asdict(config)),
        "provenance": monte_carlo_provenance(config.seed),
    }
    results = Results(manifest, {"grid": data})
    verdicts = {}
    for claim_id in GRID_CLAIMS:
        claim = CLAIMS[claim_id]
        verdict = claim.verdict(results)
        outcomes = outcomes_by_configuration(verdict)
        verdicts[claim_id] = {
            "status": verdict.status,
            "reason": verdict.reason,
            "configurations": {
                o: list(outcomes.values()).count(o) for o in sorted(set(outcomes.values()))
            },
            "controls": {c["theory"]: c["outcome"] for c in claim.control_outcomes(results)},
        }
    monte_carlo, monte_carlo_cpu = seconds["monte_carlo"], seconds["monte_carlo_cpu"]
    result = {
        "benchmark": "grid_cost",
        "subset": args.subset,
        "entries": len(grid),
        "grid_draws": config.grid_draws,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        # Includes the old per-entry bookkeeping (the dataset's γ², loss differences): an upper
        # bound.
        "added_by_c_and_eq14": round(seconds["total"] - monte_carlo, 1),
        "added_by_c_and_eq14_cpu": round(seconds["total_cpu"] - monte_carlo_cpu, 1),
        "whole_grid_estimate": {
            "before": round(monte_carlo * scale, 1),
            "after": round(monte_carlo * scale + seconds["total"] - monte_carlo, 1),
            "before_cpu": round(monte_carlo_cpu * scale, 1),
            "after_cpu": round(monte_carlo_cpu * scale + seconds["total_cpu"] - monte_carlo_cpu, 1),
            "note": "Monte Carlo scaled by entries; the quadrature tables are one per (d, σ⋆²) "
            "in a subset too, so the addition is not scaled",
        },
        "verdicts": verdicts,
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
    }
    if args.out:
        from memlab.verification.figures import figure_grid, png_bytes

        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "grid.json").write_text(json.dumps({"grid": data, "result": result}))
        (args.out / "grid_outcomes.png").write_bytes(png_bytes(figure_grid(results)))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
