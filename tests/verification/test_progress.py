"""Progress lines: redrawn in place on a terminal, plain lines without control characters
in a log."""

import io

from memlab.verification.progress import stderr_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_plain_lines(monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    progress = stderr_progress("test", "steps")
    for done in range(0, 101):
        progress(done, 100)
    text = log.getvalue()
    assert "\r" not in text and "\033" not in text
    lines = text.splitlines()
    assert 2 <= len(lines) <= 12 and lines[-1].startswith("[memlab test] 100/100 steps (100%)")


def test_a_terminal_gets_one_line_redrawn(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    progress = stderr_progress("test")
    progress(0, 10)
    progress(10, 10)
    assert terminal.getvalue().count("\r") == 2 and terminal.getvalue().endswith("\n")
