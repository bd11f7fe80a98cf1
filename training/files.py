"""Files in and out, one way for every layer above: TOML configuration files read with one error
style, and files written atomically (temporary file, fsync, rename, directory fsync), so that a
crash or a kill at any moment leaves either the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import IO

from memlab.theory.errors import InvalidInput

__all__ = ["read_toml", "atomic_write", "fsync_directory", "check_writable_directory"]


def read_toml(path: str | Path, field: str = "--config") -> dict[str, object]:
    """The table in the UTF-8 TOML file ``path`` (its keys are checked by the caller); anything
    unreadable raises :class:`InvalidInput` naming ``field``, the file and what is wrong."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInput(field, str(path), f"a readable TOML file ({reason})") from None
    except UnicodeDecodeError as error:
        raise InvalidInput(
            field, str(path), f"a UTF-8 TOML file (byte {error.start} is not UTF-8)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(field, str(path), f"valid TOML ({error})") from None


def atomic_write(path: str | Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` by ``write(handle)`` into a temporary file beside it, flushed to disk, then
    renamed into place and the directory synced: the new content is whole and durable, or the old
    file is untouched."""
    path = Path(path)
    # The handle outlives a with-block: on failure the temporary file is removed by name below.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def fsync_directory(path: str | Path) -> None:
    """Flush a directory's entries (renames, new files) to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def check_writable_directory(path: str | Path, field: str = "--out") -> Path:
    """``path`` if it is a directory this process can write, or can create one at (its nearest
    existing ancestor is a writable directory); raises :class:`InvalidInput` naming ``field``
    otherwise. Creates nothing: called before any work, so that a bad ``--out`` fails at once."""
    path = Path(path)
    existing = path
    while not existing.exists():
        if existing.is_symlink():  # a dangling link: creating through it fails
            raise InvalidInput(field, str(path), "a directory (a broken link is in the way)")
        existing = existing.parent
    if not existing.is_dir():
        what = "it exists and is not one" if existing == path else f"{existing} is a file"
        raise InvalidInput(field, str(path), f"a directory ({what})")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InvalidInput(field, str(path), f"a writable directory ({existing} is read-only)")
    return path
