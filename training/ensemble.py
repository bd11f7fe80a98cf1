r"""Train many models (several M, several seeds) as one vmapped, scanned program.

Models of widths :math:`M_j` are padded to :math:`\max_j M_j` with masked components (their weight
is exactly 0, their gradient exactly 0, so Adam leaves them at 0). Steps run inside ``lax.scan``
chunks of fixed length: one compilation per (ensemble size, width, N, d, R, chunk, steps) and the
per-step losses come back once per chunk. Each step, the grid times and noise are drawn once per
training set (key folded with the step) and shared by the models trained on it.

A model whose loss or parameters become non-finite stops there: its parameters and optimiser state
keep their last finite values and ``failed_at`` records the step; the other models go on unaffected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import Bool, Float, Int

from memlab.theory.errors import InvalidInput

from .model import GMMDenoiser
from .noise import standard_normal
from .objective import epsilon_loss
from .optimizer import (
    CLIP_NORM,
    EMA_DECAY,
    FINAL_LR,
    PEAK_LR,
    WARMUP_FRACTION,
    paper_optimizer,
)

__all__ = [
    "TrainSettings",
    "TrainedEnsemble",
    "train_parameters",
    "train_ensemble",
    "largest_divisor_at_most",
]


@dataclass(frozen=True)
class TrainSettings:
    """Everything that fixes the compiled program besides array shapes (hashable, compared by
    value)."""

    steps: int
    noise_draws: int
    chunk: int
    peak_lr: float = PEAK_LR
    final_lr: float = FINAL_LR
    warmup_fraction: float = WARMUP_FRACTION
    ema_decay: float = EMA_DECAY
    clip_norm: float = CLIP_NORM
    batching: str = (
        "vmap"  # "vmap": models batched (GPU); "map": one after another inside the program (CPU)
    )
    # the objective's sum over points in this many blocks (cache-sized on CPU: jobs.point_blocks)
    point_blocks: int = 1

    @property
    def optimizer(self) -> optax.GradientTransformation:
        return paper_optimizer(
            self.steps,
            self.peak_lr,
            self.final_lr,
            self.warmup_fraction,
            self.ema_decay,
            self.clip_norm,
        )


@dataclass(frozen=True)
class TrainedEnsemble:
    means: Float[np.ndarray, "E M d"]
    s2: Float[np.ndarray, " E"]
    losses: Float[np.ndarray, "steps E"]
    failed_at: Int[
        np.ndarray, " E"
    ]  # -1: finished; else the first step with a non-finite loss or parameter
    # step -> (means, s²) after that many steps (train_ensemble's ``snapshots``)
    snapshots: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


def largest_divisor_at_most(steps: int, chunk: int) -> int:
    """The scan length: the largest divisor of ``steps`` not above ``chunk`` (one compiled
    shape)."""
    return max(c for c in range(1, min(chunk, steps) + 1) if steps % c == 0)


def _draws(noise_draws, grid_size, step, x0, key):
    """One training set's grid times and noise for ``step``: shared by every model trained on that
    seed's data."""
    key = jax.random.fold_in(key, step)
    N, d = x0.shape
    time_index = jax.random.randint(jax.random.fold_in(key, 0), (N,), 0, grid_size, jnp.int32)
    noise_key, shape = (
        jax.random.fold_in(key, 1),
        (d, N, noise_draws),
    )  # feature-major, as the model takes it

    # standard_normal: jax.random.normal's float32 numbers, without its per-round loop on CPU
    def noise():
        return (
            standard_normal(noise_key, shape)
            if x0.dtype == jnp.float32
            else jax.random.normal(noise_key, shape, x0.dtype)
        )

    if jax.default_backend() != "cpu":
        return time_index, noise()
    # XLA CPU fuses the noise computation into each of its ~4 consumers, recomputing hash and erf⁻¹
    # there (an optimization_barrier does not stop it). A conditional is a fusion boundary: behind
    # one (always taken: steps are >= 0) the noise is computed once into a buffer, 25-35% off a CPU
    # training step.
    return time_index, jax.lax.cond(step >= 0, noise, lambda: jnp.zeros(shape, x0.dtype))


def _model_step(
    optimizer,
    blocks,
    model,
    alphas,
    sigmas,
    time_weights,
    step,
    params,
    opt_state,
    failed_at,
    mask,
    x0,
    time_index,
    eps,
):
    def loss_of(p):
        return epsilon_loss(
            model(*p, mask), x0, time_index, eps, alphas, sigmas, time_weights, blocks
        )

    loss, grads = jax.value_and_grad(loss_of)(params)
    updates, new_state = optimizer.update(grads, opt_state, params)
    new_params = optax.apply_updates(params, updates)
    finite = jnp.isfinite(loss) & jnp.all(
        jnp.stack([jnp.all(jnp.isfinite(p)) for p in jax.tree.leaves(new_params)])
    )
    running = failed_at < 0
    keep = running & finite

    def choose(new, old):
        return jax.tree.map(lambda a, b: jnp.where(keep, a, b), new, old)

    failed_at = jnp.where(running & ~finite, step, failed_at)
    return choose(new_params, params), choose(new_state, opt_state), failed_at, loss


