"""``memlab check``: a claim's Monte Carlo check on one configuration (numerics layer), as a table
or JSON."""

from __future__ import annotations

import json

import click

from memlab.theory.errors import InvalidInput
from memlab.verification.progress import stderr_progress

from .options import refuse_claim, strict_json

FORMATS = click.Choice(["text", "json"])
_CASE_FIELDS = ("kind", "case", "perturbation")


@click.command(
    help="Measure CLAIM (thm-3.1, thm-3.2, eq-14, lem-2.1, regime-poly-d, def-2.2, "
    "sec-4.2-losses: every claim with a Monte Carlo check on one configuration) by Monte Carlo "
    "with exact denoisers: per grid time t the closed form, the measurement, its standard error "
    "and the relative error (x0 units), judged as `memlab verify` judges it: an outcome "
    "(confirmed, refuted, inconclusive, assumption-violated, skipped) per row and for the claim, "
    "beside the claim's margin and the smallest deviation the check could detect. The other "
    "claims need trained models or several configurations: `memlab verify` judges them."
)
@click.argument("claim")
@click.option(
    "--d", "d", type=int, default=None, help="Dimension d >= 1 (sec-4.2-losses: none, d = 3hw)."
)
@click.option(
    "--K",
    "K",
    type=int,
    default=None,
    help="Mixture components, 1 <= K <= N (sec-4.2-losses: default 6).",
)
@click.option(
    "--N", "N", type=int, default=None, help="Training points N >= 2 (sec-4.2-losses: default 100)."
)
@click.option(
    "--M",
    "M",
    type=int,
    default=None,
    help="Model size M >= 1 (thm-3.2: default N/5; lem-2.1: default 2K).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed >= 0 (data, subsets and noise derive from it).",
)
@click.option(
    "--draws",
    type=int,
    default=100,
    show_default=True,
    help="Noise draws per point (or samples), >= 2.",
)
@click.option("--sigma2", type=float, default=1.0, show_default=True, help="Data variance σ⋆² > 0.")
@click.option(
    "--schedule",
    default="vp",
    show_default=True,
    help="Noise schedule: vp, cosine-vp, ve or linear (measurement and closed forms alike).",
)
@click.option("--h", "h", type=int, default=None, help="sec-4.2-losses: template height (15).")
@click.option("--w", "w", type=int, default=None, help="sec-4.2-losses: template width (15).")
@click.option(
    "--colour-var", type=float, default=None, help="sec-4.2-losses: colour variance σ_c² (1)."
)
@click.option(
    "--sets",
    type=int,
    default=None,
    help="sec-4.2-losses: independent training sets (seeds seed, seed+1, ...), SEs over their "
    "means (1: SEs over the points of one set).",
)
@click.option(
    "--templates",
    type=str,
    default=None,
    help="sec-4.2-losses: an MNIST-format IDX images file (raw or .gz), e.g. FashionMNIST; "
    "default: glyphs of the bundled DejaVu Sans font.",
)
@click.option(
    "--template-labels",
    type=str,
    default=None,
    help="sec-4.2-losses: the IDX labels file of --templates (templates = class means); without "
    "it the first K images are the templates.",
)
@click.option("--format", "fmt", default="text", type=FORMATS, show_default=True)
def check(
    claim: str,
    d: int,
    K: int,
    N: int,
    M: int | None,
    seed: int,
    draws: int,
    sigma2: float,
    schedule: str,
    h: int | None,
    w: int | None,
    colour_var: float | None,
    sets: int | None,
    templates: str | None,
    template_labels: str | None,
    fmt: str,
) -> None:
    from memlab import numerics  # deferred: keeps `memlab --help` fast
    from memlab.numerics.checks import validate, validate_low_rank

    served = [*numerics.CHECKS, *numerics.LOW_RANK_CHECKS]
    if claim not in served:
        raise refuse_claim(claim, "CLAIM", served)
    if claim in numerics.LOW_RANK_CHECKS:
        for name, value, default in (
            ("--d", d, None),
            ("--sigma2", sigma2, 1.0),
            ("--schedule", schedule, "vp"),
        ):
            if value != default:
                raise InvalidInput(
                    name,
                    value,
                    f"not an option of {claim} (d = 3hw; colour variance --colour-var; VP only)",
                )
        low_rank = {
            "K": K,
            "N": N,
            "M": M,
            "seed": seed,
            "draws": draws,
            "h": h,
            "w": w,
            "colour_var": colour_var,
            "sets": sets,
            "templates": templates,
            "template_labels": template_labels,
        }
        validate_low_rank(prefix="--", **low_rank)
        result = numerics.run_low_rank_check(
            claim, progress=stderr_progress(f"check {claim}"), **low_rank
        )
        gamma2 = None  # zero-mean classes: no separation of means to assume
    else:
        for name, value in (
            ("--h", h),
            ("--w", w),
            ("--colour-var", colour_var),
            ("--sets", sets),
            ("--templates", templates),
            ("--template-labels", template_labels),
        ):
            if value is not None:
                raise InvalidInput(name, value, f"not an option of {claim} (low-rank checks only)")
        for name, value in (("--d", d), ("--K", K), ("--N", N)):
            if value is None:
                raise InvalidInput(name, None, f"an integer (required for {claim})")
        validate(d, K, N, M, seed, draws, sigma2, schedule, prefix="--")
        result = numerics.run_check(
            claim,
            d=d,
            K=K,
            N=N,
            M=M,
            seed=seed,
            draws=draws,
            sigma2=sigma2,
            schedule=schedule,
            progress=stderr_progress(f"check {claim}"),
        )
        from memlab.numerics.data import make_dataset

        gamma2 = make_dataset(d, K, N, sigma2, seed).mixture.separation2
    from memlab.verification.judge import judge_check
    from memlab.verification.results import jsonable

    payload = jsonable(judge_check(result.to_dict(), gamma2))
    if fmt == "json":
        click.echo(strict_json(payload))
    else:
        click.echo(_table(payload))


