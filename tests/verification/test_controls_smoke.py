"""The acceptance check of the verdicts' power, on real measurements: `memlab verify --tier smoke
--controls` — every judged claim refutes at least one of its deliberately wrong theories, and no
correct theory is refuted."""

import json

import pytest

from memlab.cli import main

JUDGED = ("confirmed", "inconclusive")

# Disagreements measured on this tier and reported (README "What disagrees"), not excused: the test
# fails if any claim not named here is refuted, or if one named here stops being refuted without
# review. Section 4.2's partially memorizing analogue was refuted here while its SE came from the 12
# per-point units of one training set; with the SE over 40 training sets' means it no longer is
# (docs/theory.md §7).
KNOWN_REFUTED: set[str] = set()


@pytest.mark.slow
def test_smoke_tier_controls_have_power(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["verify", "--tier", "smoke", "--controls", "--out", str(tmp_path)])
    verdicts = json.loads((tmp_path / "verdicts.json").read_text())["verdicts"]
    refuted_claims = {v["claim"] for v in verdicts if v["status"] == "refuted"}
    assert refuted_claims == KNOWN_REFUTED, refuted_claims
    undecided = any(
        v["status"] == "inconclusive" or (v["status"] == "skipped" and v["unexpected"])
        for v in verdicts
    )
    assert exit_.value.code == (1 if refuted_claims else 3 if undecided else 0)
    judged = [v for v in verdicts if v["status"] in JUDGED]
    assert {v["claim"] for v in judged} >= {"def-2.2", "thm-3.1", "thm-3.2", "c-order-stat"}
    for v in verdicts:
        assert v["controls"], v["claim"]
    for v in judged:
        refuted = [c["theory"] for c in v["controls"] if c["outcome"] == "refuted"]
        assert refuted, f"{v['claim']} has no power: {v['controls']}"
    skipped = [v for v in verdicts if v["status"] == "skipped"]
    assert all(not v["unexpected"] for v in skipped), "smoke skips only what it declares"
