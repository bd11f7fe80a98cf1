"""M-sweeps and the phase transition, run locally or on a Dask cluster, resumable through the run
store.

Per shape (d, K, N): a coarse pass over M = N/10, ..., N (or the configured M) for every seed,
trained as one ensemble; then, unless M was given explicitly, ``refine`` more M spread inside the
window where the pooled monotone fit crosses 0.1 and 0.9 (docs/theory.md §5). Runs already in the
store are skipped, so rerunning a killed sweep finishes it with the numbers an uninterrupted run
gives. With a scheduler address, jobs go to Dask workers and only this process (the client) writes
the store.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from memlab.theory.errors import InvalidInput

from .config import RunConfig, SweepConfig, coarse_M, resolve
from .files import read_toml
from .jobs import train_job
from .keys import SHARED, Purpose, numpy_rng
from .provenance import training_provenance
from .store import RunStore
from .transition import crossing, estimate_transition, isotonic_fit, pooled_counts

__all__ = ["Point", "ConfigResult", "SweepResult", "run_sweep", "load_sweep", "refinement_M"]


CLEAN_WINDOW = 0.4  # a clean step rises from 0.1 to 0.9 within this fraction of N


@dataclass(frozen=True)
class Point:
    """One trained model's results (losses in x₀ units, float64; ``*_eps`` in ε units)."""

    M: int
    seed: int
    ratio: float | None = None
    ci: list[float] | None = None
    samples: int | None = None
    memorized: int | None = None
    train_loss: float | None = None
    test_loss: float | None = None
    train_loss_eps: float | None = None
    test_loss_eps: float | None = None
    train_loss_per_t: list[float] | None = None
    test_loss_per_t: list[float] | None = None
    means_on_training_points: int | None = None
    means_on_true_means: int | None = None
    learned_s2: float | None = None
    failed: str | None = None


@dataclass(frozen=True)
class ConfigResult:
    d: int
    K: int
    N: int
    seeds: list[int]
    steps: int
    M_pt: float | None
    M_pt_ci: list[float | None]
    window: list[float | None]
    clean_step: bool
    points: list[Point] = field(default_factory=list)


@dataclass(frozen=True)
class SweepResult:
    tier: str
    overrides: dict
    configs: list[ConfigResult]
    provenance: dict

    def to_dict(self) -> dict:
        return asdict(self)


def _members_done(
    store: RunStore, sweep: SweepConfig, shape, Ms, seeds
) -> tuple[list[tuple[int, int]], list[str]]:
    ids = {(M, s): RunConfig.of(sweep, *shape, M, s).run_id for M in Ms for s in seeds}
    done = store.finished()
    return [key for key, run_id in ids.items() if run_id not in done], list(ids.values())


def refinement_M(points: list[Point], count: int, N: int) -> list[int]:
    """``count`` integer M spread inside the pooled fit's 0.1–0.9 window (bracketed by measured M),
    new ones only."""
    good = [p for p in points if p.failed is None]
    if count == 0 or len({p.M for p in good}) < 2:
        return []
    Ms, k, n = pooled_counts(
        [p.M for p in good], [p.memorized for p in good], [p.samples for p in good]
    )
    fit = isotonic_fit(k / n, n)
    low, high = crossing(Ms, fit, 0.1), crossing(Ms, fit, 0.9)
    below = Ms[Ms <= (low if low is not None else Ms[0])]
    above = Ms[Ms >= (high if high is not None else Ms[-1])]
    lo, hi = int(below.max() if below.size else Ms[0]), int(above.min() if above.size else Ms[-1])
    candidates = np.unique(np.round(np.linspace(lo, hi, count + 2)[1:-1]).astype(int))
    return [int(M) for M in candidates if M not in set(Ms.tolist()) and 1 <= M <= 4 * N]


def _point(result: dict) -> Point:
    return Point(**{k: v for k, v in result.items() if k in Point.__dataclass_fields__})


def _config_result(sweep: SweepConfig, shape, points: list[Point]) -> ConfigResult:
    d, K, N = shape
    points = sorted(points, key=lambda p: (p.M, p.seed))
    good = [p for p in points if p.failed is None]
    if len({p.M for p in good}) >= 2:
        found = estimate_transition(
            np.array([p.M for p in good]),
            np.array([p.seed for p in good]),
            np.array([p.memorized for p in good]),
            np.array([p.samples for p in good]),
            numpy_rng(
                RunConfig.of(sweep, d, K, N, 1, 0).training_hash, 0, SHARED, Purpose.BOOTSTRAP
            ),
            max_window=CLEAN_WINDOW * N,
        )
        M_pt, ci, window, clean = (
            found.M_pt,
            list(found.M_pt_ci),
            list(found.window),
            found.clean_step,
        )
    else:
        M_pt, ci, window, clean = None, [None, None], [None, None], False
    return ConfigResult(
        d, K, N, list(range(sweep.seeds)), sweep.steps, M_pt, ci, window, clean, points
    )


