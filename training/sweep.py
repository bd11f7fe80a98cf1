"""M-sweeps and the phase transition, run locally or on a Dask cluster, resumable through the run
store.

Per shape (d, K, N), step budget and seed: a coarse pass over M = N/10, ..., N (or the configured M
or fractions of N), trained as one ensemble (one job); then, once every seed's coarse pass is in,
unless M was given explicitly, ``refine`` more M for every seed (one job each), placed where the
pooled monotone fit needs them (docs/theory.md §5):

- ``window``: spread inside the window where the fit crosses 0.1 and 0.9;
- ``uncertain``: at the quantiles of the bootstrap distribution of the 0.5 crossing (where the
  fit is uncertain), or, when the coarse pass does not bracket the crossing, below or above it.

Runs already in the store are skipped, so rerunning a killed sweep finishes it with the numbers an
uninterrupted run gives. Jobs run in this process, in ``workers`` worker processes (XLA on CPU
gains little from a second core at these sizes, two processes nearly twice as much), or, with a
scheduler address, on Dask workers; only this process writes the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from pathlib import Path

import numpy as np

from memlab.theory.errors import InvalidInput

from .config import RunConfig, SweepConfig, resolve, sweep_table
from .executors import Progress, check_scheduler_address, job_executor
from .files import check_writable_directory, read_toml
from .jobs import train_job
from .keys import SHARED, Purpose, numpy_rng
from .provenance import training_provenance
from .store import RunStore, refuse_another_configuration
from .transition import (
    bootstrap_crossings,
    crossing,
    estimate_transition,
    isotonic_fit,
    pooled_counts,
    pooled_crossing,
)

__all__ = [
    "Point",
    "ConfigResult",
    "SweepResult",
    "run_sweep",
    "load_sweep",
    "refinement_M",
    "uncertain_M",
    "submission_order",
    "check_scheduler_address",
]


CLEAN_WINDOW = 0.4  # a clean step rises from 0.1 to 0.9 within this fraction of N


def _record(cls, data: dict, where: str, **nested):
    """``cls`` from its ``asdict`` form: a missing required field or an unknown (e.g. renamed) one
    is an error naming it, never a silently empty value; ``nested`` converts named fields."""
    known = {f.name: f for f in fields(cls)}
    for name in data:
        if name not in known:
            raise InvalidInput(f"{where}.{name}", "unknown field", ", ".join(known))
    for name, f in known.items():
        if name not in data and f.default is MISSING and f.default_factory is MISSING:
            raise InvalidInput(f"{where}.{name}", "missing", f"a field of {cls.__name__}")
    return cls(**{k: nested[k](v) if k in nested else v for k, v in data.items()})


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
    loss_gap_se: float | None = None  # SE of test_loss − train_loss over points (None: older runs)
    means_on_training_points: int | None = None
    means_on_true_means: int | None = None
    learned_s2: float | None = None
    failed: str | None = None
    checkpoints: list[dict] | None = None  # [{step, ratio, memorized, samples}]: a diagnostic


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
    M_pt_per_seed: list[float | None] = field(default_factory=list)  # each seed's own fit
    # Diagnostic, not a transition point of a shorter run: the pooled crossing of the ratios at
    # each intermediate checkpoint (the learning rate is still decaying there).
    checkpoint_M_pt: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class SweepResult:
    tier: str
    overrides: dict
    configs: list[ConfigResult]
    provenance: dict
    budget_runs: list[ConfigResult] = field(default_factory=list)  # the further step budgets

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict, where: str = "sweep") -> SweepResult:
        """The typed sweep of :meth:`to_dict` (as stored by ``memlab verify``)."""

        def config(i: int, c: dict) -> ConfigResult:
            def points(ps: list) -> list[Point]:
                return [
                    _record(Point, p, f"{where}.configs[{i}].points[{j}]") for j, p in enumerate(ps)
                ]

            return _record(ConfigResult, c, f"{where}.configs[{i}]", points=points)

        def configs(cs: list) -> list[ConfigResult]:
            return [config(i, c) for i, c in enumerate(cs)]

        return _record(cls, data, where, configs=configs, budget_runs=configs)


def _members_done(
    store: RunStore, sweep: SweepConfig, shape, Ms, seeds
) -> tuple[list[tuple[int, int]], list[str]]:
    ids = {(M, s): RunConfig.of(sweep, *shape, M, s).run_id for M in Ms for s in seeds}
    done = store.finished()
    return [key for key, run_id in ids.items() if run_id not in done], list(ids.values())


def _pooled_fit(points: list[Point]) -> tuple[list[Point], np.ndarray, np.ndarray] | None:
    """The points that trained, their distinct M and the monotone fit of the seeds' pooled ratios
    at those M; None with fewer than two distinct M."""
    good = [p for p in points if p.failed is None]
    if len({p.M for p in good}) < 2:
        return None
    Ms, k, n = pooled_counts(
        [p.M for p in good], [p.memorized for p in good], [p.samples for p in good]
    )
    return good, Ms, isotonic_fit(k / n, n)


def refinement_M(points: list[Point], count: int, N: int) -> list[int]:
    """``count`` integer M spread inside the pooled fit's 0.1–0.9 window (bracketed by measured M),
    new ones only."""
    pooled = _pooled_fit(points)
    if count == 0 or pooled is None:
        return []
    _, Ms, fit = pooled
    low, high = crossing(Ms, fit, 0.1), crossing(Ms, fit, 0.9)
    below = Ms[Ms <= (low if low is not None else Ms[0])]
    above = Ms[Ms >= (high if high is not None else Ms[-1])]
    lo, hi = int(below.max() if below.size else Ms[0]), int(above.min() if above.size else Ms[-1])
    candidates = np.unique(np.round(np.linspace(lo, hi, count + 2)[1:-1]).astype(int))
    return [int(M) for M in candidates if M not in set(Ms.tolist()) and 1 <= M <= 4 * N]


def uncertain_M(points: list[Point], count: int, N: int, rng: np.random.Generator) -> list[int]:
    """``count`` new integer M where the pooled monotone fit's 0.5 crossing is uncertain: the
    quantiles j/(count + 1) of its bootstrap replicates (training.transition step 4), topped up
    evenly inside the bracket of the crossing when they coincide. When the coarse pass does not
    bracket the crossing (the fit starts above 0.1 or never reaches 0.5), the new M extend the
    range instead: below the smallest measured M (down to 1) or above the largest (up to 4N)."""
    pooled = _pooled_fit(points)
    if count == 0 or pooled is None:
        return []
    good, Ms, fit = pooled
    existing = set(Ms.tolist())
    if fit[0] > 0.1:  # memorizing already at the smallest M: spread below it
        return _new(np.linspace(1, Ms[0], count + 2)[1:-1], existing, 1, 4 * N)
    if fit[-1] < 0.5:  # not yet memorizing at the largest: steps of N/10 above it
        return _new([Ms[-1] + (j + 1) * max(1, N // 10) for j in range(count)], existing, 1, 4 * N)
    replicates = bootstrap_crossings(
        np.array([p.M for p in good]),
        np.array([p.seed for p in good]),
        np.array([p.memorized for p in good]),
        np.array([p.samples for p in good]),
        rng,
    )
    replicates = replicates[np.isfinite(replicates)]
    quantiles = (
        np.quantile(replicates, np.arange(1, count + 1) / (count + 1)) if replicates.size else []
    )
    found = _new(quantiles, existing, 1, 4 * N)
    if len(found) < count:
        centre = crossing(Ms, fit, 0.5)
        lo = int(Ms[Ms <= centre].max()) if centre is not None else int(Ms[0])
        hi = int(Ms[Ms >= centre].min()) if centre is not None else int(Ms[-1])
        spread = np.linspace(lo, hi, count + 2)[1:-1]
        found = _new([*found, *spread], existing, 1, 4 * N)[:count]
    return found


def _new(candidates, existing: set[int], low: int, high: int) -> list[int]:
    """Rounded candidates within [low, high], neither measured nor repeated, in order."""
    found = []
    for value in candidates:
        M = int(np.clip(round(float(value)), low, high))
        if M not in existing and M not in found:
            found.append(M)
    return found


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
    seeds = list(range(sweep.seeds))
    per_seed = [_crossing_of([p for p in good if p.seed == seed]) for seed in seeds]
    steps = sorted({c["step"] for p in good for c in (p.checkpoints or [])})
    at_checkpoints = [
        {
            "step": step,
            "M_pt": _crossing_of(
                [
                    replace(p, memorized=c["memorized"], samples=c["samples"])
                    for p in good
                    for c in p.checkpoints or []
                    if c["step"] == step
                ]
            ),
        }
        for step in steps
    ]
    return ConfigResult(
        d,
        K,
        N,
        seeds,
        sweep.steps,
        M_pt,
        ci,
        window,
        clean,
        points,
        per_seed,
        at_checkpoints,
    )


def _crossing_of(points: list[Point]) -> float | None:
    if len({p.M for p in points}) < 2:
        return None
    return pooled_crossing(
        np.array([p.M for p in points]),
        np.array([p.memorized for p in points]),
        np.array([p.samples for p in points]),
    )


def submission_order(sweep: SweepConfig) -> list[tuple[tuple[int, int, int], int]]:
    """(shape, steps) in the order their coarse jobs are submitted: the costliest first (steps ×
    N² × d: a step's products grow with N columns times M ~ N widths times d), so that the
    shorter jobs fill in at the end."""
    work = [(shape, steps) for shape in sweep.shapes() for steps in sweep.budget_steps(shape)]
    return sorted(work, key=lambda item: -item[1] * item[0][2] ** 2 * item[0][0])


def run_sweep(
    tier: str,
    out: Path,
    config: Path | dict | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    wait: bool = False,
) -> SweepResult:
    """Run (or resume) the sweep of ``tier`` with the overrides in ``config`` (a TOML file or a
    dict), storing every run under ``out``; ``scheduler`` is a Dask scheduler address
    (``tcp://HOST:PORT``) or None (this machine: ``workers`` processes, 1 = this one).
    ``progress(done, total)`` counts training steps (the total grows when refinement starts).

    Everything is checked before any work: the configuration, ``out`` (a writable directory, no
    other writer: refused, or awaited with ``wait``; a store of another configuration is refused,
    so that its runs are never reported as this sweep's) and the scheduler (reachable)."""
    overrides = sweep_table(read_toml(config)) if isinstance(config, (str, Path)) else config
    sweep, applied = resolve(tier, overrides)
    if not isinstance(workers, int) or workers < 1:
        raise InvalidInput("workers", workers, "an integer >= 1")
    check_writable_directory(out)
    if scheduler is not None:
        check_scheduler_address(scheduler)
    # no more processes than coarse jobs (a one-job sweep runs here, without spawning)
    workers = min(workers, sweep.seeds * len(submission_order(sweep)))
    # Connect before the store exists: an unreachable scheduler leaves nothing behind.
    executor = job_executor(train_job, scheduler, workers, Progress(progress))
    try:
        store = RunStore(out, wait=wait)
    except BaseException:
        executor.close()
        raise
    try:
        refuse_another_configuration(store, asdict(sweep), out)
        store.set_meta("sweep", {"tier": tier, "overrides": applied, "config": asdict(sweep)})
        seeds = list(range(sweep.seeds))
        ids: dict[tuple, list[str]] = {}
        coarse_left: dict[tuple, int] = {}

        def launch(shape, steps, phase, Ms) -> int:
            variant = replace(sweep, steps=steps)
            submitted = 0
            for seed in seeds:
                todo, run_ids = _members_done(store, variant, shape, Ms, [seed])
                ids[shape, steps] = sorted(set(ids.get((shape, steps), []) + run_ids))
                if todo:
                    executor.submit((phase, shape, steps), steps, variant, *shape, todo)
                    submitted += 1
            store.set_meta(_config_key(shape, steps, sweep.steps), ids[shape, steps])
            return submitted

        def after_coarse(shape, steps):
            if sweep.M or sweep.refine == 0:
                return
            points = [
                _point(r.result)
                for r in store.read(with_arrays=False)
                if r.run_id in set(ids[shape, steps])
            ]
            if sweep.refine_at == "uncertain":
                rng = numpy_rng(
                    RunConfig.of(replace(sweep, steps=steps), *shape, 1, 0).training_hash,
                    0,
                    SHARED,
                    Purpose.PLACEMENT,
                )
                Ms = uncertain_M(points, sweep.refine, shape[2], rng)
            else:
                Ms = refinement_M(points, sweep.refine, shape[2])
            launch(shape, steps, "refine", Ms)

        for shape, steps in submission_order(sweep):
            coarse_left[shape, steps] = launch(shape, steps, "coarse", sweep.coarse(shape[2]))
            if not coarse_left[shape, steps]:
                after_coarse(shape, steps)
        for (phase, shape, steps), runs in executor.results():
            store.write(runs)
            if phase == "coarse":
                coarse_left[shape, steps] -= 1
                if not coarse_left[shape, steps]:
                    after_coarse(shape, steps)
        return _results_from_store(store, sweep)
    finally:
        executor.close()
        store.close()


def _config_key(shape, steps: int, main_steps: int) -> str:
    key = "config:{},{},{}".format(*shape)
    return key if steps == main_steps else f"{key}@{steps}"


def _results_from_store(store: RunStore, sweep: SweepConfig) -> SweepResult:
    """Points from the stored rows; M_pt, its interval and window are a deterministic fit to their
    counts."""
    meta = store.get_meta("sweep")
    rows = {r.run_id: r for r in store.read(with_arrays=False)}
    configs, budget_runs, recorded = [], [], {}
    for shape in sweep.shapes():
        for steps in sweep.budget_steps(shape):
            key = _config_key(shape, steps, sweep.steps)
            present = [rows[i] for i in store.get_meta(key, []) if i in rows]
            found = _config_result(
                replace(sweep, steps=steps), shape, [_point(r.result) for r in present]
            )
            (configs if steps == sweep.steps else budget_runs).append(found)
            recorded.update(
                {k: v for k, v in (present[0].provenance if present else {}).items() if k != "seed"}
            )
    return SweepResult(
        meta["tier"],
        meta["overrides"],
        configs,
        {**(recorded or training_provenance()), "tier": meta["tier"], "sweep": meta["config"]},
        budget_runs,
    )


def _tuples(value):
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


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
        sweep = SweepConfig(**{k: _tuples(v) for k, v in stored.items()})
        return _results_from_store(store, sweep)
    finally:
        store.close()
