"""Per-user sliding-window rate limits, as the server applies them per route or driver."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from puter_client.emulator.core.errors import ApiError, Surface


@dataclass(frozen=True)
class RateLimit:
    """At most ``calls`` per ``per`` seconds (``temp_calls`` for temporary accounts)."""

    calls: int
    per: float
    temp_calls: int | None = None

    def allowance(self, is_temp: bool) -> int:
        """The calls allowed per window for an account of this kind."""
        return self.temp_calls if is_temp and self.temp_calls is not None else self.calls


def default_rate_limits() -> dict[str, RateLimit]:
    """The limits of a paid account (temporary accounts: the temp tier), by scope.

    Scopes: a driver interface (``"puter-kvstore"``), optionally per method
    (``"puter-kvstore.list"``, which then has its own window), or a file-system route
    family (``"fs.stat"``, ``"fs.readdir"``, ``"fs.read"``, ``"fs.write"`` for writes and
    uploads, ``"fs.mutate"`` for mkdir/touch/rename/move/copy/delete, ``"fs.df"``).
    """
    ai = RateLimit(200, 10.0, temp_calls=20)
    return {
        "puter-kvstore": RateLimit(400, 10.0, temp_calls=200),
        "puter-kvstore.list": RateLimit(240, 60.0, temp_calls=60),
        "fs.stat": RateLimit(1200, 60.0, temp_calls=300),
        "fs.readdir": RateLimit(600, 60.0, temp_calls=120),
        "fs.read": RateLimit(600, 60.0, temp_calls=120),
        "fs.write": RateLimit(300, 60.0, temp_calls=30),
        "fs.mutate": RateLimit(1200, 60.0, temp_calls=600),
        "fs.df": RateLimit(60, 60.0, temp_calls=15),
        **dict.fromkeys(AI_INTERFACES, ai),
    }


#: The AI driver interfaces beyond chat, which share one policy.
AI_INTERFACES = (
    "puter-image-generation",
    "puter-tts",
    "puter-ocr",
    "puter-speech2txt",
    "puter-speech2speech",
    "puter-video-generation",
)


def too_many_requests(surface: Surface = "api") -> ApiError:
    """The 429 every limit answers."""
    return ApiError(429, "too_many_requests", "Too many requests.", surface=surface)


class RateLimiter:
    """Counts calls per (user, scope) in sliding windows; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, str], deque[float]] = {}

    def allow(self, user: str, scope: str, limit: int, per: float, now: float) -> bool:
        """Count one call at ``now``; False (not counted) once ``limit`` is reached."""
        with self._lock:
            calls = self._calls.setdefault((user, scope), deque())
            while calls and now - calls[0] >= per:
                calls.popleft()
            if len(calls) >= limit:
                return False
            calls.append(now)
            return True

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._calls.clear()