class _Progress:
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

    def __init__(self, progress: _Progress):
        self.queue, self.progress = deque(), progress

    def submit(self, tag, sweep, *args):
        self.progress.submitted(sweep.steps)
        self.queue.append((tag, (sweep, *args)))

    def results(self):
        while self.queue:
            tag, args = self.queue.popleft()
            last = [0]

            def report(done, total, last=last):
                self.progress.advance(done - last[0])
                last[0] = done

            yield tag, train_job(*args, progress=report)

    def close(self):
        pass


class _Dask:
    """Sends jobs to a Dask cluster; results come back as they finish."""

    def __init__(self, address: str, progress: _Progress):
        from distributed import Client, as_completed

        self.client, self.progress = Client(address), progress
        self.pending = as_completed()
        self.tags = {}

    def submit(self, tag, sweep, *args):
        self.progress.submitted(sweep.steps)
        future = self.client.submit(train_job, sweep, *args, pure=False)
        self.tags[future.key] = (tag, sweep.steps)
        self.pending.add(future)

    def results(self):
        for future in self.pending:
            tag, steps = self.tags.pop(future.key)
            result = future.result()
            self.progress.advance(steps)
            yield tag, result

    def close(self):
        self.client.close()


def run_sweep(
    tier: str,
    out: Path,
    config: Path | dict | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Run (or resume) the sweep of ``tier`` with the overrides in ``config`` (a TOML file or a
    dict), storing every run under ``out``; ``scheduler`` is a Dask scheduler address
    (``tcp://HOST:PORT``) or None (this process). ``progress(done, total)`` counts training steps
    (the total grows when refinement starts)."""
    overrides = read_toml(config) if isinstance(config, (str, Path)) else config
    sweep, applied = resolve(tier, overrides)
    store = RunStore(out)
    executor = _Dask(scheduler, _Progress(progress)) if scheduler else _Local(_Progress(progress))
    try:
        store.set_meta("sweep", {"tier": tier, "overrides": applied, "config": asdict(sweep)})
        seeds = list(range(sweep.seeds))
        ids: dict[tuple[int, int, int], list[str]] = {}

        def launch(shape, phase, Ms):
            todo, run_ids = _members_done(store, sweep, shape, Ms, seeds)
            ids[shape] = sorted(set(ids.get(shape, []) + run_ids))
            store.set_meta(_config_key(shape), ids[shape])
            if todo:
                executor.submit((phase, shape), sweep, *shape, todo)
            return bool(todo)

        def after_coarse(shape):
            if sweep.M or sweep.refine == 0:
                return
            points = [
                _point(r.result)
                for r in store.read(with_arrays=False)
                if r.run_id in set(ids[shape])
            ]
            launch(shape, "refine", refinement_M(points, sweep.refine, shape[2]))

        for shape in sweep.shapes():
            if not launch(shape, "coarse", list(sweep.M) or coarse_M(shape[2])):
                after_coarse(shape)
        for (phase, shape), runs in executor.results():
            store.write(runs)
            if phase == "coarse":
                after_coarse(shape)
        return _results_from_store(store, sweep)
    finally:
        executor.close()
        store.close()


def _config_key(shape) -> str:
    return "config:{},{},{}".format(*shape)


def _results_from_store(store: RunStore, sweep: SweepConfig) -> SweepResult:
    """Points from the stored rows; M_pt, its interval and window are a deterministic fit to their
    counts."""
    meta = store.get_meta("sweep")
    rows = {r.run_id: r for r in store.read(with_arrays=False)}
    configs, recorded = [], {}
    for shape in sweep.shapes():
        present = [rows[i] for i in store.get_meta(_config_key(shape), []) if i in rows]
        configs.append(_config_result(sweep, shape, [_point(r.result) for r in present]))
        recorded.update(
            {k: v for k, v in (present[0].provenance if present else {}).items() if k != "seed"}
        )
    return SweepResult(
        meta["tier"],
        meta["overrides"],
        configs,
        {**(recorded or training_provenance()), "tier": meta["tier"], "sweep": meta["config"]},
    )


def load_sweep(out: Path) -> SweepResult:
    """The last sweep stored under ``out``, read from the store: no training or measuring (only the
    cheap, deterministic M_pt fit to the stored counts)."""
    store = RunStore(out, writer=False)
    try:
        meta = store.get_meta("sweep")
        if meta is None:
            raise InvalidInput("out", str(out), "a results directory written by run_sweep")
        # The stored configuration, not today's tier definition: stored results stay readable if
        # TIERS change.
        stored = meta["config"]
        sweep = SweepConfig(
            **{k: tuple(v) if isinstance(v, list) else v for k, v in stored.items()}
        )
        return _results_from_store(store, sweep)
    finally:
        store.close()
