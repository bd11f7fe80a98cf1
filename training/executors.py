"""Where a sweep's training jobs run: in this process, in worker processes here, or on a Dask
cluster; results come back to the one process that writes the run store.

A job is a module-level function ``job(*args, progress=None) -> list[StoredRun]`` (pure: it trains
and measures, the caller stores), so worker processes and Dask workers import it by name:
:func:`training.jobs.train_job` for the isotropic sweep,
:func:`training.low_rank_sweep.low_rank_job` for the low-rank one. ``progress(done, total)``
counts training steps over the whole sweep (the total grows as jobs are submitted).
"""

from __future__ import annotations

import functools
import multiprocessing
import re
from collections import deque
from collections.abc import Callable
from concurrent import futures

from memlab.theory.errors import InvalidInput

__all__ = ["Progress", "job_executor", "check_scheduler_address"]


class Progress:
    """Training steps done / submitted so far over the whole sweep (the total grows when refinement
    starts)."""

    def __init__(self, report: Callable[[int, int], None] | None):
        self.report, self.done, self.total = report, 0, 0

    def submitted(self, steps: int) -> None:
        self.total += steps

    def advance(self, steps: int) -> None:
        self.done += steps
        if self.report is not None:
            self.report(self.done, self.total)


class _Local:
    """Runs jobs in this process, in submission order."""

    def __init__(self, job: Callable, progress: Progress):
        self.job, self.queue, self.progress = job, deque(), progress

    def submit(self, tag, steps: int, *args):
        self.progress.submitted(steps)
        self.queue.append((tag, args))

    def results(self):
        while self.queue:
            tag, args = self.queue.popleft()
            last = [0]

            def report(done, total, last=last):
                self.progress.advance(done - last[0])
                last[0] = done

            yield tag, self.job(*args, progress=report)

    def close(self):
        pass


class _Futures:
    """Jobs as futures of a pool (worker processes here, or a Dask cluster); results come back as
    they finish, and jobs submitted meanwhile join the wait. A pool whose workers report their
    steps as they train (``_reported``) advances the progress between results."""

    def __init__(self, job: Callable, progress: Progress):
        self.job, self.progress, self.pending, self.reported = job, progress, {}, {}

    def submit(self, tag, steps: int, *args):
        self.progress.submitted(steps)
        index = len(self.reported)
        self.reported[index] = 0
        self.pending[self._submit(index, *args)] = (tag, steps, index)

    def _reported(self) -> list[tuple[int, int]]:
        return []

    def results(self):
        while self.pending:
            done = self._first_done(list(self.pending))
            for index, steps in self._reported():
                if steps > self.reported[index]:  # a late report of a finished job is no news
                    self.progress.advance(steps - self.reported[index])
                    self.reported[index] = steps
            for future in done:
                tag, steps, index = self.pending.pop(future)
                result = future.result()
                self.progress.advance(steps - self.reported[index])
                self.reported[index] = steps
                yield tag, result


def _report_steps(queue, index: int, done: int, total: int) -> None:
    """A worker's progress: steps done in job ``index``, sent to the sweep's process."""
    queue.put((index, done))


class _Processes(_Futures):
    """``workers`` worker processes on this machine (spawned: jax does not survive a fork); each
    reports its steps through a queue, read every few seconds."""

    def __init__(self, job: Callable, workers: int, progress: Progress):
        super().__init__(job, progress)
        context = multiprocessing.get_context("spawn")
        self.pool = futures.ProcessPoolExecutor(workers, mp_context=context)
        self.manager = context.Manager()
        self.queue = self.manager.Queue()

    def _submit(self, index, *args):
        return self.pool.submit(
            self.job, *args, progress=functools.partial(_report_steps, self.queue, index)
        )

    @staticmethod
    def _first_done(pending):
        return futures.wait(pending, timeout=5.0, return_when=futures.FIRST_COMPLETED).done

    def _reported(self):
        found = []
        while not self.queue.empty():
            found.append(self.queue.get())
        return found

    def close(self):
        self.pool.shutdown(cancel_futures=True)
        self.manager.shutdown()


SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://[^\s/:]+(:\d{1,5})?(/\S*)?$")


def check_scheduler_address(address: object) -> str:
    """A Dask scheduler address such as ``tcp://HOST:8786``, checked before anything connects."""
    if not isinstance(address, str) or not SCHEDULER_ADDRESS.match(address):
        raise InvalidInput(
            "--scheduler",
            address,
            "a Dask scheduler address PROTOCOL://HOST:PORT (tcp://HOST:8786)",
        )
    return address


class _Dask(_Futures):
    """Sends jobs to a Dask cluster."""

    def __init__(self, job: Callable, address: str, progress: Progress):
        from distributed import Client, wait

        super().__init__(job, progress)
        try:
            self.client = Client(address, timeout="10s")
        except OSError as error:  # no scheduler there: bad input, said in one line
            raise InvalidInput(
                "--scheduler", address, f"a reachable Dask scheduler ({error})"
            ) from None
        self.wait = wait

    def _submit(self, index, *args):
        return self.client.submit(self.job, *args, pure=False)

    def _first_done(self, pending):
        return self.wait(pending, return_when="FIRST_COMPLETED").done

    def close(self):
        self.client.close()


def job_executor(job: Callable, scheduler: str | None, workers: int, progress: Progress):
    """Runs ``job``: on the Dask scheduler at ``scheduler``, else in ``workers`` worker processes
    (1: this process). ``submit(tag, steps, *args)`` queues ``job(*args)``; ``results()`` yields
    (tag, runs) as jobs finish; ``close()`` ends the workers."""
    if scheduler:
        return _Dask(job, scheduler, progress)
    if workers > 1:
        return _Processes(job, workers, progress)
    return _Local(job, progress)
