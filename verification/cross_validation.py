r"""Eq. (15) judged on held-out configurations only: leave-one-configuration-out cross-validation of
a fitted weighting, for two families of weightings.

- ``simplex``: the 26 grid weights on the simplex (:func:`verification.weighting_fit.fit_weighting`;
  25 free parameters);
- ``power``: :math:`\lambda_t \propto \psi_t^{\gamma}` (normalised over the grid), one parameter
  :math:`\gamma \in [-1, 1]`, fitted by a grid search over 201 values refined by bounded Brent
  (the objective is not convex in :math:`\gamma`).

For each configuration :math:`c`, the weighting is fitted on the others and predicts :math:`c`; the
held-out MSE is the mean of the squared held-out errors, the train MSE the mean over folds of each
fit's error on its own configurations. The held-out errors contain the noise of the measured
targets (:math:`\mathbb E e_c^2 = \text{bias}_c^2 + SE_c^2`), so the report also gives the
noise-corrected held-out MSE :math:`\overline{e^2 - SE^2}` with its standard error over
configurations, beside the paper's :math:`2\times10^{-4}`. A family with more free parameters
than training configurations is flagged: its fit is not determined by the data (the ridge towards
the uniform weighting picks one).
"""

from __future__ import annotations

import numpy as np
from jaxtyping import Float
from scipy import optimize

from .weighting_fit import fit_weighting

__all__ = ["FAMILIES", "power_weights", "fit_family", "leave_one_out"]

FAMILIES = ("simplex", "power")
GAMMA_RANGE = (-1.0, 1.0)


def power_weights(gamma: float, snr: Float[np.ndarray, " L"]) -> Float[np.ndarray, " L"]:
    r""":math:`\psi_t^\gamma / \sum_s \psi_s^\gamma` (in logs: ψ spans 10⁻⁶ to 10⁶ on the grid)."""
    logs = gamma * np.log(snr)
    weights = np.exp(logs - logs.max())
    return weights / weights.sum()


def _free_parameters(family: str, grid_size: int) -> int:
    return grid_size - 1 if family == "simplex" else 1


def fit_family(predictor, target, train, family: str, snr) -> tuple[np.ndarray, dict]:
    """The fitted weights of ``family`` on configurations ``train`` and the fitted parameters."""
    train = list(train)
    if family == "simplex":
        fit = fit_weighting(predictor, target, train)
        return fit.weights, {"converged": fit.converged}
    on = predictor.subset(train)

    def error(gamma):
        return float(np.mean((on(power_weights(gamma, snr)) - target[train]) ** 2))

    grid = np.linspace(*GAMMA_RANGE, 201)
    best = grid[int(np.argmin([error(g) for g in grid]))]
    step = grid[1] - grid[0]
    bounds = (max(GAMMA_RANGE[0], best - step), min(GAMMA_RANGE[1], best + step))
    gamma = optimize.minimize_scalar(error, bounds=bounds, method="bounded").x
    gamma = gamma if error(gamma) <= error(best) else best
    return power_weights(gamma, snr), {"gamma": float(gamma)}


def leave_one_out(predictor, target, se, family: str, snr) -> dict:
    """Held-out predictions and errors of ``family`` with ``predictor`` (see the module
    docstring); ``se``: the targets' standard errors."""
    target, se = np.asarray(target, float), np.asarray(se, float)
    n = len(target)
    held, train_errors, parameters = np.full(n, np.nan), [], []
    for c in range(n):
        train = [i for i in range(n) if i != c]
        weights, fitted = fit_family(predictor, target, train, family, snr)
        predicted = predictor(weights)
        held[c] = predicted[c]
        train_errors.append(float(np.mean((predicted[train] - target[train]) ** 2)))
        parameters.append(fitted)
    errors = held - target
    excess = errors**2 - se**2
    free = _free_parameters(family, len(snr))
    return {
        "family": family,
        "predictor": predictor.name,
        "free_parameters": free,
        "configurations": n,
        "underdetermined": free > n - 1,
        "held_out": held.tolist(),
        "held_out_errors": errors.tolist(),
        "train_mse": float(np.mean(train_errors)),
        "held_out_mse": float(np.mean(errors**2)),
        "held_out_mse_noise_corrected": float(np.mean(excess)),
        "held_out_mse_noise_corrected_se": float(np.std(excess, ddof=1) / np.sqrt(n))
        if n > 1
        else None,
        "fold_parameters": parameters,
    }
