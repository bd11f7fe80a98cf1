"""The trained low-rank model of §4.2: the equinox class against the float64 numerics denoiser, its
ε residual against the definition, the sweep's configuration checks, and a tiny sweep end to end."""

import json

import jax.numpy as jnp
import numpy as np
import pytest

from memlab import numerics, training
from memlab.theory.errors import InvalidInput


def _model(rng, M=5, p=16, padded=1):
    templates = rng.standard_normal((M, p))
    colours = rng.standard_normal((M, 3))
    mask = np.arange(M) < M - padded
    model = training.LowRankGMMDenoiser(
        jnp.asarray(templates), jnp.asarray(colours), jnp.asarray(0.5 * np.log(0.5)), mask
    )
    reference = numerics.LowRankDenoiser(templates[mask], colours[mask], 0.5)
    return model, reference


@pytest.mark.parametrize("alpha, sigma", [(0.8, 0.6), (np.sqrt(1 - 1e-6), 1e-3)])
def test_model_is_the_numerics_denoiser_and_its_residual_is_exact(alpha, sigma):
    rng = np.random.default_rng(0)
    model, reference = _model(rng)
    x0, eps = rng.standard_normal((48, 7)), rng.standard_normal((48, 7))
    a, s = jnp.full(7, alpha), jnp.full(7, sigma)
    x_t = alpha * x0 + sigma * eps
    denoised = reference(x_t.T, alpha, sigma).T
    assert np.allclose(np.asarray(model(jnp.asarray(x_t), a, s)), denoised, atol=1e-10)
    naive = (x_t - alpha * denoised) / sigma - eps
    residual = np.asarray(model.epsilon_residual(jnp.asarray(x0), jnp.asarray(eps), a, s))
    assert np.abs(residual - naive).max() < 1e-9 * max(1.0, np.abs(naive).max())


def test_padded_components_get_no_gradient():
    import equinox as eqx

    rng = np.random.default_rng(1)
    model, _ = _model(rng, padded=2)
    x0 = jnp.asarray(rng.standard_normal((48, 5)))
    eps = jnp.asarray(rng.standard_normal((48, 5)))

    def loss(m):
        return jnp.sum(m.epsilon_residual(x0, eps, jnp.full(5, 0.6), jnp.full(5, 0.8)) ** 2)

    grads = eqx.filter_grad(loss)(model)
    assert np.all(np.asarray(grads.templates)[-2:] == 0)
    assert np.all(np.asarray(grads.colours)[-2:] == 0)
    assert np.all(np.isfinite(np.asarray(grads.templates)))


def test_training_objective_reads_the_low_rank_residual():
    """``training.epsilon_loss`` serves the low-rank class through its own residual: the value is
    the weighted mean of ``‖ε̂ − ε‖²`` over points and draws, and its gradient is finite."""
    import equinox as eqx

    rng = np.random.default_rng(2)
    model, _ = _model(rng)
    N, R, d = 4, 3, 48
    x0 = jnp.asarray(rng.standard_normal((N, d)))
    eps = jnp.asarray(rng.standard_normal((d, N, R)))
    time_index = jnp.asarray([0, 2, 1, 2])
    alphas, sigmas = jnp.asarray([0.9, 0.8, 0.6]), jnp.asarray([0.1, 0.6, 0.8])
    weights = jnp.asarray([1.0, 2.0, 0.5])
    expected = np.mean(
        [
            weights[time_index[i]]
            * np.mean(
                np.sum(
                    np.asarray(
                        model.epsilon_residual(
                            jnp.repeat(x0[i][:, None], R, axis=1),
                            eps[:, i],
                            jnp.full(R, alphas[time_index[i]]),
                            jnp.full(R, sigmas[time_index[i]]),
                        )
                    )
                    ** 2,
                    axis=0,
                )
            )
            for i in range(N)
        ]
    )
    for blocks in (1, 3):
        value = training.epsilon_loss(
            model, x0, time_index, eps, alphas, sigmas, weights, blocks=blocks
        )
        assert float(value) == pytest.approx(expected, rel=1e-12)
    grads = eqx.filter_grad(
        lambda m: training.epsilon_loss(m, x0, time_index, eps, alphas, sigmas, weights)
    )(model)
    assert np.all(np.isfinite(np.asarray(grads.templates)))


@pytest.mark.parametrize(
    "override, field",
    [
        ({"steps": 0}, "steps"),
        ({"M": [0, 4]}, "M"),
        ({"K": 9}, "K"),
        ({"peak_lr": 0}, "peak_lr"),
        ({"nope": 1}, "nope"),
        ({"templates": "/nonexistent.idx"}, "templates"),
    ],
)
def test_bad_sweep_configuration_names_the_field(override, field):
    with pytest.raises(InvalidInput, match=field):
        training.low_rank_sweep_config("smoke", override)


