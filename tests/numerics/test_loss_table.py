"""Loss table and the measured crossover of eq. (14)."""

import numpy as np
import pytest

from memlab.numerics import (
    LossTable,
    default_model_sizes,
    falling_root,
    measured_crossover_ratio,
    per_time_losses,
    pooled_loss_table,
)
from memlab.theory.errors import InvalidInput


def _synthetic(N: int, Ms, root: float, units: int = 50, seed: int = 0) -> LossTable:
    """Losses with pmem(M) - generalizing = (root - M) at every time, plus paired noise."""
    rng = np.random.default_rng(seed)
    T = 26
    base = rng.standard_normal((T, units))
    rows = [base, base - 5.0] + [
        base + (root - M) + 0.01 * rng.standard_normal((T, units)) for M in Ms
    ]
    samples = np.stack(rows)
    return LossTable(
        {"N": N, "schedule": "vp"}, np.linspace(0.001, 0.999, T), np.array(Ms), samples, samples
    )


@pytest.mark.parametrize("weighting", ["uniform", "snr", "power:1/2"])
def test_crossover_recovers_a_known_linear_root(weighting):
    table = _synthetic(100, (10, 30, 50, 70, 90), root=63.0)
    estimate = measured_crossover_ratio(table, weighting)
    assert estimate.mean == pytest.approx(0.63, abs=5 * estimate.se + 1e-9)
    assert 0 < estimate.se < 1e-3


@pytest.mark.parametrize("root, bound", [(5.0, 0.1), (300.0, 1.0)])
def test_an_unbracketed_crossover_is_reported_not_extrapolated(root, bound):
    # Root 5 lies below the smallest size (F <= 0 at every size); "300" stands for F > 0 at every
    # size.
    table = _synthetic(100, (10, 20), root=root) if root < 100 else _positive(100, (10, 20))
    estimate = measured_crossover_ratio(table)
    assert not estimate.bracketed and np.isnan(estimate.mean) and np.isnan(estimate.se)
    assert estimate.bound == bound
    assert estimate.to_dict() == {
        "mean": None,
        "se": None,
        "n": 50,
        "bracketed": False,
        "bound": bound,
    }


def _positive(N: int, Ms) -> LossTable:
    """pmem and mem losses above the generalizing loss at every size: F > 0 throughout."""
    rng = np.random.default_rng(1)
    base = rng.standard_normal((26, 50))
    samples = np.stack([base, base + 1.0] + [base + 2.0 for _ in Ms])
    return LossTable(
        {"N": N, "schedule": "vp"}, np.linspace(0.001, 0.999, 26), np.array(Ms), samples, samples
    )


def test_a_bracketed_crossover_says_so_in_its_dict():
    payload = measured_crossover_ratio(_synthetic(100, (10, 30, 50, 70, 90), root=63.0)).to_dict()
    assert payload["bracketed"] is True and payload["bound"] is None
    assert {"mean", "se", "n"} <= set(payload) and 0.6 < payload["mean"] < 0.66


def test_falling_root_matches_a_line_and_its_gradient():
    sizes = np.array([[1.0, 2.0, 4.0], [1.0, 2.0, 4.0]])
    h = np.array([[3.0, 1.0, -1.0], [-1.0, -2.0, -3.0]])
    found = falling_root(sizes, h)
    assert found.bracketed.tolist() == [True, False] and found.lower[0] == 1
    assert found.root[0] == pytest.approx(3.0) and np.isnan(found.root[1]) and found.bound[1] == 1.0
    step = 1e-6
    for k in range(2):
        shifted = h.copy()
        shifted[0, 1 + k] += step
        assert (falling_root(sizes, shifted).root[0] - found.root[0]) / step == pytest.approx(
            found.gradient[0, k], rel=1e-5
        )


def test_continuous_weighting_is_rejected():
    with pytest.raises(InvalidInput):
        measured_crossover_ratio(_synthetic(100, (10, 50), 40.0), "continuous-uniform")


def test_small_configuration_shapes_and_ordering():
    table = per_time_losses(10, 2, 20, (2, 10, 20), seed=1, draws=4)
    assert table.t.shape == (26,) and table.partially_memorizing.shape == (3, 26)
    assert table.generalizing_se.shape == table.memorizing.shape == (26,)
    # D_pmem,N is D_mem, and the memorizing loss vanishes at low noise.
    np.testing.assert_allclose(
        table.partially_memorizing[-1], table.memorizing, rtol=1e-9, atol=1e-12
    )
    assert table.memorizing[0] < 1e-10 < table.generalizing[0]
    estimate = measured_crossover_ratio(table)
    assert 0.0 < estimate.mean < 1.0 and estimate.se > 0


