"""One list of tier names: the training layer's registry; verification and the CLI follow it."""

import importlib

import click

from memlab.cli import COMMANDS
from memlab.training.tiers import TIER_NAMES, TIERS
from memlab.verification.tiers import MONTE_CARLO, tier_config


def test_every_layer_uses_the_one_list_of_tiers():
    assert set(MONTE_CARLO) <= set(TIER_NAMES)
    for name in TIER_NAMES:
        assert tier_config(name).sweep_tier == name
    for command in ("verify", "sweep", "train"):
        module, attribute = COMMANDS[command][0].split(":")
        options = getattr(importlib.import_module(module), attribute).params
        (tier,) = [option for option in options if option.name == "tier"]
        assert isinstance(tier.type, click.Choice) and tuple(tier.type.choices) == TIER_NAMES
        assert all(TIERS[name].budget in tier.help for name in TIER_NAMES)
