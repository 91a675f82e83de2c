"""Per-user rate limits as the server applies them per route or driver: sliding windows
and in-flight caps, each by the account's tier (``unlimited``/``paid``: the base numbers;
``free`` and ``temp``: their own, as HeyPuter/puter's ``controllers/fs/limits.ts``,
``drivers/util/aiLimits.ts`` and the kv driver publish them)."""

from __future__ import annotations

import contextvars
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from puter_client.emulator.core.errors import ApiError, Surface

Tier = Literal["unlimited", "paid", "free", "temp"]
"""An account's subscription policy: ``unlimited`` (a self-hosted server's own), ``paid``
(any subscription), ``free`` (registered, none), ``temp`` (a temporary account)."""
TIERS: tuple[Tier, ...] = ("unlimited", "paid", "free", "temp")


@dataclass(frozen=True)
class RateLimit:
    """At most ``calls`` per ``per`` seconds (``free_calls``/``temp_calls`` for those
    tiers), at most ``in_flight`` at once (paid, free, temp), and a second window
    ``also`` when the server keeps two (readdir's burst, mutations' hour)."""

    calls: int
    per: float
    temp_calls: int | None = None
    free_calls: int | None = None
    in_flight: tuple[int, int, int] | None = None
    also: RateLimit | None = None

    def allowance(self, tier: Tier) -> int:
        """The calls allowed per window for an account of this tier."""
        if tier == "temp" and self.temp_calls is not None:
            return self.temp_calls
        if tier == "free" and self.free_calls is not None:
            return self.free_calls
        return self.calls

    def concurrency(self, tier: Tier) -> int | None:
        """The requests allowed in flight at once for this tier (None: no cap)."""
        if self.in_flight is None:
            return None
        paid, free, temp = self.in_flight
        return temp if tier == "temp" else free if tier == "free" else paid


def _limit(
    per: float,
    paid: int,
    free: int,
    temp: int,
    in_flight: tuple[int, int, int] | None = None,
    also: RateLimit | None = None,
) -> RateLimit:
    return RateLimit(paid, per, temp_calls=temp, free_calls=free, in_flight=in_flight, also=also)


def default_rate_limits() -> dict[str, RateLimit]:
    """The server's limits by scope, every tier's.

    Scopes: a driver interface (``"puter-kvstore"``), optionally per method
    (``"puter-kvstore.list"``, which then has its own window), or a file-system route
    family (``"fs.stat"``, ``"fs.readdir"``, ``"fs.read"``, ``"fs.write"`` for writes and
    uploads, ``"fs.mutate"`` for mkdir/touch/rename/move/copy/delete, ``"fs.df"``,
    ``"fs.sign"`` for ``/sign``, ``"fs.helper"`` for ``/readdir-subdomains``), or the share
    routes (``"share"`` for sharing and revoking, ``"share.list"`` for their listings).
    """
    ai = _limit(10.0, 200, 30, 20, in_flight=(20, 3, 2))
    return {
        "puter-kvstore": _limit(10.0, 400, 400, 200, in_flight=(30, 15, 8)),
        "puter-kvstore.list": _limit(60.0, 240, 120, 60, in_flight=(5, 3, 2)),
        "fs.stat": _limit(60.0, 1200, 600, 300),
        "fs.readdir": _limit(60.0, 600, 300, 120, also=_limit(10.0, 120, 60, 30)),
        "fs.read": _limit(60.0, 600, 300, 120, in_flight=(10, 5, 3)),
        "fs.write": _limit(60.0, 300, 120, 30, in_flight=(15, 6, 3)),
        "fs.mutate": _limit(60.0, 1200, 900, 600, also=_limit(3600.0, 6000, 3000, 1800)),
        "fs.df": _limit(60.0, 60, 30, 15),
        "fs.sign": _limit(60.0, 300, 150, 60),
        "fs.helper": _limit(60.0, 120, 60, 30),
        # shares: 60 changes a minute and 500 a day, 600 listings a minute, every tier
        "share": _limit(60.0, 60, 60, 60, also=_limit(86_400.0, 500, 500, 500)),
        "share.list": _limit(60.0, 600, 600, 600),
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


def too_many_requests(surface: Surface = "api", *, concurrent: bool = False) -> ApiError:
    """The 429 every limit answers (its in-flight caps: ``Too many concurrent requests.``)."""
    message = "Too many concurrent requests." if concurrent else "Too many requests."
    return ApiError(429, "too_many_requests", message, surface=surface)


#: The in-flight slots the request being answered holds, released once it is answered
#: (set by the app around each request; without it no slot is taken).
HELD_SLOTS: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar(
    "held_slots", default=None
)


class RateLimiter:
    """Counts calls per (user, scope) in sliding windows; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, str], deque[float]] = {}
        self._in_flight: dict[tuple[str, str], int] = {}
        self._peaks: dict[tuple[str, str], int] = {}

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

    def enter(self, user: str, scope: str, limit: int) -> Callable[[], None] | None:
        """Take one of ``limit`` in-flight slots: the release, or None when all are taken."""
        key = (user, scope)
        with self._lock:
            active = self._in_flight.get(key, 0)
            if active >= limit:
                return None
            self._in_flight[key] = active + 1
            self._peaks[key] = max(self._peaks.get(key, 0), active + 1)

        def release() -> None:
            with self._lock:
                self._in_flight[key] -= 1

        return release

    def peak_in_flight(self, user: str, scope: str) -> int:
        """The most requests of ``user`` under ``scope`` ever in flight at once."""
        with self._lock:
            return self._peaks.get((user, scope), 0)

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._calls.clear()
            self._in_flight.clear()
            self._peaks.clear()
