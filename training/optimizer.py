r"""The paper's optimiser and learning-rate schedule (docs/theory.md §6).

Updates: global-norm clipping (at :math:`10^9`, i.e. off), Adam(:math:`\beta_1 = 0.9`,
:math:`\beta_2 = 0.999`, :math:`\epsilon = 10^{-8}`) with the learning rate below, then an
exponential moving average (decay 0.99) of the *updates* — the reference chains ``optax.ema`` after
Adam, which smooths the step, not the parameters; we reproduce that and call it :func:`update_ema`.

Learning rate over :math:`T` steps with :math:`T_w = \lceil 0.1\,T\rceil` warm-up steps:

.. math::
    \eta(k) = \eta_{\max}\,\frac{k}{T_w}\ (k \le T_w), \qquad
    \eta(k) = \eta_{\max} + (\eta_{\min} - \eta_{\max})\,\frac{k - T_w}{T - T_w}\ (T_w \le k \le T),

with :math:`\eta_{\max} = 10^{-3}`, :math:`\eta_{\min} = 10^{-6}`.
"""

from __future__ import annotations

import math

import optax

__all__ = [
    "PEAK_LR",
    "FINAL_LR",
    "WARMUP_FRACTION",
    "EMA_DECAY",
    "CLIP_NORM",
    "learning_rate_schedule",
    "update_ema",
    "paper_optimizer",
]

# The paper's settings: the defaults of every configuration that trains (SweepConfig,
# TrainSettings).
PEAK_LR = 1e-3
FINAL_LR = 1e-6
WARMUP_FRACTION = 0.1
EMA_DECAY = 0.99
CLIP_NORM = 1e9  # clipping off in effect; kept as a stage so that the chain is the reference's


def learning_rate_schedule(
    steps: int,
    peak: float = PEAK_LR,
    final: float = FINAL_LR,
    warmup_fraction: float = WARMUP_FRACTION,
) -> optax.Schedule:
    """Linear warm-up 0 → ``peak`` over ``warmup_fraction`` of ``steps``, then linear decay to
    ``final``."""
    warmup = max(1, math.ceil(warmup_fraction * steps))
    return optax.join_schedules(
        [
            optax.linear_schedule(0.0, peak, warmup),
            optax.linear_schedule(peak, final, max(steps - warmup, 1)),
        ],
        [warmup],
    )


def update_ema(decay: float = EMA_DECAY) -> optax.GradientTransformation:
    """Exponential moving average (debiased) of the updates that pass through it."""
    return optax.ema(decay, debias=True)


def paper_optimizer(
    steps: int,
    peak: float = PEAK_LR,
    final: float = FINAL_LR,
    warmup_fraction: float = WARMUP_FRACTION,
    ema_decay: float = EMA_DECAY,
    clip_norm: float = CLIP_NORM,
) -> optax.GradientTransformation:
    """clip_by_global_norm → Adam(0.9, 0.999, 1e-8) with :func:`learning_rate_schedule` →
    :func:`update_ema`."""
    return optax.chain(
        optax.clip_by_global_norm(clip_norm),
        optax.adam(
            learning_rate_schedule(steps, peak, final, warmup_fraction), b1=0.9, b2=0.999, eps=1e-8
        ),
        update_ema(ema_decay),
    )
