"""``memlab report``: rebuild every report file of a results directory from its stored results."""

from __future__ import annotations

from pathlib import Path

import click

from .options import wait_option
from .verify import FORMATS, print_verdicts


@click.command()
@click.argument("directory", type=click.Path())
@wait_option()
@click.option("--format", "fmt", default="text", type=FORMATS, show_default=True)
def report(directory: str, wait: bool, fmt: str) -> int:
    """Rewrite report.md, report.html, verdicts.json and the figures in DIRECTORY from its results/
    (written by `memlab verify`), recomputing nothing. Exit codes as `memlab verify`: 0 confirmed or
    assumption-violated, 1 refuted, 2 bad input, 3 inconclusive or unexpectedly skipped."""
    from memlab.verification.pipeline import rebuild
    from memlab.verification.report import exit_code

    verdict_list = rebuild(directory, wait=wait)
    print_verdicts(verdict_list, Path(directory), fmt)
    return exit_code(verdict_list)


__all__ = ["report"]
