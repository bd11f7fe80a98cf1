"""What several subcommands share: options built from the registries they describe (the tiers),
and the one way a configuration file is read (one layout for ``train``, ``sweep`` and ``verify``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from memlab.theory import validation
from memlab.theory.errors import InvalidInput
from memlab.training.tiers import TIER_NAMES, tier_help

__all__ = [
    "tier_option",
    "config_option",
    "wait_option",
    "model_option",
    "templates_options",
    "tier_and_file",
    "low_rank_config",
    "header",
]

MODELS = ("isotropic", "low-rank")


def tier_option(*names: str, **settings) -> click.Option:
    """``--tier`` (or ``names``), its choices and help from :mod:`memlab.training.tiers`."""
    return click.option(
        *(names or ("--tier",)),
        type=click.Choice(TIER_NAMES),
        help=f"Tier: {tier_help()}.",
        **settings,
    )


def config_option() -> click.Option:
    return click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path),
        help="TOML file of overrides on the tier: Monte Carlo keys at the top level, training keys "
        'under [sweep], optionally `tier = "..."` (see `memlab config --show TIER`).',
    )


def wait_option() -> click.Option:
    return click.option(
        "--wait",
        is_flag=True,
        help="If another memlab process is writing OUT, wait for it to finish (default: exit 2).",
    )


def model_option() -> click.Option:
    return click.option(
        "--model",
        type=click.Choice(MODELS),
        default="isotropic",
        show_default=True,
        help="Model class: the isotropic mixture of §2, or the low-rank image-like model of §4.2 "
        "(its tiers: smoke, ci, paper; overrides from the file's [low_rank_sweep] table).",
    )


def templates_options(function):
    """``--templates`` and ``--template-labels`` (the low-rank model's templates from a local
    MNIST-format IDX file)."""
    function = click.option(
        "--template-labels",
        type=str,
        default=None,
        help="--model low-rank: the IDX labels file of --templates (templates = class means); "
        "without it the first K images are the templates.",
    )(function)
    return click.option(
        "--templates",
        type=str,
        default=None,
        help="--model low-rank: an MNIST-format IDX images file (raw or .gz), e.g. FashionMNIST; "
        "default: glyphs of the bundled DejaVu Sans font.",
    )(function)


def low_rank_config(
    model: str,
    tier: str,
    table: dict,
    overrides: dict,
    templates: str | None,
    template_labels: str | None,
    isotropic_only: dict,
):
    """The low-rank sweep configuration of ``tier``: the file's ``[low_rank_sweep]`` table, then
    ``overrides`` and the templates (``--templates`` checked fully here, a missing, truncated or
    malformed file named in the error); None for ``--model isotropic``, which refuses
    ``--templates``. ``isotropic_only``: options given that the low-rank model does not take
    (refused when set)."""
    from memlab.numerics.checks import validate_low_rank
    from memlab.training.low_rank_sweep import LOW_RANK_TIERS, low_rank_sweep_config

    if model == "isotropic":
        for name, value in (("--templates", templates), ("--template-labels", template_labels)):
            if value is not None:
                raise InvalidInput(name, value, "only with --model low-rank")
        return None
    for name, value in isotropic_only.items():
        if value not in (None, False, ()):
            raise InvalidInput(name, value, "not an option of --model low-rank")
    validation.one_of("--tier", tier, tuple(LOW_RANK_TIERS))
    config = low_rank_sweep_config(tier, {**table.get("low_rank_sweep", {}), **overrides})
    if templates is not None or template_labels is not None:
        validate_low_rank(
            prefix="--",
            K=config.K,
            N=config.N,
            h=config.h,
            w=config.w,
            templates=templates,
            template_labels=template_labels,
        )
        config = low_rank_sweep_config(
            tier,
            {
                **table.get("low_rank_sweep", {}),
                **overrides,
                "templates": templates,
                "template_labels": template_labels,
            },
        )
    return config


def tier_and_file(
    tier: str | None, config_file: Path | None, default: str | None = "smoke"
) -> tuple[str, dict]:
    """The tier to run and the configuration file's table (without its ``tier`` key), every key
    checked now, whichever command reads it. The tier is ``--tier``, else the file's ``tier``,
    else (no file) ``default``; a file without either is refused, since silently overriding a tier
    the user did not name would run settings they never chose."""
    from memlab.training.config import sweep_table
    from memlab.training.files import read_toml
    from memlab.verification.tiers import tier_config

    table = read_toml(config_file) if config_file is not None else {}
    named = table.pop("tier", None)
    if named is not None:
        validation.one_of("tier", named, TIER_NAMES)
        if tier is not None and tier != named:
            raise InvalidInput("--tier", tier, f"the file's tier {named!r}, or no --tier")
    chosen = tier or named or (None if config_file is not None else default)
    if chosen is None:
        raise InvalidInput(
            "--tier", None, 'a tier to run: --tier, or tier = "..." in the --config file'
        )
    sweep_table(table)  # a training key outside [sweep]: refused with that hint
    tier_config(chosen, table)
    return chosen, table


def header(command: str, tier: str, overrides: dict) -> str:
    """The first line of a command's text output: what it ran."""
    return f"memlab {command}: tier {tier}; overrides {json.dumps(overrides, sort_keys=True)}"


def strict_json(value: object) -> str:
    """``value`` as strict JSON: numpy values as plain numbers, no NaN or Infinity (a non-finite
    number is null; the commands refuse the inputs that would produce one)."""
    from memlab.numerics.checks.result import plain

    return json.dumps(plain(value, strict=True), allow_nan=False)


# Why a claim of the registry is not measured by `derive` (closed forms) or `check` (Monte Carlo on
# one configuration): what it needs that they do not have.
_JUDGED_ELSEWHERE = {
    "c-order-stat": "an order-statistic prediction of C compared with thm-3.2's measured C",
    "eq-15": "a weighting fitted across trained configurations",
    "fig-1": "closed forms against the loss table of many model sizes",
    "fig-2": "trained models (the memorization ratio against M/N)",
    "fig-3": "trained models' transition points across configurations",
}


def refuse_claim(name: str, field: str, served: list[str]) -> InvalidInput:
    """The error for a claim this command does not serve, saying which it does and why ``name``
    is not among them."""
    served_text = "one of " + ", ".join(served)
    if name in _JUDGED_ELSEWHERE:
        return InvalidInput(
            field,
            name,
            f"{served_text} ({name} needs {_JUDGED_ELSEWHERE[name]}: `memlab verify` judges it)",
        )
    return InvalidInput(field, name, served_text)
