"""``memlab verify`` / ``memlab report`` end to end on the smoke tier, with the numerics checks and
the training sweep replaced by fakes (tests/verification/fakes.py) so outcomes are known."""

import json

import pytest

from memlab import numerics
from memlab.cli import main
from memlab.verification import CLAIMS

from .fakes import fake_run_check, install_fakes

FILES = (
    "report.md",
    "report.html",
    "verdicts.json",
    "fig1_losses.png",
    "fig2_transition.png",
    "fig3_mpt.png",
    "weighting.png",
    "c_order_statistic.png",
    "thm31_edge.png",
)


def run(args) -> int:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    return exit_.value.code


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        install_fakes(patch)
        out = tmp_path_factory.mktemp("smoke")
        code = run(["verify", "--tier", "smoke", "--controls", "--out", str(out)])
    return out, code


def test_smoke_tier_writes_every_file(smoke):
    out, code = smoke
    for name in FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    verdicts = json.loads((out / "verdicts.json").read_text())
    statuses = {v["claim"]: v["status"] for v in verdicts["verdicts"]}
    # the fakes agree with every theory (SE 1%): nothing is refuted, the 1%-SE rows of the
    # claims with margins are confirmed, the zero-margin ones stay inconclusive
    assert "refuted" not in statuses.values()
    assert statuses["thm-3.1"] == statuses["thm-3.2"] == statuses["fig-2"] == "confirmed"
    assert statuses["def-2.2"] == "inconclusive"
    expected = 3 if "inconclusive" in statuses.values() else 0
    assert code == verdicts["exit_code"] == expected
    assert {v["claim"] for v in verdicts["verdicts"]} >= {"thm-3.1", "eq-15", "fig-3"}
    for v in verdicts["verdicts"]:
        assert v["status"] in ("confirmed", "inconclusive", "assumption-violated", "skipped")
        assert {
            "claim",
            "status",
            "theory",
            "measured",
            "se",
            "margin",
            "detectable",
            "controls",
            "config",
            "provenance",
        } <= set(v)
        assert [c["theory"] for c in v["controls"]] == [c.name for c in CLAIMS[v["claim"]].controls]
        for comparison in v["comparisons"]:
            assert comparison["outcome"] in (
                "confirmed",
                "refuted",
                "inconclusive",
                "assumption-violated",
            )
    report = (out / "report.md").read_text()
    assert report.index("| claim | statement | verdict | key number |") < report.index("## Tier")
    assert "data:image/png;base64," in (out / "report.html").read_text()


def test_report_rebuilds_identically_without_recomputing(smoke, monkeypatch):
    out, code = smoke
    before = {name: (out / name).read_bytes() for name in FILES}
    for name in FILES:
        (out / name).unlink()

    def forbidden(*args, **kwargs):
        raise AssertionError("memlab report must not recompute")

    monkeypatch.setattr(numerics, "run_check", forbidden, raising=False)
    monkeypatch.setattr(numerics, "per_time_losses", forbidden, raising=False)
    assert run(["report", str(out)]) == code
    for name in FILES:
        assert (out / name).read_bytes() == before[name], name


def test_a_disagreement_where_assumptions_hold_exits_1(fake_layers, tmp_path):
    fake_layers.setattr(numerics, "run_check", fake_run_check(bias=0.5))
    assert (
        run(
            [
                "verify",
                "--tier",
                "smoke",
                "--out",
                str(tmp_path),
                "--config",
                str(_toml(tmp_path, 'sweep_tier = "none"')),
            ]
        )
        == 1
    )
    verdicts = {
        v["claim"]: v for v in json.loads((tmp_path / "verdicts.json").read_text())["verdicts"]
    }
    assert verdicts["thm-3.1"]["status"] == "refuted"
    assert verdicts["thm-3.1"]["measured"] == pytest.approx(1.5 * verdicts["thm-3.1"]["theory"])
    assert (
        verdicts["fig-2"]["status"] == "skipped" and "does not train" in verdicts["fig-2"]["reason"]
    )
    assert verdicts["eq-15"]["status"] == "skipped"


