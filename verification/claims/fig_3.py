r"""Figure 3: predicted against measured phase-transition points :math:`M_\text{pt}/N` across
configurations. The prediction here is eq. (14) with the closed forms and the uniform :math:`x_0`
weighting, the interval for :math:`C \in [1, 2]` (it contains the paper's headline 4/5); the fitted
weighting of eq. (15) is judged in its own claim and drawn in the same figure. Where the tier
measured several seeds (the ``study`` measurement), the measured value is the mean over seeds with
the seed-inclusive interval of :mod:`verification.seed_spread`, and a configuration whose two step
budgets disagree is not converged (assumption ``budgets-agree``): shown, not counted.

Negative controls: eq. (14) with :math:`\sigma_t` in place of :math:`\sigma_t^2`, with
:math:`\sigma_\star^2` misplaced, and a transition at :math:`M/N = 1/2`."""

from ..claim import Control, VerifiedClaim, violated_assumptions
from ..conditions import budgets_agree, clean_transition, converged_training
from ..verdict import aggregate, compare, skipped
from . import eq_14, eq_15
from .common import stored_sweep


def transition_se(config) -> float:
    """SE of M_pt/N read off its 95% interval (±1.96 SE); 0 when the sweep gave no interval."""
    ci = config.M_pt_ci or [None, None]
    return 0.0 if None in ci else (ci[1] - ci[0]) / (2 * 1.96 * config.N)


MARGIN = eq_15.MARGIN


def uniform_band(sigma2: float) -> list[float]:
    """Eq. (14) with the uniform weighting for C ∈ [1, 2]."""
    return eq_14.interval("uniform", sigma2)


def _wrong_band(**kwargs):
    def prediction(sigma2):
        r = eq_14.generalizing_fraction("uniform", sigma2, **kwargs)
        return [1 - r, 1 - r / 2]

    return prediction


CONTROLS = (
    Control("sigma_t-for-sigma_t^2", "ψ_t = α_t²/σ_t in eq. (14)", _wrong_band(sigma_power=1)),
    Control("sigma2-misplaced", "1/(1 + ψ_t) in eq. (14)", _wrong_band(misplaced=True)),
    Control("half", "M_pt/N = 1/2", lambda sigma2: 0.5),
)


def measured_transitions(results) -> list[dict]:
    """Per configuration with a measured M_pt: label, M_pt/N, its SE and the assumption values —
    from the study measurement (seeds inside the interval) when there is one, else the sweep."""
    study = results.measurements.get("study")
    if study:
        return [
            {
                "label": f"d={r['d']} K={r['K']} N={r['N']}",
                "measured": r["measured"],
                "se": r["se"] or 0.0,
                "values": {
                    "steps": r["steps"],
                    "clean_step": r["clean_step"],
                    "budgets_agree": r["converged"] is not False,
                },
            }
            for r in study["configurations"]
            if r["measured"] is not None
        ]
    return [
        {
            "label": f"d={c.d} K={c.K} N={c.N}",
            "measured": c.M_pt / c.N,
            "se": transition_se(c),
            "values": {"steps": c.steps, "clean_step": bool(c.clean_step)},
        }
        for c in stored_sweep(results).configs
        if c.M_pt is not None
    ]


def check(claim: VerifiedClaim, results, prediction):
    band = prediction(results.config["sigma2"])
    rows = [
        compare(
            t["label"],
            band,
            t["measured"],
            t["se"],
            claim.margin,
            violated_assumptions(claim.assumptions, t["values"]),
        )
        for t in measured_transitions(results)
    ]
    if not rows:
        return skipped(
            claim.id,
            "no configuration of the sweep has a measured M_pt (the ratio never crossed 0.5)",
            claim.margin,
            results.config,
            results.provenance,
            unexpected=True,
        )
    return aggregate(claim.id, rows, claim.margin, results.config, results.provenance, "M_pt/N")


CLAIM = VerifiedClaim(
    id="fig-3",
    title="Predicted vs measured transition points",
    location="§3, Figure 3",
    statement=r"M_\text{pt}/N \approx M^\star/N \approx 4/5 \text{ across } (d, K, N)",
    assumptions=(converged_training(), clean_transition(), budgets_agree()),
    margin=MARGIN,
    needs=("sweep",),
    check=check,
    prediction=uniform_band,
    controls=CONTROLS,
    figures=("fig3_mpt.png",),
)
