"""Client-side rate limiting: at most ``requests`` request starts per ``period`` seconds.

The window slides: whatever interval ``[t, t + period)`` you look at, at most ``requests``
attempts start inside it. Each caller *reserves* a start time under a lock and then
sleeps, outside the lock, until that time; concurrent callers therefore get distinct,
first-come-first-served slots and nobody busy-spins. One ``RateLimiter`` serves a
client's sync and async calls alike.

A slot, once reserved, counts even if its caller is cancelled while waiting: the limit
is never exceeded, at worst a slot is wasted.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .configuration import PuterConfig

__all__ = ["AI_LIMIT", "SERVER_LIMITS", "RateLimiter", "SlidingWindow"]

AI_LIMIT = "ai"
"""The rate-limit group of AI calls (and the login): the configured limiter."""

SERVER_LIMITS: dict[str, tuple[int, float]] = {
    "kv": (400, 10.0),  # puter-kvstore: 400 calls per 10 s per user
    "kv-list": (240, 60.0),  # its `list` method: 240 calls per 60 s per user
    # The file system's routes, per user: the free tier of the server's published limits
    # (paid accounts may allow twice as much). Legacy and /fs/* routes share each budget.
    "fs.stat": (600, 60.0),
    "fs.read": (300, 60.0),
    "fs.write": (120, 60.0),
    "fs.readdir": (50, 10.0),  # 300 per minute, and at most 60 in any 10 s
    "fs.mutate": (900, 60.0),  # mkdir, rename, move, copy, delete (also 3,000 per hour)
    "fs.df": (30, 60.0),
    # Apps (`puter-apps`, `es:app`): reads 100 per 10 s, writes 120 per minute (free tier).
    "apps": (100, 10.0),
    "apps.write": (120, 60.0),
    # Sites (`puter-subdomains`, `es:subdomain`): as the apps' budgets.
    "hosting": (100, 10.0),
    "hosting.write": (120, 60.0),
    # Workers (`workers`, `worker-service`): deployments and listings; `exec` reaches the
    # worker itself, not the API, so its own group only keeps a runaway loop in check.
    "workers": (100, 10.0),
    "workers.exec": (1000, 10.0),
}
"""Default ``(requests, period)`` of each rate-limit group other than ``ai``: the server's
published per-user limits (see the protocol notes), so that the client paces itself
before the server answers 429. A client's ``rate_limits=`` overrides them."""


def _check(requests: int, period: float) -> None:
    if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
        raise ValueError(f"requests must be an int >= 1, got {requests!r}")
    if isinstance(period, bool) or not (math.isfinite(period) and period > 0):
        raise ValueError(f"period must be a finite number > 0, got {period!r}")


class SlidingWindow:
    """The pure reservation bookkeeping of ``RateLimiter``: no clock, no lock, no sleep.

    It remembers the last ``requests`` reserved start times. A new caller starts now
    if fewer have been reserved, else once the oldest of them is ``period`` old, and
    never before a start already handed out (so slots are FIFO even if ``now`` goes
    backwards).
    """

    __slots__ = ("_period", "_requests", "_starts")

    def __init__(self, requests: int, period: float) -> None:
        _check(requests, period)
        self._requests = requests
        self._period = period
        self._starts: deque[float] = deque(maxlen=requests)

    @property
    def requests(self) -> int:
        """Starts allowed per window."""
        return self._requests

    @property
    def period(self) -> float:
        """Window length in seconds."""
        return self._period

    def reserve(self, now: float) -> float:
        """Reserve and return the earliest allowed start time at or after ``now``.

        The caller must wait ``start - now`` seconds (returned as the absolute start so
        that no float rounding of ``now + wait`` can move a start into a full window).
        """
        start = self.next_start(now)
        self._starts.append(start)  # maxlen drops the oldest
        return start

    def next_start(self, now: float) -> float:
        """The start a caller reserving at ``now`` would get (nothing is reserved)."""
        start = now
        if self._starts:
            start = max(start, self._starts[-1])
            if len(self._starts) == self._requests:
                start = max(start, self._starts[0] + self._period)
        return start


class RateLimiter:
    """A thread-safe sliding-window rate limiter shared by sync and async callers.

    ``clock`` must be monotonic and in the same unit as the sleep functions (seconds);
    ``time.monotonic`` is also what asyncio's event loop uses. ``sleep`` and
    ``async_sleep`` can be replaced in tests.
    """

    __slots__ = ("_async_sleep", "_clock", "_lock", "_sleep", "_window")

    def __init__(
        self,
        requests: int,
        period: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        self._window = SlidingWindow(requests, period)
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep

    @classmethod
    def from_config(
        cls,
        cfg: PuterConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> RateLimiter:
        """A limiter for a config's ``rate_limit_requests`` per ``rate_limit_period``."""
        return cls(
            cfg.rate_limit_requests,
            cfg.rate_limit_period,
            clock=clock,
            sleep=sleep,
            async_sleep=async_sleep,
        )

    @property
    def requests(self) -> int:
        """Starts allowed per window."""
        return self._window.requests

    @property
    def period(self) -> float:
        """Window length in seconds."""
        return self._window.period

    def reserve(self) -> float:
        """Reserve the next start slot and return how long to wait for it (no sleeping)."""
        with self._lock:
            # Read the clock under the lock so that reservations see non-decreasing times.
            now = self._clock()
            return self._window.reserve(now) - now

    def pending_wait(self) -> float:
        """How long a request starting now would wait (0 while the window has room).

        Positive while the limiter is what paces its callers; nothing is reserved.
        """
        with self._lock:
            now = self._clock()
            return max(0.0, self._window.next_start(now) - now)

    def acquire(self) -> float:
        """Block (``time.sleep``) until the caller may start a request; return the wait."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)
        return wait

    async def async_acquire(self) -> float:
        """Wait (``asyncio.sleep``) until the caller may start a request; return the wait."""
        wait = self.reserve()
        if wait > 0:
            if self._async_sleep is None:
                import asyncio  # only async callers pay for importing asyncio

                await asyncio.sleep(wait)
            else:
                await self._async_sleep(wait)
        return wait

    def __repr__(self) -> str:
        return f"RateLimiter(requests={self.requests!r}, period={self.period!r})"
