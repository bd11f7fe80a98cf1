"""``verify``: measure, store, then report from the store (the same path ``memlab report`` takes, so
the two give identical files); ``rebuild``: report from the store alone."""

from __future__ import annotations

from pathlib import Path

from . import results as store
from .measure import measure
from .report import write_report
from .tiers import tier_config
from .verdict import Verdict

__all__ = ["verify", "rebuild"]


def verify(
    tier: str, out: str | Path, overrides: dict | None = None, controls: bool = False
) -> list[Verdict]:
    """Run tier ``tier`` (with TOML ``overrides``), write results and report into ``out``; with
    ``controls`` every claim's negative controls run through its check too (recorded in the
    manifest, so ``rebuild`` reports them as well)."""
    config = tier_config(tier, overrides)  # bad input fails here, before any work
    out = Path(out)
    results = measure(tier, config, out)
    results.manifest["controls"] = controls
    store.save(results, out)
    return rebuild(out)


def rebuild(out: str | Path) -> list[Verdict]:
    """Rewrite every report file in ``out`` from its stored results; recomputes nothing."""
    return write_report(store.load(out), Path(out))
