r"""The crossover root of eq. (14) between measured model sizes: the first size where a falling
function :math:`h(M)` (weighted excess loss of :math:`\theta_{\text{pmem},M}` over
:math:`\theta_\star`) changes sign from :math:`> 0` to :math:`\le 0`, by linear interpolation in the
bracket :math:`[x_a, x_{a+1}]`:

.. math::
    x^\star = x_a + (x_{a+1} - x_a)\,\frac{h_a}{h_a - h_{a+1}},\qquad
    \frac{\partial x^\star}{\partial(h_a, h_{a+1})}
      = \frac{x_{a+1} - x_a}{(h_a - h_{a+1})^2}\,(-h_{a+1},\ h_a).

Where :math:`h` never falls through 0 on the measured sizes the root is *not bracketed*: ``root`` is
NaN and ``bound`` names the end of the measured range the root lies beyond (the smallest size when
:math:`h \le 0` there, else the largest). Nothing is extrapolated; each caller decides what an
unbracketed root means for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from jaxtyping import Bool, Float, Int

from memlab.theory.errors import InvalidInput

__all__ = ["LinearRoot", "falling_root"]


@dataclass(frozen=True)
class LinearRoot:
    """Per row: the interpolated root (NaN where not bracketed), the bracket's lower index, whether
    it is bracketed, the measured end the root lies beyond where it is not, and the root's gradient
    in :math:`(h_a, h_{a+1})` (0 where not bracketed)."""

    root: Float[np.ndarray, " n"]
    lower: Int[np.ndarray, " n"]
    bracketed: Bool[np.ndarray, " n"]
    bound: Float[np.ndarray, " n"]
    gradient: Float[np.ndarray, "n 2"]


def falling_root(sizes: Float[np.ndarray, "n m"], h: Float[np.ndarray, "n m"]) -> LinearRoot:
    """The first root of ``h`` (falling through 0) along increasing ``sizes``, row by row."""
    sizes, h = (
        np.atleast_2d(np.asarray(sizes, np.float64)),
        np.atleast_2d(np.asarray(h, np.float64)),
    )
    if sizes.shape != h.shape or sizes.shape[1] < 2:
        raise InvalidInput(
            "sizes", sizes.shape, f"at least 2 sizes per row, the shape of h {h.shape}"
        )
    falls = (h[:, :-1] > 0) & (h[:, 1:] <= 0)
    bracketed = falls.any(axis=1)
    lower = np.where(bracketed, np.argmax(falls, axis=1), 0)
    rows = np.arange(h.shape[0])
    h_a, h_b = h[rows, lower], h[rows, lower + 1]
    width = sizes[rows, lower + 1] - sizes[rows, lower]
    # h_a > 0 >= h_b in a bracket, so the denominator is positive there; 1 elsewhere avoids 0/0.
    denominator = np.where(bracketed, h_a - h_b, 1.0)
    root = np.where(bracketed, sizes[rows, lower] + width * h_a / denominator, np.nan)
    gradient = np.where(
        bracketed[:, None], np.stack([-h_b, h_a], axis=1) * (width / denominator**2)[:, None], 0.0
    )
    bound = np.where(h[:, 0] <= 0, sizes[:, 0], sizes[:, -1])
    return LinearRoot(root, lower, bracketed, bound, gradient)
