import json

import pytest

from memlab.cli import main
from memlab.verification import audit


def rows_by_key(config):
    return {(r.claim, r.assumption): r for r in audit(config)}


def test_audit_per_time_at_the_paper_configuration():
    rows = rows_by_key({"d": 50, "K": 12, "N": 200, "M": 40, "sigma2": 1.0, "gamma2": 100.0})
    negligible = rows[("thm-3.1", "memorizing-negligible")]
    holding = [t for t, holds, _ in negligible.per_time if holds]
    # the derived edge ψ_t·50 ≥ 4 log(200/12) ⇔ ψ_t ≥ 0.225 ⇔ t ≤ 0.9035: 23 of the 26 grid times
    assert len(holding) == 23 and max(holding) == pytest.approx(0.8792, abs=1e-3)
    assert negligible.holds is False and negligible.margin < 0
    assert rows[("thm-3.2", "M-at-most-N")].holds and rows[("thm-3.2", "M-at-most-N")].margin == 160
    assert rows[("lem-2.1", "K-divides-M")].holds is False  # 12 does not divide 40
    assert rows[("regime-poly-d", "asymptotic-nn")].holds is False  # (200/12)^(1/50) ≈ 1.06
    assert rows[("fig-2", "converged-training")].holds is None  # no training budget given


def test_audit_command_text_and_json(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "audit",
                "--d",
                "50",
                "--K",
                "12",
                "--N",
                "200",
                "--M",
                "48",
                "--gamma2",
                "100",
                "--format",
                "json",
            ]
        )
    assert exit_.value.code == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["assumption"] for r in out["rows"]} >= {
        "poly-d",
        "memorizing-negligible",
        "K-divides-M",
    }
    assert next(r for r in out["rows"] if r["assumption"] == "K-divides-M")["holds"] is True


def test_audit_reads_a_toml_file(tmp_path, capsys):
    path = tmp_path / "c.toml"
    path.write_text("d = 50\nK = 12\nN = 200\nM = 40\ngamma2 = 100.0\nsteps = 20000\n")
    with pytest.raises(SystemExit) as exit_:
        main(["audit", str(path)])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "memorizing-negligible" in text and "holds at 23/26 grid times" in text
    assert "converged-training" in text and "FAILS" in text


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "--d", "50", "--K", "300", "--N", "200"],
        ["audit", "--K", "3", "--N", "10"],
        ["audit", "/nonexistent.toml"],
    ],
)
def test_audit_bad_input_exits_2(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    assert "memlab: error" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, key",
    [
        ("d = 50.5\nK = 3\nN = 30", "d"),
        ("d = 50\nK = 3.0\nN = 30", "K"),
        ("d = 50\nK = 3\nN = 30.7", "N"),
        ("d = 50\nK = 3\nN = 30\nM = 1.5", "M"),
        ("d = 50\nK = 3\nN = 30\nseed = -1", "seed"),
        ("d = 50\nK = 3\nN = 30\nseed = 0.5", "seed"),
        ("d = 50\nK = 3\nN = 30\nsigma2 = 0", "sigma2"),
    ],
)
def test_audit_rejects_non_integer_counts_and_negative_seeds(text, key, tmp_path, capsys):
    path = tmp_path / "audit.toml"
    path.write_text(text + "\n")
    with pytest.raises(SystemExit) as exit_:
        main(["audit", str(path)])
    assert exit_.value.code == 2
    assert key in capsys.readouterr().err


@pytest.mark.parametrize(
    "option, value", [("--seed", "-3"), ("--d", "0"), ("--M", "-1"), ("--N", "2.5")]
)
def test_audit_rejects_bad_options(option, value, capsys):
    args = {"--d": "50", "--K": "3", "--N": "30", option: value}
    with pytest.raises(SystemExit) as exit_:
        main(["audit", *[token for item in args.items() for token in item]])
    assert exit_.value.code == 2
    assert option.lstrip("-") in capsys.readouterr().err
