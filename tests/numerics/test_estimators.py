"""Monte Carlo estimators: identical seeds give identical numbers, chunking does not change them,
SEs are calibrated and shrink as draws^(-1/2), paired differences use the covariance."""

import numpy as np
import pytest

from memlab.numerics import (
    estimate,
    generalizing_denoiser,
    make_dataset,
    memorizing_denoiser,
    numeric_time_grid,
    paired_difference,
    per_draw_losses,
    per_time_losses,
)
from memlab.theory.errors import InvalidInput

GRID = numeric_time_grid()
DATA = make_dataset(8, 2, 12, seed=1)
DENOISERS = [generalizing_denoiser(DATA.mixture), memorizing_denoiser(DATA.train)]


def test_identical_seeds_give_identical_numbers():
    a = per_time_losses(10, 3, 20, (2, 5, 10), seed=7, draws=6)
    b = per_time_losses(10, 3, 20, (2, 5, 10), seed=7, draws=6, workers=1)
    c = per_time_losses(10, 3, 20, (2, 5, 10), seed=8, draws=6)
    np.testing.assert_array_equal(a.per_draw, b.per_draw)
    np.testing.assert_array_equal(a.per_point, b.per_point)
    assert not np.array_equal(a.per_draw, c.per_draw)


def test_chunk_size_does_not_change_the_numbers():
    small = per_draw_losses(DENOISERS, DATA.train, GRID, 9, seed=2, times=[3, 20], memory_bytes=1)
    large = per_draw_losses(DENOISERS, DATA.train, GRID, 9, seed=2, times=[3, 20])
    np.testing.assert_allclose(small.per_draw, large.per_draw, rtol=1e-13)
    np.testing.assert_allclose(small.per_point, large.per_point, rtol=1e-13)
    # Both unit axes average the same numbers.
    np.testing.assert_allclose(small.per_draw.mean(-1), small.per_point.mean(-1), rtol=1e-12)


def test_standard_error_shrinks_as_inverse_square_root_of_draws():
    draws = np.array([8, 32, 128, 512])
    ses = [
        np.mean(
            [
                estimate(
                    per_draw_losses(
                        DENOISERS[:1], DATA.train, GRID, int(R), seed=s, times=[18]
                    ).per_draw[0, 0]
                ).se
                for s in range(3)
            ]
        )
        for R in draws
    ]
    slope = np.polyfit(np.log(draws), np.log(ses), 1)[0]
    assert -0.6 < slope < -0.4


def test_standard_error_is_calibrated_across_seeds():
    results = [
        estimate(
            per_draw_losses(DENOISERS[:1], DATA.train, GRID, 10, seed=s, times=[15]).per_draw[0, 0]
        )
        for s in range(60)
    ]
    spread = np.std([r.mean for r in results], ddof=1)
    assert 0.7 < spread / np.mean([r.se for r in results]) < 1.4


def test_antithetic_pairs_are_units_and_reduce_variance_of_the_generalizing_loss():
    plain = per_draw_losses(DENOISERS[:1], DATA.train, GRID, 200, seed=3, times=[22])
    pairs = per_draw_losses(
        DENOISERS[:1], DATA.train, GRID, 200, seed=3, times=[22], antithetic=True
    )
    assert pairs.per_draw.shape[-1] == 100
    assert estimate(pairs.per_draw[0, 0]).se < estimate(plain.per_draw[0, 0]).se
    with pytest.raises(InvalidInput):
        per_draw_losses(DENOISERS, DATA.train, GRID, 5, antithetic=True)


def test_paired_difference_uses_the_covariance():
    rng = np.random.default_rng(0)
    common = rng.standard_normal(1000)
    a, b = common + 0.1 * rng.standard_normal(1000), common + 0.1 * rng.standard_normal(1000)
    paired = paired_difference(a, b)
    expected = np.sqrt((a.var(ddof=1) + b.var(ddof=1) - 2 * np.cov(a, b)[0, 1]) / 1000)
    assert paired.se == pytest.approx(expected, rel=1e-10)
    assert paired.se < 0.2 * np.hypot(estimate(a).se, estimate(b).se)
    # the mean is the mean of the differences (not the estimate compared with itself)
    assert paired.mean == pytest.approx(float((a - b).mean()), rel=1e-12) and paired.n == 1000


def test_too_few_draws_are_rejected():
    with pytest.raises(InvalidInput):
        per_draw_losses(DENOISERS, DATA.train, GRID, 1)
