"""The acceptance check of the verdicts' power, on real measurements: `memlab verify --tier smoke
--controls` — every judged claim refutes at least one of its deliberately wrong theories, and no
correct theory is refuted (one measured disagreement of Section 4.2 is named below)."""

import json

import pytest

from memlab.cli import main

JUDGED = ("confirmed", "inconclusive")

# Disagreements measured on this tier and reported (README "What disagrees"), not excused: the test
# still fails if any other claim is refuted, or if these stop being refuted without review.
KNOWN_REFUTED = {
    # Section 4.2's partially memorizing analogue at M = 6, t = 0.879 on smoke's 6x6 templates:
    # 20.7 ± 8.1 against 47.3, where its derived 1-sparse condition holds (dropped memorizing part
    # 3.8% of the closed form; it fails from t = 0.919). Not the regime but the training set: the
    # same set gives 22.7 ± 9.2 at every low-noise time, the 3rd percentile of 2,000 smoke training
    # sets, whose mean (47.55 ± 0.36) matches the closed form; 12 skewed per-point units understate
    # the SE of a low realisation (docs/theory.md §7).
    "sec-4.2-partial",
}


@pytest.mark.slow
def test_smoke_tier_controls_have_power(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["verify", "--tier", "smoke", "--controls", "--out", str(tmp_path)])
    verdicts = json.loads((tmp_path / "verdicts.json").read_text())["verdicts"]
    refuted_claims = {v["claim"] for v in verdicts if v["status"] == "refuted"}
    assert refuted_claims == KNOWN_REFUTED, refuted_claims
    assert exit_.value.code == 1  # exit 1 exactly when a verdict is refuted
    judged = [v for v in verdicts if v["status"] in JUDGED]
    assert {v["claim"] for v in judged} >= {"def-2.2", "thm-3.1", "thm-3.2", "c-order-stat"}
    for v in verdicts:
        assert v["controls"], v["claim"]
    for v in judged:
        refuted = [c["theory"] for c in v["controls"] if c["outcome"] == "refuted"]
        assert refuted, f"{v['claim']} has no power: {v['controls']}"
    skipped = [v for v in verdicts if v["status"] == "skipped"]
    assert all(not v["unexpected"] for v in skipped), "smoke skips only what it declares"
