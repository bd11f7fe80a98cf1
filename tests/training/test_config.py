"""Bad configurations are rejected before any work, naming the key and the allowed range."""

import pytest

from memlab import training
from memlab.cli import main
from memlab.theory.errors import InvalidInput
from memlab.training import TIERS, RunConfig, resolve

BAD = [  # (overrides, offending key, a fragment of the allowed range)
    ({"colour": 3}, "colour", "one of the keys"),
    ({"steps": "many"}, "steps", "an integer in [1, "),
    ({"steps": 0}, "steps", "an integer in [1, "),
    ({"steps": 1.5}, "steps", "an integer"),
    ({"d": [0]}, "d", "an integer in [1, "),
    ({"d": "thirty"}, "d", "a list"),
    ({"d": [30.5]}, "d", "an integer"),
    ({"M": [0]}, "M", "an integer in [1, "),
    ({"N": [10], "K": [2], "M": [41]}, "M", "[1, 4N] = [1, 40]"),
    ({"N": [10], "K": [11]}, "K", "<= N = 10"),
    ({"sigma2": -1.0}, "sigma2", "number > 0"),
    ({"sigma2": 0}, "sigma2", "number > 0"),
    ({"noise_draws": 0}, "noise_draws", "[1, "),
    ({"init": "zeros"}, "init", "pmem"),
    ({"schedule": "fast"}, "schedule", "vp"),
    ({"time_weights": [1.0, 2.0]}, "time_weights", "26 numbers"),
    ({"time_weights": [-1.0] * 26}, "time_weights", "[0, "),
    ({"peak_lr": True}, "peak_lr", "a finite number"),
    ({"sigma2": float("nan")}, "sigma2", "finite"),
    ({"peak_lr": float("inf")}, "peak_lr", "finite"),
    ({"time_weights": [float("inf")] * 26}, "time_weights", "finite"),
    ({"eval_draws": 1}, "eval_draws", "an integer in [2, "),
    # bounds that keep a run finite
    ({"steps": 10**12}, "steps", "10000000]"),
    ({"steps": 1e12}, "steps", "an integer"),
    ({"d": [10**9]}, "d", "10000"),
    ({"sigma2": 1e300}, "sigma2", "1e+06"),
    ({"d": [5000], "N": [5000], "K": [2], "noise_draws": 100}, "noise_draws", "2^31"),
    ({"ema_decay": 1.5}, "ema_decay", "[0, 1]"),
]


@pytest.mark.parametrize("overrides, key, allowed", BAD)
def test_bad_values_name_the_key_and_range(overrides, key, allowed):
    with pytest.raises(InvalidInput) as error:
        resolve("smoke", overrides)
    assert error.value.field == key
    assert allowed in error.value.allowed


def test_unknown_tier():
    with pytest.raises(InvalidInput, match="tier"):
        resolve("huge")


@pytest.mark.parametrize("tier", sorted(TIERS))
def test_tiers_are_valid_and_recorded(tier):
    config, applied = resolve(tier, {"seeds": 2})
    assert applied == {**TIERS[tier].sweep, "seeds": 2}
    assert config.seeds == 2


def test_run_hash_depends_on_every_field():
    config, _ = resolve("smoke")
    base = RunConfig.of(config, 5, 2, 12, 3, 0)
    assert base.run_id == RunConfig.of(config, 5, 2, 12, 3, 0).run_id
    assert base.run_id != RunConfig.of(config, 5, 2, 12, 4, 0).run_id
    assert base.training_hash == RunConfig.of(config, 5, 2, 12, 4, 1).training_hash
    assert base.run_id != RunConfig.of(resolve("smoke", {"steps": 301})[0], 5, 2, 12, 3, 0).run_id


def test_run_hash_changes_with_the_stream_version(monkeypatch):
    """A run stored by code that drew its random numbers differently is not reused."""
    config, _ = resolve("smoke")
    before = RunConfig.of(config, 5, 2, 12, 3, 0).run_id
    monkeypatch.setattr("memlab.training.config.STREAM_VERSION", training.config.STREAM_VERSION + 1)
    assert RunConfig.of(config, 5, 2, 12, 3, 0).run_id != before


@pytest.mark.parametrize(
    "body, key",
    [
        ("[sweep]\nsteps = -3\n", "steps"),
        ("[sweep]\nM = [0]\n", "M"),
        ("bogus = 1\n", "bogus"),
        ("[sweep]\nK = [99]\n", "K"),
        ("steps = 300\n", "steps"),  # a training key outside [sweep]: refused with the hint
        ("Ms = [10.5]\n", "Ms"),
        ('tier = "huge"\n', "tier"),
    ],
)
def test_cli_exits_2_naming_the_key(tmp_path, capsys, body, key):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "--config", str(path), "--tier", "smoke", "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    message = capsys.readouterr().err
    assert key in message and "allowed" in message
    assert not (tmp_path / "out").exists()  # rejected before any work


def test_train_cli_rejects_bad_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--tier", "smoke", "--N", "4", "--K", "5"])
    assert exit_.value.code == 2 and "K" in capsys.readouterr().err


def test_integer_and_float_spellings_hash_alike():
    whole, _ = resolve("ci", {"sigma2": 1, "time_weights": [1] * 26})
    real, _ = resolve("ci", {"sigma2": 1.0, "time_weights": [1.0] * 26})
    first, second = RunConfig.of(whole, 30, 3, 50, 5, 0), RunConfig.of(real, 30, 3, 50, 5, 0)
    assert first.run_id == second.run_id and first.training_hash == second.training_hash


def test_training_hash_covers_training_fields_only():
    base = RunConfig.of(resolve("smoke")[0], 5, 2, 12, 3, 0)
    for measurement_only in ({"samples": 21}, {"eval_draws": 5}, {"n_test": 7}):
        changed = RunConfig.of(resolve("smoke", measurement_only)[0], 5, 2, 12, 3, 0)
        assert changed.run_id != base.run_id and changed.training_hash == base.training_hash
    for training_fields in (
        {"steps": 301},
        {"peak_lr": 2e-3},
        {"noise_draws": 3},
        {"time_weights": [2.0] * 26},
    ):
        assert (
            RunConfig.of(resolve("smoke", training_fields)[0], 5, 2, 12, 3, 0).training_hash
            != base.training_hash
        )
