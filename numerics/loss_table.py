r"""Measured per-time training losses of :math:`\theta_\star`, :math:`\theta_\text{mem}` and
:math:`\theta_{\text{pmem},M}` for a list of :math:`M`, and the crossover of eq. (14) read off them.

The partially memorizing subsets are nested: one permutation from ``stream(seed, "subset")``, and
:math:`D_{\text{pmem},M}` memorizes its first :math:`M` points (each subset is still uniform without
replacement; nesting makes the loss smooth in :math:`M`). All denoisers share the noise at each
time.

Eq. (14) from measured losses (docs/theory.md §4): the crossover :math:`M^\star` is the root in
:math:`M` of

.. math::
    F(M) = \sum_t \lambda(t)\,\big[\mathcal L_{N,t}(\theta_{\text{pmem},M})
      - \mathcal L_{N,t}(\theta_\star)\big],

found by linear interpolation between the first pair of measured sizes where :math:`F` falls through
0 (:func:`numerics.crossover_root.falling_root`; :math:`D_{\text{pmem},N} = D_\text{mem}`, so
:math:`M = N` is always on the list), with the SE by the delta method from the joint covariance of
:math:`(F(M_a), F(M_b))` over paired units. A root the measured sizes do not bracket is reported as
such (NaN, ``bracketed=False``), never extrapolated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from jaxtyping import Float, Int

from memlab import theory
from memlab.theory.errors import InvalidInput

from .crossover_root import falling_root
from .data import make_dataset
from .denoisers import NestedMemorizingDenoisers, generalizing_denoiser, memorizing_denoiser
from .estimate import Estimate
from .losses import per_draw_losses
from .rng import stream
from .schedule import numeric_time_grid

__all__ = [
    "CrossoverEstimate",
    "LossTable",
    "pooled_loss_table",
    "default_model_sizes",
    "per_time_losses",
    "measured_crossover_ratio",
]

UNITS = ("points", "draws")


@dataclass(frozen=True)
class LossTable:
    """Per-time training losses (x0 units, float64) of D⋆ (row 0), D_mem (row 1) and D_pmem,M (rows
    2…).

    ``per_draw`` (2+m, T, R) holds the per-noise-draw units, ``per_point`` (2+m, T, N) the per-point
    losses averaged over draws; means and SEs derive from them (``units="draws"``: noise SE for this
    training set and subset; ``"points"``: SE that also covers the draw of the training set).
    """

    config: dict
    t: Float[np.ndarray, " T"]
    M: Int[np.ndarray, " m"]
    per_draw: Float[np.ndarray, "D T R"]
    per_point: Float[np.ndarray, "D T N"]

    def _units(self, units: str) -> np.ndarray:
        if units not in UNITS:
            raise InvalidInput("units", units, ", ".join(UNITS))
        return self.per_draw if units == "draws" else self.per_point

    def _mean_se(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return rows.mean(-1), rows.std(-1, ddof=1) / np.sqrt(rows.shape[-1])

    def loss(self, row: int, units: str = "draws") -> tuple[np.ndarray, np.ndarray]:
        """Mean and SE of the loss of denoiser ``row`` (0 generalizing, 1 memorizing, 2+j pmem
        M[j])."""
        return self._mean_se(self._units(units)[row])

    def difference(
        self, row: int, reference: int, units: str = "draws"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mean and paired SE of loss(row) − loss(reference), per time (common random numbers)."""
        samples = self._units(units)
        return self._mean_se(samples[row] - samples[reference])

    @property
    def generalizing(self) -> np.ndarray:
        return self.loss(0)[0]

    @property
    def generalizing_se(self) -> np.ndarray:
        return self.loss(0)[1]

    @property
    def memorizing(self) -> np.ndarray:
        return self.loss(1)[0]

    @property
    def memorizing_se(self) -> np.ndarray:
        return self.loss(1)[1]

    @property
    def partially_memorizing(self) -> np.ndarray:
        return self._mean_se(self.per_draw[2:])[0]

    @property
    def partially_memorizing_se(self) -> np.ndarray:
        return self._mean_se(self.per_draw[2:])[1]


def pooled_loss_table(tables: Sequence[LossTable]) -> LossTable:
    """One table over several training sets of the same configuration (one per seed): the
    per-point units of every set side by side, and likewise the per-draw units, so means average
    over the training sets and the ``"points"`` SE covers their draw. ``config["seed"]`` becomes the
    list of seeds."""
    first = tables[0]
    shared = {key: value for key, value in first.config.items() if key != "seed"}
    for table in tables[1:]:
        differing = [key for key, value in shared.items() if table.config[key] != value]
        if differing or not np.array_equal(table.M, first.M) or table.t.shape != first.t.shape:
            raise InvalidInput(
                "tables", differing or "M", "tables of one configuration, sizes and time grid"
            )
    return LossTable(
        {**shared, "seed": [table.config["seed"] for table in tables]},
        first.t,
        first.M,
        np.concatenate([table.per_draw for table in tables], axis=-1),
        np.concatenate([table.per_point for table in tables], axis=-1),
    )


