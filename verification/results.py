"""The results directory: every computed measurement as JSON (and arrays as ``.npz``), so that
``memlab report DIR`` rebuilds every report file without recomputing anything. Never pickle.

Layout: ``DIR/results/manifest.json`` (tier, configuration, overrides, provenance, which
measurements were skipped and why) and one ``DIR/results/<name>.json`` per measurement, with
``<name>.npz`` beside it when it has arrays.
"""

from __future__ import annotations

import json
import zipfile
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
    return (
        json.dumps(jsonable(value), sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)
        + "\n"
    )


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


def _json_object(path: Path, directory: Path) -> dict:
    """The JSON object in ``path``; anything else raises ``InvalidInput`` naming the file."""
    name = str(path.relative_to(directory.parent))
    try:
        value = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise InvalidInput("DIR", name, f"a readable file ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InvalidInput("DIR", name, "UTF-8 JSON (it is not UTF-8)") from None
    except json.JSONDecodeError as error:
        raise InvalidInput("DIR", name, f"valid JSON (corrupt: {error})") from None
    if not isinstance(value, dict):
        raise InvalidInput("DIR", name, f"a JSON object (found {type(value).__name__})")
    return value


def _arrays(path: Path, directory: Path) -> dict[str, np.ndarray]:
    name = str(path.relative_to(directory.parent))
    try:
        # Our own handle: np.load leaves a file it opened unclosed when the archive is truncated.
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as stored:
            return {key: stored[key] for key in stored.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise InvalidInput("DIR", name, f"a whole .npz array file (unreadable: {reason})") from None


def load(out: Path) -> Results:
    """The results stored under ``out``; a missing, corrupt, truncated or mistyped file raises
    :class:`InvalidInput` naming the file and what is wrong with it."""
    directory = Path(out) / "results"
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise InvalidInput(
            "DIR", str(out), "a directory written by `memlab verify` (with results/manifest.json)"
        )
    manifest = _json_object(manifest_path, directory)
    for key, kind in (("tier", str), ("config", dict), ("measurements", list), ("arrays", list)):
        if not isinstance(manifest.get(key), kind):
            raise InvalidInput(
                "DIR",
                str(manifest_path.relative_to(Path(out))),
                f"a manifest with {key!r} a JSON {kind.__name__} (found "
                f"{type(manifest.get(key)).__name__})",
            )
    names = manifest["measurements"] + manifest["arrays"]
    if not all(isinstance(name, str) and "/" not in name for name in names):
        raise InvalidInput("DIR", "results/manifest.json", "measurement names as plain strings")
    measurements = {
        name: _json_object(directory / f"{name}.json", directory)
        for name in manifest["measurements"]
    }
    arrays = {name: _arrays(directory / f"{name}.npz", directory) for name in manifest["arrays"]}
    return Results(manifest, measurements, arrays)
