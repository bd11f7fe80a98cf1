"""The paper's grid: the pre-declared model sizes, the tier switch, what one entry stores, and the
grid claims on a two-configuration stand-in grid (real Monte Carlo, tiny draws)."""

import numpy as np
import pytest

from memlab import numerics
from memlab.verification import CLAIMS, tier_config
from memlab.verification import measure as measure_module
from memlab.verification.claims.grid import outcomes_by_configuration
from memlab.verification.registry import GRID_CLAIMS


def test_grid_covers_the_papers_64_configurations_at_three_variances():
    grid = measure_module.GRID
    assert len(grid) == 64 * 3 and len(set(grid)) == len(grid)
    assert {g[3] for g in grid} == {0.5, 1.0, 2.0}


@pytest.mark.parametrize("K, N", [(3, 50), (12, 200), (12, 50)])
def test_grid_model_sizes_start_below_K_and_stay_below_N(K, N):
    sizes = measure_module.grid_model_sizes(K, N)
    assert sizes == sorted(set(sizes)) and sizes[0] < K and sizes[-1] < N


def test_the_study_and_paper_tiers_measure_the_grid_and_the_others_do_not():
    assert tier_config("study").grid and tier_config("paper").grid
    assert not tier_config("smoke").grid and not tier_config("ci").grid


def test_every_grid_claim_is_registered():
    assert set(GRID_CLAIMS) == {
        "thm-3.1-grid",
        "thm-3.2-grid",
        "c-order-stat-grid",
        "eq-14-grid",
        "eq-14-sharp-grid",
    }


def test_a_grid_entry_stores_the_crossover_and_the_order_statistic_C(tmp_path, monkeypatch):
    """The crossover per weighting is read off the entry's own loss table (no further Monte Carlo)
    and C_sharp is the numerics' order statistic at each of the entry's model sizes."""
    d, K, N, sigma2 = 30, 3, 50, 0.5
    monkeypatch.setattr(measure_module, "GRID", ((d, K, N, sigma2),))
    config = tier_config("smoke", {"grid": True, "grid_draws": 4, "sweep_tier": "none"})
    data, _ = measure_module.MEASUREMENTS["grid"](config, tmp_path, None)
    (entry,) = data["configurations"]
    assert entry["M"] == measure_module.grid_model_sizes(K, N)
    assert entry["C_sharp"] == [numerics.sharp_C(d, K, M, sigma2=sigma2) for M in entry["M"]]
    table = numerics.per_time_losses(d, K, N, entry["M"], config.seed, 4, sigma2=sigma2)
    for j in range(len(entry["M"])):
        np.testing.assert_array_equal(
            entry["partial_excess"][j], table.difference(2 + j, 1, "points")[0]
        )
    for weighting in measure_module.CROSSOVER_WEIGHTINGS:
        expected = numerics.measured_crossover_ratio(table, weighting).to_dict()
        assert entry["crossover"][weighting] == expected


@pytest.fixture(scope="module")
def grid_results(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(measure_module, "GRID", ((30, 3, 50, 0.5), (30, 3, 200, 1.0)))
        config = tier_config("smoke", {"grid": True, "grid_draws": 4, "sweep_tier": "none"})
        return measure_module.measure("smoke", config, tmp_path_factory.mktemp("grid"))


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", GRID_CLAIMS)
def test_grid_claims_judge_every_configuration_and_refute_a_control(claim_id, grid_results):
    claim = CLAIMS[claim_id]
    verdict = claim.verdict(grid_results)
    assert verdict.status != "skipped"
    assert set(outcomes_by_configuration(verdict)) == {"d=30 K=3 N=50", "d=30 K=3 N=200"}
    outcomes = [c["outcome"] for c in claim.control_outcomes(grid_results)]
    assert "refuted" in outcomes


@pytest.mark.slow
def test_without_the_grid_its_claims_are_skipped_as_intended(grid_results):
    from memlab.verification import Results

    manifest = {**grid_results.manifest, "expected_skips": ["grid"]}
    results = Results(manifest, {k: v for k, v in grid_results.measurements.items() if k != "grid"})
    verdict = CLAIMS["thm-3.1-grid"].verdict(results)
    assert verdict.status == "skipped" and not verdict.unexpected
