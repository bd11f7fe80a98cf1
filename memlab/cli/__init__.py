"""The ``memlab`` command line.

Subcommands live one per module and are imported only when run, so ``memlab --help`` stays fast
(jax is not imported for ``derive``). Exit codes: 0 success, 1 a failed verdict, 2 bad input.
"""

from __future__ import annotations

import importlib
import os
import sys
from importlib.metadata import version

import click

from memlab.theory.errors import InvalidInput

__all__ = ["cli", "main"]

# name -> (module:attribute, one-line help). A new subcommand is one line here plus its module.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "memlab.cli.check:check",
        "Measure a claim by Monte Carlo with exact denoisers: theory, measured ± SE per time.",
    ),
    "derive": (
        "memlab.cli.derive:derive",
        "Print a claim's statement, assumptions and expression, or evaluate eq. (14).",
    ),
    "verify": (
        "memlab.cli.verify:verify",
        "Run a tier: verdict per claim, report, figures.",
    ),
    "report": (
        "memlab.cli.report:report",
        "Rebuild a results directory's report from stored results.",
    ),
    "audit": (
        "memlab.cli.audit:audit",
        "Evaluate every claim's assumptions on a configuration, with margins.",
    ),
    "train": (
        "memlab.cli.train:train",
        "Train one configuration's models (all M as one program): ratios, losses, s².",
    ),
    "sweep": (
        "memlab.cli.sweep:sweep",
        "Run or resume a tier's M-sweeps (local or Dask) and print M_pt per configuration.",
    ),
    "config": (
        "memlab.cli.config:config",
        "Print a tier's full configuration as TOML (the --config file layout).",
    ),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_line) for name, (_, help_line) in COMMANDS.items()])


@click.group(cls=_LazyGroup)
@click.version_option(version("memorization-lab"), prog_name="memlab")
def cli() -> None:
    """memorization-lab: verify 'On the Edge of Memorization in Diffusion Models', claim by
    claim."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run ``cli``, turning bad input into a one-line message and exit code 2."""
    # The Monte Carlo estimators parallelise over grid times themselves; BLAS threads on top of that
    # oversubscribe the cores (3-4x slower on 2 cores). Must be set before numpy loads; a user's
    # value wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        code = cli.main(args=argv, prog_name="memlab", standalone_mode=False)
    except InvalidInput as error:
        click.echo(f"memlab: error: {error}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as error:
        click.echo(f"memlab: error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("memlab: aborted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
