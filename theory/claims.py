r"""The claims the toolkit verifies, as the paper states them (reconstructed where marked).

A :class:`Claim` holds what the theory says: an id, where it is in the paper, its statement in
LaTeX, its assumptions (:mod:`theory.assumptions`) and its symbolic expression. The numerics,
training and verification layers attach estimators, tolerances and figures to these ids; they never
change them.

The closed forms and assumptions that involve time are written in :math:`\alpha_t, \sigma_t, \psi_t`
of a schedule: :data:`THEORY_CLAIMS` reads them on VP (the paper's), and
``get_claim(claim_id, schedule)`` on any schedule of :data:`theory.SCHEDULES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from . import assumptions as A
from .errors import InvalidInput
from .generalizing import generalizing_excess_loss
from .low_rank import low_rank_generalizing_excess, low_rank_memorizing_negligible
from .nearest_neighbour import asymptotic_nearest_neighbour_distance
from .partial_memorization import partially_memorizing_excess_loss
from .schedules import VP, Schedule, get_schedule
from .symbols import C, sigma2, t

__all__ = ["Claim", "THEORY_CLAIMS", "get_claim"]


@dataclass(frozen=True)
class Claim:
    """One statement of the paper."""

    id: str
    title: str
    location: str
    statement: str
    assumptions: tuple[A.Assumption, ...]
    expression: sp.Basic | None
    reconstructed: bool = True


def _tweedie(schedule: Schedule) -> sp.Basic:
    x = sp.Symbol("x")
    score = sp.Function(r"\nabla\log p_t")(x)
    denoiser = sp.Function(r"D_\star")(x, t)
    return sp.Eq(denoiser, (x + schedule.sigma**2 * score) / schedule.alpha)


def _memorization_criterion() -> sp.Basic:
    d1, d2 = sp.symbols("d_1 d_2", nonnegative=True)
    return sp.Lt(d1**2, d2**2 / 9)


def _crossover_formula(schedule: Schedule) -> sp.Basic:
    weighting = sp.Function(r"\lambda")(t)
    return sp.Eq(
        sp.Symbol("M^*/N"),
        1
        - sp.Integral(weighting / (1 + schedule.snr * sigma2), t) / (C * sp.Integral(weighting, t)),
    )


_CORE = (A.polynomial_sample_size(), A.separated_means(), A.unit_order_variance())


@cache
def _claims_on(schedule: Schedule) -> dict[str, Claim]:
    """Every claim with its time-dependent closed form and assumptions read on ``schedule``."""
    negligible = A.memorizing_loss_negligible(schedule=schedule)
    claims = (
        Claim(
            "lem-2.1",
            "The generalizing denoiser is the MMSE denoiser and a model-class member",
            "§2, Lemma 2.1",
            r"D_\star(x, t) = \mathbb E_{\pi_\star}[x_0 \mid x_t = x] = \frac{x + \sigma_t^2 "
            r"\nabla\log p_t(x)}"
            r"{\alpha_t}, \text{ and } D_\star = D_\theta \text{ with } M/K \text{ copies of each "
            r"} \mu_k, s^2 = \sigma_\star^2",
            (A.components_divide_model(),),
            _tweedie(schedule),
        ),
        Claim(
            "def-2.2",
            "Memorized sample",
            "§2, Definition 2.2",
            r"x \text{ is memorized} \iff d_1(x) < d_2(x)/3 \iff d_1^2 < d_2^2/9",
            (),
            _memorization_criterion(),
            reconstructed=False,
        ),
        Claim(
            "thm-3.1",
            "Generalizing excess training loss",
            "§3, Theorem 3.1",
            r"\mathcal L_{N,t}(\theta_\star) - \mathcal L_{N,t}(\theta_\text{mem}) \approx "
            r"\frac{d\sigma_\star^2}{1 + \psi_t\sigma_\star^2}",
            (*_CORE, negligible),
            generalizing_excess_loss(schedule),
        ),
        Claim(
            "thm-3.2",
            "Partially memorizing excess training loss",
            "§3, Theorem 3.2",
            r"\mathcal L_{N,t}(\theta_{\text{pmem},M}) - \mathcal L_{N,t}(\theta_\text{mem}) "
            r"\approx C d\sigma_\star^2 (1 - M/N),\ C \in [1, 2]",
            (*_CORE, negligible, A.model_smaller_than_data()),
            partially_memorizing_excess_loss(),
        ),
        Claim(
            "eq-14",
            "Predicted crossover model size",
            "§3, eq. (14)",
            r"\frac{M^\star}{N} = 1 - \frac1C \frac{\sum_t \lambda(t)/(1 + "
            r"\psi_t\sigma_\star^2)}{\sum_t\lambda(t)}",
            _CORE,
            _crossover_formula(schedule),
        ),
        Claim(
            "regime-poly-d",
            "Training set far from the distribution when N = poly(d)",
            "§1–§3 (Weed–Bach)",
            r"\mathbb E\min_i\|x - x_i\|^2 \approx c_d\, n^{-2/d},\ c_d = "
            r"2\sigma_\star^2\Gamma(1+\tfrac2d)\Gamma(\tfrac d2+1)^{2/d}(1-\tfrac2d)^{-d/2}",
            (A.polynomial_sample_size(),),
            asymptotic_nearest_neighbour_distance(),
        ),
        Claim(
            "regime-exp-d",
            "Memorizing and generalizing merge when N ≳ d^d",
            "§2 (N = exp(d log d); Weed–Bach)",
            r"\mathcal L(\theta_\text{mem}) - \mathcal L(\theta_\star) \xrightarrow{t\to0} "
            r"\mathbb E\min_i\|x - x_i\|^2 \approx c_d\, n^{-2/d} \to 0 \text{ for } n \gtrsim d^d",
            (A.exponential_sample_size(),),
            asymptotic_nearest_neighbour_distance(),
        ),
        Claim(
            "sec-4.2-losses",
            "Low-rank image-like model: the closed forms of the losses",
            "§4.2",
            r"\mathcal L_{N,t}(\theta_\star) - \mathcal L_{N,t}(\theta_\text{mem}) \approx "
            r"\sum_{j\le r}\frac{\lambda_j}{1 + \psi_t\lambda_j} \approx \frac{r}{\psi_t};\ "
            r"\mathcal L_{N,t}(\theta_{\text{pmem},M}) - \mathcal L_{N,t}(\theta_\text{mem}) "
            r"\approx C_r(M)\, r\lambda\,(1 - M/N)",
            (low_rank_memorizing_negligible(schedule=schedule),),
            low_rank_generalizing_excess(schedule=schedule),
        ),
    )
    return {claim.id: claim for claim in claims}


THEORY_CLAIMS: dict[str, Claim] = _claims_on(VP)
"""The claims on the paper's VP schedule."""


def get_claim(claim_id: str, schedule: str | Schedule = VP) -> Claim:
    """The claim with this id, its closed form and assumptions read on ``schedule`` (default VP)."""
    claims = _claims_on(get_schedule(schedule))
    try:
        return claims[claim_id]
    except KeyError:
        raise InvalidInput("claim", claim_id, ", ".join(claims)) from None
