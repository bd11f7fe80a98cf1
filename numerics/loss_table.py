r"""Measured per-time training losses of :math:`\theta_\star`, :math:`\theta_\text{mem}` and
:math:`\theta_{\text{pmem},M}` for a list of :math:`M`, and the crossover of eq. (14) read off them.

The partially memorizing subsets are nested: one permutation, and :math:`D_{\text{pmem},M}`
memorizes its first :math:`M` points (each subset is still uniform without replacement; nesting
makes the loss smooth in :math:`M`). All denoisers share the noise at each time. The noise draws are
split into ``subsets`` blocks, each with its own permutation (``stream(seed, "subset", s)``, block 0
from ``stream(seed, "subset")``), so the measurement averages over the draw of the memorized subset
as the closed forms do: at :math:`M \approx K` whether a cluster has no memorized point moves the
loss by more than the spread over training points, and every point of a training set shares that
draw, so the SE over points alone cannot see it (docs/theory.md §3). The ``"points"`` SE adds the
spread of the blocks' means within each training set.

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

UNITS = ("points", "draws", "sets")


@dataclass(frozen=True)
class LossTable:
    """Per-time training losses (x0 units, float64) of D⋆ (row 0), D_mem (row 1) and D_pmem,M (rows
    2…).

    ``per_draw`` (2+m, T, R) holds the per-noise-draw units, ``per_point`` (2+m, T, N) the per-point
    losses averaged over draws; means and SEs derive from them (``units="draws"``: noise SE for this
    training set and these subsets; ``"points"``: SE that also covers the draw of the training set
    and, with several subset blocks, of the memorized subset; ``"sets"``, for a pooled table: SE
    over the training sets' means, which does not lean on the per-point units of one set).
    ``subset_units`` gives the number of consecutive units of ``per_draw`` drawn with each memorized
    subset of one training set (empty: one subset for every unit); a pooled table repeats that
    pattern once per training set.
    """

    config: dict
    t: Float[np.ndarray, " T"]
    M: Int[np.ndarray, " m"]
    per_draw: Float[np.ndarray, "D T R"]
    per_point: Float[np.ndarray, "D T N"]
    subset_units: tuple[int, ...] = ()

    def _units(self, units: str) -> np.ndarray:
        if units not in UNITS:
            raise InvalidInput("units", units, ", ".join(UNITS))
        if units == "sets":
            seeds = self.config.get("seed")
            if not isinstance(seeds, list) or len(seeds) < 2:
                raise InvalidInput("units", units, "points or draws (sets: a pooled table)")
            return self.per_point.reshape(*self.per_point.shape[:2], len(seeds), -1).mean(-1)
        return self.per_draw if units == "draws" else self.per_point

    def _block_means(self, values: Float[np.ndarray, "k R"]) -> Float[np.ndarray, "k B"]:
        """Per-draw ``values`` averaged within each subset block (every training set's blocks in
        turn)."""
        sizes = self.subset_units * (values.shape[-1] // sum(self.subset_units))
        edges = np.cumsum((0,) + sizes)
        return np.stack(
            [values[:, a:b].mean(-1) for a, b in zip(edges[:-1], edges[1:], strict=True)], -1
        )

    def _subset_covariance(self, values: Float[np.ndarray, "k R"]) -> Float[np.ndarray, "k k"]:
        """The subset draw's share of the covariance of the mean of per-draw ``values``: the spread
        of the subset blocks' means about their training set's mean, pooled over training sets."""
        blocks = self._block_means(values).reshape(values.shape[0], -1, len(self.subset_units))
        tables, count = blocks.shape[1], blocks.shape[1] * blocks.shape[2]
        deviation = (blocks - blocks.mean(-1, keepdims=True)).reshape(values.shape[0], -1)
        return deviation @ deviation.T / (tables * (len(self.subset_units) - 1)) / count

    def _noise_covariance(self, values: Float[np.ndarray, "k R"]) -> Float[np.ndarray, "k k"]:
        """The covariance of the mean of per-draw ``values`` from the noise alone: the spread of
        the draws about their own subset block's mean (the blocks differ by their subsets too)."""
        means = self._block_means(values)
        sizes = np.array(self.subset_units * (values.shape[-1] // sum(self.subset_units)))
        deviation = values - np.repeat(means, sizes, axis=-1)
        return deviation @ deviation.T / (values.shape[-1] - sizes.size) / values.shape[-1]

    def moments(
        self,
        values_of: Callable[[np.ndarray], np.ndarray],
        units: str = "draws",
    ) -> tuple[Float[np.ndarray, " k"], Float[np.ndarray, "k k"]]:
        """Mean and covariance of the mean of a statistic linear in the losses:
        ``values_of`` maps a (2+m, T, units) array to the statistic per unit, (k, units)."""
        values = values_of(self._units(units))
        if units == "draws" and len(self.subset_units) > 1:
            return values.mean(-1), self._noise_covariance(values)
        covariance = np.atleast_2d(np.cov(values)) / values.shape[-1]
        if units == "points" and len(self.subset_units) > 1:
            # The per-point units see the same subsets; their spread leaves out the subset draw.
            # Both terms carry the noise, so the sum overstates it slightly (conservative).
            covariance = covariance + self._subset_covariance(values_of(self.per_draw))
        return values.mean(-1), covariance

    def _mean_se(self, values_of, units: str) -> tuple[np.ndarray, np.ndarray]:
        mean, covariance = self.moments(values_of, units)
        return mean, np.sqrt(np.diag(covariance))

    def loss(self, row: int, units: str = "draws") -> tuple[np.ndarray, np.ndarray]:
        """Mean and SE of the loss of denoiser ``row`` (0 generalizing, 1 memorizing, 2+j pmem
        M[j])."""
        return self._mean_se(lambda samples: samples[row], units)

    def difference(
        self, row: int, reference: int, units: str = "draws"
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mean and paired SE of loss(row) − loss(reference), per time (common random numbers)."""
        return self._mean_se(lambda samples: samples[row] - samples[reference], units)

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
        return self.per_draw[2:].mean(-1)

    @property
    def partially_memorizing_se(self) -> np.ndarray:
        se = [self.loss(2 + j)[1] for j in range(self.M.size)]
        return np.array(se).reshape(self.M.size, self.t.size)


def pooled_loss_table(tables: Sequence[LossTable]) -> LossTable:
    """One table over several training sets of the same configuration (one per seed): the
    per-point units of every set side by side, and likewise the per-draw units, so means average
    over the training sets and the ``"points"`` SE covers their draw. ``config["seed"]`` becomes the
    list of seeds."""
    first = tables[0]
    shared = {key: value for key, value in first.config.items() if key != "seed"}
    for table in tables[1:]:
        differing = [key for key, value in shared.items() if table.config[key] != value]
        if (
            differing
            or not np.array_equal(table.M, first.M)
            or table.t.shape != first.t.shape
            or table.subset_units != first.subset_units
        ):
            raise InvalidInput(
                "tables",
                differing or "M",
                "tables of one configuration, sizes, time grid and subset blocks",
            )
    return LossTable(
        {**shared, "seed": [table.config["seed"] for table in tables]},
        first.t,
        first.M,
        np.concatenate([table.per_draw for table in tables], axis=-1),
        np.concatenate([table.per_point for table in tables], axis=-1),
        first.subset_units,
    )


def default_model_sizes(N: int, count: int = 20) -> tuple[int, ...]:
    """``count`` model sizes evenly spaced up to ``N``: N/count, 2N/count, …, N (rounded,
    distinct)."""
    return tuple(sorted({max(1, round(N * k / count)) for k in range(1, count + 1)}))


MEMORIZED_SUBSETS = 10
"""Subset blocks of a loss table with partially memorizing denoisers (fewer when there are fewer
than 2 units per block): 10 gives the subset draw's SE 9 degrees of freedom."""


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
    subsets: int | None = None,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> LossTable:
    """Measured training losses of θ⋆, θ_mem and θ_pmem,M (each M in ``Ms``, sorted and deduplicated
    into ``LossTable.M``) on the 26-point grid, the draws split over ``subsets`` memorized subsets
    (default :data:`MEMORIZED_SUBSETS`, at least 2 units each; 1 without ``Ms``)."""
    Ms = default_model_sizes(N) if Ms is None else tuple(sorted({int(M) for M in Ms}))
    if any(not 1 <= M <= N for M in Ms):
        raise InvalidInput("Ms", Ms, f"integers in [1, N = {N}]")
    units = draws // 2 if antithetic else draws
    if subsets is None:
        subsets = max(1, min(MEMORIZED_SUBSETS, units // 2)) if Ms else 1
    if not 1 <= subsets <= max(1, units // 2):
        raise InvalidInput("subsets", subsets, f"an integer in [1, {max(1, units // 2)}]")
    data = make_dataset(d, K, N, sigma2, seed)
    grid = numeric_time_grid(schedule)
    fixed = [generalizing_denoiser(data.mixture), memorizing_denoiser(data.train)]
    block_units = tuple(int(b.size) for b in np.array_split(np.arange(units), subsets))
    blocks = []
    for s, size in enumerate(block_units):
        order = stream(seed, "subset", *((s,) if s else ())).permutation(N)
        nested = [NestedMemorizingDenoisers(data.train[order], Ms)] if Ms else []
        blocks.append(
            per_draw_losses(
                fixed + nested,
                data.train,
                grid,
                size * (2 if antithetic else 1),
                seed,
                antithetic=antithetic,
                workers=workers,
                purpose="loss-noise" + (f"/subset-{s}" if s else ""),
                progress=block_progress(progress, s, subsets),
            )
        )
    config = {
        "d": d,
        "K": K,
        "N": N,
        "seed": seed,
        "draws": draws,
        "subsets": subsets,
        "sigma2": sigma2,
        "schedule": grid.schedule,
        "antithetic": antithetic,
    }
    return LossTable(
        config,
        grid.t,
        np.array(Ms),
        np.concatenate([block.per_draw for block in blocks], axis=-1),
        sum(block.per_point * size for block, size in zip(blocks, block_units, strict=True))
        / units,
        block_units if subsets > 1 else (),
    )


def block_progress(
    progress: Callable[[int, int], None] | None, block: int, blocks: int
) -> Callable[[int, int], None] | None:
    """Progress of block ``block`` of ``blocks`` equal ones (subsets, training sets) as progress
    over them all."""
    if progress is None:
        return None
    return lambda done, total: progress(block * total + done, blocks * total)


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
    order = np.argsort(sizes, kind="stable")
    selected = np.asarray(rows)[order]
    sizes = np.asarray(sizes, np.float64)[order]

    def F(samples: np.ndarray) -> np.ndarray:
        # Σ_t λ_t (pmem − generalizing) per unit; shape (sizes, units).
        return np.einsum("t,mtu->mu", weights, samples[selected] - samples[0][None])

    mean, covariance = table.moments(F, units)
    units_count = table._units(units).shape[-1]
    found = falling_root(sizes, mean)
    if not found.bracketed[0]:
        return CrossoverEstimate(np.nan, np.nan, units_count, False, float(found.bound[0] / N))
    a = int(found.lower[0])
    covariance = covariance[a : a + 2, a : a + 2]
    gradient = found.gradient[0]
    se = float(np.sqrt(gradient @ covariance @ gradient))
    return CrossoverEstimate(float(found.root[0] / N), se / N, units_count)
