"""The report: ``report.md``, a self-contained ``report.html`` (figures embedded as base64 PNG),
``verdicts.json`` and the PNG figures, all from stored results (:mod:`verification.results`).

Both documents are written from one list of blocks (heading, paragraph, table, figure), so they say
the same thing. Everything is deterministic: rebuilding from the same results gives identical bytes.
"""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from memlab.training.files import fsync_directory

from .figures import FIGURES, render
from .math_render import formula_html
from .registry import CLAIMS, GRID_CLAIMS
from .results import Results, dumps
from .verdict import ALPHA, OUTCOMES, POWER, Verdict

__all__ = ["verdicts", "exit_code", "build", "write_report", "EXIT_CODES"]

EXIT_CODES = {
    0: "every verdict confirmed or assumption-violated (or skipped as the tier intends)",
    1: "some verdict refuted",
    2: "bad input (before any work)",
    3: "some verdict inconclusive or unexpectedly skipped, none refuted",
}

PAPER = {"fitted weighting train/test error": "≤ 2×10⁻⁴", "M_pt/N": "≈ 4/5"}


def verdicts(results: Results, controls: bool | None = None) -> list[Verdict]:
    """Every registered claim's verdict on these results; with ``controls`` (default: as the run
    was made, ``manifest["controls"]``) each carries its wrong theories' outcomes."""
    if controls is None:
        controls = bool(results.manifest.get("controls"))
    out = []
    for claim in CLAIMS.values():
        verdict = claim.verdict(results)
        if controls:
            verdict = replace(verdict, controls=claim.control_outcomes(results, verdict))
        out.append(verdict)
    return out


def exit_code(verdict_list: list[Verdict]) -> int:
    """1 when a verdict is refuted; else 3 when one is inconclusive or unexpectedly skipped; else 0
    (:data:`EXIT_CODES`)."""
    if any(v.status == "refuted" for v in verdict_list):
        return 1
    if any(v.status == "inconclusive" or v.unexpected for v in verdict_list):
        return 3
    return 0


@dataclass(frozen=True)
class Block:
    kind: str  # heading1, heading2, paragraph, table, figure, code
    content: object


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        low, high = value
        if high is None:
            return f"≥ {_number(low)}"
        if low is None:
            return f"≤ {_number(high)}"
        return f"[{_number(low)}, {_number(high)}]"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _key_number(v: Verdict) -> str:
    if v.status == "skipped":
        return "—"
    return (
        f"{v.key}: measured {_number(v.measured)} ± {_number(v.se)} vs theory {_number(v.theory)}"
    )


def _seed_caveat(results: Results) -> str:
    """What the measured M_pt's error bar covers: the bootstrap resamples samples and seeds, so with
    one seed it cannot include seed-to-seed (training) variation."""
    seeds = min(
        (len(c.get("seeds", [])) for c in results.measurements.get("sweep", {}).get("configs", [])),
        default=0,
    )
    if seeds == 1:
        return (
            "Each M_pt comes from one training seed: its interval bootstraps the memorization "
            "samples only and "
            "does not include seed-to-seed variation, so it understates the uncertainty of M_pt."
        )
    return f"M_pt intervals bootstrap samples and {seeds} seeds."


def _fraction(value) -> str:
    return "—" if value is None else f"{value:.3f}"


