r"""The four parametrisations of a denoiser, all derived from :math:`\hat x_0`.

With :math:`x_t = \alpha_t x_0 + \sigma_t\varepsilon` (docs/theory.md §3):

.. math::
    \hat\varepsilon = \frac{x_t - \alpha_t\hat x_0}{\sigma_t},\qquad
    \hat s = \nabla\log p_t \approx \frac{\alpha_t\hat x_0 - x_t}{\sigma_t^2},\qquad
    \hat v = \alpha_t\hat\varepsilon - \sigma_t\hat x_0,

and their targets :math:`\varepsilon`, :math:`-\varepsilon/\sigma_t`, :math:`\alpha_t\varepsilon -
\sigma_t x_0`. Every squared error is the :math:`x_0` one times ``theory.loss_conversion_factor``.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float

from memlab.theory.errors import InvalidInput
from memlab.theory.loss_units import PARAMETRIZATIONS

__all__ = ["PARAMETRIZATIONS", "from_x0", "target", "to_x0"]


def _check(parametrization: str) -> None:
    if parametrization not in PARAMETRIZATIONS:
        raise InvalidInput("parametrization", parametrization, ", ".join(PARAMETRIZATIONS))


def from_x0(
    parametrization: str,
    x0_hat: Float[np.ndarray, "n d"],
    x_t: Float[np.ndarray, "n d"],
    alpha: float,
    sigma: float,
) -> Float[np.ndarray, "n d"]:
    r"""The prediction in ``parametrization`` equivalent to :math:`\hat x_0`."""
    _check(parametrization)
    epsilon = (x_t - alpha * x0_hat) / sigma
    return {
        "x0": x0_hat,
        "epsilon": epsilon,
        "score": -epsilon / sigma,
        "v": alpha * epsilon - sigma * x0_hat,
    }[parametrization]


def to_x0(
    parametrization: str,
    prediction: Float[np.ndarray, "n d"],
    x_t: Float[np.ndarray, "n d"],
    alpha: float,
    sigma: float,
) -> Float[np.ndarray, "n d"]:
    r"""The :math:`\hat x_0` equivalent to a prediction in ``parametrization`` (inverse of
    :func:`from_x0`)."""
    _check(parametrization)
    if parametrization == "x0":
        return prediction
    if parametrization == "epsilon":
        return (x_t - sigma * prediction) / alpha
    if parametrization == "score":
        return (x_t + sigma**2 * prediction) / alpha
    # v = α ε − σ x0 and x_t = α x0 + σ ε  ⇒  x0 = (α x_t − σ v)/(α² + σ²).
    return (alpha * x_t - sigma * prediction) / (alpha**2 + sigma**2)


def target(
    parametrization: str,
    x0: Float[np.ndarray, "n d"],
    epsilon: Float[np.ndarray, "n d"],
    alpha: float,
    sigma: float,
) -> Float[np.ndarray, "n d"]:
    """The regression target of ``parametrization`` for clean data ``x0`` and noise ``epsilon``."""
    _check(parametrization)
    return {
        "x0": x0,
        "epsilon": epsilon,
        "score": -epsilon / sigma,
        "v": alpha * epsilon - sigma * x0,
    }[parametrization]
