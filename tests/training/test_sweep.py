"""Sweeps: resuming after a kill loses nothing and equals an uninterrupted run; the store
round-trips; the Dask path (two worker processes) gives the local numbers."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest

from memlab import training
from memlab.training import TIERS, RunStore, load_sweep, run_sweep
from memlab.training.store import StoredRun

# Two shapes -> two jobs, so a sweep can be interrupted between them.
TWO_JOBS = {
    "d": [4],
    "K": [2],
    "N": [8, 10],
    "M": [2, 8],
    "steps": 60,
    "noise_draws": 2,
    "samples": 10,
    "eval_draws": 3,
    "chunk": 20,
    "log_every": 10,
}


def comparable(result):
    """Everything but provenance (which names the process)."""
    data = result.to_dict()
    data.pop("provenance")
    return data


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted")
    return out, run_sweep("smoke", out, TWO_JOBS)


def test_sweep_result_shape(uninterrupted):
    out, result = uninterrupted
    data = json.loads(json.dumps(result.to_dict()))  # JSON-ready
    assert data["tier"] == "smoke" and data["overrides"]["N"] == [8, 10]
    assert [(c["d"], c["K"], c["N"]) for c in data["configs"]] == [(4, 2, 8), (4, 2, 10)]
    for c in data["configs"]:
        assert c["steps"] == 60 and c["seeds"] == [0] and len(c["M_pt_ci"]) == len(c["window"]) == 2
        assert [p["M"] for p in c["points"]] == [2, 8]
        for p in c["points"]:
            assert {
                "ratio",
                "ci",
                "train_loss",
                "test_loss",
                "train_loss_per_t",
                "learned_s2",
                "failed",
            } <= set(p)
    assert "packages" in data["provenance"] and data["provenance"]["train_dtype"] == "float32"


def test_load_reads_the_same_result(uninterrupted):
    out, result = uninterrupted
    assert comparable(load_sweep(out)) == comparable(result)


def test_rerun_skips_finished_runs(uninterrupted, monkeypatch):
    out, result = uninterrupted

    def must_not_train(*args, **kwargs):
        raise AssertionError("a finished run was trained again")

    monkeypatch.setattr(training.sweep, "train_job", must_not_train)
    assert comparable(run_sweep("smoke", out, TWO_JOBS)) == comparable(result)


def test_interrupted_sweep_resumes_to_the_same_result(uninterrupted, tmp_path, monkeypatch):
    real, calls = training.sweep.train_job, []

    def dies_on_second_job(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed while training the second job
        return real(*args, **kwargs)

    monkeypatch.setattr(training.sweep, "train_job", dies_on_second_job)
    with pytest.raises(KeyboardInterrupt):
        run_sweep("smoke", tmp_path, TWO_JOBS)
    store = RunStore(tmp_path)
    assert len(store.finished()) == 2  # the first job's two models, whole
    store.close()
    monkeypatch.setattr(training.sweep, "train_job", real)
    assert comparable(run_sweep("smoke", tmp_path, TWO_JOBS)) == comparable(uninterrupted[1])


@pytest.mark.slow
def test_sigkill_mid_sweep_then_rerun(uninterrupted, tmp_path):
    """A real kill -9 of a sweep process after its first job is stored; the rerun completes it."""
    script = (
        f"from memlab import training; training.run_sweep('smoke', {str(tmp_path)!r}, {TWO_JOBS!r})"
    )
    process = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    database = tmp_path / "runs.sqlite"
    deadline = time.time() + 120
    while time.time() < deadline:
        if database.exists():
            with sqlite3.connect(database) as db:
                try:
                    if db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] >= 2:
                        break
                except sqlite3.OperationalError:
                    pass
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert comparable(run_sweep("smoke", tmp_path, TWO_JOBS)) == comparable(uninterrupted[1])


def test_store_never_pickles(uninterrupted):
    out, _ = uninterrupted
    files = list((out / "arrays").glob("*.npz"))
    assert files and not list((out / "arrays").glob(".*.tmp"))
    for path in files:
        with np.load(path, allow_pickle=False) as handle:
            assert all(handle[name].dtype != object for name in handle.files)


def test_dask_local_cluster_matches_local_run(uninterrupted, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        result = run_sweep("smoke", tmp_path, TWO_JOBS, scheduler=cluster.scheduler_address)
    # Workers run without jax x64, this process with it: training pins its own mode, so the numbers
    # agree exactly.
    assert comparable(result) == comparable(uninterrupted[1])


def test_refinement_spreads_new_M_inside_the_window():
    from memlab.training import Point, refinement_M

    ratios = {10: 0.0, 20: 0.0, 30: 0.05, 40: 0.5, 50: 0.95, 60: 1.0}
    points = [Point(M=M, seed=0, memorized=int(50 * r), samples=50) for M, r in ratios.items()]
    extra = refinement_M(points, 5, 60)
    assert extra and all(30 < M < 50 for M in extra) and len(set(extra)) == len(extra)
    assert not set(extra) & set(ratios)
    assert refinement_M(points, 0, 60) == []


def test_train_command_prints_points(capsys):
    from memlab.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "train",
                "--tier",
                "smoke",
                "--d",
                "3",
                "--K",
                "2",
                "--N",
                "6",
                "--M",
                "2",
                "--M",
                "6",
                "--steps",
                "20",
                "--format",
                "json",
            ]
        )
    assert exit_.value.code == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["d"], record["K"], record["N"], record["steps"]) == (3, 2, 6, 20)
    assert [p["M"] for p in record["points"]] == [2, 6] and all(
        0 <= p["ratio"] <= 1 for p in record["points"]
    )


def test_protocol_coarse_pass_then_refinement(tmp_path, monkeypatch):
    """Without explicit M: the coarse pass N/10..N, then refinement inside the window it finds."""
    seen = []

    def refine(points, count, N):
        seen.append(sorted(p.M for p in points))
        return [5, 7, 9]

    monkeypatch.setattr(training.sweep, "refinement_M", refine)
    result = run_sweep("smoke", tmp_path, {**TWO_JOBS, "N": [20], "M": [], "refine": 3})
    (config,) = result.configs
    coarse = training.coarse_M(20)
    assert coarse == list(range(2, 21, 2)) and seen == [coarse]  # refinement sees the coarse pass
    assert sorted(p.M for p in config.points) == sorted(coarse + [5, 7, 9])


def test_store_refuses_object_arrays_and_clears_stale_partials(tmp_path):
    from memlab.theory.errors import InvalidInput

    (tmp_path / "arrays").mkdir()
    (tmp_path / "arrays" / ".dead.npz.x.tmp").write_bytes(b"half a file")
    store = RunStore(tmp_path)
    try:
        assert not list((tmp_path / "arrays").glob(".*.tmp"))
        with pytest.raises(InvalidInput, match="objects"):
            store.write([StoredRun("x", {}, {}, {}, {"bad": np.array([{"a": 1}], dtype=object)})])
        assert not store.finished() and not list((tmp_path / "arrays").iterdir())
    finally:
        store.close()


def test_load_sweep_reads_the_stored_configuration(uninterrupted, monkeypatch):
    out, result = uninterrupted
    smoke = TIERS["smoke"]
    monkeypatch.setitem(TIERS, "smoke", replace(smoke, sweep={**smoke.sweep, "seeds": 2}))
    assert comparable(load_sweep(out)) == comparable(result)
