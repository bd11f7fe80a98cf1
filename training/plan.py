"""Before any training: the jobs a sweep will run and how long they take on this machine, from a
short timed calibration of the sweep's own jobs.

One job per (configuration, seed, step budget): its coarse pass, then ``refine`` models the sweep
places after every seed's coarse pass is in (their M are not known before; they are costed at M
spread over 0.75-0.85 N, where eq. (14) puts the transition). The calibration trains each coarse
ensemble (per d and N; K does not change a step's cost) for a few chunks in ``workers`` processes
at once, as the sweep will, and takes the fastest chunk after the first (compiling) one, and the
measurement after training. A refinement ensemble's step is the coarse one scaled by the sum of
its M over the coarse pass's (the models run one after another; measured on 2 cores, d ∈ {30, 50},
N ∈ {50, 100}: within 5% of timing it). The estimate then replays the sweep's
schedule (coarse jobs in :func:`training.sweep.submission_order`, each shape's refinements once its
coarse passes are done, a job to the first free worker) with job time = compile + steps × step
time + models × measurement time × (1 + checkpoints): an upper estimate for the checkpoints, which
only sample.
"""

from __future__ import annotations

import heapq
import multiprocessing
import time
from collections.abc import Callable
from concurrent import futures
from dataclasses import asdict, dataclass, replace

import numpy as np

from .config import SweepConfig
from .jobs import train_job
from .sweep import submission_order

__all__ = [
    "PlannedJob",
    "Plan",
    "planned_jobs",
    "refinement_stand_in",
    "plan_sweep",
    "timed_training",
    "CALIBRATION_CHUNK",
    "CALIBRATION_CHUNKS",
]

CALIBRATION_CHUNK = 20  # steps per timed chunk
CALIBRATION_CHUNKS = 5  # the first compiles
WORKER_START_S = 10.0  # a spawned worker imports jax and the library (measured 4-8 s on 2 cores)


@dataclass(frozen=True)
class PlannedJob:
    d: int
    K: int
    N: int
    seed: int
    M: list[int]  # the coarse pass
    refine: int  # models the sweep adds after the coarse pass (placed then)
    steps: int


@dataclass(frozen=True)
class Plan:
    tier: str
    workers: int
    jobs: list[PlannedJob]
    estimated_seconds: float
    calibration: list[dict]
    seconds_calibrating: float

    def to_dict(self) -> dict:
        return asdict(self)


def refinement_stand_in(sweep: SweepConfig, N: int) -> list[int]:
    """The M a refinement ensemble is costed at before the coarse pass places it."""
    if sweep.M or not sweep.refine:
        return []
    spread = np.linspace(0.75, 0.85, sweep.refine) if sweep.refine > 1 else [0.8]
    return [max(1, round(f * N)) for f in spread]


def planned_jobs(sweep: SweepConfig) -> list[PlannedJob]:
    """Every (configuration, seed, budget) job, in the order the sweep submits them."""
    return [
        PlannedJob(
            *shape,
            seed,
            sweep.coarse(shape[2]),
            0 if sweep.M else sweep.refine,
            steps,
        )
        for shape, steps in submission_order(sweep)
        for seed in range(sweep.seeds)
    ]


def timed_training(run: Callable[[Callable[..., None]], object]) -> dict:
    """Step, compile and after-training seconds of ``run(progress)``: a short training of
    ``CALIBRATION_CHUNKS`` chunks of ``CALIBRATION_CHUNK`` steps that calls ``progress`` after each
    chunk, then measures its models."""
    stamps = [time.perf_counter()]
    run(lambda *_: stamps.append(time.perf_counter()))
    finished = time.perf_counter()
    chunks = np.diff(stamps)
    # The fastest chunk: other work on the machine only ever adds time (at a load average of 7 the
    # median of two chunks put d = 30 above d = 50), and the plan is for the machine itself.
    step = float(np.min(chunks[1:])) / CALIBRATION_CHUNK
    return {
        "ms_per_step": 1e3 * step,
        "compile_s": max(0.0, float(chunks[0]) - CALIBRATION_CHUNK * step),
        "after_s": finished - stamps[-1],
    }


