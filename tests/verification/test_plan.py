"""``memlab verify --plan``: every stage but the training sweep timed at two small sizes and
extrapolated along the line; the total is the training plan plus those stages."""

import json

import pytest

from memlab.cli import main
from memlab.verification import plan
from memlab.verification.tiers import tier_config


class FakeClock:
    """A clock that a fake run advances by a known cost, so the extrapolation is exact."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        return self.now


@pytest.mark.parametrize("fixed, per_draw", [(0.5, 0.01), (0.0, 0.2), (3.0, 0.0)])
def test_a_linear_stage_is_extrapolated_exactly(monkeypatch, fixed, per_draw):
    clock = FakeClock()
    monkeypatch.setattr(plan.time, "perf_counter", clock.perf_counter)

    def run(draws):
        clock.now += fixed + per_draw * draws

    stage = plan._stage("a stage", "noise draws", 400, [run, run])
    assert stage.seconds == pytest.approx(2 * (fixed + per_draw * 400))
    assert stage.calls == 2
    assert stage.calibration_s == pytest.approx(2 * (5 * fixed + per_draw * 7 * plan.SMALL))


def test_only_the_faster_of_two_timings_counts(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(plan.time, "perf_counter", clock.perf_counter)
    slowdowns = iter([0.0, 5.0, 0.0, 0.0, 9.0])  # other work on the machine, now and then

    def run(draws):
        clock.now += 0.1 * draws + next(slowdowns)

    assert plan._stage("s", "noise draws", 100, [run]).seconds == pytest.approx(10.0)


def test_smoke_stages_are_the_measurements_that_run():
    config = tier_config("smoke", {"low_rank_sweep_tier": "none"})
    stages = plan.plan_monte_carlo(config)
    names = [stage.name for stage in stages]
    assert names == [
        *plan.NUMERICS_CHECKS,
        "sec-4.2-losses",
        "losses",
        "fit-losses",
    ]
    assert all(stage.seconds >= 0 and stage.calibration_s > 0 for stage in stages)
    thm_3_2 = stages[names.index("thm-3.2")]
    assert thm_3_2.calls == len(config.check_Ms) and thm_3_2.size == config.draws


def test_plan_json_adds_the_stages_to_the_training(capsys, tmp_path):
    toml = tmp_path / "no-low-rank.toml"
    toml.write_text('tier = "smoke"\nlow_rank_sweep_tier = "none"\n')
    with pytest.raises(SystemExit) as exit_:
        main(["verify", "--config", str(toml), "--plan", "--format", "json"])
    assert exit_.value.code == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["jobs"]) == 1 and found["training_seconds"] > 0
    assert found["monte_carlo_seconds"] == pytest.approx(
        sum(stage["seconds"] for stage in found["monte_carlo"])
    )
    assert found["estimated_seconds"] == pytest.approx(
        found["training_seconds"] + found["monte_carlo_seconds"]
    )
