"""``memlab verify``: run a tier's measurements, judge every claim, write the report."""

from __future__ import annotations

from pathlib import Path

import click

from memlab.runtime import configure_jax
from memlab.theory.errors import InvalidInput

from .options import tier_option

FORMATS = click.Choice(["text", "json"])


def print_verdicts(verdict_list, out: Path, fmt: str) -> None:
    if fmt == "json":
        click.echo((out / "verdicts.json").read_text(), nl=False)
        return
    width = max(len(v.claim) for v in verdict_list)
    for v in verdict_list:
        status = v.status + ("!" if v.unexpected else "")
        line = f"{v.claim:<{width}}  {status:<19}  {v.reason}"
        if v.controls:
            refuted = [c["theory"] for c in v.controls if c["outcome"] == "refuted"]
            power = " — NO POWER" if v.no_power else ""
            line += f"  [controls refuted: {', '.join(refuted) or 'none'}{power}]"
        click.echo(line)
    click.echo(f"report: {out / 'report.md'}  {out / 'report.html'}  {out / 'verdicts.json'}")


@click.command()
@tier_option(required=True)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="TOML file of overrides on the tier.",
)
@click.option(
    "--out", required=True, type=click.Path(file_okay=False), help="Results and report directory."
)
@click.option(
    "--controls",
    is_flag=True,
    help="Also run every claim's deliberately wrong theories through its check and report which "
    "it refuted (a claim refuting none has no power).",
)
@click.option("--format", "fmt", default="text", type=FORMATS, show_default=True)
def verify(tier: str, config_file: str | None, out: str, controls: bool, fmt: str) -> int:
    """Measure, judge every claim and write report.md, report.html, verdicts.json and figures into
    OUT. Each verdict is confirmed, refuted, inconclusive, assumption-violated or skipped.

    \b
    Exit codes:
      0  every verdict confirmed or assumption-violated (or skipped as the tier intends)
      1  some verdict refuted
      2  bad input (before any work)
      3  some verdict inconclusive or unexpectedly skipped, none refuted"""
    from memlab.training.files import read_toml
    from memlab.verification.pipeline import verify as run
    from memlab.verification.report import exit_code
    from memlab.verification.tiers import tier_config

    overrides = read_toml(config_file) if config_file else None
    tier_config(tier, overrides)  # validate before any work
    if Path(out).exists() and not Path(out).is_dir():
        raise InvalidInput("--out", out, "a directory (it exists and is not one)")
    configure_jax()
    verdict_list = run(tier, out, overrides, controls=controls)
    print_verdicts(verdict_list, Path(out), fmt)
    return exit_code(verdict_list)


__all__ = ["verify", "print_verdicts"]
