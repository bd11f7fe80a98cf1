"""``memlab verify``: run a tier's measurements, judge every claim, write the report."""

from __future__ import annotations

from pathlib import Path

import click

from memlab.runtime import configure_jax
from memlab.theory.errors import InvalidInput
from memlab.verification.results import jsonable

from .options import config_option, header, tier_and_file, tier_option, wait_option

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
            power = " — NO POWER" if v.no_power else ""
            same = [c["theory"] for c in v.controls if c.get("distinguishable") == 0]
            same_note = f"; not distinguishable here: {', '.join(same)}" if same else ""
            line += f"  [controls refuted: {', '.join(v.refuted_controls) or 'none'}{same_note}"
            line += f"{power}]"
        click.echo(line)
    click.echo(f"report: {out / 'report.md'}  {out / 'report.html'}  {out / 'verdicts.json'}")


@click.command()
@tier_option()
@config_option()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Results and report directory (one writer at a time).",
)
@click.option(
    "--plan",
    is_flag=True,
    help="Print the training jobs and every stage's estimated wall time here (from a short timed "
    "calibration); measure nothing.",
)
@wait_option()
@click.option(
    "--controls",
    is_flag=True,
    help="Also run every claim's deliberately wrong theories through its check and report which "
    "it refuted (a claim refuting none has no power).",
)
@click.option("--format", "fmt", default="text", type=FORMATS, show_default=True)
def verify(
    tier: str | None,
    config_file: Path | None,
    out: Path | None,
    plan: bool,
    wait: bool,
    controls: bool,
    fmt: str,
) -> int:
    """Measure, judge every claim and write report.md, report.html, verdicts.json and figures into
    OUT. Tier: --tier, else the file's `tier`. Each verdict is confirmed, refuted, inconclusive,
    assumption-violated or skipped.

    \b
    Exit codes:
      0  every verdict confirmed or assumption-violated (or skipped as the tier intends)
      1  some verdict refuted
      2  bad input (before any work)
      3  some verdict inconclusive or unexpectedly skipped, none refuted"""
    from memlab.training.files import check_writable_directory
    from memlab.verification.pipeline import verify as run
    from memlab.verification.report import exit_code
    from memlab.verification.tiers import overrides, tier_config

    tier, table = tier_and_file(tier, config_file, default=None)
    config = tier_config(tier, table)  # validate before any work
    if plan:
        return _plan(config, fmt)
    if out is None:
        raise InvalidInput("--out", None, "a results directory (required unless --plan)")
    check_writable_directory(out)
    if fmt == "text":
        click.echo(header("verify", tier, jsonable(overrides(config))))
    configure_jax()
    verdict_list = run(tier, out, table, controls=controls, wait=wait)
    print_verdicts(verdict_list, out, fmt)
    return exit_code(verdict_list)


def _plan(config, fmt: str) -> int:
    """The training plan (when the tier trains) and every other stage's timed estimate; the total
    is ``estimated_seconds``."""
    import json
    import sys

    configure_jax()
    from memlab.training import local_workers, plan_sweep, resolve
    from memlab.verification.plan import plan_monte_carlo

    from .sweep import print_plan

    training = None
    if config.sweep_tier is not None:
        sweep, _ = resolve(config.sweep_tier, config.sweep)
        training = plan_sweep(config.sweep_tier, sweep, local_workers()).to_dict()
    stages = [stage.to_dict() for stage in plan_monte_carlo(config)]
    training_s = training["estimated_seconds"] if training else 0.0
    monte_carlo_s = sum(stage["seconds"] for stage in stages)
    if fmt == "json":
        found = {
            **(training or {"jobs": []}),
            "training_seconds": training_s,
            "monte_carlo": stages,
            "monte_carlo_seconds": monte_carlo_s,
            "estimated_seconds": training_s + monte_carlo_s,
        }
        json.dump(found, sys.stdout)
        click.echo()
        return 0
    if training:
        print_plan(training, fmt)
    else:
        click.echo("this configuration trains nothing (sweep_tier = none)")
    click.echo("the other stages, timed here (see memlab.verification.plan):")
    for stage in stages:
        click.echo(
            f"  {stage['name']:<15} {stage['calls']:>4} call(s) x {stage['size']} "
            f"{stage['unit']}: ~{stage['seconds']:.0f} s"
        )
    click.echo(
        f"estimated wall time of memlab verify: {training_s + monte_carlo_s:.0f} s "
        f"({(training_s + monte_carlo_s) / 60:.1f} min: training {training_s:.0f} s, the other "
        f"stages {monte_carlo_s:.0f} s; the fits and the report are not estimated)"
    )
    return 0


__all__ = ["verify", "print_verdicts"]
