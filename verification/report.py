"""The report: ``report.md``, a self-contained ``report.html`` (figures embedded as base64 PNG),
``verdicts.json`` and the PNG figures, all from stored results (:mod:`verification.results`).

Both documents are written from one list of blocks (heading, paragraph, table, figure), so they say
the same thing. Everything is deterministic: rebuilding from the same results gives identical bytes.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

from .figures import FIGURES, render
from .registry import CLAIMS
from .results import Results, dumps
from .verdict import PASSING, Verdict

__all__ = ["verdicts", "exit_code", "build", "write_report"]

PAPER = {"fitted weighting train/test error": "≤ 2×10⁻⁴", "M_pt/N": "≈ 4/5"}


def verdicts(results: Results) -> list[Verdict]:
    """Every registered claim's verdict on these results."""
    return [claim.verdict(results) for claim in CLAIMS.values()]


def exit_code(verdict_list: list[Verdict]) -> int:
    """0 when every verdict is pass / assumption-violated / skipped, 1 when any fails."""
    return 0 if all(v.status in PASSING for v in verdict_list) else 1


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


def build(results: Results, figures: dict[str, bytes]) -> tuple[list[Block], list[Verdict]]:
    verdict_list = verdicts(results)
    by_id = dict(zip(CLAIMS, verdict_list, strict=False))
    config = results.config
    blocks = [
        Block("heading1", f"memorization-lab verification report — tier `{results.tier}`"),
        Block(
            "paragraph",
            "Verifies 'On the Edge of Memorization in Diffusion Models' (arXiv 2508.17689) claim "
            "by claim. A verdict is pass / fail (a disagreement where the claim's assumptions "
            "hold) / assumption-violated (the assumptions fail here: shown, not counted) / skipped "
            "(with the reason).",
        ),
        Block(
            "table",
            (
                ["claim", "statement", "verdict", "key number"],
                [
                    [f"`{c.id}`", c.title, f"**{v.status}**", _key_number(v)]
                    for c, v in zip(CLAIMS.values(), verdict_list, strict=False)
                ],
            ),
        ),
        Block(
            "paragraph",
            f"Overall: **{'FAIL' if exit_code(verdict_list) else 'OK'}** ("
            + ", ".join(
                f"{sum(v.status == s for v in verdict_list)} {s}"
                for s in ("pass", "fail", "assumption-violated", "skipped")
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
    for claim in CLAIMS.values():
        v = by_id[claim.id]
        blocks += [
            Block("heading2", f"`{claim.id}` — {claim.title} ({claim.location})"),
            Block(
                "paragraph",
                f"Statement: ${claim.statement}$"
                + (" (reconstructed)" if claim.reconstructed else ""),
            ),
            Block("paragraph", f"Verdict: **{v.status}** — {v.reason}. Key: {_key_number(v)}."),
            Block("paragraph", f"Tolerance: {claim.tolerance.rule}. Why: {claim.tolerance.why}"),
            Block(
                "paragraph",
                "Assumptions: "
                + ("; ".join(f"`{a.id}` ${a.statement}$" for a in claim.assumptions) or "none"),
            ),
        ]
        if v.comparisons:
            shown = (
                v.comparisons
                if len(v.comparisons) <= 60
                else [c for c in v.comparisons if c.status != "pass"][:60]
            )
            note = (
                ""
                if shown is v.comparisons
                else f" (showing the {len(shown)} that did not pass of {len(v.comparisons)})"
            )
            blocks.append(
                Block(
                    "table",
                    (
                        [f"point{note}", "theory", "measured", "SE", "|Δ|", "bound", "status"],
                        [
                            [
                                c.label,
                                _number(c.theory),
                                _number(c.measured),
                                _number(c.se),
                                _number(c.deviation),
                                _number(c.bound),
                                c.status + (f" ({', '.join(c.violated)})" if c.violated else ""),
                            ]
                            for c in shown
                        ],
                    ),
                )
            )
        if claim.id == "eq-15":
            blocks += _eq15_table(results)
        for name in claim.figures:
            if name in figures:
                blocks.append(Block("figure", (name, FIGURES[name][1])))
    return blocks, verdict_list


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
    # `code` and **bold** only; everything else escaped (math stays as $…$ source).
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
        ".fail{background:#fdd}.pass{background:#dfd}.assumption-violated{background:#ffd}.skipped{background:#eee}"
        "img{max-width:100%}code{font-size:0.9em}"
    )
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _status_class(cell: object) -> str:
    text = str(cell).strip("*").split(" ")[0]
    return text if text in ("pass", "fail", "assumption-violated", "skipped") else ""


def write_report(results: Results, out: Path) -> list[Verdict]:
    """Write the figures, ``report.md``, ``report.html`` and ``verdicts.json`` into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    figures = render(results)
    for name, data in figures.items():
        (out / name).write_bytes(data)
    blocks, verdict_list = build(results, figures)
    (out / "report.md").write_text(_markdown(blocks))
    (out / "report.html").write_text(
        _html(blocks, figures, f"memorization-lab report ({results.tier})")
    )
    (out / "verdicts.json").write_text(
        dumps(
            {
                "tier": results.tier,
                "exit_code": exit_code(verdict_list),
                "config": results.config,
                "overrides": results.manifest["overrides"],
                "provenance": results.provenance,
                "skipped": results.skipped,
                "verdicts": [v.to_dict() for v in verdict_list],
            }
        )
    )
    return verdict_list
