"""Figure 2's check reads both the memorization ratios and the train/test loss gap."""

import copy

import pytest

from memlab.verification.claims.fig_2 import CLAIM
from memlab.verification.results import Results

from .fakes import _config


def _results(configs):
    return Results(
        {"tier": "smoke", "config": {}, "provenance": {}, "skipped": {}},
        {"sweep": {"tier": "smoke", "overrides": {}, "provenance": {}, "configs": configs}},
    )


def _gap_rows(verdict):
    return [c for c in verdict.comparisons if "loss gap" in c.label]


def test_a_growing_loss_gap_is_confirmed():
    verdict = CLAIM.verdict(_results([_config(30, 3, 30, 24), _config(30, 6, 60, 48)]))
    assert verdict.status == "confirmed"
    gaps = _gap_rows(verdict)
    assert len(gaps) == 2 and all(
        c.measured == pytest.approx(9.0) for c in gaps
    )  # 10·(1 − 1/10) increase


def test_a_shrinking_loss_gap_is_refuted_even_with_the_right_ratios():
    config = copy.deepcopy(_config(30, 3, 30, 24))
    for point in config["points"]:
        point["train_loss"], point["test_loss"] = 5.0, 5.0 + 3.0 * (1 - point["M"] / config["N"])
    verdict = CLAIM.verdict(_results([config]))
    assert verdict.status == "refuted"
    assert [c.outcome for c in _gap_rows(verdict)] == ["refuted"]
    assert all(c.outcome == "confirmed" for c in verdict.comparisons if "loss gap" not in c.label)


def test_seed_spread_enters_the_gap_se():
    config = copy.deepcopy(_config(30, 3, 30, 24))
    for point in list(config["points"]):
        config["points"].append({**point, "seed": 1, "test_loss": point["test_loss"] + 1.0})
    (gap,) = _gap_rows(CLAIM.verdict(_results([config])))
    # the gaps at each M differ by 1 between the two seeds: SE of each mean 0.5, of the difference
    # 0.5·√2
    assert gap.se == pytest.approx(0.5 * 2**0.5)


def test_with_one_seed_the_gap_se_is_the_monte_carlo_se_and_never_a_false_zero():
    config = copy.deepcopy(_config(30, 3, 30, 24))
    (gap,) = _gap_rows(CLAIM.verdict(_results([config])))
    assert gap.se == pytest.approx(0.5 * 2**0.5)  # the stored SE of each of the two gaps
    for point in config["points"]:
        point["loss_gap_se"] = None  # a run stored before the SE was kept
    (gap,) = _gap_rows(CLAIM.verdict(_results([config])))
    assert gap.outcome == "inconclusive"


def test_a_renamed_field_is_an_error_naming_it_not_an_empty_comparison():
    from memlab.theory.errors import InvalidInput

    config = copy.deepcopy(_config(30, 3, 30, 24))
    for point in config["points"]:
        point["memorization_ratio"] = point.pop("ratio")
    with pytest.raises(InvalidInput, match=r"points\[0\]\.memorization_ratio"):
        CLAIM.verdict(_results([config]))
