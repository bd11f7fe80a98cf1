"""The one error type for bad input, shared by every layer.

Each layer validates its input before doing any work and raises :class:`InvalidInput`
naming the offending field and what is allowed; the command line turns it into exit code 2.
"""

from __future__ import annotations


class InvalidInput(ValueError):
    """Bad input: ``field`` had ``value``, which is not ``allowed``."""

    def __init__(self, field: str, value: object, allowed: str):
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: got {value!r}; allowed: {allowed}")
