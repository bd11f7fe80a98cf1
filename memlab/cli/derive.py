"""``memlab derive``: a claim's statement, assumptions and expression, or eq. (14) evaluated."""

from __future__ import annotations

import json

import click
import mpmath
import sympy as sp

from memlab import theory
from memlab.theory.errors import InvalidInput

from .options import refuse_claim, strict_json

FORMATS = click.Choice(["text", "latex", "json"])


@click.command(
    help=f"Print claim NAME ({', '.join(theory.THEORY_CLAIMS)}), or with NAME `crossover` "
    "evaluate eq. (14)'s M*/N for the given weighting, C, schedule and σ⋆². The other claims of "
    "the registry are measured, not derived: `memlab verify` judges them."
)
@click.argument("name")
@click.option(
    "--weighting",
    default="uniform",
    show_default=True,
    help="uniform, snr, continuous-uniform or power:γ (crossover).",
)
@click.option(
    "--C",
    "C",
    default="3/2",
    show_default=True,
    help="Coefficient of Theorem 3.2, > 0; decimal or fraction (crossover).",
)
@click.option(
    "--schedule", default="vp", show_default=True, help="vp, cosine-vp, ve or linear (crossover)."
)
@click.option("--sigma2", default="1", show_default=True, help="Data variance σ⋆² > 0 (crossover).")
@click.option(
    "--digits",
    default=30,
    show_default=True,
    type=int,
    help="Significant digits (checked against twice as many).",
)
@click.option("--format", "fmt", default="text", type=FORMATS, show_default=True)
def derive(
    name: str, weighting: str, C: str, schedule: str, sigma2: str, digits: int, fmt: str
) -> None:
    if name == "crossover":
        _crossover(weighting, C, schedule, sigma2, digits, fmt)
    elif name in theory.THEORY_CLAIMS:
        _claim(theory.get_claim(name), fmt)
    else:
        raise refuse_claim(name, "NAME", [*theory.THEORY_CLAIMS, "crossover"])


def _positive(value: str, option: str, high: int) -> sp.Rational:
    """A number in (0, ``high``] with at most 12 digits above and below the fraction bar: exact
    arithmetic on it stays small."""
    allowed = (
        f"a number in (0, {high}], decimal or fraction (e.g. 1.5 or 3/2), numerator and "
        "denominator below 10^12"
    )
    number = theory.parse_rational(value, option)
    if not 0 < number <= high or max(abs(number.p), number.q) >= 10**12:
        raise InvalidInput(option, value, allowed)
    return number


def _crossover(weighting: str, C: str, schedule: str, sigma2: str, digits: int, fmt: str) -> None:
    if digits < 5 or digits > 1000:
        raise InvalidInput("--digits", digits, "an integer in [5, 1000]")
    try:
        weighting_ = theory.get_weighting(weighting)
    except InvalidInput as error:
        raise InvalidInput("--weighting", weighting, error.allowed) from None
    try:
        schedule_ = theory.get_schedule(schedule)
    except InvalidInput as error:
        raise InvalidInput("--schedule", schedule, error.allowed) from None
    C_, sigma2_ = _positive(C, "--C", 1000), _positive(sigma2, "--sigma2", 10**6)

    expression = theory.crossover_ratio(weighting_, C_, schedule_, sigma2_)
    value = theory.evaluate(expression, digits=digits)
    interval = [
        theory.evaluate(bound, digits=digits)
        for bound in theory.crossover_interval(weighting_, schedule_, sigma2_)
    ]
    general = theory.crossover_ratio(weighting_, theory.symbols.C, schedule_, sigma2_)
    general_latex = theory.symbols.to_latex(general) if len(sp.srepr(general)) < 4000 else None
    result = {
        "claim": "eq-14",
        "weighting": weighting,
        "C": str(C_),
        "schedule": schedule_.name,
        "sigma2": str(sigma2_),
        "digits": digits,
        "value": mpmath.nstr(value, digits),
        # the exact fraction when it is short enough to read
        "exact": str(expression) if expression.is_Rational and expression.q < 10**12 else None,
        "latex": general_latex,
        "C_interval": [str(c) for c in theory.C_INTERVAL],
        "interval": [mpmath.nstr(bound, digits) for bound in interval],
    }
    if fmt == "json":
        click.echo(strict_json(result))
    elif fmt == "latex":
        click.echo(
            rf"\frac{{M^\star}}{{N}} = {result['latex'] or theory.symbols.to_latex(expression)} = "
            rf"{result['value']}"
        )
    else:
        click.echo(
            f"M*/N = {result['value']}   (eq. 14; weighting {weighting}, C = {C_}, schedule "
            f"{schedule_.name}, σ⋆² = {sigma2_})"
        )
        if result["exact"]:
            click.echo(f"      = {result['exact']} exactly")
        click.echo(
            f"C ∈ [1, 2]  →  M*/N ∈ [{mpmath.nstr(interval[0], 6)}, {mpmath.nstr(interval[1], 6)}]"
        )


def _claim(claim: theory.Claim, fmt: str) -> None:
    assumptions = [{"id": a.id, "statement": a.statement, "why": a.why} for a in claim.assumptions]
    expression = claim.expression
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "id": claim.id,
                    "title": claim.title,
                    "location": claim.location,
                    "statement": claim.statement,
                    "reconstructed": claim.reconstructed,
                    "assumptions": assumptions,
                    "expression": str(expression),
                    "latex": theory.symbols.to_latex(expression),
                }
            )
        )
    elif fmt == "latex":
        click.echo(f"% {claim.id}: {claim.title} ({claim.location})")
        click.echo(claim.statement)
        for a in claim.assumptions:
            click.echo(f"% assumption {a.id}: {a.statement}")
        click.echo(theory.symbols.to_latex(expression))
    else:
        mark = " [reconstructed]" if claim.reconstructed else ""
        click.echo(f"{claim.id}: {claim.title} ({claim.location}){mark}")
        click.echo(f"  statement: {claim.statement}")
        click.echo("  assumptions:" + ("" if assumptions else " none"))
        for a in claim.assumptions:
            click.echo(f"    - {a.id}: {a.statement}   ({a.why})")
        click.echo("  expression:")
        click.echo("    " + sp.pretty(expression, use_unicode=True).replace("\n", "\n    "))
