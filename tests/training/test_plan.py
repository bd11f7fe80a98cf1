"""``--plan``: the jobs a sweep will run, one per configuration, seed and budget, and a wall-time
estimate from a timed calibration replayed over the sweep's schedule."""

import json

import pytest

from memlab.cli import main
from memlab.training import resolve
from memlab.training.plan import _schedule, planned_jobs


def test_study_plan_lists_every_configuration_seed_and_budget():
    sweep, _ = resolve("study")
    jobs = planned_jobs(sweep)
    main_budget = [j for j in jobs if j.steps == 50_000]
    assert {(j.d, j.K, j.N) for j in main_budget} == set(sweep.shapes())
    assert len(main_budget) == len(sweep.shapes()) * sweep.seeds >= 16
    assert {(j.d, j.K, j.N, j.seed) for j in jobs if j.steps == 100_000} == {
        (30, 3, 50, 0),
        (30, 3, 50, 1),
    }
    assert all(sweep.coarse(j.N) == j.M and j.refine == 3 for j in jobs)


def _timing(seconds_per_step):
    return {
        "M": [1],
        "ms_per_step": 1e3 * seconds_per_step,
        "compile_s": 0.0,
        "measure_s_per_model": 0.0,
    }


def test_schedule_replays_coarse_then_refinement():
    sweep, _ = resolve(
        "smoke",
        {
            "N": [12, 20],
            "M": [],
            "M_fractions": [0.5, 1.0],
            "refine": 2,
            "seeds": 2,
            "steps": 100,
            "chunk": 100,
            "checkpoints": 0,
        },
    )
    jobs = planned_jobs(sweep)
    timings = {(5, N, kind): _timing(1.0) for N in (12, 20) for kind in ("coarse", "refine")}
    serial = _schedule(sweep, jobs, timings, 1)
    assert serial == pytest.approx(2 * 2 * 2 * 100 * 1.0)  # every job, one after another
    parallel = _schedule(sweep, jobs, timings, 2)
    assert serial / 2 <= parallel < serial


def test_plan_command_prints_json_before_any_training(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "sweep",
                "--tier",
                "smoke",
                "--plan",
                "--workers",
                "1",
                "--format",
                "json",
                "--out",
                str(tmp_path / "never"),
            ]
        )
    assert exit_.value.code == 0
    assert not (tmp_path / "never").exists()


def test_plan_json_shape(capsys):
    with pytest.raises(SystemExit):
        main(["sweep", "--tier", "smoke", "--plan", "--workers", "1", "--format", "json"])
    plan = json.loads(capsys.readouterr().out)
    (job,) = plan["jobs"]
    assert {k: job[k] for k in ("d", "K", "N", "seed", "M", "steps")} == {
        "d": 5,
        "K": 2,
        "N": 12,
        "seed": 0,
        "M": [3, 6, 12],
        "steps": 300,
    }
    assert plan["estimated_seconds"] > 0 and plan["calibration"][0]["ms_per_step"] > 0


def test_budgets_option_is_validated():
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "--tier", "smoke", "--budgets", "300,lots", "--plan"])
    assert exit_.value.code == 2
