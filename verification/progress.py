"""Progress on long work: one line on stderr, redrawn in place, with elapsed time and an estimate of
what remains. stdout stays clean for ``--format json``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

__all__ = ["stderr_progress"]


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


def stderr_progress(label: str, unit: str = "") -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback drawing ``[memlab LABEL] done/total unit (p%) elapsed,
    ~eta left``: on a terminal one line redrawn in place (at most once per percent and once per
    half second); elsewhere (a log file, a pipe) plain lines, one per 10% and no control
    characters."""
    start = time.monotonic()
    terminal = sys.stderr.isatty()
    last = {"percent": -1, "time": 0.0}

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        percent = int(100 * done / max(total, 1))
        finished = done >= total
        step = 1 if terminal else 10
        due = percent // step != last["percent"] // step and (
            not terminal or now - last["time"] >= 0.5
        )
        if not finished and not due:
            return
        if finished and last["percent"] == 100:
            return
        last.update(percent=percent, time=now)
        elapsed = now - start
        eta = f", ~{_clock(elapsed * (total - done) / done)} left" if 0 < done < total else ""
        counted = f"{done}/{total}{' ' + unit if unit else ''}"
        line = f"[memlab {label}] {counted} ({percent}%) {_clock(elapsed)}{eta}"
        if terminal:
            sys.stderr.write(f"\r{line}\033[K" + ("\n" if finished else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    return progress