def test_model_sizes():
    assert default_model_sizes(200) == tuple(range(10, 201, 10))
    assert default_model_sizes(5) == (1, 2, 3, 4, 5)
    assert per_time_losses(5, 1, 10, (3, 2, 3), draws=2).M.tolist() == [2, 3]
    with pytest.raises(InvalidInput):
        per_time_losses(5, 1, 10, (3, 11))


def test_pooled_table_averages_training_sets_and_refuses_mixed_ones():
    one, two = (per_time_losses(10, 2, 20, (5, 10), seed=s, draws=4) for s in (1, 2))
    pooled = pooled_loss_table([one, two])
    assert pooled.config["seed"] == [1, 2] and pooled.per_point.shape[-1] == 40
    # equal numbers of units per set: the pooled mean is the mean of the two sets' means
    for units in ("points", "draws"):
        np.testing.assert_allclose(
            pooled.loss(0, units)[0], (one.loss(0, units)[0] + two.loss(0, units)[0]) / 2
        )
    # a second training set is new information: the two sets' tables differ
    assert not np.allclose(one.generalizing, two.generalizing)
    with pytest.raises(InvalidInput, match="tables"):
        pooled_loss_table([one, per_time_losses(10, 2, 20, (5, 10), seed=3, draws=4, sigma2=0.5)])
    with pytest.raises(InvalidInput, match="tables"):
        pooled_loss_table([one, per_time_losses(10, 2, 20, (4, 10), seed=3, draws=4)])


def _blocked(shifts, per_block: int = 3, points: int = 8) -> LossTable:
    """Two rows whose per-draw units are constant within each subset block (block mean =
    ``shifts``) and whose per-point units have no spread at all."""
    per_draw = np.repeat(np.asarray(shifts, float), per_block)[None, None].repeat(2, 0)
    per_draw[1] = 0.0
    per_point = np.full((2, 1, points), per_draw[0].mean())
    per_point[1] = 0.0
    return LossTable(
        {"N": points, "schedule": "vp", "seed": 0},
        np.array([0.5]),
        np.array([], int),
        per_draw,
        per_point,
        (per_block,) * len(shifts),
    )


def test_the_points_se_adds_the_spread_of_the_subset_blocks():
    shifts = [1.0, 3.0, 2.0, 6.0]
    mean, se = _blocked(shifts).difference(0, 1, "points")
    # per-point units alone would say 0: every point sees the same subsets
    assert mean[0] == pytest.approx(3.0)
    assert se[0] == pytest.approx(np.std(shifts, ddof=1) / 2)
    # the noise SE is the spread within blocks: none here, whatever the subsets did
    assert _blocked(shifts).difference(0, 1, "draws")[1][0] == 0.0
    # one subset for every unit: nothing to add
    plain = _blocked(shifts)
    plain = LossTable(plain.config, plain.t, plain.M, plain.per_draw, plain.per_point)
    assert plain.difference(0, 1, "points")[1][0] == 0.0


def test_a_pooled_table_takes_the_subset_spread_within_each_training_set():
    one, two = _blocked([1.0, 3.0]), _blocked([11.0, 13.0])
    two = LossTable({**two.config, "seed": 1}, two.t, two.M, two.per_draw, two.per_point, (3, 3))
    pooled = pooled_loss_table([one, two])
    # blocks deviate by ±1 about their own set's mean, so the sets' difference (10) is not subset
    # spread: variance 4 / (2 sets x (2 - 1)) / 4 blocks, beside the spread of the 16 points
    _, se = pooled.difference(0, 1, "points")
    points = np.r_[np.full(8, 2.0), np.full(8, 12.0)]
    assert se[0] == pytest.approx(np.hypot(points.std(ddof=1) / 4, np.sqrt(4 / 2 / 4)))
    # over sets' means: the sets differ by 10
    mean, se_sets = pooled.difference(0, 1, "sets")
    assert mean[0] == pytest.approx(7.0) and se_sets[0] == pytest.approx(5.0)
    with pytest.raises(InvalidInput, match="units"):
        one.difference(0, 1, "sets")


def test_subset_blocks_are_reproducible_and_validated():
    a = per_time_losses(10, 3, 20, (2, 5), seed=4, draws=8)
    b = per_time_losses(10, 3, 20, (2, 5), seed=4, draws=8, workers=1)
    assert a.config["subsets"] == 4 and a.subset_units == (2, 2, 2, 2)
    np.testing.assert_array_equal(a.per_draw, b.per_draw)
    single = per_time_losses(10, 3, 20, (2, 5), seed=4, draws=8, subsets=1)
    assert single.subset_units == () and not np.array_equal(single.per_draw, a.per_draw)
    # without partially memorizing sizes there is no subset to draw
    assert per_time_losses(10, 3, 20, (), seed=4, draws=8).config["subsets"] == 1
    with pytest.raises(InvalidInput, match="subsets"):
        per_time_losses(10, 3, 20, (2, 5), draws=8, subsets=5)
