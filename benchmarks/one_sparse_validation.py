"""Validation of the low-rank 1-sparse condition (docs/theory.md §7): the partially memorizing
excess pooled over independent training sets, judged per time against the closed form with the
``sec-4.2-partial`` margin, beside the condition's verdict on the same row.

Not a benchmark of speed: it lives here because it is a measurement script, not part of the
toolkit. The SE is over training sets (the check's ``sets``, seeds ``seed0 .. seed0 + sets - 1``),
the units the closed form averages over, so it does not lean on the per-point units of one
training set.

    python benchmarks/one_sparse_validation.py --K 3 --N 24 --h 6 --w 6 --sets 150 --draws 8
"""

from __future__ import annotations

import argparse
import json

from memlab.numerics.checks.low_rank import LowRankConfig, check_low_rank_losses
from memlab.verification.claims.sec_4_2_partial import MARGIN, ONE_SPARSE
from memlab.verification.verdict import compare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("K", 3), ("N", 24), ("h", 6), ("w", 6), ("sets", 150), ("draws", 8)):
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--colour-var", type=float, default=1.0)
    parser.add_argument("--seed0", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    config = LowRankConfig(
        K=args.K,
        N=args.N,
        h=args.h,
        w=args.w,
        colour_var=args.colour_var,
        seed=args.seed0,
        draws=args.draws,
        sets=args.sets,
    )
    result = check_low_rank_losses(config)
    rows = [row for row in result.rows if row.extra["kind"] == "partial-excess"]
    out = []
    for row in rows:
        values = {
            "r": result.config["r"],
            "lam": result.config["lam"],
            "M": result.config["M"],
            "N": args.N,
            "C_r": row.extra["C_r"],
            "memorizing_per_competitor": row.extra["memorizing_per_competitor"],
        }
        holds = ONE_SPARSE.evaluate(values).holds
        test = compare(f"t={row.t:.3f}", row.theory, row.measured, row.se, MARGIN).outcome
        out.append(
            {
                "t": row.t,
                "theory": row.theory,
                "measured": row.measured,
                "se": row.se,
                "rel_err": row.measured / row.theory - 1,
                "dropped_over_closed": row.extra["memorizing_part"] / row.theory,
                "condition": "holds" if holds else "fails",
                "test": test,
            }
        )
    if args.json:
        print(json.dumps({"args": vars(args), "rows": out}, indent=1))
        return
    for r in out:
        print(
            f"t={r['t']:.3f}  {r['measured']:9.3f} ± {r['se']:.3f}  closed {r['theory']:9.3f}  "
            f"rel {r['rel_err']:+.3f}  dropped/closed {r['dropped_over_closed']:8.3f}  "
            f"condition {r['condition']:5}  test {r['test']}"
        )


if __name__ == "__main__":
    main()
