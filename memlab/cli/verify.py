"""``memlab verify``: run a tier's measurements, judge every claim, write the report."""

from __future__ import annotations

from pathlib import Path

import click

from memlab.runtime import configure_jax
from memlab.verification.results import jsonable

from .options import config_option, header, tier_and_file, tier_option, wait_option

FORMATS = click.Choice(["text", "json"])


def print_verdicts(verdict_list, out: Path, fmt: str) -> None:
    if fmt == "json":
        click.echo((out / "verdicts.json").read_text(), nl=False)
        return
    width = max(len(v.claim) for v in verdict_list)
    for v in verdict_list:
        click.echo(f"{v.claim:<{width}}  {v.status:<19}  {v.reason}")
    click.echo(f"report: {out / 'report.md'}  {out / 'report.html'}  {out / 'verdicts.json'}")


@click.command()
@tier_option()
@config_option()
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Results and report directory (one writer at a time).",
)
@wait_option()
@click.option("--format", "fmt", default="text", type=FORMATS, show_default=True)
def verify(tier: str | None, config_file: Path | None, out: Path, wait: bool, fmt: str) -> int:
    """Measure, judge every claim and write report.md, report.html, verdicts.json and figures into
    OUT. Tier: --tier, else the file's `tier`. Exit 0 when no verdict fails, 1 when one
    does, 2 on bad input."""
    from memlab.training.files import check_writable_directory
    from memlab.verification.pipeline import verify as run
    from memlab.verification.report import exit_code
    from memlab.verification.tiers import overrides, tier_config

    tier, table = tier_and_file(tier, config_file, default=None)
    check_writable_directory(out)
    if fmt == "text":
        click.echo(header("verify", tier, jsonable(overrides(tier_config(tier, table)))))
    configure_jax()
    verdict_list = run(tier, out, table, wait=wait)
    print_verdicts(verdict_list, out, fmt)
    return exit_code(verdict_list)


__all__ = ["verify", "print_verdicts"]
