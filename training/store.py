"""The run store: one SQLite database (WAL) per results directory, arrays in ``.npz`` files beside
it.

One row per run (one trained model), keyed by the hash of its canonical configuration, with its
configuration, scalar results and provenance as JSON. A run's arrays are written to a temporary
file, flushed to disk (fsync), renamed into place and the directory synced; then its row is
inserted, all rows of a finished ensemble in one transaction. A sweep killed at any moment therefore
leaves only whole runs behind (and stale temporary files, removed when the store is next opened),
and a rerun skips them. Never pickled: object arrays are refused before writing,
``np.load(allow_pickle=False)`` reads, JSON for everything else.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from memlab.theory.errors import InvalidInput

from .files import atomic_write
from .lock import DirectoryLock

__all__ = ["StoredRun", "RunStore", "refuse_another_configuration"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, config TEXT NOT NULL, result TEXT NOT NULL, provenance TEXT NOT NULL,
    arrays TEXT NOT NULL, created REAL NOT NULL DEFAULT (julianday('now'))
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class StoredRun:
    run_id: str
    config: dict
    result: dict
    provenance: dict
    arrays: dict[str, np.ndarray]


class RunStore:
    """``runs.sqlite`` and ``arrays/<run_id>.npz`` under ``root``. The writer holds the directory's
    lock (:class:`DirectoryLock`) from opening to :meth:`close`, so there is one writer per store
    (another raises ``InvalidInput`` before any work, or waits with ``wait``); it alone removes the
    temporary files a killed writer left. Readers (``writer=False``) take no lock, create nothing
    and delete nothing."""

    def __init__(self, root: Path, writer: bool = True, wait: bool = False):
        self.root = Path(root)
        self._lock = None
        if writer:
            self._lock = DirectoryLock(self.root, wait)
            (self.root / "arrays").mkdir(exist_ok=True)
            for stale in (self.root / "arrays").glob(".*.tmp"):  # a killed writer's
                stale.unlink()
        elif not (self.root / "runs.sqlite").is_file():
            raise InvalidInput("out", str(root), "a run store (a directory with runs.sqlite)")
        self._db = sqlite3.connect(self.root / "runs.sqlite", timeout=60)
        if writer:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            self._lock.release()

    def finished(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT run_id FROM runs")}

    def write(self, runs: list[StoredRun]) -> None:
        """Arrays first (each renamed into place), then every row in one transaction."""
        for run in runs:
            for name, array in run.arrays.items():
                if np.asarray(array).dtype.hasobject:  # np.savez would pickle it silently
                    raise InvalidInput(
                        f"arrays[{name!r}]",
                        f"an array of dtype {np.asarray(array).dtype}",
                        "numeric arrays (no objects)",
                    )
        for run in runs:
            atomic_write(
                self.root / "arrays" / f"{run.run_id}.npz",
                lambda handle, run=run: np.savez(handle, **run.arrays),
            )
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO runs (run_id, config, result, provenance, arrays) VALUES "
                "(?, ?, ?, ?, ?)",
                [
                    (
                        r.run_id,
                        json.dumps(r.config),
                        json.dumps(r.result),
                        json.dumps(r.provenance),
                        f"arrays/{r.run_id}.npz",
                    )
                    for r in runs
                ],
            )

    def read(self, with_arrays: bool = True) -> list[StoredRun]:
        runs = []
        for run_id, config, result, provenance, arrays in self._db.execute(
            "SELECT run_id, config, result, provenance, arrays FROM runs ORDER BY run_id"
        ):
            loaded = {}
            if with_arrays:
                with np.load(self.root / arrays, allow_pickle=False) as handle:
                    loaded = {name: handle[name] for name in handle.files}
            runs.append(
                StoredRun(
                    run_id, json.loads(config), json.loads(result), json.loads(provenance), loaded
                )
            )
        return runs

    def set_meta(self, key: str, value: object) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value))
            )

    def get_meta(self, key: str, default: object = None) -> object:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])


def _comparable(config: dict) -> dict:
    return json.loads(json.dumps(config))  # tuples as lists, as stored


def refuse_another_configuration(store: RunStore, config: dict, out: Path) -> None:
    """A store serves one sweep configuration (its meta ``sweep``'s ``config``): the runs another
    one stored (other steps, say) must never be reported as this one's, so a different
    configuration needs its own directory."""
    stored = store.get_meta("sweep")
    if stored is None:
        return
    theirs, ours = _comparable(stored["config"]), _comparable(config)
    differing = sorted(
        key for key in theirs.keys() | ours.keys() if theirs.get(key) != ours.get(key)
    )
    if differing:
        shown = ", ".join(
            f"{key} = {theirs.get(key)} there, {ours.get(key)} here" for key in differing[:3]
        )
        raise InvalidInput(
            "--out",
            str(out),
            f"a new directory or one holding this configuration's sweep (it holds another: "
            f"{shown}{', ...' if len(differing) > 3 else ''})",
        )
