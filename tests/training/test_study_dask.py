"""Scale-out: the study's (configuration, seed) jobs on a Dask cluster give the local numbers, and a
worker killed with SIGKILL mid-study, then the same command again, loses and duplicates nothing."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from memlab.training import RunStore, run_sweep

# Two shapes x two seeds: four coarse jobs, then four refinement jobs.
STUDY_LIKE = {
    "d": [4],
    "K": [2],
    "N": [8, 10],
    "seeds": 2,
    "M": [],
    "M_fractions": [0.5, 1.0],
    "refine": 1,
    "refine_at": "uncertain",
    "steps": 200,
    "noise_draws": 2,
    "samples": 10,
    "eval_draws": 3,
    "chunk": 50,
    "log_every": 10,
    "checkpoints": 1,
}


def comparable(result):
    data = result.to_dict()
    data.pop("provenance")
    return data


@pytest.mark.slow  # a local cluster, two worker processes, a kill and a restart: ~1 min
def test_worker_killed_mid_study_then_rerun(tmp_path):
    distributed = pytest.importorskip("distributed")
    reference = run_sweep("smoke", tmp_path / "reference", STUDY_LIKE)
    out = tmp_path / "dask"
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster.scheduler_address) as client,
    ):
        script = (
            "from memlab import training; training.run_sweep('smoke', "
            f"{str(out)!r}, {STUDY_LIKE!r}, scheduler={cluster.scheduler_address!r})"
        )
        sweep = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
        pids = client.run(os.getpid)
        deadline, killed = time.time() + 120, None
        while killed is None and time.time() < deadline:
            busy = [worker for worker, keys in client.processing().items() if keys]
            if busy:
                killed = pids[busy[0]]
                os.kill(killed, signal.SIGKILL)  # mid-job: the nanny restarts the worker
            time.sleep(0.05)
        assert killed is not None, "no job ever reached a worker"
        sweep.wait(timeout=300)  # the scheduler reruns the lost job, or the sweep fails: either way
        client.wait_for_workers(2, timeout=60)
        result = run_sweep("smoke", out, STUDY_LIKE, scheduler=cluster.scheduler_address)
    assert comparable(result) == comparable(reference)
    store = RunStore(out, writer=False)
    try:
        rows = store.read(with_arrays=False)
    finally:
        store.close()
    expected = {p for c in reference.configs for p in [(c.N, q.M, q.seed) for q in c.points]}
    assert len(rows) == len({r.run_id for r in rows}) == len(expected)  # nothing lost or doubled
    arrays = sorted((out / "arrays").glob("*.npz"))
    assert len(arrays) == len(rows) and not list((out / "arrays").glob("*.partial.npz"))
    for path in arrays:
        with np.load(path, allow_pickle=False) as handle:
            assert handle.files
