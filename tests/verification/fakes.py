"""Stand-ins for the numerics checks and the training sweep, with the contracts' shapes, so the
verification pipeline is tested fast and with known answers (agreeing or, on request,
disagreeing)."""

from __future__ import annotations

from dataclasses import dataclass

from memlab import theory

GRID = [float(t) for t in theory.grid_times()]
_excess = theory.to_numpy(theory.generalizing_excess_loss(), ["d", "sigma2", "t"])


@dataclass
class FakeCheck:
    data: dict

    def to_dict(self) -> dict:
        return self.data


def fake_run_check(bias: float = 0.0):
    """``numerics.run_check`` whose measurements equal the theory times (1 + bias), SE 1% of it."""

    def run_check(claim, *, d, K, N, M=None, seed=0, draws=100, sigma2=1.0, progress=None):
        config = {"d": d, "K": K, "N": N, "M": M, "seed": seed, "draws": draws, "sigma2": sigma2}
        if claim == "thm-3.1":
            rows = [{"t": t, "theory": float(_excess(d, sigma2, t))} for t in GRID]
        elif claim == "thm-3.2":
            rows = [
                {
                    "t": t,
                    "theory": 1.5 * d * sigma2 * (1 - M / N),
                    "C": 1.5 * (1 + bias),
                    "C_se": 0.01,
                    "C_sharp": 1.5,
                }
                for t in GRID
            ]
        elif claim in ("regime-poly-d", "regime-exp-d"):
            rows = [
                {"d": 5, "n": 10_000, "theory": 0.26, "two_d_sigma2": 10 * sigma2},
                {"d": d, "n": N // K, "theory": 49.4, "two_d_sigma2": 2 * d * sigma2},
            ]
        elif claim == "def-2.2":
            rows = [{"case": "fresh", "d1_over_d2": None, "theory": 1.0}]
            rows += [
                {"case": f"r={r}", "d1_over_d2": r, "theory": 1.0 if r < 1 / 3 else 0.0}
                for r in (0.2, 0.3, 0.37, 0.5)
            ]
        else:  # lem-2.1
            rows = [
                {"kind": "tweedie", "theory": 1.0, "roundoff": 1e-12},
                {"kind": "perturbation", "theory": 1.0, "roundoff": 1e-9},
            ]
        for row in rows:
            row.setdefault("t", None)
            row["measured"] = row["theory"] * (1 + bias)
            row["se"] = 0.01 * abs(row["theory"])
            row["rel_err"] = bias
        if claim == "regime-poly-d":
            rows[1]["measured"] = 71.7  # the paper-size regime: the asymptotic form is 30% low
        return FakeCheck(
            {"claim": claim, "config": config, "rows": rows, "summary": {}, "provenance": {}}
        )

    return run_check


@dataclass
class FakeSweep:
    data: dict

    def to_dict(self) -> dict:
        return self.data


def _config(d, K, N, M_pt, steps=50_000):
    points = []
    for k in range(1, 11):
        M = N * k // 10
        ratio = 0.0 if M_pt > M else 1.0
        points.append(
            {
                "M": M,
                "seed": 0,
                "ratio": ratio,
                "ci": [max(ratio - 0.07, 0), min(ratio + 0.07, 1)],
                "samples": 50,
                "train_loss": 10 * (1 - M / N),
                "test_loss": 12.0,
                "loss_gap_se": 0.5,
                "train_loss_per_t": [],
                "test_loss_per_t": [],
                "learned_s2": 1.0,
                "failed": False,
            }
        )
    return {
        "d": d,
        "K": K,
        "N": N,
        "seeds": [0],
        "steps": steps,
        "M_pt": M_pt,
        "M_pt_ci": [M_pt - 2, M_pt + 2],
        "window": [M_pt - N // 10, M_pt + N // 10],
        "clean_step": True,
        "points": points,
    }


def fake_run_sweep(tier, out, config=None, scheduler=None, progress=None, workers=1):
    return FakeSweep(
        {
            "tier": tier,
            "overrides": {},
            "provenance": {},
            "configs": [_config(6, 2, 20, 16), _config(6, 2, 30, 24), _config(8, 2, 20, 15)],
        }
    )


def fake_run_low_rank_check(claim, progress=None, **config):
    """``numerics.run_low_rank_check`` agreeing with the theory (SE 1%)."""
    rows = []
    for t in GRID[:-3]:  # the noisiest times are where the assumption fails
        theory_value = 3 * 225 / (1 + (1 - t * t) / (t * t) * 225)
        for kind in ("generalizing-excess", "generalizing-loss"):
            rows.append({"t": t, "kind": kind, "theory": theory_value})
        rows.append(
            {
                "t": t,
                "kind": "partial-excess",
                "theory": 0.45 * 675 / 2,
                "C_r": 0.45,
                "memorizing_per_competitor": 1e-6,
            }
        )
    for row in rows:
        row["measured"] = row["theory"]
        row["se"] = 0.01 * row["measured"]
        row["rel_err"] = 0.0
        row["assumption_holds"] = True
    config = {**config, "d": 675, "r": 3, "lam": 225.0, "K": 6, "N": 100, "M": 50}
    return FakeCheck(
        {"claim": claim, "config": config, "rows": rows, "summary": {}, "provenance": {}}
    )


def fake_run_low_rank_sweep(config, out, progress=None, scheduler=None, workers=1, wait=False):
    """``training.run_low_rank_sweep``: a clean step at M_pt = 0.85 N, images of the tier's size."""
    N, h, w = config.N, config.h, config.w
    points = []
    for M in config.model_sizes:
        ratio = 0.0 if M < 0.85 * N else 1.0
        points.append(
            {
                "M": M,
                "ratio": ratio,
                "ci": [max(ratio - 0.07, 0), min(ratio + 0.07, 1)],
                "samples": 50,
                "memorized": int(50 * ratio),
                "learned_s2": 1.0 - ratio,
                "failed": None,
                "example_samples": [[0.1] * (3 * h * w)] * 2,
            }
        )
    return {
        "config": {"K": config.K, "N": N, "h": h, "w": w, "colour_var": 1.0},
        "steps": config.steps,
        "templates": [[[1.0] * w] * h] * config.K,
        "training_examples": [[0.2] * (3 * h * w)] * 2,
        "points": points,
        "M_pt": 0.85 * N,
        "M_pt_ci": [0.8 * N, 0.9 * N],
        "window": [0.8 * N, 0.9 * N],
        "clean_step": True,
    }


def install_fakes(patch) -> None:
    """Fake ``numerics.run_check``, ``training.run_sweep`` and their low-rank twins; the real
    per-time loss tables."""
    from memlab import numerics, training
    from memlab.numerics import loss_table

    patch.setattr(numerics, "run_check", fake_run_check(), raising=False)
    patch.setattr(numerics, "per_time_losses", loss_table.per_time_losses, raising=False)
    patch.setattr(
        numerics, "measured_crossover_ratio", loss_table.measured_crossover_ratio, raising=False
    )
    patch.setattr(training, "run_sweep", fake_run_sweep, raising=False)
    patch.setattr(numerics, "run_low_rank_check", fake_run_low_rank_check, raising=False)
    patch.setattr(training, "run_low_rank_sweep", fake_run_low_rank_sweep, raising=False)
    patch.setattr(numerics, "low_rank_crossover", lambda *args, **kw: (0.9, 0.34), raising=False)


FAKE_GRID = ((30, 3, 50, 0.5), (30, 3, 200, 2.0))
"""A two-configuration stand-in for the paper's grid, at σ⋆² ≠ 1 (where σ⋆²-misplaced theories
differ)."""


def fake_grid(config, out, results):
    """The grid measurement (``measure.MEASUREMENTS["grid"]``) agreeing with the theory: Theorem
    3.1's excess, C = C_sharp = 1.5 at every model size, eq. (14)'s crossover at that C; SE 1%."""
    from memlab.verification.claims import eq_14
    from memlab.verification.measure import CROSSOVER_WEIGHTINGS, grid_model_sizes

    entries = []
    for d, K, N, sigma2 in FAKE_GRID:
        sizes = grid_model_sizes(K, N)
        generalizing = [float(_excess(d, sigma2, t)) for t in GRID]
        partial = [[1.5 * d * sigma2 * (1 - M / N)] * len(GRID) for M in sizes]
        crossover = {}
        for weighting in CROSSOVER_WEIGHTINGS:
            remaining = eq_14.generalizing_fraction(weighting, sigma2) / 1.5  # 1 − M*/N
            crossover[weighting] = {"mean": 1 - remaining, "se": 0.01 * remaining, "n": 50}
        entries.append(
            {
                **{"d": d, "K": K, "N": N, "sigma2": sigma2, "gamma2": 2.0 * d, "t": GRID},
                **{"M": sizes, "C_sharp": [1.5] * len(sizes), "crossover": crossover},
                "generalizing_excess": generalizing,
                "generalizing_excess_se": [0.01 * g for g in generalizing],
                "partial_excess": partial,
                "partial_excess_se": [[0.01 * p for p in row] for row in partial],
            }
        )
    return {"draws": 4, "configurations": entries}, None
