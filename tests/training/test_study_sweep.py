"""The study tier's machinery on tiny sizes: seeds that change everything random, per-seed jobs and
M_pt, refinement where the crossing is uncertain, step budgets, checkpoints, worker processes."""

import jax
import numpy as np
import pytest

from memlab import training
from memlab.theory.errors import InvalidInput
from memlab.training import Point, resolve, run_sweep, uncertain_M

TINY = {
    "d": [4],
    "K": [2],
    "N": [8],
    "seeds": 2,
    "M": [],
    "M_fractions": [0.5, 1.0],
    "refine": 1,
    "refine_at": "uncertain",
    "steps": 40,
    "noise_draws": 2,
    "samples": 10,
    "eval_draws": 3,
    "chunk": 10,
    "log_every": 10,
    "checkpoints": 2,
    "budgets": [80],
    "budget_configs": [[4, 2, 8]],
}


def comparable(result):
    data = result.to_dict()
    data.pop("provenance")
    return data


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return run_sweep("smoke", tmp_path_factory.mktemp("tiny"), TINY)


def test_study_tier_is_the_issue_s_design():
    sweep, _ = resolve("study")
    shapes = sweep.shapes()
    assert len(shapes) >= 8 and sweep.seeds >= 2 and sweep.steps == 50_000
    assert all(len({shape[i] for shape in shapes}) >= 2 for i in range(3))  # d, K and N
    assert any(2 * sweep.steps in sweep.budget_steps(shape) for shape in shapes)


def test_a_seed_draws_new_data_initialisation_and_noise(monkeypatch):
    seen = {}
    real = training.jobs.train_ensemble

    def spy(means, s2, masks, seed_index, x0, seed_keys, *args, **kwargs):
        seen.update(means=means, seed_index=seed_index, x0=x0, keys=seed_keys)
        return real(means, s2, masks, seed_index, x0, seed_keys, *args, **kwargs)

    monkeypatch.setattr(training.jobs, "train_ensemble", spy)
    sweep, _ = resolve("smoke", {**TINY, "steps": 10})
    training.train_job(sweep, 4, 2, 8, [(4, 0), (4, 1)])
    first, second = seen["seed_index"]
    assert not np.array_equal(seen["x0"][first], seen["x0"][second])  # training set
    assert not np.array_equal(seen["means"][0], seen["means"][1])  # initialisation
    keys = np.asarray(jax.random.key_data(seen["keys"]))  # noise stream: one key per seed
    assert not np.array_equal(keys[first], keys[second])


def test_per_seed_jobs_budgets_and_checkpoints(tiny):
    assert [(c.N, c.steps) for c in tiny.configs] == [(8, 40)]
    assert [(c.N, c.steps) for c in tiny.budget_runs] == [(8, 80)]
    for config in tiny.configs + tiny.budget_runs:
        assert config.seeds == [0, 1] and len(config.M_pt_per_seed) == 2
        assert {p.seed for p in config.points} == {0, 1}
        Ms = sorted({p.M for p in config.points})
        assert {4, 8} <= set(Ms) and len(Ms) == 3  # the coarse pass and one refinement
        expected = (10, 20) if config.steps == 40 else (20, 50)  # k·T/3 down to a chunk's end
        for p in config.points:
            assert tuple(c["step"] for c in p.checkpoints) == expected
            assert all(0 <= c["memorized"] <= c["samples"] == 10 for c in p.checkpoints)
        assert [c["step"] for c in config.checkpoint_M_pt] == list(expected)


@pytest.mark.slow  # two spawned processes import jax and compile every program: ~40 s
def test_worker_processes_give_the_in_process_numbers(tiny, tmp_path):
    seen = []
    found = run_sweep("smoke", tmp_path, TINY, workers=2, progress=lambda *p: seen.append(p))
    assert comparable(found) == comparable(tiny)
    # the workers report their steps as they train, not only when a job ends
    done = [d for d, _ in seen]
    assert done == sorted(done) and seen[-1][0] == seen[-1][1]
    jobs = sum(len({p.seed for p in c.points}) for c in found.configs + found.budget_runs)
    assert len(seen) > 2 * jobs  # coarse and refinement results alone would give 2 per job


def test_uncertain_placement():
    rng = np.random.default_rng(0)

    def points(ratios):
        return [Point(M=M, seed=0, memorized=int(100 * r), samples=100) for M, r in ratios.items()]

    step = points({25: 0.0, 35: 0.05, 42: 0.6, 50: 1.0})
    found = uncertain_M(step, 3, 50, rng)
    assert len(found) == 3 and all(35 < M < 42 or 42 < M < 50 for M in found)
    # coarse pass memorizing already at its smallest M: look below it
    assert all(M < 25 for M in uncertain_M(points({25: 0.4, 50: 1.0}), 2, 50, rng))
    # never reaching 0.5: look above the largest M
    assert all(M > 50 for M in uncertain_M(points({25: 0.0, 50: 0.3}), 2, 50, rng))
    assert uncertain_M(step, 0, 50, rng) == []


@pytest.mark.parametrize(
    "overrides, key",
    [
        ({"refine_at": "middle"}, "refine_at"),
        ({"M_fractions": [0.0]}, "M_fractions"),
        ({"M_fractions": [5.0]}, "M_fractions"),
        ({"budgets": [0]}, "budgets"),
        ({"budget_configs": [[4, 2]]}, "budget_configs"),
        ({"budget_configs": [[99, 2, 12]]}, "budget_configs"),
        ({"checkpoints": -1}, "checkpoints"),
    ],
)
def test_study_keys_are_validated(overrides, key):
    with pytest.raises(InvalidInput) as error:
        resolve("smoke", overrides)
    assert error.value.field == key


def test_checkpoints_fall_on_chunk_ends():
    sweep, _ = resolve("study")
    assert sweep.checkpoint_steps(50_000) == (12_000, 25_000, 37_000)
    assert sweep.checkpoint_steps(100_000) == (25_000, 50_000, 75_000)
    assert resolve("smoke", {"checkpoints": 0})[0].checkpoint_steps(300) == ()
