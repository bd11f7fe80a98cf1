"""The margins of Figure 2, Definition 2.2, Lemma 2.1 and the degenerate regime: each decides a
verdict where it should (confirmed inside, refuted outside, inconclusive astride), and the
degenerate regime is judged on the rows its derived condition admits."""

import copy

import pytest

from memlab.numerics.checks.config import CheckConfig
from memlab.numerics.checks.regime import check_exp_regime
from memlab.theory.errors import InvalidInput
from memlab.verification import CLAIMS
from memlab.verification.results import Results

from .fakes import _config


def _rows_results(claim_id, rows, config=None):
    """Results holding one stored numerics check of ``claim_id`` with ``rows``."""
    rows = [{"t": None, "theory": 0.0, "se": 0.0, **row} for row in rows]
    check = {
        "claim": claim_id,
        "config": config or {},
        "rows": rows,
        "summary": {},
        "provenance": {},
    }
    return Results({"tier": "t", "config": {}, "provenance": {}}, {claim_id: {"results": [check]}})


def _outcomes(verdict):
    return [c.outcome for c in verdict.comparisons]


# Figure 2: a ratio within 0.1 of its limit (the paper's 0.1–0.9 transition window).


@pytest.mark.parametrize(
    "ratio, samples, outcome",
    [
        (0.02, 100, "confirmed"),  # the ci tier's measured 0.02 ± 0.014 at M/N = 0.5
        (0.05, 400, "confirmed"),
        (0.3, 100, "refuted"),  # the transition has begun at M/N = 1/2
        (0.1, 100, "inconclusive"),  # on the window's edge: more samples would decide
    ],
)
def test_figure_2_judges_a_ratio_within_the_transition_window(ratio, samples, outcome):
    config = copy.deepcopy(_config(30, 3, 30, 24))
    for point in config["points"]:
        if point["M"] == 15:  # M/N = 1/2
            point["ratio"], point["samples"] = ratio, samples
    results = Results(
        {"tier": "t", "config": {}, "provenance": {}},
        {"sweep": {"tier": "t", "overrides": {}, "provenance": {}, "configs": [config]}},
    )
    verdict = CLAIMS["fig-2"].verdict(results)
    (row,) = [c for c in verdict.comparisons if "M=15," in c.label]
    assert row.outcome == outcome
    assert row.margin == 0.1


# Definition 2.2: constructed cases exactly, sampled cases within one sample in 50.


@pytest.mark.parametrize(
    "row, outcome",
    [
        ({"d1_over_d2": 0.3, "theory": 1.0, "measured": 1.0}, "confirmed"),
        ({"d1_over_d2": 0.37, "theory": 0.0, "measured": 0.5, "se": 0.05}, "refuted"),
        # one miss in 100 at a constructed ratio: no margin, so never confirmed
        ({"d1_over_d2": 0.3, "theory": 1.0, "measured": 0.99, "se": 0.00995}, "inconclusive"),
        ({"d1_over_d2": None, "theory": 0.0, "measured": 0.005, "se": 0.003}, "confirmed"),
        ({"d1_over_d2": None, "theory": 0.0, "measured": 0.01, "se": 0.00995}, "inconclusive"),
        ({"d1_over_d2": None, "theory": 1.0, "measured": 0.8, "se": 0.04}, "refuted"),
    ],
)
def test_definition_2_2_margins(row, outcome):
    verdict = CLAIMS["def-2.2"].verdict(_rows_results("def-2.2", [{"case": "c", **row}]))
    assert _outcomes(verdict) == [outcome]


# Lemma 2.1: each row within its own derived round-off bound.


@pytest.mark.parametrize(
    "row, outcome",
    [
        ({"kind": "tweedie", "measured": 3e-13, "roundoff": 1e-12}, "confirmed"),
        ({"kind": "tweedie", "measured": 1e-11, "roundoff": 1e-12}, "refuted"),
        ({"kind": "perturbation", "measured": -5e-10, "roundoff": 1e-9}, "confirmed"),
        ({"kind": "perturbation", "measured": -1e-8, "roundoff": 1e-9}, "refuted"),
        ({"kind": "perturbation", "measured": 0.1, "se": 0.034, "roundoff": 1e-9}, "confirmed"),
        ({"kind": "perturbation", "measured": 0.03, "se": 0.034, "roundoff": 1e-9}, "inconclusive"),
    ],
)
def test_lemma_2_1_rows_are_judged_within_their_round_off_bound(row, outcome):
    row = {**row, "theory": 0.0}
    verdict = CLAIMS["lem-2.1"].verdict(_rows_results("lem-2.1", [row]))
    assert _outcomes(verdict) == [outcome]
    assert verdict.comparisons[0].margin == row["roundoff"]


def test_lemma_2_1_row_without_its_bound_is_an_error_naming_it():
    results = _rows_results("lem-2.1", [{"kind": "tweedie", "measured": 0.0}])
    with pytest.raises(InvalidInput, match="row.roundoff"):
        CLAIMS["lem-2.1"].verdict(results)


def test_lemma_2_1_check_rows_sit_inside_their_bounds():
    from memlab.numerics import run_check

    rows = run_check("lem-2.1", d=10, K=2, N=20, M=4, draws=4).to_dict()["rows"]
    identities = [r for r in rows if r["kind"] != "perturbation"]
    assert identities and all(0 <= r["measured"] <= r["roundoff"] < 1e-9 for r in identities)
    assert all(0 < r["roundoff"] < 1e-6 for r in rows)


# The degenerate regime: d > 4 (the rate's first correction finite) and n >= d^d.


@pytest.fixture(scope="module")
def exp_regime_results():
    check = check_exp_regime(CheckConfig(5, 1, 10, None, 3, 2, 1.0)).to_dict()
    config = {"d": 5, "K": 1, "N": 10, "sigma2": 1.0}
    return Results(
        {"tier": "t", "config": config, "provenance": {}}, {"regime-exp-d": {"results": [check]}}
    )


def test_the_degenerate_regime_is_judged_past_d_to_the_d_and_above_d_4(exp_regime_results):
    verdict = CLAIMS["regime-exp-d"].verdict(exp_regime_results)
    rows = verdict.comparisons
    admissible = [c for c in rows if c.admissible]
    assert len(admissible) >= 6
    for c in rows:
        fields = dict(part.split("=") for part in c.label.split(", "))
        d, n = float(fields["d"]), float(fields["n"])
        assert c.admissible is (d > 4 and n >= d**d), c.label
        if d <= 4:
            assert "nn-expansion" in c.violated


def test_the_degenerate_regime_uses_many_queries_per_draw(exp_regime_results):
    (check,) = exp_regime_results.measurements["regime-exp-d"]["results"]
    assert {row["queries"] for row in check["rows"]} == {200}
