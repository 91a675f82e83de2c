"""Time as the emulator sees it: the wall clock, or a manual one tests move by hand."""

from __future__ import annotations

import threading
from collections.abc import Callable

#: Returns the current unix time in seconds (``time.time`` unless a test replaces it).
Clock = Callable[[], float]


class ManualClock:
    """A clock that only moves when told: TTLs and rate-limit windows without sleeping.

    ``emu = PuterEmulator(clock=ManualClock())``, then ``emu.state.clock.advance(61)``
    (or assign a `ManualClock` to ``emu.state.clock`` on a running emulator).
    """

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move forward by ``seconds``; returns the new time."""
        with self._lock:
            self._now += seconds
            return self._now
