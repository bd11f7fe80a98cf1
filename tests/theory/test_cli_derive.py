import json

import pytest
from click.testing import CliRunner

from memlab import theory
from memlab.cli import cli, main


def run(*args):
    return CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=True)


def run_main(capsys, *args):
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


def test_help_lists_subcommands_and_version(capsys):
    code, out, _ = run_main(capsys, "--help")
    assert code == 0 and "derive" in out
    code, out, _ = run_main(capsys, "--version")
    assert code == 0 and "0.1.0" in out


@pytest.mark.parametrize("C", ["3/2", "1.5"])
def test_crossover_json(capsys, C):
    code, out, _ = run_main(
        capsys,
        "derive",
        "crossover",
        "--weighting",
        "uniform",
        "--C",
        C,
        "--digits",
        "20",
        "--format",
        "json",
    )
    result = json.loads(out)
    assert code == 0
    assert result["value"] == "0.77357309333333333333"
    assert [float(v) for v in result["interval"]] == pytest.approx([0.66035964, 0.83017982])


def test_crossover_text_and_latex(capsys):
    code, out, _ = run_main(
        capsys, "derive", "crossover", "--weighting", "continuous-uniform", "--C", "2"
    )
    assert code == 0 and "5/6" in out
    code, out, _ = run_main(capsys, "derive", "crossover", "--format", "latex")
    assert code == 0 and r"\frac" in out


@pytest.mark.parametrize("claim", theory.THEORY_CLAIMS)
@pytest.mark.parametrize("fmt", ["text", "latex", "json"])
def test_every_claim_derives(capsys, claim, fmt):
    code, out, _ = run_main(capsys, "derive", claim, "--format", fmt)
    assert code == 0 and out
    if fmt == "json":
        assert json.loads(out)["id"] == claim


@pytest.mark.parametrize(
    "args, option",
    [
        (["--weighting", "nope"], "--weighting"),
        (["--C", "0"], "--C"),
        (["--C", "-1/2"], "--C"),
        (["--C", "abc"], "--C"),
        (["--schedule", "cosine"], "--schedule"),
        (["--sigma2", "-1"], "--sigma2"),
        (["--digits", "2"], "--digits"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args, option):
    code, out, err = run_main(capsys, "derive", "crossover", *args)
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1 and option in err


def test_unknown_claim_exits_2(capsys):
    code, _, err = run_main(capsys, "derive", "thm-9")
    assert code == 2 and "NAME" in err and "thm-3.1" in err


def test_a_measured_claim_says_who_judges_it(capsys):
    code, _, err = run_main(capsys, "derive", "fig-2")
    assert code == 2 and "trained models" in err and "memlab verify" in err
