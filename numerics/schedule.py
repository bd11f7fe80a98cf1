r"""The noise schedule as float64 arrays: :math:`t`, :math:`\alpha_t`, :math:`\sigma_t` on the time
grid.

The numbers come from the symbolic schedules of :mod:`theory` (``theory.to_numpy``), never from
re-typed formulas, so a schedule defined once in ``theory/`` is the one measured here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Float

from memlab import theory

__all__ = ["TimeGrid", "numeric_time_grid"]


@dataclass(frozen=True)
class TimeGrid:
    """Grid times with the schedule's :math:`\\alpha_t`, :math:`\\sigma_t` and SNR
    :math:`\\psi_t`."""

    schedule: str
    t: Float[np.ndarray, " T"]
    alpha: Float[np.ndarray, " T"]
    sigma: Float[np.ndarray, " T"]

    @property
    def snr(self) -> Float[np.ndarray, " T"]:
        return self.alpha**2 / self.sigma**2


def numeric_time_grid(schedule: str | theory.Schedule = "vp", points: int = 26) -> TimeGrid:
    """The paper's grid (``theory.grid_times``) with the named schedule evaluated in float64."""
    schedule = theory.get_schedule(schedule)
    t = np.array([float(time) for time in theory.grid_times(points)], dtype=np.float64)

    def on_grid(expression) -> np.ndarray:
        # A constant expression (VE: alpha = 1) lambdifies to a scalar: broadcast it.
        return np.broadcast_to(
            np.asarray(theory.to_numpy(expression, ["t"])(t), np.float64), t.shape
        ).copy()

    return TimeGrid(schedule.name, t, on_grid(schedule.alpha), on_grid(schedule.sigma))
