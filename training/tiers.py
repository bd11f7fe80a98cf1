"""The tiers: the one list of tier names, each with its budget and the training part of its
configuration (overrides on the paper's sweep, :data:`memlab.training.config.PAPER`).

The verification layer composes its own part of each tier (the Monte Carlo sizes) on the same names;
the command line takes its ``--tier`` choices and their help from here. No heavy imports: the
command line reads this module to build ``--help``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from memlab.theory.validation import one_of

__all__ = ["Tier", "TIERS", "TIER_NAMES", "get_tier", "tier_help"]


@dataclass(frozen=True)
class Tier:
    """``name``; ``budget``: where it runs and how long ``memlab verify`` takes there (the one
    statement of it); ``shows``: what it demonstrates; ``sweep``: training overrides on the paper's
    sweep."""

    name: str
    budget: str
    shows: str
    sweep: dict[str, object] = field(default_factory=dict)


TIERS: dict[str, Tier] = {
    tier.name: tier
    for tier in (
        # Every stage end to end on tiny sizes, well under a minute (too few steps to leave
        # memorization).
        Tier(
            "smoke",
            "< 1 min on any CPU",
            "every claim's pipeline end to end on tiny sizes",
            {
                "d": [5],
                "K": [2],
                "N": [12],
                "seeds": 1,
                "M": [3, 6, 12],
                "refine": 0,
                "steps": 300,
                "noise_draws": 2,
                "samples": 20,
                "eval_draws": 4,
                "chunk": 100,
                "log_every": 10,
            },
        ),
        # One configuration on the 2-core CPU in minutes with a real transition: fewer noise
        # draws, M values and seeds, never fewer steps (models leave the memorizing initialisation
        # only after ~20k of them).
        Tier(
            "ci",
            "~10 min on 2 CPU cores",
            "Monte Carlo verdicts at the paper's sizes and a real phase transition on small "
            "configurations",
            {
                "d": [30],
                "K": [3],
                "N": [50],
                "seeds": 1,
                "M": [5, 15, 25, 30, 35, 40, 45, 50],
                "refine": 0,
                "noise_draws": 10,
                "samples": 100,
            },
        ),
        # Figure 3 and eq. (15) across configurations with training randomness inside every
        # interval (issue 13): two values of each of d, K and N, two seeds (each a new training
        # set, initialisation and noise stream), the paper's 50,000 steps, and d=30, K=3, N=50 also
        # at 100,000 steps (converged or not). M: a coarse bracket 0.5-1.0 N, then 3 models where
        # the pooled monotone fit's crossing is uncertain. Sized for 90 minutes of training on 2
        # cores with one worker process per core (`memlab sweep --tier study --plan` estimates it
        # for the machine at hand).
        Tier(
            "study",
            "~2 h on 2 CPU cores (training ~90 min)",
            "Figure 3 and eq. (15) on 8 configurations with 2 training seeds each, held-out "
            "eq. (15) error, convergence measured at two budgets",
            {
                "d": [30, 50],
                "K": [3, 12],
                "N": [50, 100],
                "seeds": 2,
                "M_fractions": [0.5, 0.7, 0.85, 1.0],
                "refine": 3,
                "refine_at": "uncertain",
                "noise_draws": 10,
                "samples": 100,
                "budgets": [100_000],
                "budget_configs": [[30, 3, 50]],
            },
        ),
        Tier(
            "paper",
            "hours on a GPU",
            "the paper's protocol: 64 configurations, 50,000 steps, 3 seeds",
        ),
    )
}

TIER_NAMES: tuple[str, ...] = tuple(TIERS)


def get_tier(name: object, field: str = "tier") -> Tier:
    """The tier called ``name``; anything else raises ``InvalidInput`` naming ``field``."""
    return TIERS[one_of(field, name, TIER_NAMES)]


def tier_help() -> str:
    """One line for ``--tier`` options: each tier with its budget."""
    return ", ".join(f"{tier.name} ({tier.budget})" for tier in TIERS.values())
