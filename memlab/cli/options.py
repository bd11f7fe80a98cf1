"""Options several subcommands share, built from the registries they describe (the tiers)."""

from __future__ import annotations

import click

from memlab.training.tiers import TIER_NAMES, tier_help

__all__ = ["tier_option"]


def tier_option(**settings) -> click.Option:
    """``--tier``, its choices and help from :mod:`memlab.training.tiers`."""
    return click.option(
        "--tier", type=click.Choice(TIER_NAMES), help=f"Tier: {tier_help()}.", **settings
    )