def _study_tables(results: Results) -> list[Block]:
    """Every configuration's per-seed and measured M_pt/N, its interval, convergence, and each
    prediction's error; the RMSE of each predictor; the checkpoint diagnostic."""
    study = results.measurements.get("study")
    if not study or not study["configurations"]:
        return []
    rows = study["configurations"]
    names = ("measured-losses", "order-statistic", "C-interval")
    table = [
        [
            f"{r['d']}, {r['K']}, {r['N']}",
            ", ".join(_fraction(v) for v in r["per_seed"]) or "—",
            _fraction(r["measured"]),
            "—" if r["ci"] is None else f"[{r['ci'][0]:.3f}, {r['ci'][1]:.3f}]",
            {True: "yes", False: "**not converged**", None: "not checked"}[r["converged"]],
            *(
                "—"
                if r["predicted"].get(n) is None
                else (
                    f"[{r['predicted'][n][0]:.3f}, {r['predicted'][n][1]:.3f}]"
                    if isinstance(r["predicted"][n], list)
                    else _fraction(r["predicted"][n])
                )
                + f" ({_fraction(r['errors'][n])})"
                for n in names
            ),
        ]
        for r in rows
    ]
    table.append(
        ["RMSE", "", "", "", ""]
        + [
            f"{_fraction(study['rmse'][n]['rmse'])} over {study['rmse'][n]['configurations']}"
            for n in names
        ]
    )
    blocks = [
        Block(
            "paragraph",
            f"Across configurations: {rows[0]['method']}. Seed variance of M_pt/N pooled over "
            f"configurations: {study['seed_variance'] or 0:.2e} ({study['degrees_of_freedom']} "
            "degrees of freedom). Predictions made without fitting, each with "
            "|predicted − measured| in brackets (to the nearest point of the C ∈ [1, 2] interval).",
        ),
        Block(
            "table",
            (
                [
                    "d, K, N",
                    "M_pt/N per seed",
                    "measured",
                    "95% interval",
                    "converged",
                    "eq. (14), measured losses",
                    "eq. (14), order-statistic C",
                    "eq. (14), C ∈ [1, 2]",
                ],
                table,
            ),
        ),
    ]
    budgets = [
        [
            f"{r['d']}, {r['K']}, {r['N']}",
            ", ".join(str(s) for s in b["steps"]),
            ", ".join(_fraction(m) for m in b["measured"]),
            b["why"],
            {True: "yes", False: "**not converged**", None: "not checked"}[b["converged"]],
        ]
        for r in rows
        for b in r["budgets"]
    ]
    if budgets:
        blocks.append(
            Block(
                "table",
                (["d, K, N", "steps", "M_pt/N", "comparison", "converged"], budgets),
            )
        )
    checkpoints = [
        [f"{r['d']}, {r['K']}, {r['N']}"]
        + [f"step {k['step']}: {_fraction(k['M_pt_over_N'])}" for k in r["checkpoints"]]
        for r in rows
        if r["checkpoints"]
    ]
    if checkpoints:
        width = max(len(row) for row in checkpoints)
        blocks += [
            Block(
                "paragraph",
                "Diagnostic only: M_pt/N of the same runs at intermediate checkpoints (pooled over "
                "seeds). The learning rate is still decaying there, so these are not the "
                "transition points of shorter runs.",
            ),
            Block(
                "table",
                (
                    ["d, K, N"] + [f"checkpoint {i}" for i in range(1, width)],
                    [row + [""] * (width - len(row)) for row in checkpoints],
                ),
            ),
        ]
    return blocks


def _across_configurations(results: Results) -> dict:
    """For verdicts.json: per configuration the per-seed and measured M_pt/N, its interval, the
    converged flag and each prediction's error, and each predictor's RMSE (the study
    measurement)."""
    study = results.measurements.get("study")
    if not study:
        return {}
    keep = (
        "d", "K", "N", "steps", "per_seed", "measured", "ci", "method", "converged", "budgets",
        "predicted", "errors",
    )  # fmt: skip
    return {
        "configurations": [{k: r[k] for k in keep} for r in study["configurations"]],
        "predictor_rmse": study["rmse"],
    }


def _cross_validation_table(results: Results) -> list[Block]:
    cv = (results.measurements.get("study") or {}).get("eq15_cv")
    if not cv:
        return []
    rows = [
        [
            name,
            str(f["free_parameters"])
            + (" (more than the training configurations)" if f["underdetermined"] else ""),
            str(f["configurations"]),
            f"{f['train_mse']:.2e}",
            f"{f['held_out_mse']:.2e}",
            f"{f['held_out_mse_noise_corrected']:.2e} ± "
            f"{f['held_out_mse_noise_corrected_se'] or 0:.1e}",
        ]
        for name, f in sorted(cv["fits"].items())
    ]
    return [
        Block(
            "paragraph",
            "Eq. (15) by leave-one-configuration-out (each configuration predicted by a weighting "
            "fitted on the others); the paper reports train and test error ≤ 2×10⁻⁴. The "
            "noise-corrected held-out MSE subtracts each target's squared SE (± its SE over "
            "configurations). The verdict above judges every held-out prediction.",
        ),
        Block(
            "table",
            (
                [
                    "predictor, family",
                    "free parameters",
                    "configurations",
                    "train MSE",
                    "held-out MSE",
                    "held-out MSE − noise",
                ],
                rows,
            ),
        ),
    ]


