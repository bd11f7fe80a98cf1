"""One writer per results directory: an OS file lock (``flock``) held for the whole run.

The lock file ``.memlab.lock`` inside the directory names its holder (PID and command), so that a
second writer is refused before any work with a message saying who holds it, or waits for it. The
kernel releases the lock when its holder exits, however it exits (a kill -9 included), so a stale
lock file never blocks anyone.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import sys
from pathlib import Path

from memlab.theory.errors import InvalidInput

__all__ = ["DirectoryLock", "LOCK_NAME"]

LOCK_NAME = ".memlab.lock"


def _command() -> str:
    return shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"


class DirectoryLock:
    """Exclusive write access to ``directory`` (created if missing) until :meth:`release`.

    ``wait``: block until the holder finishes instead of raising :class:`InvalidInput` (``field``
    names the option the directory came from, e.g. ``--out``).
    """

    def __init__(self, directory: str | Path, wait: bool = False, field: str = "--out"):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / LOCK_NAME
        self._descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = path.read_text(errors="replace").strip() or "another process"
            if not wait:
                os.close(self._descriptor)
                raise InvalidInput(
                    field,
                    str(directory),
                    f"a directory no other process is writing ({holder} holds it; pass --wait "
                    "to wait for it)",
                ) from None
            print(f"[memlab] waiting for {holder} to release {directory}", file=sys.stderr)
            fcntl.flock(self._descriptor, fcntl.LOCK_EX)
        os.ftruncate(self._descriptor, 0)
        os.pwrite(self._descriptor, f"PID {os.getpid()} ({_command()})\n".encode(), 0)

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the descriptor releases the flock
            self._descriptor = None

    def __enter__(self) -> DirectoryLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
