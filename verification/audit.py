"""The assumption audit: every registered claim's assumptions evaluated on one configuration, with
margins (lhs − rhs, holds when ≥ 0); assumptions that read ``t`` are evaluated at every grid time
and summarised by where they hold."""

from __future__ import annotations

from dataclasses import dataclass

from memlab import theory

from .registry import CLAIMS

__all__ = ["AuditRow", "audit"]


@dataclass(frozen=True)
class AuditRow:
    claim: str
    assumption: str
    statement: str
    holds: bool | None  # None: the configuration lacks a field it reads (listed in ``missing``)
    margin: float | None
    detail: str
    missing: tuple[str, ...] = ()
    per_time: tuple[tuple[float, bool, float], ...] = ()

    def to_dict(self) -> dict:
        return {
            "claim": self.claim,
            "assumption": self.assumption,
            "statement": self.statement,
            "holds": self.holds,
            "margin": self.margin,
            "detail": self.detail,
            "missing": list(self.missing),
            "per_time": [{"t": t, "holds": h, "margin": m} for t, h, m in self.per_time],
        }


def audit(config: dict) -> list[AuditRow]:
    """Rows for every (claim, assumption) pair on ``config`` (fields ``d, K, N, M, sigma2, gamma2,
    steps, clean_step``; ``n`` defaults to N/K)."""
    values = dict(config)
    if "n" not in values and "N" in values and "K" in values:
        values["n"] = values["N"] / values["K"]
    grid = [float(t) for t in theory.grid_times()]
    rows = []
    for claim in CLAIMS.values():
        for assumption in claim.assumptions:
            names = assumption.names
            missing = tuple(n for n in names if n != "t" and n not in values)
            if missing:
                rows.append(
                    AuditRow(
                        claim.id,
                        assumption.id,
                        assumption.statement,
                        None,
                        None,
                        f"not evaluated: needs {', '.join(missing)}",
                        missing,
                    )
                )
            elif "t" in names:
                checks = [(t, assumption.evaluate({**values, "t": t})) for t in grid]
                holding = [t for t, c in checks if c.holds]
                detail = (
                    f"holds at all {len(grid)} grid times"
                    if len(holding) == len(grid)
                    else f"holds at {len(holding)}/{len(grid)} grid times"
                    + (
                        f" (t ≤ {max(holding):.3f})"
                        if holding and holding == grid[: len(holding)]
                        else ""
                    )
                )
                worst = min(c.margin for _, c in checks)
                rows.append(
                    AuditRow(
                        claim.id,
                        assumption.id,
                        assumption.statement,
                        len(holding) == len(grid),
                        worst,
                        detail,
                        (),
                        tuple((t, c.holds, c.margin) for t, c in checks),
                    )
                )
            else:
                check = assumption.evaluate(values)
                rows.append(
                    AuditRow(
                        claim.id,
                        assumption.id,
                        assumption.statement,
                        check.holds,
                        check.margin,
                        f"lhs {check.lhs:.4g} vs rhs {check.rhs:.4g}",
                    )
                )
    return rows