def _number(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _table(payload: dict) -> str:
    rows = payload["rows"]
    columns = ["t", "theory", "measured", "se", "rel_err", "outcome"]
    if payload["claim"] == "thm-3.2":
        columns += ["C", "C_se", "C_sharp"]
    if payload["claim"] == "regime-poly-d":
        columns += ["d", "n", "regime"]
    if payload["claim"] == "sec-4.2-losses":
        columns += ["theory_limit", "memorizing_part", "weighting"]
    if payload["claim"] == "thm-3.1":
        columns += ["theory_given_train", "assumption_holds"]
    case = next((field for field in _CASE_FIELDS if any(field in row for row in rows)), None)
    if case:
        columns.insert(0, case)
    extra = [
        field
        for field in ("perturbation", "case")
        if field != case and any(field in row for row in rows)
    ]
    columns += extra
    cells = [[_number(row.get(column)) for column in columns] for row in rows]
    widths = [
        max(len(column), *(len(line[k]) for line in cells)) for k, column in enumerate(columns)
    ]
    config = ", ".join(f"{k}={v}" for k, v in payload["config"].items())
    lines = [
        f"{payload['claim']}  ({config})",
        "  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=False)),
    ]
    lines += ["  ".join(c.rjust(w) for c, w in zip(line, widths, strict=False)) for line in cells]
    margin = payload["margin"]
    lines.append(
        f"outcome: {payload['outcome']} ({payload['reason']}); margin {margin['rule']}; "
        f"smallest detectable deviation {_number(payload['detectable'])}"
    )
    for other, verdict in payload["also"].items():
        lines.append(f"{other}: {verdict['outcome']} ({verdict['reason']})")
    lines.append("summary:")
    lines += [
        f"  {key}: {json.dumps(value) if isinstance(value, (dict, list)) else _number(value)}"
        for key, value in payload["summary"].items()
    ]
    return "\n".join(lines)
