"""``memlab train``: train one configuration's models (several M and seeds as one program) and print
them."""

from __future__ import annotations

from pathlib import Path

import click

from memlab.runtime import configure_jax
from memlab.theory.errors import InvalidInput
from memlab.verification.progress import stderr_progress

from .options import (
    config_option,
    header,
    low_rank_config,
    model_option,
    strict_json,
    templates_options,
    tier_and_file,
    tier_option,
    wait_option,
)
from .sweep import print_low_rank, print_points


@click.command()
@config_option()
@tier_option()
@model_option()
@templates_options
@click.option(
    "--d", type=int, help="Dimension d (overrides the tier's and the file's; isotropic model)."
)
@click.option("--K", "K", type=int, help="Mixture components K <= N.")
@click.option("--N", "N", type=int, help="Training points N.")
@click.option(
    "--M",
    "M",
    type=int,
    multiple=True,
    help="Model widths (repeat the option); default the tier's.",
)
@click.option("--steps", type=int, help="Training steps.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed >= 0.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Also store the runs here (run store; one writer at a time).",
)
@wait_option()
@click.option(
    "--format", "fmt", default="text", type=click.Choice(["text", "json"]), show_default=True
)
def train(
    config_file, tier, model, templates, template_labels, d, K, N, M, steps, seed, out, wait, fmt
) -> None:
    """Train the models of ONE configuration (d, K, N) for every M, report ratios, losses and
    learned s². Tier: --tier, else the file's `tier`, else smoke. With --model low-rank: the §4.2
    model (K, N, the tier's image size; smoke, ci or paper)."""
    from memlab.theory import validation
    from memlab.training import (
        RunStore,
        check_writable_directory,
        coarse_M,
        resolve,
        sweep_table,
        train_job,
    )

    tier, table = tier_and_file(tier, config_file)
    given = {"K": K, "N": N, "steps": steps, "seed": seed, "M": list(M) or None}
    low_rank = low_rank_config(
        model,
        tier,
        table,
        {key: value for key, value in given.items() if value is not None},
        templates,
        template_labels,
        {"--d": d},
    )
    if low_rank is not None:
        _train_low_rank(low_rank, tier, out, wait, fmt)
        return
    overrides = sweep_table(table)
    for key, value in (("d", d), ("K", K), ("N", N)):
        if value is not None:
            overrides[key] = [value]
    if M:
        overrides["M"] = list(M)
    if steps is not None:
        overrides["steps"] = steps
    config, applied = resolve(tier, overrides)
    if len(config.shapes()) != 1:
        raise InvalidInput(
            "d, K, N", [config.d, config.K, config.N], "one value each (memlab sweep runs several)"
        )
    shape = config.shapes()[0]
    validation.integer("--seed", seed, 0, 2**63 - 1)
    store = None
    if out is not None:  # checked and locked before the training, not after it
        check_writable_directory(out)
        store = RunStore(out, wait=wait)
    try:
        configure_jax()
        members = [(m, seed) for m in (config.M or coarse_M(shape[2]))]
        runs = train_job(
            config, *shape, members, progress=stderr_progress("train", "training steps")
        )
        if store is not None:
            store.write(runs)
    finally:
        if store is not None:
            store.close()
    points = [r.result for r in runs]
    record = {
        "tier": tier,
        "overrides": applied,
        "d": shape[0],
        "K": shape[1],
        "N": shape[2],
        "steps": config.steps,
        "seed": seed,
        "points": points,
    }
    if fmt == "json":
        click.echo(strict_json(record))
        return
    click.echo(header("train", tier, applied))
    click.echo(f"d={shape[0]} K={shape[1]} N={shape[2]} steps={config.steps} seed={seed}")
    print_points(record)


def _train_low_rank(config, tier: str, out: Path | None, wait: bool, fmt: str) -> None:
    """The low-rank models of ``config``, stored under ``out`` (a temporary store without it)."""
    import tempfile

    from memlab.training import check_writable_directory, run_low_rank_sweep

    with tempfile.TemporaryDirectory(prefix="memlab-train-") as scratch:
        store = Path(scratch) if out is None else out
        check_writable_directory(store)
        configure_jax()
        result = run_low_rank_sweep(
            config, store, stderr_progress("train", "training steps"), wait=wait
        )
    print_low_rank(result, tier, fmt)
