"""Ensembles: identical seeds give identical numbers, padding into a wider ensemble changes nothing,
a diverging model stops alone with a recorded failure."""

import numpy as np
import pytest

from memlab.training import resolve, train_job

TINY = {
    "d": [5],
    "K": [2],
    "N": [10],
    "steps": 120,
    "noise_draws": 2,
    "samples": 12,
    "eval_draws": 3,
    "chunk": 40,
    "log_every": 10,
}
SHAPE = (5, 2, 10)


@pytest.fixture(scope="module")
def config():
    return resolve("smoke", TINY)[0]


@pytest.fixture(scope="module")
def reference(config):
    return train_job(config, *SHAPE, [(3, 0), (6, 0), (4, 1)])


def by_member(runs):
    return {(r.result["M"], r.result["seed"]): r for r in runs}


def test_identical_seeds_identical_results(config, reference):
    again = train_job(config, *SHAPE, [(3, 0), (6, 0), (4, 1)])
    for first, second in zip(reference, again, strict=False):
        assert first.run_id == second.run_id
        assert first.result == second.result
        for name in first.arrays:
            np.testing.assert_array_equal(first.arrays[name], second.arrays[name])


def test_different_seed_different_numbers(reference):
    runs = by_member(reference)
    assert not np.array_equal(runs[(3, 0)].arrays["loss_curve"], runs[(4, 1)].arrays["loss_curve"])


def test_padding_into_a_wider_ensemble_changes_nothing(config, reference):
    """M=3 alone (width 3) against M=3 padded to width 6 next to M=6."""
    alone = train_job(config, *SHAPE, [(3, 0)])[0]
    padded = by_member(reference)[(3, 0)]
    np.testing.assert_allclose(alone.arrays["means"], padded.arrays["means"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(alone.arrays["loss_curve"], padded.arrays["loss_curve"], rtol=1e-5)
    assert alone.result["learned_s2"] == pytest.approx(padded.result["learned_s2"], rel=1e-5)
    assert alone.result["memorized"] == padded.result["memorized"]


def test_losses_and_measurements_are_recorded(config, reference):
    for run in reference:
        result = run.result
        assert result["failed"] is None
        assert len(result["train_loss_per_t"]) == len(result["test_loss_per_t"]) == 26
        assert result["train_loss"] == pytest.approx(np.mean(result["train_loss_per_t"]))
        # the gap's SE is over the points of both sets: positive, and far below the losses
        assert 0 < result["loss_gap_se"] < result["test_loss"] + result["train_loss"]
        assert 0 <= result["ratio"] <= 1 and result["ci"][0] <= result["ratio"] <= result["ci"][1]
        assert run.arrays["loss_curve"].shape == (config.steps // config.log_every,)
        assert run.arrays["means"].shape == (result["M"], 5)
        assert run.provenance["seed"] == result["seed"] and "packages" in run.provenance
        assert run.provenance["point_blocks"] >= 1 and run.provenance["model_batching"] in (
            "map",
            "vmap",
        )


def test_a_diverging_model_stops_alone(config, reference):
    bad = (np.full((6, 5), np.nan), 1e-6)
    runs = by_member(train_job(config, *SHAPE, [(3, 0), (6, 0), (4, 1)], initial={1: bad}))
    failed = runs[(6, 0)].result["failed"]
    assert failed is not None and "M=6" in failed and "step 0" in failed and "non-finite" in failed
    assert runs[(6, 0)].result.get("ratio") is None
    good = by_member(reference)
    for member in [(3, 0), (4, 1)]:
        np.testing.assert_allclose(
            runs[member].arrays["means"], good[member].arrays["means"], rtol=1e-5, atol=1e-6
        )
        assert runs[member].result["failed"] is None


@pytest.mark.parametrize(
    "batching, blocks, dtype, rtol",
    [
        ("vmap", 1, "float32", 1e-5),
        ("vmap", 1, "float64", 1e-10),
        ("map", 3, "float64", 1e-10),
    ],
)
def test_program_layouts_train_the_same_models(batching, blocks, dtype, rtol):
    """The accelerator path (vmap) and the objective in blocks of points (jobs.point_blocks) train
    the models the CPU path (lax.map, one block) trains, to rounding. Blocks are compared in
    float64: they change the gradient's summation order, and Adam's normalised steps amplify float32
    rounding where a gradient is ~0."""
    import jax
    import jax.numpy as jnp

    from memlab.numerics import make_dataset, numeric_time_grid
    from memlab.training import TrainSettings, train_ensemble

    data, grid = make_dataset(4, 2, 8, seed=3), numeric_time_grid()
    means = np.stack([data.train[:5], np.concatenate([data.train[5:8], np.zeros((2, 4))])])
    masks = np.array([[True] * 5, [True] * 3 + [False] * 2])

    def train(batching, blocks):
        return train_ensemble(
            means,
            np.array([1e-6, 1e-2]),
            masks,
            np.zeros(2, int),
            data.train[None],
            jax.random.key(0)[None],
            grid.alpha,
            grid.sigma,
            np.ones(26),
            TrainSettings(40, 3, 20, batching=batching, point_blocks=blocks),
            jnp.dtype(dtype),
        )

    reference, layout = train("map", 1), train(batching, blocks)
    assert not np.allclose(reference.means, means)  # it trained
    np.testing.assert_allclose(layout.means, reference.means, rtol=rtol, atol=rtol / 10)
    np.testing.assert_allclose(layout.losses, reference.losses, rtol=rtol)


def test_point_blocks_fit_the_cache_budget_and_leave_small_tiers_whole(monkeypatch):
    import math

    import jax

    from memlab.training import PAPER, coarse_M
    from memlab.training.jobs import CACHE_ELEMENTS, point_blocks

    for tier in ("smoke", "ci"):  # their runs are the unblocked computation, bit for bit
        sweep = resolve(tier)[0]
        for N in sweep.N:
            assert point_blocks(max(sweep.M or coarse_M(N)), N, sweep.noise_draws) == 1
    for N in PAPER.N:
        blocks = point_blocks(N, N, PAPER.noise_draws)
        elements = N * N * PAPER.noise_draws  # the coarse ensemble's (width × columns) arrays
        assert (
            N * math.ceil(N / blocks) * PAPER.noise_draws <= 1.05 * CACHE_ELEMENTS
        )  # the largest block
        assert (
            blocks == 1 or elements / (blocks - 1) > CACHE_ELEMENTS
        )  # no more blocks than the budget asks for
    monkeypatch.setattr(jax, "default_backend", lambda: "gpu")
    assert point_blocks(200, 200, 100) == 1


def test_one_compilation_for_all_chunks():
    """Chunks after the first reuse the compiled program (no retrace from weak types or changed
    carries)."""
    import jax
    import jax.numpy as jnp

    from memlab.numerics import make_dataset, numeric_time_grid
    from memlab.training import TrainSettings, train_ensemble
    from memlab.training.ensemble import _chunk

    data, grid = make_dataset(3, 2, 7, seed=5), numeric_time_grid()
    before = _chunk._cache_size()
    train_ensemble(
        data.train[None, :4],
        np.array([1e-6]),
        np.ones((1, 4), bool),
        np.zeros(1, int),
        data.train[None],
        jax.random.key(1)[None],
        grid.alpha,
        grid.sigma,
        np.ones(26),
        TrainSettings(12, 2, 3),
        jnp.float32,
    )
    assert _chunk._cache_size() == before + 1
