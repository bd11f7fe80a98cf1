"""The report's figures, drawn from stored results only.

Figures are ``matplotlib.figure.Figure`` objects rendered by the Agg canvas (no pyplot, no global
backend switch) and saved as PNG without dates or software tags, so a rebuild is byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from memlab import theory

from .claims.eq_14 import interval
from .conditions import converged_training
from .results import Results

__all__ = ["FIGURES", "render", "png_bytes"]

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")
_excess = theory.to_numpy(theory.generalizing_excess_loss(), ["d", "sigma2", "t"])


def _figure(width: float = 10.0, height: float = 4.2, columns: int = 2):
    figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.subplots(1, columns, squeeze=False)[0]


def png_bytes(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def shade_failing_times(axis, t, configs: list[dict], legend: bool = True) -> None:
    """Shade the grid times where the memorizing-negligible assumption (docs/theory.md) fails for
    any of ``configs``: there the closed forms of Theorems 3.1 and 3.2 are not expected to hold."""
    negligible = theory.assumptions.memorizing_loss_negligible()
    t = np.asarray(t, float)
    failing = [
        float(time)
        for time in t
        if any(not negligible.evaluate({**c, "t": float(time)}).holds for c in configs)
    ]
    if not failing or t.size < 2:
        return
    step = float(np.min(np.diff(np.unique(t))))
    axis.axvspan(
        min(failing) - step / 2,
        float(t.max()) + step / 2,
        color="0.85",
        lw=0,
        zorder=0,
        label=f"{negligible.id} fails:\nnot ${negligible.statement}$" if legend else None,
    )


def figure_1(results: Results) -> Figure | None:
    if "losses" not in results.arrays:
        return None
    table, config = results.arrays["losses"], results.measurements["losses"]["config"]
    d, N, sigma2, t = config["d"], config["N"], config["sigma2"], table["t"]
    figure, (left, right) = _figure()
    fine = np.linspace(t[0], t[-1], 400)
    left.plot(
        fine,
        _excess(d, sigma2, fine),
        color="black",
        lw=1.5,
        label=r"Thm 3.1: $d\sigma_\star^2/(1+\psi_t\sigma_\star^2)$",
    )
    left.errorbar(
        t,
        table["generalizing_excess"],
        yerr=2 * table["generalizing_excess_se"],
        fmt="o",
        ms=4,
        color=COLOURS[0],
        capsize=2,
        label=r"Monte Carlo $\pm$2 SE",
    )
    left.set(
        yscale="log",
        xlabel="diffusion time $t$ (dimensionless)",
        ylabel=r"excess loss over $\theta_\mathrm{mem}$ ($x_0$ units)",
        title=rf"generalizing $\theta_\star$ (d={d}, K={config['K']}, N={N})",
    )
    # Where Theorem 3.1's assumption "memorizing loss negligible" fails, the closed form is not
    # expected to hold.
    for axis in (left, right):
        shade_failing_times(axis, t, [config], legend=axis is left)
    left.legend(fontsize=8, loc="lower right")
    sizes = [j for j, M in enumerate(table["M"]) if M < N]
    shown = sizes[:: max(1, len(sizes) // 4)][:4]
    for colour, j in zip(COLOURS[1:], shown, strict=False):
        M = int(table["M"][j])
        right.axhspan(
            d * sigma2 * (1 - M / N), 2 * d * sigma2 * (1 - M / N), color=colour, alpha=0.12, lw=0
        )
        right.errorbar(
            t,
            table["partial_excess"][j],
            yerr=2 * table["partial_excess_se"][j],
            fmt="o-",
            ms=3,
            lw=0.8,
            color=colour,
            capsize=2,
            label=f"M={M}",
        )
    right.set(
        xlabel="diffusion time $t$ (dimensionless)",
        ylabel="excess loss over $\\theta_\\mathrm{mem}$ ($x_0$ units)",
        title=r"$\theta_{\mathrm{pmem},M}$; bands: Thm 3.2, $C\in[1,2]$",
    )
    right.legend(fontsize=8, title="measured ±2 SE", title_fontsize=8, loc="lower left")
    return figure


def figure_2(results: Results) -> Figure | None:
    if "sweep" not in results.measurements:
        return None
    configs = results.measurements["sweep"]["configs"][:3]
    if not configs:
        return None
    band = interval("uniform", results.config["sigma2"])
    figure = Figure(figsize=(10, 3.6 * len(configs)), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(configs), 2, squeeze=False)
    for (ratio_axis, loss_axis), config in zip(axes, configs, strict=False):
        N = config["N"]
        points = sorted(
            (p for p in config["points"] if not p.get("failed")), key=lambda p: (p["M"], p["seed"])
        )
        sizes = sorted({p["M"] for p in points})
        fraction = np.array(sizes) / N
        by_size = {M: [p for p in points if p["M"] == M] for M in sizes}
        ratio = np.array([np.mean([p["ratio"] for p in by_size[M]]) for M in sizes])
        low = np.array([min(p["ci"][0] for p in by_size[M]) for M in sizes])
        high = np.array([max(p["ci"][1] for p in by_size[M]) for M in sizes])
        title = f"d={config['d']}, K={config['K']}, N={N}, {config.get('steps', '?')} steps"
        budget = converged_training()
        short = not budget.evaluate({"steps": config.get("steps", 0)}).holds
        for axis in (ratio_axis, loss_axis):
            axis.axvspan(
                *band, color="grey", alpha=0.18, lw=0, label=r"eq. (14) $M^\star/N$, $C\in[1,2]$"
            )
            if config.get("M_pt") is not None:
                axis.axvline(
                    config["M_pt"] / N,
                    color="black",
                    ls="--",
                    lw=1,
                    label=rf"$M_\mathrm{{pt}}/N$ = {config['M_pt'] / N:.3f}",
                )
        if short:  # the whole curve is measured where the training-budget assumption fails
            for axis in (ratio_axis, loss_axis):
                axis.axvspan(
                    0,
                    1.02,
                    color="0.85",
                    lw=0,
                    zorder=0,
                    label=f"{budget.id} fails: not ${budget.statement}$"
                    if axis is ratio_axis
                    else None,
                )
        ratio_axis.fill_between(
            fraction, low, high, color=COLOURS[0], alpha=0.25, lw=0, label="95% Wilson interval"
        )
        ratio_axis.plot(fraction, ratio, "o-", color=COLOURS[0], ms=4, label="memorization ratio")
        ratio_axis.set(
            xlabel="$M/N$ (model size / training points)",
            ylabel="memorization ratio (fraction of samples)",
            ylim=(-0.03, 1.03),
            xlim=(0, 1.02),
            title=title,
        )
        ratio_axis.legend(fontsize=7, loc="upper left")
        for key, colour, label in (
            ("train_loss", COLOURS[1], "train loss"),
            ("test_loss", COLOURS[2], "test loss"),
        ):
            values = [
                np.mean([p[key] for p in by_size[M] if p.get(key) is not None] or [np.nan])
                for M in sizes
            ]
            loss_axis.plot(fraction, values, "o-", color=colour, ms=4, label=label)
        loss_axis.set(
            xlabel="$M/N$ (model size / training points)",
            ylabel=r"loss ($x_0$ units, grid-averaged)",
            xlim=(0, 1.02),
            title=title,
        )
        loss_axis.legend(fontsize=7)
    return figure


MARKERS = ("o", "s", "^", "D", "v", "P")
PREDICTOR_TITLES = {
    "measured-losses": "eq. (14), measured losses",
    "order-statistic": "eq. (14), order-statistic C",
    "C-interval": "eq. (14), C ∈ [1, 2]",
}


def figure_3_study(results: Results) -> Figure:
    """Every configuration's measured M_pt/N (seed-inclusive 95% interval) against each
    prediction made without fitting: colour for K, marker for N, hollow where the two step budgets
    disagree (not converged); residuals below."""
    study = results.measurements["study"]
    rows = [r for r in study["configurations"] if r["measured"] is not None]
    figure = Figure(figsize=(13, 8), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(2, 3, squeeze=False)
    Ks = sorted({r["K"] for r in rows})
    Ns = sorted({r["N"] for r in rows})
    for column, name in enumerate(PREDICTOR_TITLES):
        top, bottom = axes[0][column], axes[1][column]
        top.plot([0.4, 1.0], [0.4, 1.0], color="black", lw=0.8)
        for index, r in enumerate(rows):
            predicted = r["predicted"].get(name)
            if predicted is None:
                continue
            low, high = r["ci"] or [r["measured"], r["measured"]]
            style = dict(
                color=COLOURS[Ks.index(r["K"]) % len(COLOURS)],
                marker=MARKERS[Ns.index(r["N"]) % len(MARKERS)],
                mfc="none" if r["converged"] is False else None,
                ms=7,
                capsize=2,
                ls="none",
            )
            interval = isinstance(predicted, list)
            x = sum(predicted) / 2 if interval else predicted
            top.errorbar(
                x,
                r["measured"],
                yerr=[[r["measured"] - low], [high - r["measured"]]],
                xerr=(predicted[1] - predicted[0]) / 2 if interval else None,
                **style,
            )
            residual = r["measured"] - (
                min(max(r["measured"], predicted[0]), predicted[1]) if interval else predicted
            )
            bottom.errorbar(
                index,
                residual,
                yerr=[[r["measured"] - low], [high - r["measured"]]],
                **style,
            )
        rmse = study["rmse"][name]["rmse"]
        top.set(
            xlim=(0.4, 1.0),
            ylim=(0.4, 1.0),
            aspect="equal",
            xlabel="predicted $M^\\star/N$",
            ylabel="measured $M_\\mathrm{pt}/N$ (95%, seeds and samples)",
            title=PREDICTOR_TITLES[name] + ("" if rmse is None else f"\nRMSE {rmse:.3f}"),
        )
        bottom.axhline(0, color="black", lw=0.8)
        bottom.set(
            xlabel="configuration",
            ylabel="measured − predicted (to the interval for C ∈ [1, 2])",
            xticks=range(len(rows)),
            xticklabels=[f"{r['d']},{r['K']},{r['N']}" for r in rows],
        )
        bottom.tick_params(axis="x", labelrotation=60, labelsize=7)
    legend = [
        axes[0][0].plot([], [], "o", color=COLOURS[i % len(COLOURS)], label=f"K={K}")[0]
        for i, K in enumerate(Ks)
    ] + [
        axes[0][0].plot([], [], MARKERS[i % len(MARKERS)], color="grey", label=f"N={N}")[0]
        for i, N in enumerate(Ns)
    ]
    legend.append(axes[0][0].plot([], [], "o", color="grey", mfc="none", label="not converged")[0])
    axes[0][0].legend(handles=legend, fontsize=7, loc="upper left")
    return figure


def figure_3(results: Results) -> Figure | None:
    if results.measurements.get("study", {}).get("configurations"):
        return figure_3_study(results)
    figure, (axis,) = _figure(5.6, 5.0, 1)
    band = interval("uniform", results.config["sigma2"])
    axis.plot([0, 1], [0, 1], color="black", lw=0.8)
    axis.axvspan(
        *band, color="grey", alpha=0.18, lw=0, label=r"eq. (14), uniform $\lambda$, $C\in[1,2]$"
    )
    configs = [
        c
        for c in results.measurements.get("sweep", {}).get("configs", [])
        if c.get("M_pt") is not None
    ]
    fits = results.measurements.get("eq-15", {}).get("fits", {})
    if not configs:
        axis.text(
            0.5,
            0.12,
            "no configuration with a measured $M_\\mathrm{pt}$ in this tier",
            ha="center",
            fontsize=9,
            transform=axis.transAxes,
        )
    measured = np.array([c["M_pt"] / c["N"] for c in configs])
    errors = np.array(
        [
            [(c["M_pt"] - c["M_pt_ci"][0]) / c["N"], (c["M_pt_ci"][1] - c["M_pt"]) / c["N"]]
            if None not in (c.get("M_pt_ci") or [None])
            else [0, 0]
            for c in configs
        ]
    ).T.reshape(2, -1)
    mid = (band[0] + band[1]) / 2
    if configs:
        axis.errorbar(
            np.full(len(configs), mid),
            measured,
            yerr=errors,
            xerr=(band[1] - band[0]) / 2,
            fmt="s",
            ms=4,
            color=COLOURS[0],
            alpha=0.6,
            capsize=2,
            label="closed form (C interval)",
        )
    for colour, (name, fit) in zip(COLOURS[1:], sorted(fits.items()), strict=False):
        predicted, target = (
            np.array(fit["predicted"]),
            np.array([c["M_pt_over_N"] for c in results.measurements["eq-15"]["configurations"]]),
        )
        for subset, marker, which in ((fit["train"], "o", "train"), (fit["test"], "^", "test")):
            axis.plot(
                predicted[subset],
                target[subset],
                marker,
                color=colour,
                ms=6,
                ls="none",
                mfc="none" if which == "test" else colour,
                label=f"eq. (15) fit, {name} ({which})",
            )
    axis.axhline(0.8, color=COLOURS[4], ls=":", lw=1, label="paper: $M_\\mathrm{pt} \\approx 0.8N$")
    axis.set(
        xlim=(0.4, 1.0),
        ylim=(0.4, 1.0),
        xlabel="predicted $M^\\star/N$",
        ylabel="measured $M_\\mathrm{pt}/N$",
        title="transition points across configurations",
        aspect="equal",
    )
    axis.legend(fontsize=7, loc="upper left")
    return figure


def figure_weighting(results: Results) -> Figure | None:
    fit = results.measurements.get("eq-15")
    if not fit:
        return None
    figure, (axis,) = _figure(7.0, 4.0, 1)
    t = np.array(fit["t"])
    shade_failing_times(axis, t, [{**results.config, **c} for c in fit.get("configurations", [])])
    axis.plot(t, np.full(t.size, 1 / t.size), color="black", lw=1, ls="--", label="uniform")
    for offset, colour, (name, result) in zip(
        (-0.006, 0.006), COLOURS, sorted(fit["fits"].items()), strict=False
    ):
        axis.bar(
            t + offset,
            result["weights"],
            width=0.012,
            color=colour,
            alpha=0.8,
            label=f"{name}: train MSE {result['train_error']:.1e}, test MSE "
            f"{result['test_error']:.1e}",
        )
    axis.set(
        xlabel="diffusion time $t$ (dimensionless)",
        ylabel=r"fitted weight $\tilde\lambda_t$ (dimensionless, sums to 1)",
        title=r"eq. (15): fitted weighting on the 26-point grid",
    )
    axis.legend(fontsize=8)
    return figure


def figure_c(results: Results) -> Figure | None:
    if "thm-3.2" not in results.measurements:
        return None
    figure, (axis,) = _figure(7.0, 4.4, 1)
    axis.axhspan(1, 2, color="grey", alpha=0.15, lw=0, label="Thm 3.2: $C\\in[1,2]$")
    checks = results.measurements["thm-3.2"]["results"]
    shade_failing_times(
        axis,
        [r["t"] for result in checks for r in result["rows"] if r.get("t") is not None],
        [
            {**results.config, **{k: v for k, v in c["config"].items() if v is not None}}
            for c in checks
        ],
    )
    for colour, result in zip(COLOURS, results.measurements["thm-3.2"]["results"], strict=False):
        rows = [r for r in result["rows"] if r.get("C") is not None]
        t = np.array([r["t"] for r in rows])
        C = np.array([r["C"] for r in rows])
        se = np.array([r.get("C_se") or 0.0 for r in rows])
        M = result["config"].get("M")
        axis.errorbar(
            t,
            C,
            yerr=2 * se,
            fmt="o",
            ms=3,
            color=colour,
            capsize=2,
            label=f"measured C, M={M} (±2 SE)",
        )
        sharp = [r.get("C_sharp") for r in rows]
        if any(s is not None for s in sharp):
            axis.plot(
                t,
                [np.nan if s is None else s for s in sharp],
                "-",
                color=colour,
                lw=1.5,
                label=f"order-statistic prediction, M={M}",
            )
    axis.set(
        xlabel="diffusion time $t$ (dimensionless)",
        ylabel="$C$ = excess / $d\\sigma_\\star^2(1-M/N)$ (dimensionless)",
        title="Theorem 3.2's coefficient: measured vs order-statistic prediction",
    )
    axis.legend(fontsize=8)
    return figure


def _rgb(point: list[float], h: int, w: int) -> np.ndarray:
    """A point of the low-rank model (channel-major 3·h·w) as an RGB image, scaled to [0, 1]."""
    image = np.asarray(point).reshape(3, h, w).transpose(1, 2, 0)
    scale = np.abs(image).max()
    return 0.5 + 0.5 * image / scale if scale > 0 else np.full_like(image, 0.5)


def figure_5(results: Results) -> Figure | None:
    sweep = results.measurements.get("low-rank-sweep")
    if not sweep:
        return None
    config, N = sweep["config"], sweep["config"]["N"]
    h, w = config["h"], config["w"]
    good = sorted((p for p in sweep["points"] if not p.get("failed")), key=lambda p: p["M"])
    shown = [good[0], good[len(good) // 2], good[-1]] if len(good) >= 3 else good
    templates, examples = sweep["templates"], sweep["training_examples"]
    columns = max(len(templates), 6)
    figure = Figure(figsize=(10, 9), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    top, middle, bottom = figure.subfigures(3, 1, height_ratios=[1.1, 1.6, 2.4])
    grid = top.subplots(2, columns, squeeze=False)
    for axis in grid.ravel():
        axis.set_axis_off()
    for k, template in enumerate(templates[:columns]):
        grid[0, k].imshow(np.asarray(template), cmap="gray")
        grid[0, k].set_title(f"$T_{{{k + 1}}}$", fontsize=8)
    for k, point in enumerate(examples[:columns]):
        grid[1, k].imshow(_rgb(point, h, w))
    top.suptitle(r"templates and coloured training samples $x = c\otimes T_k$", fontsize=9)
    rows = middle.subplots(len(shown), columns, squeeze=False)
    for row, point in zip(rows, shown, strict=False):
        for axis in row:
            axis.set_axis_off()
        for axis, sample in zip(row, point.get("example_samples", []), strict=False):
            axis.imshow(_rgb(sample, h, w))
        row[0].set_title(f"M={point['M']}: ratio {point['ratio']:.2f}", fontsize=8, loc="left")
    middle.suptitle("DDIM samples of trained models at three M", fontsize=9)
    (axis,) = bottom.subplots(1, 1, squeeze=False)[0]
    fraction = np.array([p["M"] for p in good]) / N
    axis.fill_between(
        fraction,
        [p["ci"][0] for p in good],
        [p["ci"][1] for p in good],
        color=COLOURS[0],
        alpha=0.25,
        lw=0,
        label="95% Wilson interval",
    )
    axis.plot(fraction, [p["ratio"] for p in good], "o-", color=COLOURS[0], ms=4, label="ratio")
    predicted = sweep.get("predicted", {})
    if predicted.get("isotropic_eq14"):
        axis.axvspan(
            *predicted["isotropic_eq14"],
            color="grey",
            alpha=0.18,
            lw=0,
            label=r"isotropic eq. (14), $C\in[1,2]$",
        )
    if predicted.get("low_rank") is not None:
        axis.axvline(
            predicted["low_rank"],
            color=COLOURS[1],
            lw=1.2,
            label=rf"low-rank prediction {predicted['low_rank']:.3f}",
        )
    if sweep.get("M_pt") is not None:
        axis.axvline(
            sweep["M_pt"] / N,
            color="black",
            ls="--",
            lw=1,
            label=rf"$M_\mathrm{{pt}}/N$ = {sweep['M_pt'] / N:.3f}",
        )
    axis.set(
        xlabel="$M/N$",
        ylabel="memorization ratio",
        ylim=(-0.03, 1.03),
        xlim=(0, 1.02),
        title=f"K={config['K']}, N={N}, {h}×{w}, {sweep['steps']} steps",
    )
    axis.legend(fontsize=7, loc="upper left")
    return figure


def edge_points(results: Results) -> list[tuple[float, float, float]]:
    r"""Theorem 3.1's rows as (assumption ratio :math:`\psi_t d\sigma_\star^2/\log(N/K)`,
    relative error, its SE), from every stored Theorem 3.1 check."""
    from .claims.common import snr

    points = []
    for entry in results.measurements.get("grid", {}).get("configurations", []):
        log_n = np.log(entry["N"] / entry["K"])
        for t, measured, se in zip(
            entry["t"], entry["generalizing_excess"], entry["generalizing_excess_se"], strict=True
        ):
            theory_value = entry["d"] * entry["sigma2"] / (1 + float(snr(t)) * entry["sigma2"])
            ratio = float(snr(t) * entry["d"] * entry["sigma2"] / log_n)
            points.append((ratio, measured / theory_value - 1, se / theory_value))
    for result in results.measurements.get("thm-3.1", {}).get("results", []):
        c = result["config"]
        log_n = np.log(c["N"] / c["K"])
        for row in result["rows"]:
            if row["theory"]:
                ratio = float(snr(row["t"]) * c["d"] * c["sigma2"] / log_n)
                theory_value = abs(row["theory"])
                points.append((ratio, row["measured"] / theory_value - 1, row["se"] / theory_value))
    return points


def figure_edge(results: Results) -> Figure | None:
    from .claims.thm_3_1 import MARGIN

    points = [p for p in edge_points(results) if p[0] > 0]
    if not points:
        return None
    ratio, error, se = (np.array(column) for column in zip(*points, strict=True))
    figure, (axis,) = _figure(7.0, 4.4, 1)
    axis.axhspan(-MARGIN.value, MARGIN.value, color="grey", alpha=0.15, lw=0, label="margin")
    axis.axvline(
        4, color="black", ls="--", lw=1, label=r"derived edge $\psi_t d\sigma_\star^2 = 4\log(N/K)$"
    )
    axis.errorbar(
        ratio,
        error,
        yerr=2 * se,
        fmt="o",
        ms=3,
        color=COLOURS[0],
        capsize=2,
        label="Monte Carlo ±2 SE",
    )
    axis.set(
        xscale="log",
        xlabel=r"$\psi_t d\sigma_\star^2 / \log(N/K)$ (assumption holds right of the edge)",
        ylabel="relative error of Theorem 3.1",
        ylim=(max(-1.05, float(error.min()) - 0.05), max(0.15, float(error.max()) + 0.05)),
        title="Where Theorem 3.1 stops holding",
    )
    axis.legend(fontsize=8)
    return figure


OUTCOME_COLOURS = {
    "refuted": "#d62728",
    "inconclusive": "#ff7f0e",
    "confirmed": "#2ca02c",
    "assumption-violated": "#e8d44d",
    "not measured": "#dddddd",
}


def figure_grid(results: Results) -> Figure | None:
    """Outcome per (d, K, N) of every grid claim: one row per claim, one panel per d."""
    if "grid" not in results.measurements:
        return None
    from matplotlib.colors import ListedColormap

    from .claims.grid import WORST_FIRST, outcomes_by_configuration
    from .registry import CLAIMS, GRID_CLAIMS

    Ks, Ns, ds = (3, 6, 9, 12), (50, 100, 150, 200), (30, 40, 50, 60)
    figure = Figure(figsize=(12.0, 3.0 * len(GRID_CLAIMS) + 0.6), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(GRID_CLAIMS), len(ds), squeeze=False)
    shown = (*WORST_FIRST, "not measured")
    colours = ListedColormap([OUTCOME_COLOURS[o] for o in shown])
    for row, claim_id in enumerate(GRID_CLAIMS):
        outcomes = outcomes_by_configuration(CLAIMS[claim_id].verdict(results))
        for column, d in enumerate(ds):
            cells = np.array(
                [
                    [shown.index(outcomes.get(f"d={d} K={K} N={N}", "not measured")) for N in Ns]
                    for K in Ks
                ]
            )
            axis = axes[row, column]
            axis.imshow(cells, cmap=colours, vmin=0, vmax=len(shown) - 1, origin="lower")
            axis.set_xticks(range(len(Ns)), [str(N) for N in Ns])
            axis.set_yticks(range(len(Ks)), [str(K) for K in Ks])
            axis.set(xlabel="N", ylabel="K", title=f"{claim_id}, d={d}")
    handles = [
        axes[0, 0].scatter([], [], marker="s", color=OUTCOME_COLOURS[o], label=o)
        for o in WORST_FIRST
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=len(WORST_FIRST))
    return figure


FIGURES: dict[str, tuple[Callable[[Results], Figure | None], str]] = {
    "fig1_losses.png": (figure_1, "Figure 1: per-time excess losses, theory vs Monte Carlo"),
    "fig2_transition.png": (
        figure_2,
        "Figure 2: memorization ratio and losses vs M/N, predicted M* band",
    ),
    "fig3_mpt.png": (figure_3, "Figure 3: predicted vs measured M_pt/N"),
    "weighting.png": (figure_weighting, "Eq. (15): the fitted weighting"),
    "c_order_statistic.png": (figure_c, "Measured C vs the order-statistic prediction"),
    "grid_outcomes.png": (
        figure_grid,
        "Outcome per configuration of the paper's grid (worst over σ⋆², t and M)",
    ),
    "fig5_low_rank.png": (
        figure_5,
        "Figure 5: low-rank image-like model: templates, samples, ratio against M/N",
    ),
    "thm31_edge.png": (
        figure_edge,
        "Theorem 3.1's relative error against its assumption's margin ψ_t dσ⋆²/log(N/K)",
    ),
}
"""File name -> (drawing function, caption)."""


def render(results: Results) -> dict[str, bytes]:
    """Every figure the results support, as PNG bytes by file name."""
    out = {}
    for name, (draw, _) in FIGURES.items():
        figure = draw(results)
        if figure is not None:
            out[name] = png_bytes(figure)
    return out