def _timed(sweep: SweepConfig, d: int, K: int, N: int, Ms: list[int]) -> dict:
    """Step, compile and measurement seconds of one short job (runs in a worker)."""
    short = replace(
        sweep,
        steps=CALIBRATION_CHUNK * CALIBRATION_CHUNKS,
        chunk=CALIBRATION_CHUNK,
        checkpoints=0,
    )
    timing = timed_training(
        lambda progress: train_job(short, d, K, N, [(M, 0) for M in Ms], progress=progress)
    )
    after = timing.pop("after_s")
    return {"d": d, "N": N, "M": Ms, **timing, "measure_s_per_model": after / len(Ms)}


def _calibrate(sweep: SweepConfig, ensembles: list[tuple], workers: int) -> list[dict]:
    workers = min(workers, len(ensembles))
    if workers == 1:
        return [_timed(sweep, *ensemble) for ensemble in ensembles]
    with futures.ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        return list(pool.map(_timed, [sweep] * len(ensembles), *zip(*ensembles, strict=True)))


def _job_seconds(timing: dict, steps: int, checkpoints: int) -> float:
    return (
        timing["compile_s"]
        + steps * timing["ms_per_step"] / 1e3
        + len(timing["M"]) * timing["measure_s_per_model"] * (1 + checkpoints)
    )


def _schedule(sweep: SweepConfig, jobs: list[PlannedJob], timings: dict, workers: int) -> float:
    """The sweep's makespan: jobs to the first free worker, refinements after their coarse
    passes."""
    free = [WORKER_START_S if workers > 1 else 0.0] * workers
    heapq.heapify(free)
    coarse_done: dict[tuple, list[float]] = {}
    for job in jobs:
        start = heapq.heappop(free)
        end = start + _job_seconds(timings[job.d, job.N, "coarse"], job.steps, sweep.checkpoints)
        heapq.heappush(free, end)
        coarse_done.setdefault((job.d, job.K, job.N, job.steps), []).append(end)
    finish = max(free)
    refinements = sorted(
        (max(ends), key)
        for key, ends in coarse_done.items()
        if (key[0], key[2], "refine") in timings
    )
    for ready, (d, _, N, steps) in refinements:
        for _ in range(sweep.seeds):
            start = max(heapq.heappop(free), ready)
            end = start + _job_seconds(timings[d, N, "refine"], steps, sweep.checkpoints)
            heapq.heappush(free, end)
            finish = max(finish, end)
    return max(finish, max(free))


def plan_sweep(tier: str, sweep: SweepConfig, workers: int) -> Plan:
    """The jobs of ``sweep`` and the wall time they take here with ``workers`` processes."""
    started = time.perf_counter()
    jobs = planned_jobs(sweep)
    shapes = sorted({(job.d, job.N): job.K for job in jobs}.items())
    calibration = _calibrate(sweep, [(d, K, N, sweep.coarse(N)) for (d, N), K in shapes], workers)
    timings = {}
    for ((d, N), _), timing in zip(shapes, calibration, strict=True):
        timings[d, N, "coarse"] = timing
        stand_in = refinement_stand_in(sweep, N)
        if stand_in:
            scale = sum(stand_in) / sum(timing["M"])
            timings[d, N, "refine"] = {
                **timing,
                "M": stand_in,
                "ms_per_step": scale * timing["ms_per_step"],
            }
    estimate = _schedule(sweep, jobs, timings, workers)
    return Plan(
        tier,
        workers,
        jobs,
        estimate,
        [{"kind": kind, **timing} for (_, _, kind), timing in timings.items()],
        time.perf_counter() - started,
    )
