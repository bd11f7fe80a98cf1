"""``memlab sweep``: run (or resume) a tier's M-sweeps and print the phase-transition points, or
with ``--plan`` the jobs and their estimated wall time here, before any training."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from memlab.runtime import configure_jax
from memlab.theory.errors import InvalidInput
from memlab.verification.progress import stderr_progress

from .options import (
    config_option,
    header,
    low_rank_config,
    model_option,
    strict_json,
    templates_options,
    tier_and_file,
    tier_option,
    wait_option,
)

FORMATS = click.Choice(["text", "json"])


def print_points(config: dict) -> None:
    click.echo(
        f"  {'M':>5} {'seed':>4} {'ratio':>6} {'95% CI':>15} {'train':>9} {'test':>9} {'s2':>9}  "
        "failed"
    )
    for p in config["points"]:
        if p["failed"]:
            click.echo(f"  {p['M']:>5} {p['seed']:>4}  {p['failed']}")
            continue
        ci = f"[{p['ci'][0]:.2f}, {p['ci'][1]:.2f}]"
        click.echo(
            f"  {p['M']:>5} {p['seed']:>4} {p['ratio']:>6.2f} {ci:>15} {p['train_loss']:>9.4g} "
            f"{p['test_loss']:>9.4g} {p['learned_s2']:>9.3g}"
        )


def print_low_rank(result: dict, tier: str, fmt: str) -> None:
    """A low-rank sweep (``training.run_low_rank_sweep``): M_pt and a row per model."""
    if fmt == "json":
        click.echo(strict_json({"model": "low-rank", "tier": tier, **result}))
        return
    c = result["config"]
    click.echo(header("low-rank sweep", tier, {}))
    fraction = "—" if result["M_pt"] is None else f"{result['M_pt'] / c['N']:.3f}"
    low, high = result["M_pt_ci"]
    click.echo(
        f"K={c['K']} N={c['N']} {c['h']}x{c['w']} (d={c['d']}) steps={c['steps']} "
        f"seed={c['seed']} templates={c['templates'] or 'glyphs'}: M_pt={_fmt(result['M_pt'])} "
        f"(95% CI {_fmt(low)}..{_fmt(high)}), M_pt/N={fraction}"
    )
    click.echo(f"  {'M':>5} {'ratio':>6} {'95% CI':>15} {'train':>9} {'test':>9} {'s2':>9}  failed")
    for p in result["points"]:
        if p["failed"]:
            click.echo(f"  {p['M']:>5}  {p['failed']}")
            continue
        ci = f"[{p['ci'][0]:.2f}, {p['ci'][1]:.2f}]"
        click.echo(
            f"  {p['M']:>5} {p['ratio']:>6.2f} {ci:>15} {p['train_loss']:>9.4g} "
            f"{p['test_loss']:>9.4g} {p['learned_s2']:>9.3g}"
        )


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def budgets_override(text: str | None) -> dict:
    """``--budgets 50000,100000``: the first budget is ``steps``, the others are swept for every
    configuration."""
    if text is None:
        return {}
    try:
        budgets = [int(part) for part in text.split(",")]
    except ValueError:
        raise InvalidInput("--budgets", text, "comma-separated step counts") from None
    if not budgets or min(budgets) < 1:
        raise InvalidInput("--budgets", text, "comma-separated step counts >= 1")
    return {"steps": budgets[0], "budgets": budgets[1:], "budget_configs": []}


def print_plan(plan: dict, fmt: str) -> None:
    if fmt == "json":
        json.dump(plan, sys.stdout)
        click.echo()
        return
    jobs = plan["jobs"]
    click.echo(
        f"tier {plan['tier']}: {len(jobs)} jobs (one per configuration, seed and step budget) on "
        f"{plan['workers']} worker process(es)"
    )
    click.echo(f"  {'d':>3} {'K':>3} {'N':>4} {'seed':>4} {'steps':>7}  coarse M, then refinement")
    for job in jobs:
        click.echo(
            f"  {job['d']:>3} {job['K']:>3} {job['N']:>4} {job['seed']:>4} {job['steps']:>7}  "
            f"{job['M']}"
            + (f" + {job['refine']} placed after the coarse pass" if job["refine"] else "")
        )
    click.echo("calibration on this machine, now (a few timed chunks of each coarse ensemble):")
    for c in plan["calibration"]:
        click.echo(
            f"  d={c['d']} N={c['N']} {c['kind']:<6} M={c['M']}: {c['ms_per_step']:.2f} ms/step, "
            f"compile {c['compile_s']:.1f} s, measurement {c['measure_s_per_model']:.2f} s/model"
        )
    seconds = plan["estimated_seconds"]
    click.echo(
        f"estimated wall time: {seconds:.0f} s ({seconds / 60:.1f} min); calibration took "
        f"{plan['seconds_calibrating']:.0f} s"
    )


@click.command()
@tier_option()
@config_option()
@model_option()
@templates_options
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Results directory (default results/sweep-TIER, results/low-rank-sweep-TIER); one "
    "writer at a time.",
)
@click.option("--scheduler", help="Dask scheduler address tcp://HOST:PORT (default: run here).")
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=1024),
    help="Worker processes on this machine (default: one per core on CPU, one on a GPU).",
)
@click.option(
    "--budgets",
    help="Comma-separated step budgets, e.g. 50000,100000: every configuration is swept at each "
    "(M_pt against the budget).",
)
@click.option(
    "--plan", is_flag=True, help="Print the jobs and the estimated wall time; train nothing."
)
@wait_option()
@click.option("--format", "fmt", default="text", type=FORMATS, show_default=True)
def sweep(
    tier: str | None,
    config_file: Path | None,
    model: str,
    templates: str | None,
    template_labels: str | None,
    out: Path | None,
    scheduler: str | None,
    workers: int | None,
    budgets: str | None,
    plan: bool,
    wait: bool,
    fmt: str,
) -> None:
    """Train every configuration's M-sweep (resuming from OUT), then print M_pt per
    configuration. Tier: --tier, else the file's `tier`, else smoke. With --model low-rank: the
    §4.2 model's sweep of the tier (smoke, ci or paper), resumable alike."""
    from memlab.training import (
        check_scheduler_address,
        check_writable_directory,
        local_workers,
        plan_sweep,
        resolve,
        run_low_rank_sweep,
        run_sweep,
        sweep_table,
    )

    tier, table = tier_and_file(tier, config_file)
    low_rank = low_rank_config(
        model,
        tier,
        table,
        {},
        templates,
        template_labels,
        {"--budgets": budgets, "--plan": plan},
    )
    if low_rank is not None:
        out = out or Path("results") / f"low-rank-sweep-{tier}"
        check_writable_directory(out)
        if scheduler is not None:
            check_scheduler_address(scheduler)
        configure_jax()
        result = run_low_rank_sweep(
            low_rank,
            out,
            stderr_progress("low-rank sweep", "training steps"),
            scheduler,
            workers or (1 if scheduler else local_workers()),
            wait,
        )
        print_low_rank(result, tier, fmt)
        return
    overrides = {**sweep_table(table), **budgets_override(budgets)}
    config, _ = resolve(tier, overrides)  # bad input fails here, before any work
    if plan:
        configure_jax()
        print_plan(plan_sweep(tier, config, workers or local_workers()).to_dict(), fmt)
        return
    out = out or Path("results") / f"sweep-{tier}"
    check_writable_directory(out)
    if scheduler is not None:
        check_scheduler_address(scheduler)
    configure_jax()
    workers = workers or (1 if scheduler else local_workers())
    result = run_sweep(
        tier,
        out,
        overrides,
        scheduler,
        stderr_progress("sweep", "training steps"),
        workers,
        wait=wait,
    ).to_dict()
    if fmt == "json":
        click.echo(strict_json(result))
        return
    click.echo(header("sweep", result["tier"], result["overrides"]))
    for c in result["configs"] + result["budget_runs"]:
        fraction = "—" if c["M_pt"] is None else f"{c['M_pt'] / c['N']:.3f}"
        per_seed = ", ".join("—" if m is None else f"{m / c['N']:.3f}" for m in c["M_pt_per_seed"])
        click.echo(
            f"d={c['d']} K={c['K']} N={c['N']} steps={c['steps']} seeds={c['seeds']}: "
            f"M_pt={_fmt(c['M_pt'])} "
            f"(95% CI {_fmt(c['M_pt_ci'][0])}..{_fmt(c['M_pt_ci'][1])}), M_pt/N={fraction} "
            f"(per seed {per_seed}), window "
            f"0.1–0.9 {_fmt(c['window'][0])}..{_fmt(c['window'][1])}, clean step: {c['clean_step']}"
        )
        if c["checkpoint_M_pt"]:
            click.echo(
                "  diagnostic, M_pt/N at intermediate checkpoints of these runs (learning rate "
                "still decaying; not shorter runs): "
                + ", ".join(
                    f"step {k['step']}: "
                    + ("—" if k["M_pt"] is None else f"{k['M_pt'] / c['N']:.3f}")
                    for k in c["checkpoint_M_pt"]
                )
            )
        print_points(c)