def _tiny(**overrides):
    return training.low_rank_sweep_config(
        "smoke", {"steps": 4, "chunk": 2, "M": [2, 8], "samples": 4, **overrides}
    )


def test_tiny_sweep_end_to_end_is_reproducible(tmp_path):
    config = _tiny()
    first = training.run_low_rank_sweep(config, tmp_path / "a")
    assert json.loads(json.dumps(first)) == first
    assert [p["M"] for p in first["points"]] == [2, 8]
    for point in first["points"]:
        assert point["failed"] is None and 0 <= point["ratio"] <= 1
        assert len(point["train_loss_per_t"]) == 26
    # A memorizing start: at M = N every model sits on the training points.
    assert first["points"][-1]["ratio"] == 1.0
    second = training.run_low_rank_sweep(config, tmp_path / "b")
    assert second == first


def test_a_model_trains_alike_whatever_else_the_sweep_holds(tmp_path):
    """Keys come from the training fields and M, not from the sweep's list of M."""
    alone = training.run_low_rank_sweep(_tiny(M=[2]), tmp_path / "alone")
    both = training.run_low_rank_sweep(_tiny(), tmp_path / "both")
    assert alone["points"][0] == both["points"][0]
    assert training.low_rank_sweep.run_id(_tiny(M=[2]), 2) == training.low_rank_sweep.run_id(
        _tiny(), 2
    )
    assert training.low_rank_sweep.run_id(_tiny(), 2) != training.low_rank_sweep.run_id(
        _tiny(steps=6), 2
    )


def test_a_rerun_trains_only_what_the_store_lacks(tmp_path, monkeypatch):
    """Resume: the models a killed sweep stored are read back, not trained again, and the result
    equals an uninterrupted run's."""
    from memlab.training import low_rank_sweep

    whole = training.run_low_rank_sweep(_tiny(), tmp_path / "whole")
    job, trained = low_rank_sweep.low_rank_job, []

    def recording(kill_at=None):
        def run(config, M, progress=None):
            trained.append(M)
            if kill_at == M:
                raise KeyboardInterrupt  # killed while training M
            return job(config, M, progress)

        return run

    out = tmp_path / "store"
    monkeypatch.setattr(low_rank_sweep, "low_rank_job", recording(kill_at=2))
    with pytest.raises(KeyboardInterrupt):
        training.run_low_rank_sweep(_tiny(), out)
    assert trained == [8, 2]  # the widest first: M = 8 was stored before the kill
    trained.clear()
    monkeypatch.setattr(low_rank_sweep, "low_rank_job", recording())
    assert training.run_low_rank_sweep(_tiny(), out) == whole
    assert trained == [2]


def test_the_store_holds_one_configuration_and_one_writer(tmp_path):
    out = tmp_path / "store"
    training.run_low_rank_sweep(_tiny(M=[2]), out)
    with pytest.raises(InvalidInput, match="steps = 4 there, 6 here"):
        training.run_low_rank_sweep(_tiny(M=[2], steps=6), out)
    holder = training.RunStore(out)
    try:
        with pytest.raises(InvalidInput, match="out"):
            training.run_low_rank_sweep(_tiny(M=[2]), out)
    finally:
        holder.close()


@pytest.mark.parametrize("M, grows", [(4, True), (8, False)])
def test_at_the_memorizing_start_the_variance_gradient_points_out_of_memorization(M, grows):
    """The expected objective's derivative in log s at the paper's start (s² = 1e-6, components on
    training points) does not vanish: it pulls the colour variance up while training points are
    left uncovered (M < N) and holds it down at M = N. Why the ci tier then needs the paper's
    budget to leave the start: docs/theory.md §7 and benchmarks/low_rank_gradients.py."""
    import jax

    from memlab.training.initialization import PMEM_S2

    config = _tiny()
    train = training.low_rank_sweep.low_rank_dataset(config.data).train
    grid = numerics.numeric_time_grid()
    templates, colours = numerics.rank_one_factors(train[:M])
    G, (N, D), draws = grid.t.size, train.shape, 64
    with jax.enable_x64(True):
        eps = jax.random.normal(jax.random.key(0), (D, N * G, draws), jnp.float64)

        def objective(log_std):
            model = training.LowRankGMMDenoiser(
                jnp.asarray(templates), jnp.asarray(colours), log_std, jnp.ones(M, bool)
            )
            return training.epsilon_loss(
                model,
                jnp.tile(jnp.asarray(train), (G, 1)),
                jnp.repeat(jnp.arange(G), N),
                eps,
                jnp.asarray(grid.alpha),
                jnp.asarray(grid.sigma),
                jnp.ones(G),
            )

        slope = float(jax.jit(jax.grad(objective))(jnp.asarray(0.5 * np.log(PMEM_S2))))
    assert np.isfinite(slope) and slope != 0
    assert (slope < 0) == grows
