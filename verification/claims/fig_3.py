r"""Figure 3: predicted against measured phase-transition points :math:`M_\text{pt}/N` across
configurations. The prediction here is eq. (14) with the closed forms and the uniform :math:`x_0`
weighting, the interval for :math:`C \in [1, 2]` (it contains the paper's headline 4/5); the fitted
weighting of eq. (15) is judged in its own claim and drawn in the same figure.

Negative controls: eq. (14) with :math:`\sigma_t` in place of :math:`\sigma_t^2`, with
:math:`\sigma_\star^2` misplaced, and a transition at :math:`M/N = 1/2`."""

from ..claim import Control, VerifiedClaim, violated_assumptions
from ..conditions import clean_transition, converged_training
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


def check(claim: VerifiedClaim, results, prediction):
    band = prediction(results.config["sigma2"])
    rows = []
    for config in stored_sweep(results).configs:
        if config.M_pt is None:
            continue
        N = config.N
        se = transition_se(config)
        values = {"steps": config.steps, "clean_step": bool(config.clean_step)}
        rows.append(
            compare(
                f"d={config.d} K={config.K} N={N}",
                band,
                config.M_pt / N,
                se,
                claim.margin,
                violated_assumptions(claim.assumptions, values),
            )
        )
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
    assumptions=(converged_training(), clean_transition()),
    margin=MARGIN,
    needs=("sweep",),
    check=check,
    prediction=uniform_band,
    controls=CONTROLS,
    figures=("fig3_mpt.png",),
)
