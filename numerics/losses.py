r"""Monte Carlo estimators of the per-time losses :math:`\mathcal L_{N,t}` of any denoiser.

.. math::
    \mathcal L_{N,t}(D) = \frac1N\sum_{i=1}^N \mathbb E_\varepsilon
    \big\|D(\alpha_t x_i + \sigma_t\varepsilon, t) - x_i\big\|^2

(docs/theory.md §3, :math:`x_0` units, summed over coordinates); on the training points it is the
training loss, on held-out points the test loss. A *unit* is one noise draw for every point,
:math:`\ell_r = \frac1N\sum_i\|D(\alpha_t x_i + \sigma_t\varepsilon_{ir}) - x_i\|^2`; the units are
i.i.d. given the points, so the estimate is their mean with SE :math:`s/\sqrt R` (the noise SE, for
the realised training set). The per-point losses :math:`u_i = \frac1R\sum_r\|\cdot\|^2` are (nearly)
i.i.d. over the training points, so their SE :math:`s_u/\sqrt N` also covers the draw of the
training set itself: the right error bar when a measurement is compared with a closed form that
averages over training sets (the points of :math:`D_\text{mem}` interact weakly, which this
ignores). With ``antithetic=True`` a unit is the average over the pair :math:`\pm\varepsilon`. All
denoisers see the same noise at a time (common random numbers), so differences of their losses have
small SEs (:func:`numerics.estimate.paired_difference`). Noise for grid time ``i`` comes from
``stream(seed, "loss-noise", i)`` and is drawn in chunks of whole units, so the numbers do not
depend on the chunk size and memory stays below ``memory_bytes``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from jaxtyping import Float

from memlab.theory.errors import InvalidInput

from .rng import stream
from .schedule import TimeGrid

__all__ = ["Denoiser", "LossSamples", "per_draw_losses", "DEFAULT_MEMORY_BYTES"]

Denoiser = Callable[[np.ndarray, float, float], np.ndarray]
"""Any ``D(x_t, alpha, sigma) -> x0_hat`` on an (n, d) batch; it may return a stack (k, n, d) of k
predictions (several denoisers evaluated together), which count as k denoisers."""

DEFAULT_MEMORY_BYTES = 32 * 2**20


@dataclass(frozen=True)
class LossSamples:
    """Per-unit losses ``per_draw`` (denoisers, times, units) and per-point losses ``per_point``
    (denoisers, times, points; averaged over the draws) of the same Monte Carlo run."""

    per_draw: Float[np.ndarray, "D T R"]
    per_point: Float[np.ndarray, "D T N"]


def _chunk_units(
    n_points: int, d: int, denoisers: Sequence[Denoiser], antithetic: bool, memory_bytes: int
) -> int:
    # Per unit: noise, x_t and errors (n·d each), the widest (n, M) logits and its softmax copy, and
    # the stacked outputs; doubled for ± pairs. Plain callables count as one output of width
    # n_points.
    width = max(getattr(denoiser, "width", n_points) for denoiser in denoisers)
    outputs = max(getattr(denoiser, "outputs", 1) for denoiser in denoisers)
    per_unit = 8 * n_points * (3 * width + (outputs + 3) * d) * (2 if antithetic else 1)
    return max(1, memory_bytes // per_unit)


def _losses_at_time(
    denoisers: Sequence[Denoiser],
    points: np.ndarray,
    alpha: float,
    sigma: float,
    rng: np.random.Generator,
    units: int,
    chunk: int,
    antithetic: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-unit (denoisers, units) and per-point (denoisers, N) losses at one time."""
    n_points, d = points.shape
    signs = (1.0, -1.0) if antithetic else (1.0,)
    per_draw, per_point = [], []
    for start in range(0, units, chunk):
        noise = rng.standard_normal((min(chunk, units - start), n_points, d))
        squared = []  # one (units_in_chunk, N) block per denoiser output
        for denoiser in denoisers:
            paired = 0.0
            for sign in signs:
                x_t = (alpha * points[None] + sign * sigma * noise).reshape(-1, d)
                prediction = denoiser(x_t, alpha, sigma)
                stack = prediction.reshape(-1, *noise.shape) - points[None, None]
                paired = paired + np.einsum("kuni,kuni->kun", stack, stack) / len(signs)
            squared.extend(paired)
        squared = np.stack(squared)
        per_draw.append(squared.mean(axis=2))
        per_point.append(squared.sum(axis=1))
    return np.concatenate(per_draw, axis=1), sum(per_point) / units


def per_draw_losses(
    denoisers: Sequence[Denoiser],
    points: Float[np.ndarray, "N d"],
    grid: TimeGrid,
    draws: int,
    seed: int = 0,
    *,
    antithetic: bool = False,
    times: Sequence[int] | None = None,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
    workers: int = 2,
    purpose: str = "loss-noise",
    progress: Callable[[int, int], None] | None = None,
) -> LossSamples:
    r"""Per-unit and per-point losses of each denoiser at each grid time (indices ``times``, default
    all).

    ``per_draw`` has shape (outputs, times, units): outputs counts every prediction (a stacked
    denoiser counts as several); units = ``draws`` (``draws/2`` antithetic pairs when
    ``antithetic``). ``memory_bytes`` bounds the working set of one time (``workers`` times run at
    once, in threads: numpy releases the GIL in its kernels). A denoiser may declare ``width``
    (components) and ``outputs`` for the memory bound.
    """
    if draws < 2 or (antithetic and (draws < 4 or draws % 2)):
        raise InvalidInput(
            "draws", draws, "an integer >= 2 (an even integer >= 4 with antithetic pairs)"
        )
    points = np.asarray(points, np.float64)
    n_points, d = points.shape
    times = list(range(grid.t.size)) if times is None else list(times)
    units = draws // 2 if antithetic else draws
    chunk = _chunk_units(n_points, d, denoisers, antithetic, memory_bytes)

    def at_time(i: int) -> tuple[np.ndarray, np.ndarray]:
        return _losses_at_time(
            denoisers,
            points,
            float(grid.alpha[i]),
            float(grid.sigma[i]),
            stream(seed, purpose, i),
            units,
            chunk,
            antithetic,
        )

    results = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for done, result in enumerate(pool.map(at_time, times), start=1):
            results.append(result)
            if progress is not None:
                progress(done, len(times))
    return LossSamples(
        np.stack([r[0] for r in results], axis=1), np.stack([r[1] for r in results], axis=1)
    )
