"""Loss table and the measured crossover of eq. (14)."""

import numpy as np
import pytest

from numerics import LossTable, default_model_sizes, measured_crossover_ratio, per_time_losses
from theory.errors import InvalidInput


def _synthetic(N: int, Ms, root: float, units: int = 50, seed: int = 0) -> LossTable:
    """Losses with pmem(M) - generalizing = (root - M) at every time, plus paired noise."""
    rng = np.random.default_rng(seed)
    T = 26
    base = rng.standard_normal((T, units))
    rows = [base, base - 5.0] + [base + (root - M) + 0.01 * rng.standard_normal((T, units)) for M in Ms]
    samples = np.stack(rows)
    return LossTable({"N": N, "schedule": "vp"}, np.linspace(0.001, 0.999, T), np.array(Ms), samples, samples)


@pytest.mark.parametrize("weighting", ["uniform", "snr", "power:1/2"])
def test_crossover_recovers_a_known_linear_root(weighting):
    table = _synthetic(100, (10, 30, 50, 70, 90), root=63.0)
    estimate = measured_crossover_ratio(table, weighting)
    assert estimate.mean == pytest.approx(0.63, abs=5 * estimate.se + 1e-9)
    assert 0 < estimate.se < 1e-3


def test_crossover_extrapolates_when_not_bracketed():
    table = _synthetic(100, (10, 20), root=5.0)
    assert measured_crossover_ratio(table).mean == pytest.approx(0.05, abs=1e-3)


def test_continuous_weighting_is_rejected():
    with pytest.raises(InvalidInput):
        measured_crossover_ratio(_synthetic(100, (10, 50), 40.0), "continuous-uniform")


def test_small_configuration_shapes_and_ordering():
    table = per_time_losses(10, 2, 20, (2, 10, 20), seed=1, draws=4)
    assert table.t.shape == (26,) and table.partially_memorizing.shape == (3, 26)
    assert table.generalizing_se.shape == table.memorizing.shape == (26,)
    # D_pmem,N is D_mem, and the memorizing loss vanishes at low noise.
    np.testing.assert_allclose(table.partially_memorizing[-1], table.memorizing, rtol=1e-9, atol=1e-12)
    assert table.memorizing[0] < 1e-10 < table.generalizing[0]
    estimate = measured_crossover_ratio(table)
    assert 0.0 < estimate.mean < 1.0 and estimate.se > 0


def test_model_sizes():
    assert default_model_sizes(200) == tuple(range(10, 201, 10))
    assert default_model_sizes(5) == (1, 2, 3, 4, 5)
    assert per_time_losses(5, 1, 10, (3, 2, 3), draws=2).M.tolist() == [2, 3]
    with pytest.raises(InvalidInput):
        per_time_losses(5, 1, 10, (3, 11))