def _eq15_table(results: Results) -> list[Block]:
    fit = results.measurements.get("eq-15")
    if not fit:
        return []
    rows = [
        [
            name,
            f"{r['train_error']:.2e}",
            "—" if r["test_error"] is None else f"{r['test_error']:.2e}",
            f"{sum(w * t**2 for w, t in zip(r['weights'], fit['t'], strict=False)):.4f}",
            str(len(r["train"])),
            str(len(r["test"])),
        ]
        for name, r in sorted(fit["fits"].items())
    ]
    mean_mpt = sum(c["M_pt_over_N"] for c in fit["configurations"]) / len(fit["configurations"])
    return [
        Block(
            "paragraph",
            f"Paper: train/test error {PAPER['fitted weighting train/test error']}, "
            f"M_pt {PAPER['M_pt/N']}·N. Ours: mean measured M_pt/N = {mean_mpt:.4f} over "
            f"{len(fit['configurations'])} configurations; closed-form predictor uses C = "
            f"{fit['C']:g}. " + _seed_caveat(results),
        ),
        Block(
            "table",
            (
                [
                    "predictor",
                    "train MSE",
                    "test MSE",
                    "λ̃-weighted mean of t²",
                    "train configs",
                    "test configs",
                ],
                rows,
            ),
        ),
    ]


def _grid_table(by_id: dict[str, Verdict]) -> list[Block]:
    """Outcome per (d, K, N) of every grid claim (worst over σ⋆², times, model sizes and
    weightings)."""
    from .claims.grid import outcomes_by_configuration

    outcomes = {c: outcomes_by_configuration(by_id[c]) for c in GRID_CLAIMS}
    labels = dict.fromkeys(label for o in outcomes.values() for label in o)
    rows = [[label, *(o.get(label, "—") for o in outcomes.values())] for label in labels]
    counts = "; ".join(
        f"{claim}: "
        + ", ".join(f"{list(o.values()).count(s)} {s}" for s in OUTCOMES if s in o.values())
        for claim, o in outcomes.items()
    )
    return [
        Block("paragraph", f"Outcomes over the paper's 64 configurations — {counts}."),
        Block("table", (["configuration", *GRID_CLAIMS], rows)),
    ]


def _status(v: Verdict) -> str:
    text = v.status + (" (unexpectedly)" if v.unexpected else "")
    return text + (" — no power" if v.no_power else "")


def _detectable(v: Verdict, claim) -> str:
    if v.detectable is None:
        return "—"
    unit = "relative" if claim.margin.relative else claim.margin.unit
    return f"{v.detectable:.3g} ({unit})"


def control_outcome(control: dict) -> str:
    """A control's outcome as the report states it: "not distinguishable here" where the wrong
    theory equals the claim's at every admissible comparison (its test is then the claim's own)."""
    if control.get("distinguishable") == 0:
        return f"not distinguishable here (identical to the theory; test: {control['outcome']})"
    return control["outcome"]


def _controls(v: Verdict) -> str:
    if not v.controls:
        return "not run"
    return "; ".join(f"{c['theory']}: {control_outcome(c)}" for c in v.controls)


def _comparison_rows(v: Verdict) -> tuple[str, list]:
    shown = v.comparisons
    note = ""
    if len(shown) > 60:
        shown = [c for c in v.comparisons if c.outcome != "confirmed"][:60]
        note = f" (the {len(shown)} not confirmed, of {len(v.comparisons)})"
    rows = [
        [
            c.label,
            _number(c.theory),
            _number(c.measured),
            _number(c.se),
            f"[{_number(c.low)}, {_number(c.high)}]",
            _number(c.margin),
            _number(c.detectable),
            c.outcome + (f" ({', '.join(c.violated)}; test: {c.test})" if c.violated else ""),
        ]
        for c in shown
    ]
    return note, rows


