import math
from statistics import NormalDist

import pytest

from memlab.verification import ALPHA, POWER, Margin, Verdict, aggregate, compare
from memlab.verification.verdict import holm

RELATIVE = Margin(0.05, relative=True, unit="relative error", source="derived", why="test")
ABSOLUTE = Margin(0.5, relative=False, unit="x", source="derived", why="test")
Z = NormalDist().inv_cdf(1 - ALPHA)  # 1.645: the (1 − 2α) interval is measured ± Z·SE


@pytest.mark.parametrize(
    "measured, se, outcome",
    [
        (100.0, 1.0, "confirmed"),  # [98.4, 101.6] inside [95, 105]
        (103.0, 1.0, "confirmed"),  # [101.4, 104.6] inside
        (104.0, 1.0, "inconclusive"),  # [102.4, 105.6] straddles 105
        (107.0, 1.0, "refuted"),  # [105.4, 108.6] outside
        (90.0, 2.0, "refuted"),  # [86.7, 93.3] below 95
        (109.0, 4.0, "inconclusive"),  # a 9% miss with a 4% SE: no longer a pass
        (109.0, 40.0, "inconclusive"),  # more noise never confirms
    ],
)
def test_equivalence_test_against_a_relative_margin(measured, se, outcome):
    assert compare("a", 100.0, measured, se, RELATIVE).outcome == outcome


def test_noise_never_helps_a_wrong_value_pass():
    outcomes = {compare("a", 100.0, 109.0, se, RELATIVE).outcome for se in (0.1, 1, 4, 40, 400)}
    assert "confirmed" not in outcomes
    assert compare("a", 100.0, 109.0, 0.1, RELATIVE).outcome == "refuted"


def test_the_interval_is_the_1_minus_2_alpha_interval():
    c = compare("a", 100.0, 103.0, 2.0, RELATIVE)
    assert c.low == pytest.approx(103 - Z * 2) and c.high == pytest.approx(103 + Z * 2)
    assert c.margin == pytest.approx(5.0) and c.scale == pytest.approx(100.0)


def test_interval_theory_distance_is_to_the_nearest_end():
    inside = compare("a", (1.0, 2.0), 1.5, 0.1, ABSOLUTE)
    assert inside.outcome == "confirmed" and inside.deviation == 0.0
    above = compare("a", (1.0, 2.0), 2.6, 0.01, ABSOLUTE)  # 0.6 above 2 > margin 0.5
    assert above.outcome == "refuted" and above.deviation == pytest.approx(0.6)
    assert compare("a", (1.0, 2.0), 2.45, 0.01, ABSOLUTE).outcome == "confirmed"
    # a relative margin on an interval is taken of its nearest end: 5% of 2 above, of 1 below
    assert compare("a", (1.0, 2.0), 2.08, 0.001, RELATIVE).outcome == "confirmed"
    assert compare("a", (1.0, 2.0), 0.93, 0.001, RELATIVE).outcome == "refuted"


def test_one_sided_interval_states_an_inequality():
    exact = Margin(0.0, relative=False, unit="x", source="derived", why="test")
    at_least_zero = [0.0, None]
    assert compare("a", at_least_zero, 40.0, 1.0, exact).outcome == "confirmed"
    assert compare("a", at_least_zero, -5.0, 1.0, exact).outcome == "refuted"
    assert compare("a", at_least_zero, 0.5, 1.0, exact).outcome == "inconclusive"
    assert compare("a", [None, 1.0], 3.0, 0.0, exact).outcome == "refuted"


def test_zero_se_is_an_exact_comparison_and_an_edge_is_inside():
    exact = Margin(0.0, relative=False, unit="x", source="derived", why="test")
    assert compare("a", 0.0, 0.0, 0.0, exact).outcome == "confirmed"
    assert compare("a", 1.0, 1.0, 0.0, exact).outcome == "confirmed"
    assert compare("a", 0.0, 1e-12, 0.0, exact).outcome == "refuted"
    assert compare("a", 0.0, 0.5, 0.0, ABSOLUTE).outcome == "confirmed"


def test_a_nan_is_never_confirmed():
    c = compare("a", 1.0, math.nan, 0.0, ABSOLUTE)
    assert c.outcome == "inconclusive"


def test_violated_assumptions_keep_the_test_outcome():
    c = compare("a", 1.0, 9.0, 0.0, ABSOLUTE, violated=["memorizing-negligible"])
    assert c.outcome == "assumption-violated" and c.test == "refuted"


def test_holm_adjusts_step_down():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([]) == []


def test_many_marginal_comparisons_do_not_refute_a_claim_but_one_clear_one_does():
    # each raw refutation p ≈ 0.01; over 20 comparisons Holm gives 0.2: not refuted
    z = NormalDist().inv_cdf(0.99)
    rows = [compare(f"t{i}", 100.0, 105.0 + z, 1.0, RELATIVE) for i in range(20)]
    assert all(r.outcome == "refuted" for r in rows)  # each alone would be
    verdict = aggregate("c", rows, RELATIVE, {}, {})
    assert verdict.status == "inconclusive"
    assert all(c.outcome == "inconclusive" for c in verdict.comparisons)
    clear = compare("t-clear", 100.0, 120.0, 1.0, RELATIVE)
    assert aggregate("c", [*rows, clear], RELATIVE, {}, {}).status == "refuted"


def test_claim_outcome_aggregation():
    good = compare("a", 100.0, 100.0, 1.0, RELATIVE)
    unsure = compare("b", 100.0, 104.0, 1.0, RELATIVE)
    bad = compare("c", 100.0, 130.0, 1.0, RELATIVE)
    violated = compare("d", 100.0, 300.0, 1.0, RELATIVE, violated=["x"])
    status = lambda rows: aggregate("c", rows, RELATIVE, {}, {}).status  # noqa: E731
    assert status([good, violated]) == "confirmed"
    assert status([good, unsure, violated]) == "inconclusive"
    assert status([good, unsure, bad]) == "refuted"
    assert status([violated]) == "assumption-violated"
    refuted = aggregate("c", [good, bad], RELATIVE, {}, {})
    assert refuted.measured == 130.0 and "1 refuted" in refuted.reason
    explained = aggregate("c", [good, violated], RELATIVE, {}, {})
    assert "assumption(s) x" in explained.reason and "1 refuted" in explained.reason


def test_smallest_detectable_deviation():
    rows = [compare(f"t{i}", 100.0, 100.0, 2.0, RELATIVE) for i in range(4)]
    verdict = aggregate("c", rows, RELATIVE, {}, {})
    z = NormalDist().inv_cdf(1 - ALPHA / 4) + NormalDist().inv_cdf(POWER)
    assert verdict.detectable == pytest.approx((5.0 + z * 2.0) / 100.0)


def test_nothing_to_compare_is_skipped_unexpectedly():
    verdict = aggregate("c", [], RELATIVE, {}, {})
    assert verdict.status == "skipped" and verdict.reason and verdict.unexpected


def test_margin_rejects_nonsense():
    with pytest.raises(ValueError, match="margin"):
        Margin(-1.0, relative=False, unit="x", source="derived", why="test")
    with pytest.raises(ValueError, match="source"):
        Margin(1.0, relative=False, unit="x", source="tuned", why="test")


def test_verdict_round_trips_through_a_dict():
    verdict = aggregate(
        "c", [compare("t=0.1", (1.0, 2.0), 1.5, 0.1, ABSOLUTE)], ABSOLUTE, {"d": 5}, {"seed": 0}
    )
    assert Verdict.from_dict(verdict.to_dict()) == verdict
