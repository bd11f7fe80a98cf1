import pytest

from memlab import theory
from memlab.verification import CLAIMS
from memlab.verification.figures import FIGURES

REQUIRED = (
    "lem-2.1",
    "def-2.2",
    "thm-3.1",
    "thm-3.2",
    "eq-14",
    "eq-15",
    "regime-poly-d",
    "fig-1",
    "fig-2",
    "fig-3",
)


def test_every_claim_of_the_paper_is_registered():
    assert set(REQUIRED) <= set(CLAIMS)
    assert set(theory.THEORY_CLAIMS) <= set(CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=list(CLAIMS))
def test_claim_is_complete(claim):
    assert callable(claim.check)
    assert claim.figures or claim.tables, "every claim contributes a figure or a table"
    assert all(name in FIGURES for name in claim.figures)
    assert claim.tolerance.why and len(claim.tolerance.why) > 30, "the tolerance says why"
    assert claim.tolerance.z >= 0 and claim.tolerance.rtol >= 0 and claim.tolerance.atol >= 0
    assert claim.statement and claim.location and claim.title
    assert claim.needs, "a check reads stored measurements"
    for assumption in claim.assumptions:
        assert assumption.id and assumption.statement and assumption.why
    if claim.id in theory.THEORY_CLAIMS:
        assert claim.theory is theory.THEORY_CLAIMS[claim.id]
        assert claim.statement == claim.theory.statement


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=list(CLAIMS))
def test_claim_without_its_measurement_is_skipped_with_the_reason(claim):
    from memlab.verification import Results

    results = Results(
        {
            "tier": "t",
            "config": {},
            "provenance": {},
            "skipped": {claim.needs[0]: "the tier does not train"},
        }
    )
    verdict = claim.verdict(results)
    assert verdict.status == "skipped" and "the tier does not train" in verdict.reason