def build(results: Results, figures: dict[str, bytes]) -> tuple[list[Block], list[Verdict]]:
    verdict_list = verdicts(results)
    by_id = dict(zip(CLAIMS, verdict_list, strict=True))
    config = results.config
    code = exit_code(verdict_list)
    blocks = [
        Block("heading1", f"memorization-lab verification report — tier `{results.tier}`"),
        Block(
            "paragraph",
            "Verifies 'On the Edge of Memorization in Diffusion Models' (arXiv 2508.17689) claim "
            "by claim. Each comparison is an equivalence test against the claim's margin at level "
            f"α = {ALPHA:g}: confirmed (the {1 - 2 * ALPHA:.0%} interval of the measurement lies "
            "within the margin of the theory), refuted (entirely outside it; Holm-corrected over a "
            "claim's comparisons), inconclusive (it straddles the margin: more draws needed), "
            "assumption-violated (an assumption fails there: shown with its test, not counted), "
            "skipped (with the reason). 'Detectable' is the smallest deviation the check detects "
            f"with probability {POWER:.0%}. A claim whose check refutes none of its deliberately "
            "wrong theories (controls) has no power.",
        ),
        Block(
            "table",
            (
                ["claim", "statement", "verdict", "key number", "margin", "detectable", "controls"],
                [
                    [
                        f"`{c.id}`",
                        c.title,
                        f"**{_status(v)}**",
                        _key_number(v),
                        f"{c.margin.value:.3g} {'relative' if c.margin.relative else c.margin.unit}"
                        f" ({c.margin.source})",
                        _detectable(v, c),
                        _controls(v),
                    ]
                    for c, v in zip(CLAIMS.values(), verdict_list, strict=True)
                ],
            ),
        ),
        Block(
            "paragraph",
            f"Overall: exit code **{code}** — {EXIT_CODES[code]} ("
            + ", ".join(
                f"{sum(v.status == s for v in verdict_list)} {s}"
                for s in OUTCOMES
                if any(v.status == s for v in verdict_list)
            )
            + ").",
        ),
        Block("heading2", "Tier, configuration and provenance"),
        Block(
            "paragraph",
            f"Tier `{results.tier}`: Monte Carlo at d={config['d']}, K={config['K']}, "
            f"N={config['N']}, "
            f"σ⋆²={config['sigma2']}, seed {config['seed']}, {config['draws']} noise draws per "
            f"time, γ² = {config['gamma2']:.2f}; training tier `{config['sweep_tier']}`.",
        ),
        Block(
            "table",
            (
                ["override of the paper configuration", "value"],
                [[k, f"`{v}`"] for k, v in sorted(results.manifest["overrides"].items())]
                or [["(none)", ""]],
            ),
        ),
        Block(
            "table",
            (
                ["provenance", "value"],
                [[k, f"`{v}`"] for k, v in sorted(results.provenance.items()) if k != "packages"]
                + [
                    [f"package {k}", f"`{v}`"]
                    for k, v in sorted(results.provenance["packages"].items())
                ],
            ),
        ),
    ]
    if results.skipped:
        blocks.append(
            Block(
                "table",
                (
                    ["measurement not made", "why"],
                    [[k, v] for k, v in sorted(results.skipped.items())],
                ),
            )
        )
    shown: dict[str, str] = {}  # figure -> the claim it is shown under
    for claim in CLAIMS.values():
        v = by_id[claim.id]
        blocks += [
            Block("heading2", f"`{claim.id}` — {claim.title} ({claim.location})"),
            Block(
                "paragraph",
                f"Statement: ${claim.statement}$"
                + (" (reconstructed)" if claim.reconstructed else "")
                + _measured_at(v),
            ),
            Block("paragraph", f"Verdict: **{_status(v)}** — {v.reason}. Key: {_key_number(v)}."),
            Block(
                "paragraph",
                f"Margin: {claim.margin.rule}. Why: {claim.margin.why} Smallest detectable "
                f"deviation: {_detectable(v, claim)}.",
            ),
            Block(
                "paragraph",
                "Assumptions: "
                + ("; ".join(f"`{a.id}` ${a.statement}$" for a in claim.assumptions) or "none"),
            ),
            Block(
                "paragraph",
                "Negative controls (wrong theories through the same check): "
                + "; ".join(
                    f"`{c.name}` ({c.wrong})"
                    + "".join(
                        f": **{control_outcome(o)}**" for o in v.controls if o["theory"] == c.name
                    )
                    for c in claim.controls
                )
                + (" — **no power**: the check refuted none of them." if v.no_power else ""),
            ),
        ]
        if v.comparisons:
            note, rows = _comparison_rows(v)
            header = [f"point{note}", "theory", "measured", "SE", f"{1 - 2 * ALPHA:.0%} interval"]
            header += ["margin", "detectable", "outcome"]
            blocks.append(Block("table", (header, rows)))
        if claim.id == "eq-15":
            blocks += _eq15_table(results) + _cross_validation_table(results)
        if claim.id == "fig-3":
            blocks += _study_tables(results)
        if claim.id == GRID_CLAIMS[-1] and "grid" in results.measurements:
            blocks += _grid_table(by_id)
        for name in claim.figures:
            if name in figures and name not in shown:  # each figure once, under its first claim
                shown[name] = claim.id
                blocks.append(Block("figure", (name, FIGURES[name][1])))
            elif name in figures:
                blocks.append(
                    Block("paragraph", f"Figure: {FIGURES[name][1]}, shown under `{shown[name]}`.")
                )
    return blocks, verdict_list


