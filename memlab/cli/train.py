"""``memlab train``: train one configuration's models (several M and seeds as one program) and print
them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from memlab.runtime import configure_jax
from memlab.theory.errors import InvalidInput
from memlab.verification.progress import stderr_progress

from .options import tier_option
from .sweep import print_points


@click.command()
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file: the sweep keys, with one value each for d, K and N.",
)
@tier_option(default="smoke", show_default=True)
@click.option("--d", type=int, help="Dimension.")
@click.option("--K", "K", type=int, help="Mixture components.")
@click.option("--N", "N", type=int, help="Training points.")
@click.option(
    "--M",
    "M",
    type=int,
    multiple=True,
    help="Model widths (repeat the option); default the tier's.",
)
@click.option("--steps", type=int, help="Training steps.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also store the runs here (run store).",
)
@click.option(
    "--format", "fmt", default="text", type=click.Choice(["text", "json"]), show_default=True
)
def train(config_file, tier, d, K, N, M, steps, seed, out, fmt) -> None:
    """Train the models of ONE configuration (d, K, N) for every M, report ratios, losses and
    learned s²."""
    from memlab.training import RunStore, coarse_M, read_toml, resolve, train_job

    overrides = read_toml(config_file) if config_file else {}
    for key, value in (("d", d), ("K", K), ("N", N)):
        if value is not None:
            overrides[key] = [value]
    if M:
        overrides["M"] = list(M)
    if steps is not None:
        overrides["steps"] = steps
    config, _ = resolve(tier, overrides)
    if len(config.shapes()) != 1:
        raise InvalidInput(
            "d, K, N", [config.d, config.K, config.N], "one value each (memlab sweep runs several)"
        )
    shape = config.shapes()[0]
    if seed < 0:
        raise InvalidInput("--seed", seed, "an integer >= 0")
    configure_jax()
    members = [(m, seed) for m in (config.M or coarse_M(shape[2]))]
    runs = train_job(config, *shape, members, progress=stderr_progress("train", "training steps"))
    if out is not None:
        store = RunStore(out)
        store.write(runs)
        store.close()
    points = [r.result for r in runs]
    record = {"d": shape[0], "K": shape[1], "N": shape[2], "steps": config.steps, "points": points}
    if fmt == "json":
        json.dump(record, sys.stdout)
        click.echo()
        return
    click.echo(f"d={shape[0]} K={shape[1]} N={shape[2]} steps={config.steps} seed={seed}")
    print_points(record)
