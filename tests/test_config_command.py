"""`memlab config --show TIER`: the tier's full configuration in the one file layout, which every
command reads back to the same configuration."""

import tomllib
from dataclasses import replace

import pytest

from memlab.cli import main
from memlab.cli.options import tier_and_file
from memlab.training import TIER_NAMES, resolve, sweep_table
from memlab.verification.tiers import tier_config


@pytest.mark.parametrize("tier", TIER_NAMES)
def test_shown_configuration_reads_back_as_the_tier(tier, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["config", "--show", tier])
    assert exit_.value.code == 0
    path = tmp_path / "tier.toml"
    path.write_text(capsys.readouterr().out)
    assert tomllib.loads(path.read_text())["tier"] == tier
    chosen, table = tier_and_file(None, path)  # the file names its tier
    assert chosen == tier
    assert replace(tier_config(tier, table), sweep={}) == replace(tier_config(tier), sweep={})
    expected, _ = resolve(tier, tier_config(tier).sweep)
    assert resolve(tier, sweep_table(table))[0] == expected


def test_a_file_without_a_tier_is_not_silently_smoke(tmp_path, capsys):
    path = tmp_path / "f.toml"
    path.write_text("[sweep]\nsteps = 400\n")
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--config", str(path), "--d", "3", "--K", "1", "--N", "4"])
    assert exit_.value.code == 2 and "--tier" in capsys.readouterr().err
