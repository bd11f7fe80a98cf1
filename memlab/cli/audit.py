"""``memlab audit``: every claim's assumptions on one configuration, with margins."""

from __future__ import annotations

import click

from memlab.theory import validation
from memlab.theory.errors import InvalidInput

# Counts are integers (no silent truncation of 2.5), bounded so the dataset behind gamma2 fits in
# memory; the seed feeds numpy's SeedSequence, which needs >= 0.
_INTEGERS = {
    "d": (1, 10_000),
    "K": (1, 100_000),
    "N": (1, 100_000),
    "M": (1, 400_000),
    "steps": (1, 10_000_000),
    "seed": (0, 2**63 - 1),
}
_NUMBERS = ("sigma2", "gamma2")


def _configuration(config_file: str | None, options: dict) -> dict:
    from memlab.training.files import read_toml

    config = read_toml(config_file, "CONFIG_FILE") if config_file else {}
    config.update({k: v for k, v in options.items() if v is not None})
    allowed = (*_INTEGERS, *_NUMBERS, "clean_step")
    for key, value in config.items():
        if key in _INTEGERS:
            validation.integer(key, value, *_INTEGERS[key])
        elif key in _NUMBERS:
            validation.number(key, value, 0, 1e12, strict_low=True)
        elif key == "clean_step":
            if not isinstance(value, bool):
                raise InvalidInput(key, value, "true or false")
        else:
            raise InvalidInput(key, value, "one of " + ", ".join(allowed))
    for key in ("d", "K", "N"):
        if key not in config:
            raise InvalidInput(
                key, None, "required: give --d, --K and --N (or them in the TOML file)"
            )
    if config["K"] > config["N"]:
        raise InvalidInput("K", config["K"], f"at most N = {config['N']}")
    config.setdefault("sigma2", 1.0)
    if "gamma2" not in config and config["K"] == 1:
        raise InvalidInput(
            "--gamma2", None, "a number > 0: one component (K = 1) has no separation to compute"
        )
    if "gamma2" not in config:  # the separation of the configuration's own random means
        from memlab.numerics.data import make_dataset

        config["gamma2"] = make_dataset(
            int(config["d"]),
            int(config["K"]),
            int(config["N"]),
            float(config["sigma2"]),
            int(config.get("seed", 0)),
        ).mixture.separation2
    return config


@click.command()
@click.argument("config_file", required=False, type=click.Path(dir_okay=False))
@click.option("--d", type=int, help="Dimension d >= 1.")
@click.option("--K", "K", type=int, help="Mixture components, 1 <= K <= N.")
@click.option("--N", "N", type=int, help="Training points N >= 1.")
@click.option("--M", "M", type=int, help="Model size M >= 1 (for the model-size assumptions).")
@click.option("--sigma2", type=float, help="Data variance σ⋆² > 0 (default 1).")
@click.option(
    "--gamma2", type=float, help="Squared separation γ² > 0; default: that of the seed's means."
)
@click.option("--seed", type=int, help="Seed >= 0 of the random means behind the default γ².")
@click.option("--steps", type=int, help="Training steps (for the training-budget assumption).")
@click.option(
    "--format", "fmt", default="text", type=click.Choice(["text", "json"]), show_default=True
)
def audit(config_file, d, K, N, M, sigma2, gamma2, seed, steps, fmt) -> None:
    """Evaluate every claim's assumptions on CONFIG_FILE (TOML: d, K, N, M, sigma2, gamma2, seed,
    steps, clean_step) or the options, with margins (holds when >= 0); per grid time where an
    assumption reads t. The options override the file."""
    from memlab.verification.audit import audit as run
    from memlab.verification.math_render import readable

    from .options import strict_json

    config = _configuration(
        config_file,
        {
            "d": d,
            "K": K,
            "N": N,
            "M": M,
            "sigma2": sigma2,
            "gamma2": gamma2,
            "seed": seed,
            "steps": steps,
        },
    )
    rows = run(config)
    if fmt == "json":
        click.echo(strict_json({"config": config, "rows": [r.to_dict() for r in rows]}))
        return
    click.echo(
        "configuration: "
        + ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in config.items()
        )
    )
    claim = None
    for r in rows:
        if r.claim != claim:
            claim = r.claim
            click.echo(f"\n{claim}")
        mark = {True: "holds", False: "FAILS", None: "not evaluated"}[r.holds]
        margin = "" if r.margin is None else f" (margin {r.margin:+.4g})"
        click.echo(f"  {mark:<13} {r.assumption}: {readable(r.statement)}{margin}")
        click.echo(f"  {'':<13} {r.detail}")


__all__ = ["audit"]