def default_model_sizes(N: int, count: int = 20) -> tuple[int, ...]:
    """``count`` model sizes evenly spaced up to ``N``: N/count, 2N/count, …, N (rounded,
    distinct)."""
    return tuple(sorted({max(1, round(N * k / count)) for k in range(1, count + 1)}))


def per_time_losses(
    d: int,
    K: int,
    N: int,
    Ms: Sequence[int] | None = None,
    seed: int = 0,
    draws: int = 100,
    *,
    sigma2: float = 1.0,
    schedule: str = "vp",
    antithetic: bool = False,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> LossTable:
    """Measured training losses of θ⋆, θ_mem and θ_pmem,M (each M in ``Ms``, sorted and deduplicated
    into ``LossTable.M``) on the 26-point grid."""
    Ms = default_model_sizes(N) if Ms is None else tuple(sorted({int(M) for M in Ms}))
    if any(not 1 <= M <= N for M in Ms):
        raise InvalidInput("Ms", Ms, f"integers in [1, N = {N}]")
    data = make_dataset(d, K, N, sigma2, seed)
    grid = numeric_time_grid(schedule)
    order = stream(seed, "subset").permutation(N)
    denoisers = [generalizing_denoiser(data.mixture), memorizing_denoiser(data.train)]
    if Ms:
        denoisers.append(NestedMemorizingDenoisers(data.train[order], Ms))
    samples = per_draw_losses(
        denoisers,
        data.train,
        grid,
        draws,
        seed,
        antithetic=antithetic,
        workers=workers,
        progress=progress,
    )
    config = {
        "d": d,
        "K": K,
        "N": N,
        "seed": seed,
        "draws": draws,
        "sigma2": sigma2,
        "schedule": grid.schedule,
        "antithetic": antithetic,
    }
    return LossTable(config, grid.t, np.array(Ms), samples.per_draw, samples.per_point)


def _grid_weights(weighting: str | theory.Weighting, table: LossTable) -> np.ndarray:
    return np.array(_weights_on_grid(weighting, table.config["schedule"], table.t.size))


@lru_cache(maxsize=64)
def _weights_on_grid(
    weighting: str | theory.Weighting, schedule: str, size: int
) -> tuple[float, ...]:
    # Exact weights cost ~0.3 s (sympy); the paper's grid reads the same three 192 times.
    weighting = theory.get_weighting(weighting)
    if weighting.is_continuous:
        raise InvalidInput(
            "weighting", weighting.name, "a weighting on the grid (uniform, snr, power:γ, values)"
        )
    grid = theory.grid_times(size)
    return tuple(float(w) for w in weighting.on_grid(theory.get_schedule(schedule), grid))


@dataclass(frozen=True)
class CrossoverEstimate(Estimate):
    """:math:`M^\\star/N` with its SE; where the root is not bracketed by the measured sizes,
    ``mean`` and ``se`` are NaN, ``bracketed`` is False and ``bound`` is the measured :math:`M/N` it
    lies beyond."""

    bracketed: bool = True
    bound: float | None = None

    def to_dict(self) -> dict:
        if not self.bracketed:
            return {
                "mean": None,
                "se": None,
                "n": int(self.n),
                "bracketed": False,
                "bound": float(self.bound),
            }
        return {**super().to_dict(), "bracketed": True, "bound": None}


def measured_crossover_ratio(
    table: LossTable, weighting: str | theory.Weighting = "uniform", units: str = "points"
) -> CrossoverEstimate:
    r"""Eq. (14) from measured losses: :math:`M^\star/N` (root of :math:`F`) with its delta-method
    SE; NaN and ``bracketed=False`` where :math:`F` does not fall through 0 on the measured
    sizes."""
    N = table.config["N"]
    sizes, rows = list(table.M), [2 + j for j in range(table.M.size)]
    if N not in sizes:  # D_pmem,N is D_mem
        sizes, rows = sizes + [N], rows + [1]
    if len(sizes) < 2:
        raise InvalidInput("Ms", table.M.tolist(), "at least one size below N")
    weights = _grid_weights(weighting, table)
    samples = table._units(units)
    order = np.argsort(sizes, kind="stable")
    sizes = np.asarray(sizes, np.float64)[order]
    # F per unit: Σ_t λ_t (pmem − generalizing), units along the last axis; shape (sizes, units).
    F = np.einsum("t,mtu->mu", weights, samples[np.asarray(rows)[order]] - samples[0][None])
    found = falling_root(sizes, F.mean(1))
    if not found.bracketed[0]:
        return CrossoverEstimate(np.nan, np.nan, int(F.shape[1]), False, float(found.bound[0] / N))
    a = int(found.lower[0])
    covariance = np.cov(F[[a, a + 1]]) / F.shape[1]
    gradient = found.gradient[0]
    se = float(np.sqrt(gradient @ covariance @ gradient))
    return CrossoverEstimate(float(found.root[0] / N), se / N, int(F.shape[1]))
