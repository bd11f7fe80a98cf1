"""The results directory: every computed measurement as JSON (and arrays as ``.npz``), so that
``memlab report DIR`` rebuilds every report file without recomputing anything. Never pickle.

Layout: ``DIR/results/manifest.json`` (tier, configuration, overrides, provenance, which
measurements were skipped and why) and one ``DIR/results/<name>.json`` per measurement, with
``<name>.npz`` beside it when it has arrays.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from memlab.numerics.checks.result import plain
from memlab.theory.errors import InvalidInput
from memlab.training.files import atomic_write

__all__ = ["Results", "save", "load", "dumps", "jsonable"]


@dataclass
class Results:
    """What a verification run measured: ``measurements[name]`` is a JSON object, ``arrays[name]``
    its arrays; ``manifest`` holds ``tier``, ``config``, ``overrides``, ``provenance`` and
    ``skipped``."""

    manifest: dict
    measurements: dict[str, dict] = field(default_factory=dict)
    arrays: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    @property
    def config(self) -> dict:
        return self.manifest["config"]

    @property
    def provenance(self) -> dict:
        return self.manifest["provenance"]

    @property
    def skipped(self) -> dict[str, str]:
        return self.manifest.setdefault("skipped", {})

    @property
    def tier(self) -> str:
        return self.manifest["tier"]


def jsonable(value):
    """Plain JSON types: numpy scalars and arrays as floats and lists, tuples as lists, non-finite
    floats null."""
    return plain(value, strict=True)


def dumps(value) -> str:
    """Deterministic JSON: sorted keys, exact float repr, non-finite numbers as null."""
    return json.dumps(jsonable(value), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def save(results: Results, out: Path) -> None:
    """Write every measurement, then the manifest last: a manifest on disk names only complete
    files."""
    arrays = {
        name: {key: np.asarray(value) for key, value in named.items()}
        for name, named in results.arrays.items()
    }
    for name, named in arrays.items():
        for key, value in named.items():
            if value.dtype.hasobject:
                raise TypeError(
                    f"results array {name}/{key} has dtype {value.dtype}; only numeric arrays are "
                    "stored (never pickled)"
                )
    directory = Path(out) / "results"
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in results.measurements.items():
        atomic_write(
            directory / f"{name}.json", lambda handle, data=data: handle.write(dumps(data).encode())
        )
    for name, named in arrays.items():
        atomic_write(
            directory / f"{name}.npz",
            lambda handle, named=named: np.savez(handle, allow_pickle=False, **named),
        )
    manifest = dict(
        results.manifest, measurements=sorted(results.measurements), arrays=sorted(results.arrays)
    )
    atomic_write(directory / "manifest.json", lambda handle: handle.write(dumps(manifest).encode()))


def load(out: Path) -> Results:
    directory = Path(out) / "results"
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise InvalidInput(
            "DIR", str(out), "a directory written by `memlab verify` (with results/manifest.json)"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        measurements = {
            name: json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
            for name in manifest["measurements"]
        }
        arrays = {}
        for name in manifest["arrays"]:
            with np.load(directory / f"{name}.npz", allow_pickle=False) as stored:
                arrays[name] = {key: stored[key] for key in stored.files}
    except (OSError, ValueError, KeyError) as error:
        raise InvalidInput("DIR", str(out), f"a complete results directory ({error})") from None
    return Results(manifest, measurements, arrays)
