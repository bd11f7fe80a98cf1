r"""Theorem 3.1: :math:`\mathcal L_{N,t}(\theta_\star) - \mathcal L_{N,t}(\theta_\text{mem}) \approx
d\sigma_\star^2/(1 + \psi_t\sigma_\star^2)`, checked per grid time against the numerics layer's
Monte Carlo (paired differences on common noise). The approximation needs the memorizing loss to be
negligible, :math:`\psi_t d\sigma_\star^2 \ge 4\log(N/K)` with the derived constant
(``theory.assumptions.memorizing_loss_negligible``); where it fails (the noisiest times) the
comparison is ``assumption-violated``: shown with its test outcome, not counted.

Negative controls (the same check, a wrong closed form): :math:`\sigma_\star^2` misplaced,
:math:`d\sigma_\star^2/(1 + \psi_t)` (distinguishable only at :math:`\sigma_\star^2 \ne 1`), and
:math:`\sigma_t` in place of :math:`\sigma_t^2` in :math:`\psi_t`."""

from memlab import theory

from ..claim import Control, VerifiedClaim
from ..margin import Margin
from .common import rows_check, snr, stored_theory

MARGIN = Margin(
    0.065,
    relative=True,
    unit="relative error of the excess loss",
    source="calibrated",
    why="calibrated on a configuration no tier judges: `memlab check thm-3.1 --d 45 --K 5 --N 120 "
    "--sigma2 1.5 --seed 1001 --draws 400` (2026-12-03); over the rows where the derived "
    "assumption holds the largest |relative error| + 2 SE is 0.034 + 2·0.015 at t = 0.879 "
    "(ψ_t dσ⋆²/log(N/K) = 6.2; below t = 0.84 every row is within 0.9%), rounded up to 0.065. "
    "Theorem 3.2's interval reads its '≈' with the same margin (both drop the memorizing loss).",
)


def excess(d: float, sigma2: float, t: float, sigma_power: int = 2, misplaced: bool = False):
    r""":math:`d\sigma_\star^2/(1 + \psi_t\sigma_\star^2)`, or a wrong variant (``misplaced``:
    :math:`1 + \psi_t`; ``sigma_power=1``: :math:`\sigma_t` for :math:`\sigma_t^2`)."""
    psi = snr(t, sigma_power)
    return float(d * sigma2 / (1 + psi * (1.0 if misplaced else sigma2)))


WRONG = {
    "sigma2-misplaced": ("dσ⋆²/(1 + ψ_t) instead of dσ⋆²/(1 + ψ_tσ⋆²)", {"misplaced": True}),
    "sigma_t-for-sigma_t^2": ("ψ_t = α_t²/σ_t instead of α_t²/σ_t²", {"sigma_power": 1}),
}
"""The wrong closed forms: name -> (what is wrong, keyword arguments of :func:`excess`)."""


def _wrong(**kwargs):
    def prediction(row, config):
        return excess(config["d"], config["sigma2"], row.t, **kwargs)

    return prediction


CONTROLS = tuple(Control(name, wrong, _wrong(**kwargs)) for name, (wrong, kwargs) in WRONG.items())

CLAIM = VerifiedClaim.from_theory(
    theory.get_claim("thm-3.1"),
    margin=MARGIN,
    needs=("thm-3.1",),
    check=rows_check("excess loss"),
    prediction=stored_theory,
    controls=CONTROLS,
    figures=("fig1_losses.png", "thm31_edge.png"),
    tables=("per-time comparisons",),
    per_time=True,
)
