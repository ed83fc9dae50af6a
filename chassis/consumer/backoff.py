"""Growing pauses between retries of a failing batch."""

from __future__ import annotations


class Backoff:
    """Doubling delays from ``initial_s`` up to ``max_s``; :meth:`reset` after a success."""

    def __init__(self, initial_s: float, max_s: float) -> None:
        self._initial = initial_s
        self._max = max_s
        self._next = initial_s

    def next_delay(self) -> float:
        """The pause before the next attempt (and double the one after)."""
        delay = self._next
        self._next = min(self._next * 2, self._max)
        return delay

    def reset(self) -> None:
        """Start again from the initial delay."""
        self._next = self._initial
