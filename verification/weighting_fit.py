r"""Eq. (15): fit a time weighting :math:`\tilde\lambda` so that the predicted crossover matches the
measured phase-transition points.

.. math::
    \tilde\lambda = \arg\min_{\lambda \in \Delta_{L}} \frac1{|\mathcal T|}\sum_{c\in\mathcal T}
    \Big(\frac{M^\star_c(\lambda)}{N_c} - \frac{M_{\mathrm{pt},c}}{N_c}\Big)^2
    + \rho\,\|\lambda - u\|^2,

over the simplex :math:`\Delta_L = \{\lambda \ge 0, \sum_t \lambda_t = 1\}` on the 26-point grid,
for a training set :math:`\mathcal T` of configurations; the error is then reported on held-out
ones. The paper reports train and test error :math:`\le 2\times10^{-4}` (docs/theory.md §4; its
exact form is not available to us). Two predictors of :math:`M^\star_c(\lambda)/N_c`:

- :class:`ClosedFormPredictor`: eq. (14), :math:`1 - \sum_t\lambda_t r_t / C` with
  :math:`r_t = 1/(1 + \psi_t\sigma_\star^2)`; the same for every configuration.
- :class:`MeasuredLossPredictor`: the root in :math:`M` of
  :math:`\sum_t \lambda_t\,[\Delta_t(\theta_{\text{pmem},M}) - \Delta_t(\theta_\star)] = 0` with the
  Monte Carlo per-time excess losses :math:`\Delta_t` of each configuration, linear in :math:`M`
  between the measured model sizes (:math:`\Delta_t(\theta_{\text{pmem},N}) = 0`: at :math:`M = N`
  it is the memorizing denoiser).

Solver: SLSQP (scipy) with the bounds and the sum-to-one equality imposed exactly. A softmax
parametrisation cannot reach :math:`\lambda_t = 0`, and a projected gradient needs a step size; for
26 unknowns SLSQP is exact on the constraints, deterministic and fast. The closed-form predictor
only sees :math:`\sum_t\lambda_t r_t` (one number), so many weightings fit equally well: the small
ridge :math:`\rho` towards the uniform weighting :math:`u` picks the one closest to uniform.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from jaxtyping import Float
from scipy import optimize

from memlab.numerics import falling_root
from memlab.theory.errors import InvalidInput

__all__ = [
    "ClosedFormPredictor",
    "MeasuredLossPredictor",
    "WeightingFit",
    "fit_weighting",
    "split_configurations",
]

RIDGE = 1e-7


@dataclass(frozen=True)
class ClosedFormPredictor:
    r""":math:`M^\star/N = 1 - \lambda\cdot r / C` for every configuration (eq. (14))."""

    relative_excess: Float[np.ndarray, " L"]  # r_t = 1/(1 + ψ_t σ⋆²)
    C: float
    n_configs: int

    name = "closed-form"

    def __call__(self, weights: Float[np.ndarray, " L"]) -> Float[np.ndarray, " n"]:
        return np.full(self.n_configs, 1 - weights @ self.relative_excess / self.C)

    def jacobian(self, weights: Float[np.ndarray, " L"]) -> Float[np.ndarray, "n L"]:
        return np.tile(-self.relative_excess / self.C, (self.n_configs, 1))

    def subset(self, index: Sequence[int]) -> ClosedFormPredictor:
        return ClosedFormPredictor(self.relative_excess, self.C, len(index))


@dataclass(frozen=True)
class MeasuredLossPredictor:
    r"""Per configuration: ``generalizing[c, t]`` = :math:`\Delta_t(\theta_\star)`,
    ``partial[c, m, t]`` = :math:`\Delta_t(\theta_{\text{pmem},M_m})` at ``model_fraction[c, m]`` =
    :math:`M_m/N` (increasing; the last is 1 with zero excess)."""

    generalizing: Float[np.ndarray, "n L"]
    partial: Float[np.ndarray, "n m L"]
    model_fraction: Float[np.ndarray, "n m"]

    name = "measured-losses"

    @classmethod
    def from_tables(cls, tables: Sequence[dict]) -> MeasuredLossPredictor:
        """From per-configuration tables with ``M``, ``N``, ``generalizing`` (L,) and
        ``partially_memorizing`` (m, L) excess losses; appends ``M = N`` (zero excess) when
        absent."""
        fractions, partials = [], []
        for table in tables:
            fraction = np.asarray(table["M"], float) / float(table["N"])
            partial = np.asarray(table["partially_memorizing"], float)
            if fraction[-1] < 1:
                fraction, partial = (
                    np.append(fraction, 1.0),
                    np.vstack([partial, np.zeros(partial.shape[1])]),
                )
            fractions.append(fraction)
            partials.append(partial)
        if len({f.shape for f in fractions}) != 1:
            raise InvalidInput(
                "loss tables",
                [f.shape for f in fractions],
                "the same model-size grid for every configuration",
            )
        return cls(
            np.array([t["generalizing"] for t in tables], float),
            np.array(partials),
            np.array(fractions),
        )

    def _roots(self, weights):
        # h(M) = λ·(Δ(pmem, M) − Δ(⋆)) falls from > 0 (few memorized points) to <= 0 at M = N
        # (numerics.falling_root, the same root as numerics.measured_crossover_ratio).
        difference = self.partial - self.generalizing[:, None, :]  # (n, m, L)
        return difference, falling_root(self.model_fraction, difference @ weights)

    def __call__(self, weights: Float[np.ndarray, " L"]) -> Float[np.ndarray, " n"]:
        _, found = self._roots(weights)
        # Unbracketed (h <= 0 already at the smallest M): M* lies at or below it; the fit uses that
        # end.
        return np.where(found.bracketed, found.root, found.bound)

    def jacobian(self, weights: Float[np.ndarray, " L"]) -> Float[np.ndarray, "n L"]:
        difference, found = self._roots(weights)
        rows = np.arange(found.lower.size)
        # Chain rule through (h_a, h_b) = (difference_a·λ, difference_b·λ); the gradient is 0 where
        # unbracketed.
        return (
            found.gradient[:, :1] * difference[rows, found.lower]
            + found.gradient[:, 1:] * difference[rows, found.lower + 1]
        )

    def subset(self, index: Sequence[int]) -> MeasuredLossPredictor:
        index = list(index)
        return MeasuredLossPredictor(
            self.generalizing[index], self.partial[index], self.model_fraction[index]
        )


@dataclass(frozen=True)
class WeightingFit:
    """The fitted weighting and its errors (mean squared error of :math:`M^\\star/N`)."""

    predictor: str
    weights: Float[np.ndarray, " L"]
    train: list[int]
    test: list[int]
    predicted: Float[np.ndarray, " n"]
    train_error: float
    test_error: float | None
    converged: bool
    message: str

    def to_dict(self) -> dict:
        return {
            "predictor": self.predictor,
            "weights": self.weights.tolist(),
            "train": self.train,
            "test": self.test,
            "predicted": self.predicted.tolist(),
            "train_error": self.train_error,
            "test_error": self.test_error,
            "converged": self.converged,
            "message": self.message,
        }


def split_configurations(
    n: int, test_fraction: float = 0.25, seed: int = 0
) -> tuple[list[int], list[int]]:
    """A seeded train/test split of ``n`` configurations with at least one of each (needs ``n >=
    2``)."""
    if n < 2:
        raise InvalidInput(
            "configurations", n, "at least 2 with a measured M_pt (one to fit, one to test)"
        )
    order = np.random.default_rng(np.random.SeedSequence([seed, n])).permutation(n)
    n_test = min(max(1, round(test_fraction * n)), n - 1)
    return sorted(order[n_test:].tolist()), sorted(order[:n_test].tolist())


def fit_weighting(
    predictor,
    target: Float[np.ndarray, " n"],
    train: Sequence[int],
    test: Sequence[int] = (),
    ridge: float = RIDGE,
    initial: Float[np.ndarray, " L"] | None = None,
) -> WeightingFit:
    """Fit :math:`\\tilde\\lambda` on the simplex to ``target`` (:math:`M_\\text{pt}/N`) over
    ``train``."""
    target = np.asarray(target, float)
    train, test = list(train), list(test)
    if not train:
        raise InvalidInput("train", train, "at least one configuration")
    fit_on = predictor.subset(train)
    L = _grid_size(predictor)
    uniform = np.full(L, 1 / L)

    def objective(weights):
        residual = fit_on(weights) - target[train]
        value = np.mean(residual**2) + ridge * np.sum((weights - uniform) ** 2)
        gradient = 2 * residual @ fit_on.jacobian(weights) / len(train) + 2 * ridge * (
            weights - uniform
        )
        return value, gradient

    result = optimize.minimize(
        objective,
        uniform if initial is None else initial,
        jac=True,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * L,
        constraints=[
            {"type": "eq", "fun": lambda w: np.sum(w) - 1.0, "jac": lambda w: np.ones_like(w)}
        ],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    weights = np.clip(result.x, 0.0, None)
    weights /= weights.sum()
    predicted = predictor(weights)
    error = lambda index: float(np.mean((predicted[index] - target[index]) ** 2))  # noqa: E731
    return WeightingFit(
        predictor.name,
        weights,
        train,
        test,
        predicted,
        error(train),
        error(test) if test else None,
        bool(result.success),
        str(result.message),
    )


def _grid_size(predictor) -> int:
    return (
        len(predictor.relative_excess)
        if isinstance(predictor, ClosedFormPredictor)
        else predictor.generalizing.shape[1]
    )
