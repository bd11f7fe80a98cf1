r"""Eq. (15): a weighting :math:`\tilde\lambda` fitted on training configurations predicts the
measured phase-transition points :math:`M_\text{pt}/N` of held-out ones
(:mod:`verification.weighting_fit`). Each held-out configuration is one comparison, for each of the
two predictors (closed forms with a chosen :math:`C`; measured per-time losses). Needs at least two
configurations with a measured :math:`M_\text{pt}`; with fewer the verdict is ``skipped``, never a
fit to nothing. Where the tier measured enough configurations (the ``study`` measurement), the
weighting is judged by leave-one-configuration-out (:mod:`verification.cross_validation`): every
configuration is held out once, for the 26-weight simplex and the one-parameter ``power`` family,
with each predictor; its measured value carries the seeds in its interval.

Negative control: a wrong weighting, all weight on the noisiest grid time, in the closed form
(:math:`M^\star/N = 1 - r_{t_\max}/C`) for every held-out configuration."""

from memlab import theory

from ..claim import Control, VerifiedClaim, violated_assumptions
from ..conditions import budgets_agree, clean_transition, converged_training
from ..margin import Margin
from ..verdict import aggregate, compare
from .common import stored_sweep
from .eq_14 import generalizing_fraction

PAPER_ERROR = 2e-4
"""The paper's reported train/test error of the fitted weighting (a mean squared error of M*/N)."""

MARGIN = Margin(
    PAPER_ERROR**0.5,
    relative=False,
    unit="M_pt/N",
    source="paper",
    why="√(2×10⁻⁴) ≈ 0.014, the root of the paper's reported test error (an MSE of M*/N): the "
    "precision the paper claims for the fitted weighting's predictions; the measured M_pt/N's SE "
    "is its 95% interval read as ±1.96 SE (with several seeds, the seed-inclusive t interval of "
    "verification.seed_spread; with one, the bootstrap over samples).",
)


def fitted(fit: dict, name: str, index: int) -> float:
    """The fitted weighting's prediction for held-out configuration ``index``."""
    return fit["fits"][name]["predicted"][index]


def noisiest_time_only(fit: dict, name: str, index: int) -> float:
    r"""A wrong weighting: all weight on :math:`t_\max`, in the closed form."""
    values = [0] * (len(fit["t"]) - 1) + [1]
    weighting = theory.Weighting.from_values(values, name="t_max only")
    return 1 - generalizing_fraction(weighting, fit["sigma2"]) / fit["C"]


CONTROLS = (
    Control("weight-at-t_max", "all weight on the noisiest time (closed form)", noisiest_time_only),
)


def held_out_fits(results) -> dict:
    """Leave-one-configuration-out when the study measured it, else the eq-15 split."""
    study = results.measurements.get("study") or {}
    return study.get("eq15_cv") or results.measurements["eq-15"]


def check(claim: VerifiedClaim, results, prediction):
    fit = {**held_out_fits(results), "sigma2": results.config["sigma2"]}
    sweep_configs = {(c.d, c.K, c.N): c for c in stored_sweep(results).configs}
    rows = []
    for name, result in sorted(fit["fits"].items()):
        for index in result["test"]:
            c = fit["configurations"][index]
            source = sweep_configs[(c["d"], c["K"], c["N"])]
            se = (c["ci"][1] - c["ci"][0]) / (2 * 1.96) if c.get("ci") else 0.0
            violated = violated_assumptions(
                claim.assumptions,
                {
                    "steps": source.steps,
                    "clean_step": bool(source.clean_step),
                    "budgets_agree": c.get("converged") is not False,
                },
            )
            rows.append(
                compare(
                    f"{name}, held out d={c['d']} K={c['K']} N={c['N']}",
                    prediction(fit, name, index),
                    c["M_pt_over_N"],
                    se,
                    claim.margin,
                    violated,
                )
            )
    return aggregate(claim.id, rows, claim.margin, results.config, results.provenance, "M_pt/N")


CLAIM = VerifiedClaim(
    id="eq-15",
    title="Fitted weighting predicts the transition",
    location="§3, eq. (15)",
    statement=r"\tilde\lambda = \arg\min_{\lambda\in\Delta}\sum_{c\in\text{train}}"
    r"\Big(\frac{M^\star_c(\lambda)}{N_c} - \frac{M_{\text{pt},c}}{N_c}\Big)^2,\quad "
    r"\text{train/test error} \le 2\times10^{-4}",
    assumptions=(converged_training(), clean_transition(), budgets_agree()),
    margin=MARGIN,
    needs=("sweep", "eq-15"),
    check=check,
    prediction=fitted,
    controls=CONTROLS,
    figures=("weighting.png", "fig3_mpt.png"),
    tables=("eq. (15) fit",),
)
