r"""Float64 round-off bounds of the two denoiser evaluations that Lemma 2.1's identities compare
(docs/theory.md §2): the margin of an exact identity is the arithmetic's own error, derived here
from the operations, never fitted.

Standard model: every operation :math:`\circ` returns :math:`(a\circ b)(1+\delta)`,
:math:`|\delta|\le u = 2^{-53}`; a sum of :math:`n` terms errs by at most :math:`\gamma_n\sum|a_i|`,
:math:`\gamma_n = nu/(1-nu)`. The bounds are first order in :math:`u` (the neglected terms are
:math:`O(d^2u^2) < 10^{-25}` relative). Notation per row :math:`x` of ``x_t``:
:math:`v = \alpha^2 s^2 + \sigma^2`, :math:`\mu = \max_{k,i}|m_{ki}|`, :math:`\|x\|_\infty`, and
:math:`\lambda = \max_k` (bound on the error of logit :math:`k`).

**Posterior mean through the matrix product** (:class:`numerics.denoisers.MixtureDenoiser`):
logits :math:`\ell_k = (\alpha\,x\cdot m_k - \alpha^2\|m_k\|^2/2)/v`, each a length-:math:`d` dot
product and a half norm, scaled: :math:`|\delta\ell_k|\le\gamma_{d+5}(\alpha\|x\|\|m_k\| +
\alpha^2\|m_k\|^2/2)/v` (the :math:`+5`: the subtraction, the division and the shift by the
largest logit). The weights :math:`e^{\ell_k-\ell_\max}` then err relatively by
:math:`2\lambda + u`, and the weighted mean :math:`\bar m = \sum_k w_km_k/\sum_kw_k` by at most
:math:`(4\lambda + \gamma_{2M+5})\mu` per coordinate (numerator and denominator, each a sum of
:math:`M` terms). The output :math:`(\alpha s^2/v)x + (\sigma^2/v)\bar m` adds :math:`\gamma_4` of
its two terms:

.. math::
    |\delta D|_\infty \le \gamma_4\Big(\frac{\alpha s^2}{v}\|x\|_\infty + \frac{\sigma^2}{v}\mu\Big)
    + \frac{\sigma^2}{v}(4\lambda + \gamma_{2M+5})\,\mu.

**Tweedie's form through the score** (:func:`numerics.score.tweedie_denoiser`): squared distances
:math:`\|x-\alpha m_k\|^2` err by :math:`\gamma_{d+3}(\|x\| + \alpha\|m_k\|)^2` (the differences
round absolutely, by :math:`u(|x_i| + \alpha|m_{ki}|)`), so the log-components
:math:`-\|x-\alpha m_k\|^2/(2v) + c` err by
:math:`\lambda' \le \gamma_{d+5}(\|x\|+\alpha\|m_k\|)^2/(2v) + u|c|`
(the constant :math:`c` is one number added to every :math:`k`; its own error cancels in the
softmax). The softmax and the weighted mean err by :math:`(4\lambda' + \gamma_{M+6})\mu`, the score
:math:`(\alpha\bar m - x)/v` adds :math:`\gamma_3(\alpha\mu + \|x\|_\infty)/v`, and
:math:`(x + \sigma^2\,\text{score})/\alpha` adds
:math:`\gamma_3(\|x\|_\infty + \sigma^2|\text{score}|)/\alpha`:

.. math::
    |\delta D|_\infty \le \frac{\sigma^2}{v}(4\lambda' + \gamma_{M+6})\mu
    + \frac{\gamma_3}{\alpha}\Big(\frac{2\sigma^2}{v}(\alpha\mu + \|x\|_\infty) + \|x\|_\infty\Big).

The division by :math:`\alpha_t` makes this path ill-conditioned at the noisiest times: the bound
grows as :math:`u\|x\|_\infty/\alpha_t` there, as the measured residual does.
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float

__all__ = ["UNIT_ROUNDOFF", "gamma", "mixture_denoiser_roundoff", "tweedie_denoiser_roundoff"]

UNIT_ROUNDOFF = 2.0**-53
"""float64's unit round-off :math:`u`."""


def gamma(n: int) -> float:
    r""":math:`\gamma_n = nu/(1 - nu)`: the relative error bound of a sum of ``n`` terms."""
    return n * UNIT_ROUNDOFF / (1 - n * UNIT_ROUNDOFF)


def _norms(x: np.ndarray, means: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """‖x‖ (n,), ‖x‖∞ (n,), ‖m_k‖ (M,) and μ = max |m_ki|."""
    return (
        np.sqrt((x**2).sum(1)),
        np.abs(x).max(1),
        np.sqrt((means**2).sum(1)),
        float(np.abs(means).max()),
    )


def mixture_denoiser_roundoff(
    x_t: Float[np.ndarray, "n d"],
    means: Float[np.ndarray, "M d"],
    s2: float,
    alpha: float,
    sigma: float,
) -> Float[np.ndarray, " n"]:
    """Per row, a bound on the float64 error (max over coordinates) of
    ``MixtureDenoiser(means, s2)(x_t, alpha, sigma)`` (module docstring)."""
    M, d = means.shape
    v = alpha**2 * s2 + sigma**2
    x_norm, x_max, m_norm, mu = _norms(x_t, means)
    logit = gamma(d + 5) * (alpha * np.outer(x_norm, m_norm) + alpha**2 * m_norm**2 / 2) / v
    lam = logit.max(1)
    return (
        gamma(4) * (alpha * s2 / v * x_max + sigma**2 / v * mu)
        + sigma**2 / v * (4 * lam + gamma(2 * M + 5)) * mu
    )


def tweedie_denoiser_roundoff(
    x_t: Float[np.ndarray, "n d"],
    means: Float[np.ndarray, "M d"],
    s2: float,
    alpha: float,
    sigma: float,
) -> Float[np.ndarray, " n"]:
    """Per row, a bound on the float64 error (max over coordinates) of
    ``numerics.score.tweedie_denoiser(x_t, means, s2, alpha, sigma)`` (module docstring)."""
    M, d = means.shape
    v = alpha**2 * s2 + sigma**2
    x_norm, x_max, m_norm, mu = _norms(x_t, means)
    constant = abs(0.5 * d * np.log(2 * np.pi * v)) + np.log(M)
    logit = (
        gamma(d + 5) * (x_norm[:, None] + alpha * m_norm[None, :]) ** 2 / (2 * v)
        + UNIT_ROUNDOFF * constant
    )
    lam = logit.max(1)
    weighted = sigma**2 / v * (4 * lam + gamma(M + 6)) * mu
    return weighted + gamma(3) / alpha * (2 * sigma**2 / v * (alpha * mu + x_max) + x_max)
