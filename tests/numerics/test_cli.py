"""``memlab check`` for every claim, text and JSON, and exit code 2 on bad input."""

import json

import pytest

from memlab.cli import main
from memlab.numerics import CHECKS

SMALL = ["--d", "6", "--K", "2", "--N", "12", "--draws", "4"]


def _run(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", *argv])
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


@pytest.mark.parametrize("claim", list(CHECKS))
def test_check_prints_json_rows(claim, capsys):
    code, out, _ = _run([claim, *SMALL, "--format", "json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["claim"] == claim
    assert all({"t", "theory", "measured", "se", "rel_err"} <= set(row) for row in payload["rows"])
    outcomes = ("confirmed", "refuted", "inconclusive", "assumption-violated", "skipped")
    assert payload["outcome"] in outcomes
    assert all(row["outcome"] in outcomes for row in payload["rows"])
    assert payload["margin"]["why"] and "detectable" in payload


def test_theorem_3_2_below_K_is_not_confirmed(capsys):
    """M < K: most clusters hold no memorized point and C leaves [1, 2]; the derived
    clusters-covered condition says so (never a silent confirmation)."""
    argv = ["thm-3.2", "--d", "20", "--K", "6", "--N", "30", "--M", "3", "--draws", "10"]
    code, out, _ = _run([*argv, "--format", "json"], capsys)
    payload = json.loads(out)
    assert payload["outcome"] == "assumption-violated"
    assert "clusters-covered" in payload["reason"]
    assert all(row["outcome"] == "assumption-violated" for row in payload["rows"])


@pytest.mark.parametrize("claim", list(CHECKS))
def test_check_prints_a_text_table(claim, capsys):
    code, out, _ = _run([claim, *SMALL], capsys)
    assert code == 0
    header = out.splitlines()[1].split()
    assert [c for c in header if c in ("theory", "measured", "se", "rel_err")] == [
        "theory",
        "measured",
        "se",
        "rel_err",
    ]
    if claim == "thm-3.2":
        assert "C" in header


@pytest.mark.parametrize(
    "argv, option",
    [
        (["thm-9.9", *SMALL], "CLAIM"),
        (["thm-3.1", "--d", "0", "--K", "1", "--N", "3"], "--d"),
        (["thm-3.1", "--d", "4", "--K", "5", "--N", "3"], "--K"),
        (["thm-3.2", "--d", "4", "--K", "1", "--N", "3", "--M", "0"], "--M"),
        (["eq-14", "--d", "4", "--K", "1", "--N", "3", "--draws", "1"], "--draws"),
        (["def-2.2", "--d", "4", "--K", "1", "--N", "3", "--sigma2", "-1"], "--sigma2"),
        (["thm-3.1", "--d", "four", "--K", "1", "--N", "3"], "--d"),
        (["thm-3.1", *SMALL, "--schedule", "cosine"], "--schedule"),
    ],
)
def test_bad_input_exits_2_with_a_one_line_message(argv, option, capsys):
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and option in err
