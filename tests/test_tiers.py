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


def test_the_readme_states_each_budget_as_the_registry_does():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in readme.splitlines()
        if line.startswith("| `")
    }
    for name in TIER_NAMES:
        assert f"| {TIERS[name].budget} |" in rows[name], name


def test_the_readme_configuration_example_is_valid(tmp_path):
    from pathlib import Path

    from memlab.cli.options import tier_and_file

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.toml"
    path.write_text(example)
    tier, table = tier_and_file(None, path)
    assert tier == "ci" and table["sweep"]["K"] == [3, 6]
