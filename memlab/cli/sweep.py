"""``memlab sweep``: run (or resume) a tier's M-sweeps and print the phase-transition points."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from memlab.runtime import configure_jax
from memlab.verification.progress import stderr_progress

from .options import tier_option

FORMATS = click.Choice(["text", "json"])


def print_points(config: dict) -> None:
    click.echo(
        f"  {'M':>5} {'seed':>4} {'ratio':>6} {'95% CI':>15} {'train':>9} {'test':>9} {'s2':>9}  "
        "failed"
    )
    for p in config["points"]:
        if p["failed"]:
            click.echo(f"  {p['M']:>5} {p['seed']:>4}  {p['failed']}")
            continue
        ci = f"[{p['ci'][0]:.2f}, {p['ci'][1]:.2f}]"
        click.echo(
            f"  {p['M']:>5} {p['seed']:>4} {p['ratio']:>6.2f} {ci:>15} {p['train_loss']:>9.4g} "
            f"{p['test_loss']:>9.4g} {p['learned_s2']:>9.3g}"
        )


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.1f}"


@click.command()
@tier_option(default="smoke", show_default=True)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML overrides on the tier.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Results directory (default results/sweep-TIER).",
)
@click.option("--scheduler", help="Dask scheduler address tcp://HOST:PORT (default: run here).")
@click.option("--format", "fmt", default="text", type=FORMATS, show_default=True)
def sweep(
    tier: str, config_file: Path | None, out: Path | None, scheduler: str | None, fmt: str
) -> None:
    """Train every configuration's M-sweep (resuming from OUT), then print M_pt per
    configuration."""
    configure_jax()
    from memlab.training import run_sweep

    result = run_sweep(
        tier,
        out or Path("results") / f"sweep-{tier}",
        config_file,
        scheduler,
        stderr_progress("sweep", "training steps"),
    ).to_dict()
    if fmt == "json":
        json.dump(result, sys.stdout)
        click.echo()
        return
    click.echo(f"tier {result['tier']}; overrides {json.dumps(result['overrides'])}")
    for c in result["configs"]:
        fraction = "—" if c["M_pt"] is None else f"{c['M_pt'] / c['N']:.3f}"
        click.echo(
            f"d={c['d']} K={c['K']} N={c['N']} steps={c['steps']} seeds={c['seeds']}: "
            f"M_pt={_fmt(c['M_pt'])} "
            f"(95% CI {_fmt(c['M_pt_ci'][0])}..{_fmt(c['M_pt_ci'][1])}), M_pt/N={fraction}, window "
            f"0.1–0.9 {_fmt(c['window'][0])}..{_fmt(c['window'][1])}, clean step: {c['clean_step']}"
        )
        print_points(c)
