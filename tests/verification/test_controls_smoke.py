"""The acceptance check of the verdicts' power, on real measurements: `memlab verify --tier smoke
--controls` — every judged claim refutes at least one of its deliberately wrong theories, and no
correct theory is refuted."""

import json

import pytest

from memlab.cli import main

JUDGED = ("confirmed", "inconclusive")


@pytest.mark.slow
def test_smoke_tier_controls_have_power(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["verify", "--tier", "smoke", "--controls", "--out", str(tmp_path)])
    verdicts = json.loads((tmp_path / "verdicts.json").read_text())["verdicts"]
    assert exit_.value.code in (0, 3)  # nothing refuted
    judged = [v for v in verdicts if v["status"] in JUDGED]
    assert {v["claim"] for v in judged} >= {"def-2.2", "thm-3.1", "thm-3.2", "c-order-stat"}
    for v in verdicts:
        assert v["status"] != "refuted", (v["claim"], v["reason"])
        assert v["controls"], v["claim"]
    for v in judged:
        refuted = [c["theory"] for c in v["controls"] if c["outcome"] == "refuted"]
        assert refuted, f"{v['claim']} has no power: {v['controls']}"
    skipped = [v for v in verdicts if v["status"] == "skipped"]
    assert all(not v["unexpected"] for v in skipped), "smoke skips only what it declares"
