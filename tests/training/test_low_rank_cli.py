"""``memlab sweep`` and ``memlab train`` with ``--model low-rank``: ``--templates`` checked before
any work (exit 2, one line naming the file, nothing created), options of the other model refused,
and a tiny run end to end."""

import json

import numpy as np
import pytest

from memlab.cli import main
from tests.numerics.test_low_rank import write_idx


def _run(args, capsys):
    """Exit code, stdout and stderr of ``memlab ARGS``."""
    with pytest.raises(SystemExit) as exit_:
        main(args)
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


@pytest.fixture
def truncated(tmp_path):
    images = np.zeros((4, 28, 28), np.uint8)
    images[:, 5:20, 5:20] = 200
    whole = write_idx(tmp_path / "whole.idx", images)
    path = tmp_path / "cut.idx"
    path.write_bytes(whole.read_bytes()[:100])
    return path


@pytest.mark.parametrize("command", ["sweep", "train"])
@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_bad_templates_exit_2_naming_the_file(command, damage, truncated, tmp_path, capsys):
    path = truncated if damage == "truncated" else tmp_path / "absent.idx"
    out = tmp_path / "out"
    code, _, err = _run(
        [command, "--model", "low-rank", "--templates", str(path), "--out", str(out)], capsys
    )
    assert code == 2 and str(path) in err and "--templates" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "args, field",
    [
        (["sweep", "--templates", "x.idx"], "--templates"),  # the isotropic model has none
        (["train", "--template-labels", "x.idx"], "--template-labels"),
        (["sweep", "--model", "low-rank", "--tier", "study"], "--tier"),
        (["sweep", "--model", "low-rank", "--plan"], "--plan"),
        (["train", "--model", "low-rank", "--d", "5"], "--d"),
    ],
)
def test_options_of_the_other_model_are_refused(args, field, capsys):
    code, _, err = _run(args, capsys)
    assert code == 2 and field in err and len(err.strip().splitlines()) == 1


def test_low_rank_train_then_sweep_resume_one_store(tmp_path, capsys):
    """``train`` stores its model; ``sweep`` of the same configuration (a file's [low_rank_sweep]
    table) on that store trains nothing more and reports the same model."""
    store = tmp_path / "store"
    code, out, _ = _run(
        ["train", "--model", "low-rank", "--tier", "smoke", "--M", "2", "--steps", "4"]
        + ["--out", str(store), "--format", "json"],
        capsys,
    )
    assert code == 0
    trained = json.loads(out)
    assert [p["M"] for p in trained["points"]] == [2] and trained["points"][0]["failed"] is None
    file = tmp_path / "sweep.toml"
    file.write_text('tier = "smoke"\n[low_rank_sweep]\nM = [2]\nsteps = 4\n')
    code, out, _ = _run(
        ["sweep", "--model", "low-rank", "--config", str(file), "--out", str(store)]
        + ["--format", "json"],
        capsys,
    )
    assert code == 0
    assert json.loads(out)["points"] == trained["points"]
    code, _, err = _run(
        ["sweep", "--model", "low-rank", "--tier", "smoke", "--out", str(store)], capsys
    )
    assert code == 2 and "M = [2] there" in err  # the store holds another configuration