_MEASURED_KEYS = ("d", "K", "N", "M", "sigma2", "draws", "steps")


def _measured_at(v: Verdict) -> str:
    """The configuration this claim was measured at (which may differ from the paper's, named in
    the statement)."""
    config = v.config or {}
    shown = [f"{key}={config[key]}" for key in _MEASURED_KEYS if config.get(key) is not None]
    return f". Measured here at {', '.join(shown)}" if shown else ""


def _markdown(blocks: list[Block]) -> str:
    lines = []
    for block in blocks:
        if block.kind == "heading1":
            lines += [f"# {block.content}", ""]
        elif block.kind == "heading2":
            lines += [f"## {block.content}", ""]
        elif block.kind == "paragraph":
            lines += [block.content, ""]
        elif block.kind == "table":
            header, rows = block.content
            cell = lambda s: str(s).replace("|", "\\|")  # noqa: E731
            lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows] + [""]
        elif block.kind == "figure":
            name, caption = block.content
            lines += [f"![{caption}]({name})", "", f"*{caption}* (`{name}`)", ""]
    return "\n".join(lines)


def _inline(text: str) -> str:
    """HTML of one paragraph or cell: ``$…$`` formulas drawn (:mod:`.math_render`), `code` and
    **bold**; everything else escaped."""
    pieces = re.split(r"\$([^$]+)\$", text)
    return "".join(
        formula_html(piece) if i % 2 else _code_and_bold(piece) for i, piece in enumerate(pieces)
    )


def _code_and_bold(text: str) -> str:
    out, parts = [], html.escape(text).split("`")
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"<code>{part}</code>")
        else:
            pieces = part.split("**")
            out.append("".join(f"<b>{p}</b>" if j % 2 else p for j, p in enumerate(pieces)))
    return "".join(out)


def _html(blocks: list[Block], figures: dict[str, bytes], title: str) -> str:
    body = []
    for block in blocks:
        if block.kind in ("heading1", "heading2"):
            tag = "h1" if block.kind == "heading1" else "h2"
            body.append(f"<{tag}>{_inline(block.content)}</{tag}>")
        elif block.kind == "paragraph":
            body.append(f"<p>{_inline(block.content)}</p>")
        elif block.kind == "table":
            header, rows = block.content
            head = "".join(f"<th>{_inline(h)}</th>" for h in header)
            body.append(
                "<table><tr>"
                + head
                + "</tr>"
                + "".join(
                    "<tr>"
                    + "".join(f'<td class="{_status_class(c)}">{_inline(str(c))}</td>' for c in row)
                    + "</tr>"
                    for row in rows
                )
                + "</table>"
            )
        elif block.kind == "figure":
            name, caption = block.content
            data = base64.b64encode(figures[name]).decode("ascii")
            body.append(
                f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{html.escape(caption)} (<code>{name}</code>)</figcaption></figure>"
            )
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;margin:1em 0;font-size:0.85em}td,th{border:1px solid "
        "#ccc;padding:3px 6px}"
        ".refuted{background:#fdd}.confirmed{background:#dfd}.inconclusive{background:#fec}"
        ".assumption-violated{background:#ffd}.skipped{background:#eee}"
        "img{max-width:100%}img.math{vertical-align:middle;max-width:none}code{font-size:0.9em}"
    )
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _status_class(cell: object) -> str:
    text = str(cell).strip("*").split(" ")[0]
    return text if text in OUTCOMES else ""


def write_report(results: Results, out: Path) -> list[Verdict]:
    """Write the figures, ``report.md``, ``report.html`` and ``verdicts.json`` into ``out``: all
    built in a temporary folder inside ``out`` first, then each renamed into place, so that a
    failure while building leaves the previous report whole (never a mix of old and new files)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out))
    try:
        figures = render(results)
        blocks, verdict_list = build(results, figures)
        files = {
            **figures,
            "report.md": _markdown(blocks).encode(),
            "report.html": _html(
                blocks, figures, f"memorization-lab report ({results.tier})"
            ).encode(),
            "verdicts.json": dumps(
                {
                    "tier": results.tier,
                    "exit_code": exit_code(verdict_list),
                    "config": results.config,
                    "overrides": results.manifest["overrides"],
                    "provenance": results.provenance,
                    "skipped": results.skipped,
                    "verdicts": [v.to_dict() for v in verdict_list],
                    **_across_configurations(results),
                }
            ).encode(),
        }
        for name, data in files.items():
            with open(staging / name, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for name in files:
            os.replace(staging / name, out / name)
        fsync_directory(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return verdict_list
