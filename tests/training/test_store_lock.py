"""One writer per store: a second writer (a real second process) is refused before any work, naming
the holder, or waits with ``wait``; a store never serves another configuration's runs as this
sweep's; readers create and delete nothing."""

import json
import os
import subprocess
import sys
import time

import pytest

from memlab.cli import main
from memlab.theory.errors import InvalidInput
from memlab.training import RunStore, load_sweep, run_sweep
from memlab.training.lock import LOCK_NAME, DirectoryLock

from .test_sweep import TWO_JOBS, comparable, uninterrupted  # noqa: F401 (a fixture)

HOLD = (
    "import sys, time; from memlab.training.lock import DirectoryLock; "
    "lock = DirectoryLock(sys.argv[1]); print('held', flush=True); time.sleep(float(sys.argv[2]))"
)


def holder(directory, seconds):
    """A second real process that holds ``directory``'s lock for ``seconds``."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(directory), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "held"
    return process


@pytest.mark.parametrize("command", ["sweep", "train", "verify"])
def test_a_second_writer_exits_2_naming_the_holder_before_any_work(tmp_path, capsys, command):
    process = holder(tmp_path, 60)
    try:
        with pytest.raises(SystemExit) as exit_:
            main([command, "--tier", "smoke", "--out", str(tmp_path)])
        message = capsys.readouterr().err.strip()
        assert exit_.value.code == 2 and len(message.splitlines()) == 1
        assert f"PID {process.pid}" in message and "--wait" in message
        assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_NAME]  # no store opened
        with pytest.raises(InvalidInput, match=f"PID {process.pid}"):
            RunStore(tmp_path)
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def test_wait_takes_the_lock_when_the_holder_finishes(tmp_path):
    process = holder(tmp_path, 1)
    start = time.monotonic()
    store = RunStore(tmp_path, wait=True)
    try:
        assert process.wait() == 0 and time.monotonic() - start > 0.5
        process.stdout.close()
        assert f"PID {os.getpid()}" in (tmp_path / LOCK_NAME).read_text()
    finally:
        store.close()
    DirectoryLock(tmp_path).release()  # released on close


def test_readers_create_and_delete_nothing(tmp_path):
    with pytest.raises(InvalidInput, match="run store"):
        load_sweep(tmp_path / "absent")
    assert not (tmp_path / "absent").exists()
    RunStore(tmp_path).close()
    stale = tmp_path / "arrays" / ".run.npz.abc.tmp"  # as if a writer were mid-write
    stale.write_bytes(b"partial")
    with DirectoryLock(tmp_path):  # the writer holds the store
        RunStore(tmp_path, writer=False).close()
    assert stale.exists()


def test_a_store_refuses_another_configuration(uninterrupted, capsys):  # noqa: F811
    out, result = uninterrupted
    with pytest.raises(InvalidInput, match="steps = 60 there, 30 here"):
        run_sweep("smoke", out, {**TWO_JOBS, "steps": 30})
    assert comparable(load_sweep(out)) == comparable(result)  # the store still serves its own


@pytest.mark.slow
def test_two_concurrent_sweep_processes(uninterrupted, tmp_path):  # noqa: F811
    """Two real `memlab sweep` processes on one --out: the second exits 2 naming the first; the
    first completes with the results of a run alone."""
    config = tmp_path / "sweep.toml"
    config.write_text(
        "[sweep]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in TWO_JOBS.items())
    )
    out = tmp_path / "out"
    arguments = ["sweep", "--tier", "smoke", "--config", str(config), "--out", str(out)]
    arguments += ["--format", "json"]
    # The second process imports everything first and starts its sweep on a word from us, so that
    # it runs while the first holds the store (the tiny sweep takes seconds).
    ready = "import sys; from memlab.cli import main; import memlab.training.sweep; "
    second = subprocess.Popen(
        [sys.executable, "-c", ready + "sys.stdin.readline(); main(sys.argv[1:])", *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = subprocess.Popen(
        [sys.executable, "-c", "from memlab.cli import main; main()", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while f"PID {first.pid}" not in (
        (out / LOCK_NAME).read_text() if (out / LOCK_NAME).exists() else ""
    ):
        assert time.time() < deadline and first.poll() is None
        time.sleep(0.01)
    _, refused = second.communicate("go\n", timeout=60)
    assert second.returncode == 2, refused
    assert f"PID {first.pid}" in refused and "Traceback" not in refused
    assert len(refused.strip().splitlines()) == 1
    output, _ = first.communicate(timeout=300)
    assert first.returncode == 0 and first.poll() is not None
    together = json.loads(output)
    together.pop("provenance")
    assert together == json.loads(json.dumps(comparable(uninterrupted[1])))