@partial(jax.jit, static_argnames=("settings", "model"))
def _chunk(
    settings, model, carry, start, masks, seed_index, x0, seed_keys, alphas, sigmas, time_weights
):
    draw_all = jax.vmap(
        partial(_draws, settings.noise_draws, alphas.shape[0]), in_axes=(None, 0, 0)
    )
    model_step = partial(
        _model_step, settings.optimizer, settings.point_blocks, model, alphas, sigmas, time_weights
    )

    def body(carry, step):
        params, opt_state, failed_at = carry
        time_index, eps = draw_all(step, x0, seed_keys)

        def one(model):  # a model's step, reading its training set's draws by index (no copies)
            params, opt_state, failed_at, mask, seed = model
            return model_step(
                step, params, opt_state, failed_at, mask, x0[seed], time_index[seed], eps[seed]
            )

        models = (params, opt_state, failed_at, masks, seed_index)
        # XLA on CPU runs a batched (vmapped) backward pass 2-3x slower than the same models one
        # after another.
        params, opt_state, failed_at, loss = (
            jax.vmap(one)(models) if settings.batching == "vmap" else jax.lax.map(one, models)
        )
        return (params, opt_state, failed_at), loss

    return jax.lax.scan(body, carry, start + jnp.arange(settings.chunk, dtype=jnp.int32))


def train_parameters(
    params: tuple[np.ndarray, ...],
    model: type,
    masks: Bool[np.ndarray, "E M"],
    seed_index: Int[np.ndarray, " E"],
    x0: Float[np.ndarray, "S N d"],
    seed_keys: jax.Array,
    alphas: Float[np.ndarray, " G"],
    sigmas: Float[np.ndarray, " G"],
    time_weights: Float[np.ndarray, " G"],
    settings: TrainSettings,
    dtype=jnp.float32,
    progress: Callable[[int], None] | None = None,
    snapshots: tuple[int, ...] = (),
) -> tuple[tuple[np.ndarray, ...], np.ndarray, np.ndarray, dict[int, tuple[np.ndarray, ...]]]:
    """Train E models of class ``model`` (an equinox module built as ``model(*params_e, mask_e)``
    with an ``epsilon_residual`` method: :class:`GMMDenoiser`, the low-rank class) from ``params``
    (arrays with a leading axis of E) for ``settings.steps`` steps in ``dtype``; model ``e`` trains
    on the training set ``x0[seed_index[e]]``. Returns the final parameters (float64), the per-step
    losses (steps, E), ``failed_at`` (E,) and the parameters after each step in ``snapshots``.

    ``seed_keys`` holds one typed key per training set: each step, the grid times and noise of a
    training set are drawn once from it and shared by all models on that set (common random numbers:
    each model still sees fresh i.i.d. draws every step, and the draws do not depend on which other
    models are in the ensemble). ``progress(k)`` is called with the number of steps done after each
    chunk.
    """
    if settings.steps % settings.chunk:
        raise InvalidInput("chunk", settings.chunk, f"a divisor of steps = {settings.steps}")
    if any(step % settings.chunk or not 0 < step <= settings.steps for step in snapshots):
        raise InvalidInput(
            "snapshots", list(snapshots), f"ends of chunks of {settings.chunk} steps"
        )
    if settings.point_blocks < 1:
        raise InvalidInput("point_blocks", settings.point_blocks, "an integer >= 1")
    # The x64 mode follows ``dtype`` here (thread-local, not the global flag): with x64 on, optax
    # would compute a float32 run's schedule and bias corrections in float64, and a CLI run (x64 on)
    # and a Dask worker (off) would differ in the last bits.
    with jax.enable_x64(jnp.dtype(dtype).itemsize == 8):

        def cast(a):
            return jnp.asarray(a, dtype)

        params = tuple(cast(p) for p in params)
        opt_state = jax.vmap(settings.optimizer.init)(params)
        carry = (params, opt_state, jnp.full(len(masks), -1, jnp.int32))
        arrays = (
            jnp.asarray(masks),
            jnp.asarray(seed_index, jnp.int32),
            cast(x0),
            seed_keys,
            cast(alphas),
            cast(sigmas),
            cast(time_weights),
        )
        losses, kept = [], {}
        for start in range(0, settings.steps, settings.chunk):
            carry, chunk_losses = _chunk(settings, model, carry, jnp.int32(start), *arrays)
            losses.append(np.asarray(chunk_losses))
            if start + settings.chunk in snapshots:
                kept[start + settings.chunk] = tuple(np.asarray(p, np.float64) for p in carry[0])
            if progress is not None:
                progress(start + settings.chunk)
    final, _, failed_at = carry
    return (
        tuple(np.asarray(p, np.float64) for p in final),
        np.concatenate(losses),
        np.asarray(failed_at),
        kept,
    )


def train_ensemble(
    means: Float[np.ndarray, "E M d"],
    s2: Float[np.ndarray, " E"],
    masks: Bool[np.ndarray, "E M"],
    seed_index: Int[np.ndarray, " E"],
    x0: Float[np.ndarray, "S N d"],
    seed_keys: jax.Array,
    alphas: Float[np.ndarray, " G"],
    sigmas: Float[np.ndarray, " G"],
    time_weights: Float[np.ndarray, " G"],
    settings: TrainSettings,
    dtype=jnp.float32,
    progress: Callable[[int], None] | None = None,
    snapshots: tuple[int, ...] = (),
) -> TrainedEnsemble:
    """:func:`train_parameters` for the isotropic class (:class:`GMMDenoiser`) from (``means``,
    ``s2``); ``snapshots`` come back as (means, s²)."""
    (means_out, log_std), losses, failed_at, kept = train_parameters(
        (np.where(masks[..., None], means, 0.0), 0.5 * np.log(s2)),
        GMMDenoiser,
        masks,
        seed_index,
        x0,
        seed_keys,
        alphas,
        sigmas,
        time_weights,
        settings,
        dtype,
        progress,
        snapshots,
    )
    return TrainedEnsemble(
        means_out,
        np.exp(2 * log_std),
        losses,
        failed_at,
        {step: (m, np.exp(2 * log_s)) for step, (m, log_s) in kept.items()},
    )
