import math

import pytest

from memlab.verification import Tolerance, aggregate, compare

RULE = Tolerance(z=3, rtol=0.01, atol=0.5, why="test")


@pytest.mark.parametrize(
    "theory, measured, se, agrees",
    [
        (100.0, 103.0, 0.5, True),  # bound 1.5 + 1 + 0.5 = 3
        (100.0, 103.01, 0.5, False),
        (0.0, 0.5, 0.0, True),  # atol alone at theory 0
        (0.0, 0.51, 0.0, False),
        ((1.0, 2.0), 1.7, 0.0, True),  # inside an interval
        ((1.0, 2.0), 2.5, 0.1, True),  # 0.5 from the edge <= 0.3 + 0.02 + 0.5
        ((1.0, 2.0), 2.9, 0.1, False),
    ],  # 0.9 from the edge > 0.3 + 0.02 + 0.5
)
def test_tolerance_rule(theory, measured, se, agrees):
    expected_bound = (
        3 * se
        + 0.01
        * abs(min(max(measured, theory[0]), theory[1]) if isinstance(theory, tuple) else theory)
        + 0.5
    )
    assert RULE.bound(theory, measured, se) == pytest.approx(expected_bound)
    deviation = RULE.deviation(theory, measured)
    assert RULE.agrees(theory, measured, se) == (deviation <= expected_bound)
    assert RULE.agrees(theory, measured, se) == agrees


def test_interval_distance_is_to_the_nearest_edge():
    assert RULE.deviation((1.0, 2.0), 2.5) == pytest.approx(0.5)
    assert RULE.deviation((1.0, 2.0), 0.25) == pytest.approx(0.75)
    assert RULE.deviation((1.0, 2.0), 1.5) == 0.0


def test_one_sided_interval_states_an_inequality():
    """Lemma 2.1's "no perturbation lowers the loss": theory [0, ∞) written (0, None)."""
    at_least_zero = (0.0, None)
    assert RULE.deviation(at_least_zero, 40.0) == 0.0
    assert compare("a", list(at_least_zero), 40.0, 1.0, RULE).status == "pass"
    assert (
        compare("a", list(at_least_zero), -0.6, 0.0, RULE).status == "fail"
    )  # 0.6 below 0 > atol 0.5
    assert compare("a", [None, 1.0], 3.0, 0.0, RULE).status == "fail"


def test_statuses_of_comparisons():
    assert compare("a", 1.0, 1.0, 0.0, RULE).status == "pass"
    assert compare("a", 1.0, 9.0, 0.0, RULE).status == "fail"
    violated = compare("a", 1.0, 9.0, 0.0, RULE, violated=["memorizing-negligible"])
    assert violated.status == "assumption-violated" and not violated.agrees
    assert compare("a", 1.0, math.nan, 0.0, RULE).status == "fail"  # a NaN never passes


def test_a_disagreement_where_assumptions_hold_fails_the_claim():
    rows = [
        compare("t=0.1", 1.0, 1.0, 0.0, RULE),
        compare("t=0.5", 1.0, 9.0, 0.0, RULE),
        compare("t=0.99", 1.0, 50.0, 0.0, RULE, violated=["x"]),
    ]
    verdict = aggregate("thm-3.1", rows, RULE, {}, {})
    assert verdict.status == "fail"
    assert (
        verdict.measured == 9.0 and verdict.theory == 1.0
    )  # the key number is the failing comparison
    assert "1 fail" in verdict.reason and "assumption(s) x" in verdict.reason


def test_violations_are_reported_not_counted():
    rows = [
        compare("t=0.1", 1.0, 1.0, 0.0, RULE),
        compare("t=0.99", 1.0, 50.0, 0.0, RULE, violated=["x"]),
    ]
    assert aggregate("c", rows, RULE, {}, {}).status == "pass"
    only_violated = aggregate("c", rows[1:], RULE, {}, {})
    assert only_violated.status == "assumption-violated" and only_violated.measured == 50.0


def test_nothing_to_compare_is_skipped_with_a_reason():
    verdict = aggregate("c", [], RULE, {}, {})
    assert verdict.status == "skipped" and verdict.reason


def test_verdict_round_trips_through_a_dict():
    from memlab.verification import Verdict

    verdict = aggregate(
        "c", [compare("t=0.1", (1.0, 2.0), 1.5, 0.1, RULE)], RULE, {"d": 5}, {"seed": 0}
    )
    assert Verdict.from_dict(verdict.to_dict()) == verdict