def test_too_few_transitions_skip_eq_15(fake_layers, tmp_path):
    from memlab import training

    from .fakes import FakeSweep, fake_run_sweep

    def one_config(*args, **kwargs):
        data = fake_run_sweep(*args, **kwargs).to_dict()
        return FakeSweep({**data, "configs": data["configs"][:1]})

    fake_layers.setattr(training, "run_sweep", one_config)
    run(["verify", "--tier", "smoke", "--out", str(tmp_path)])
    verdicts = {
        v["claim"]: v for v in json.loads((tmp_path / "verdicts.json").read_text())["verdicts"]
    }
    assert verdicts["eq-15"]["status"] == "skipped"
    assert "1 configuration(s) with a measured M_pt" in verdicts["eq-15"]["reason"]
    assert verdicts["fig-3"]["status"] != "skipped"


def _toml(directory, text):
    path = directory / "overrides.toml"
    path.write_text(text + "\n")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["verify", "--tier", "huge", "--out", "x"],
        ["verify", "--tier", "smoke", "--out", "x", "--config", "/nonexistent.toml"],
        ["report", "/nonexistent-directory"],
    ],
)
def test_bad_input_exits_2(args):
    assert run(args) == 2


@pytest.mark.parametrize("text", ["bogus = 1", "N = 0", "Ms = [5, 500]", 'draws = "many"'])
def test_bad_config_exits_2_before_any_work(text, tmp_path, monkeypatch):
    monkeypatch.setattr(
        numerics, "run_check", lambda *a, **k: pytest.fail("work started"), raising=False
    )
    assert (
        run(
            [
                "verify",
                "--tier",
                "smoke",
                "--out",
                str(tmp_path / "out"),
                "--config",
                str(_toml(tmp_path, text)),
            ]
        )
        == 2
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text, key",
    [
        ("[sweep]\nstepz = 1", "stepz"),
        ("[sweep]\nsteps = -5", "steps"),
        ('sweep_tier = "smoke"\n[sweep]\nK = [0]', "K"),
        # verify judges against VP closed forms: another schedule is refused, not silently misjudged
        ('[sweep]\nschedule = "cosine-vp"', "sweep.schedule"),
    ],
)
def test_bad_sweep_override_exits_2_before_any_work(text, key, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        numerics, "run_check", lambda *a, **k: pytest.fail("work started"), raising=False
    )
    assert (
        run(
            [
                "verify",
                "--tier",
                "smoke",
                "--out",
                str(tmp_path / "out"),
                "--config",
                str(_toml(tmp_path, text)),
            ]
        )
        == 2
    )
    assert key in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_study_measurement_across_configurations(smoke):
    """The fake sweep's three configurations: each with its three predictions and errors, eq. (15)
    held out one configuration at a time for both families and predictors, and judged so."""
    out, _ = smoke
    study = json.loads((out / "results" / "study.json").read_text())
    assert len(study["configurations"]) == 3
    for row in study["configurations"]:
        assert set(row["errors"]) == {"measured-losses", "order-statistic", "C-interval"}
        assert all(error is not None and error >= 0 for error in row["errors"].values())
    fits = study["eq15_cv"]["fits"]
    assert set(fits) == {
        f"{p}, {f}" for p in ("closed-form", "measured-losses") for f in ("simplex", "power")
    }
    assert all(fit["test"] == [0, 1, 2] and len(fit["held_out"]) == 3 for fit in fits.values())
    verdicts = {v["claim"]: v for v in json.loads((out / "verdicts.json").read_text())["verdicts"]}
    recorded = json.loads((out / "verdicts.json").read_text())
    assert [c["errors"] for c in recorded["configurations"]] == [
        r["errors"] for r in study["configurations"]
    ]
    assert set(recorded["predictor_rmse"]) == set(study["rmse"])
    labels = [c["label"] for c in verdicts["eq-15"]["comparisons"]]
    assert len(labels) == 12 and all("held out" in label for label in labels)
