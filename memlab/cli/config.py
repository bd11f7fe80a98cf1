"""``memlab config --show TIER``: a tier's full configuration as a TOML file that ``train``,
``sweep`` and ``verify`` accept (Monte Carlo keys at the top level, training keys under
``[sweep]``)."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from .options import tier_option

__all__ = ["config"]


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):  # an inline table (the low-rank overrides)
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if value is None:  # an optional stage switched off reads back from "none"
        return '"none"'
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value)  # ints and strings (TOML basic strings are JSON strings)


def tier_toml(tier: str) -> str:
    """Every setting of ``tier``, commented, as TOML."""
    from memlab.training import PAPER, get_tier, resolve
    from memlab.verification.tiers import VerifyConfig, tier_config

    described = get_tier(tier)
    verify = tier_config(tier)
    sweep, _ = resolve(tier, verify.sweep)
    alone, _ = resolve(tier)
    lines = [
        f"# memlab tier {tier!r}: {described.shows}; {described.budget}.",
        "# Give this file (edited) to memlab verify, sweep or train with --config.",
        f'tier = "{tier}"',
        "",
        "# Monte Carlo stages of memlab verify (Figure 1's configuration, the loss table, checks)",
    ]
    for key, value in asdict(verify).items():
        if key in ("sweep", "sweep_tier"):
            continue
        default = getattr(VerifyConfig(), key)
        note = "" if value == default else f"  # paper: {_toml_value(default)}"
        lines.append(f"{key} = {_toml_value(value)}{note}")
    lines += ["", "# training: memlab train, memlab sweep and the training stage of memlab verify"]
    lines.append("[sweep]")
    for key, value in asdict(sweep).items():
        default = getattr(PAPER, key)
        notes = [] if value == default else [f"paper: {_toml_value(default)}"]
        if getattr(alone, key) != value:
            alone_value = _toml_value(getattr(alone, key))
            notes.append(f"memlab sweep/train --tier {tier} without a file: {alone_value}")
        lines.append(f"{key} = {_toml_value(value)}" + (f"  # {'; '.join(notes)}" if notes else ""))
    return "\n".join(lines) + "\n"


@click.command()
@tier_option("--show", required=True)
def config(show: str) -> None:
    """Print a tier's full configuration as TOML (--show TIER): the file layout that verify,
    sweep and train read with --config."""
    click.echo(tier_toml(show), nl=False)
