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


def verify(tier: str, out: str | Path, overrides: dict | None = None) -> list[Verdict]:
    """Run tier ``tier`` (with TOML ``overrides``), write results and report into ``out``."""
    config = tier_config(tier, overrides)  # bad input fails here, before any work
    out = Path(out)
    store.save(measure(tier, config, out), out)
    return rebuild(out)


def rebuild(out: str | Path) -> list[Verdict]:
    """Rewrite every report file in ``out`` from its stored results; recomputes nothing."""
    return write_report(store.load(out), Path(out))
