r"""Assumptions about how a measurement was made (not about the mathematics), in the same shape as
:class:`theory.Assumption` (``id``, ``statement``, ``why``, ``names``, ``evaluate``): training long
enough to converge, and a memorization curve that is a clean step.

docs/theory.md §6: below 50,000 steps the measured transition still moves with the budget (every
model memorizes at 5–10k steps); from 50k on M_pt/N is stable within the sampling error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from memlab.theory import AssumptionCheck

__all__ = ["Condition", "converged_training", "clean_transition", "budgets_agree"]


@dataclass(frozen=True)
class Condition:
    """``values[name] >= threshold`` (booleans count as 0/1)."""

    id: str
    statement: str
    name: str
    threshold: float
    why: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,)

    def evaluate(self, values: Mapping[str, object]) -> AssumptionCheck:
        value = float(values[self.name])
        return AssumptionCheck(
            self.id, value >= self.threshold, value, float(self.threshold), value - self.threshold
        )


def converged_training(min_steps: int = 50_000) -> Condition:
    return Condition(
        "converged-training",
        rf"\text{{steps}} \geq {min_steps:,}".replace(",", "{,}"),
        "steps",
        min_steps,
        f"{min_steps} steps: docs/theory.md §6 measured M_pt/N moving with the budget below it and "
        "stable from it",
    )


def clean_transition() -> Condition:
    return Condition(
        "clean-step",
        r"\text{monotone fit of the ratio is a clean step}",
        "clean_step",
        1,
        "the training layer flags curves that are not yet a clean step; their M_pt is not a "
        "transition point",
    )


def budgets_agree() -> Condition:
    return Condition(
        "budgets-agree",
        r"M_\text{pt}/N \text{ at } T \text{ and } 2T \text{ steps agree within their intervals}",
        "budgets_agree",
        1,
        "a configuration trained at two budgets whose transition points differ beyond their "
        "intervals is not converged (verification.seed_spread); unchecked configurations pass",
    )
