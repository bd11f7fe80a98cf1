"""``verify``: measure, store, then report from the store (the same path ``memlab report`` takes, so
the two give identical files); ``rebuild``: report from the store alone."""

from __future__ import annotations

from pathlib import Path

from memlab.theory.errors import InvalidInput
from memlab.training.files import check_writable_directory
from memlab.training.lock import DirectoryLock

from . import results as store
from .measure import measure
from .report import write_report
from .tiers import tier_config
from .verdict import Verdict

__all__ = ["verify", "rebuild"]


def verify(
    tier: str,
    out: str | Path,
    overrides: dict | None = None,
    controls: bool = False,
    wait: bool = False,
) -> list[Verdict]:
    """Run tier ``tier`` (with TOML ``overrides``), write results and report into ``out``; with
    ``controls`` every claim's negative controls run through its check too (recorded in the
    manifest, so ``rebuild`` reports them as well). One writer per ``out``: another is refused
    before any work, or awaited with ``wait``."""
    config = tier_config(tier, overrides)  # bad input fails here, before any work
    out = check_writable_directory(out)
    with DirectoryLock(out, wait):
        results = measure(tier, config, out)
        results.manifest["controls"] = controls
        store.save(results, out)
        return _write_report(out)


def rebuild(out: str | Path, wait: bool = False) -> list[Verdict]:
    """Rewrite every report file in ``out`` from its stored results; recomputes nothing. Damaged
    results raise :class:`InvalidInput` naming the file, and leave the previous report whole."""
    store.load(out)  # a directory that holds no results is refused before anything is created
    with DirectoryLock(out, wait, field="DIR"):
        return _write_report(Path(out))


def _write_report(out: Path) -> list[Verdict]:
    results = store.load(out)
    try:
        return write_report(results, out)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        # Files that parse but do not hold what `memlab verify` writes (edited, or from another
        # version): bad input, said in one line.
        raise InvalidInput(
            "DIR",
            str(out),
            f"results as `memlab verify` writes them (building the report failed: "
            f"{type(error).__name__}: {error}); the previous report is left as it was",
        ) from None
