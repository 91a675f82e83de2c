"""Client-side rate limiting: request starts per window, requests in flight, account tiers.

The window slides: whatever interval ``[t, t + period)`` you look at, at most ``requests``
attempts start inside it. Each caller *reserves* a start time under a lock and then
sleeps, outside the lock, until that time; concurrent callers therefore get distinct,
first-come-first-served slots and nobody busy-spins. One ``RateLimiter`` serves a
client's sync and async calls alike.

A slot, once reserved, counts even if its caller is cancelled while waiting: the limit
is never exceeded, at worst a slot is wasted.

Puter's limits depend on the account's tier (``paid``: any subscription, and the
``unlimited`` policy of a self-hosted server; ``free``: a registered account without one;
``temp``: a temporary account), and the server sends no rate-limit headers. A
``TieredLimiter`` paces a group at its tier's window and in-flight cap
(``TIERED_LIMITS``, the server's published numbers), starts at the tier the session knows
(or at the top one) and steps one tier down when the server answers 429 anyway, so a run
is never refused for long because the client guessed high.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from puter_client.core.exceptions import PuterRateLimitWarning

if TYPE_CHECKING:
    from .configuration import PuterConfig

__all__ = [
    "AI_IN_FLIGHT",
    "AI_LIMIT",
    "HOLD_WARNING_SECONDS",
    "LOGIN_LIMIT",
    "SERVER_LIMITS",
    "TIERED_LIMITS",
    "TIERS",
    "UNPACED",
    "AccountTier",
    "GroupLimit",
    "GroupLimits",
    "LimitSource",
    "Pacing",
    "RateLimitSetting",
    "RateLimiter",
    "RateLimits",
    "SlidingWindow",
    "Ticket",
    "TieredLimiter",
    "snapshot",
]

logger = logging.getLogger("puter")

AI_LIMIT = "ai"
"""The rate-limit group of AI calls: the configured limiter."""
LOGIN_LIMIT = "login"
"""The rate-limit group of logins: the server's login limit, apart from the AI calls."""

AccountTier = Literal["paid", "free", "temp"]
"""An account's tier as Puter's limits see it: ``paid`` (a subscription, or a self-hosted
server's ``unlimited`` policy), ``free`` (registered, no subscription), ``temp``."""
TIERS: tuple[AccountTier, ...] = ("paid", "free", "temp")
"""The tiers from the most generous down."""

LimitSource = Literal["explicit", "config", "server", "learned", "assumed", "fixed"]
"""Where a group's limits come from: ``rate_limits=`` (``explicit``), the configuration
(``config``: the AI group's window), the account's tier as the server reported it
(``server``), a tier learned from the server's 429 answers (``learned``), the top tier
while the account's is unknown (``assumed``), or one limit for every tier (``fixed``)."""


class GroupLimit(NamedTuple):
    """One rate-limit group's limits: ``requests`` starts per ``period`` seconds, and at
    most ``in_flight`` requests at once (None: no cap of its own)."""

    requests: int
    """Starts allowed per window."""
    period: float
    """Window length in seconds."""
    in_flight: int | None = None
    """Requests allowed in flight at once (None: no cap)."""


RateLimitSetting = tuple[int, float] | tuple[int, float, int | None]
"""A group's limits as ``rate_limits=`` gives them: ``(requests, seconds)``, or with a
third item, the requests allowed in flight at once (None: no cap)."""


def _tiers(
    period: float,
    paid: int,
    free: int,
    temp: int,
    in_flight: tuple[int, int, int] | None = None,
) -> dict[AccountTier, GroupLimit]:
    caps = in_flight or (None, None, None)
    counts = (paid, free, temp)
    return {tier: GroupLimit(counts[i], period, caps[i]) for i, tier in enumerate(TIERS)}


TIERED_LIMITS: dict[str, dict[AccountTier, GroupLimit]] = {
    # puter-kvstore, per user: 400 calls per 10 s (temp 200), at most 30 in flight (free
    # 15, temp 8); its `list` method has its own window and cap.
    "kv": _tiers(10.0, 400, 400, 200, in_flight=(30, 15, 8)),
    "kv-list": _tiers(60.0, 240, 120, 60, in_flight=(5, 3, 2)),
    # The file system's routes, per user (HeyPuter/puter src/backend/controllers/fs/
    # limits.ts). Legacy and /fs/* routes share each budget.
    "fs.stat": _tiers(60.0, 1200, 600, 300),
    "fs.read": _tiers(60.0, 600, 300, 120, in_flight=(10, 5, 3)),
    "fs.write": _tiers(60.0, 300, 120, 30, in_flight=(15, 6, 3)),
    # readdir: 600/300/120 a minute and 120/60/30 in any 10 s; a sixth of the minute's
    # budget per 10 s keeps both.
    "fs.readdir": _tiers(10.0, 100, 50, 20),
    # mutations: 1200/900/600 a minute (and 6000/3000/1800 an hour, not paced here).
    "fs.mutate": _tiers(60.0, 1200, 900, 600),
    "fs.df": _tiers(60.0, 60, 30, 15),
    # signed URLs (/sign), and the GUI helpers (/readdir-subdomains)
    "fs.sign": _tiers(60.0, 300, 150, 60),
    "fs.helper": _tiers(60.0, 120, 60, 30),
}
"""The server's published per-user limits of each tiered group, by tier. The ``ai``
group's window is the configuration's (the reference's 10 calls per 60 s); its in-flight
cap follows the tier (``AI_IN_FLIGHT``)."""

AI_IN_FLIGHT: dict[AccountTier, int] = {"paid": 20, "free": 3, "temp": 2}
"""AI calls the server lets one account have in flight, by tier."""

SERVER_LIMITS: dict[str, tuple[int, float]] = {
    group: (tiers["paid"].requests, tiers["paid"].period) for group, tiers in TIERED_LIMITS.items()
}
"""The ``(requests, period)`` of every rate-limit group other than ``ai``: the top tier's
window of the tiered groups (where an account of unknown tier starts). A group with one
limit for every tier is added here alone. A client's ``rate_limits=`` overrides them."""
SERVER_LIMITS[LOGIN_LIMIT] = (10, 15 * 60.0)  # per client: 10 logins per 15 minutes
SERVER_LIMITS.update(
    {
        # Apps (`puter-apps`, `es:app`): reads 100 per 10 s, writes 120 per minute.
        "apps": (100, 10.0),
        "apps.write": (120, 60.0),
        # Sites (`puter-subdomains`, `es:subdomain`): as the apps' budgets.
        "hosting": (100, 10.0),
        "hosting.write": (120, 60.0),
        # Workers (`workers`, `worker-service`): deployments and listings; `exec` reaches
        # the worker itself, not the API, so its own group only keeps a runaway loop in check.
        "workers": (100, 10.0),
        "workers.exec": (1000, 10.0),
        # Shares (src/backend/controllers/share): 60 changes a minute (and 500 a day, not
        # paced here), 600 listings a minute, for every tier.
        "share": (60, 60.0),
        "share.list": (600, 60.0),
        # Access tokens: 20 minted per hour (read URLs); anti-CSRF tokens and revocations
        # (the session-management routes) 1200 a minute.
        "auth.mint": (20, 3600.0),
        "auth.session": (1200, 60.0),
    }
)

HOLD_WARNING_SECONDS = 5.0
"""A hold longer than this warns once per client (``PuterRateLimitWarning``)."""


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

    __slots__ = ("_period", "_requests", "_starts", "group")

    def __init__(self, requests: int, period: float, *, group: str = "") -> None:
        _check(requests, period)
        self.group = group
        """The rate-limit group it paces (for records and messages)."""
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

    def resized(self, requests: int, period: float) -> SlidingWindow:
        """A window of the new limit that keeps the latest starts reserved in this one
        (as many as the new limit counts): a lowered limit counts what already went."""
        window = SlidingWindow(requests, period, group=self.group)
        window._starts.extend(self._starts)  # maxlen keeps the latest
        return window


class Ticket(NamedTuple):
    """What a caller holds from ``start`` to ``finish``: the limiter's tier generation at
    the start (to tell a stale 429 from news) and whether it holds an in-flight slot."""

    generation: int
    in_flight: bool


class _Waiter:
    """One caller queued for an in-flight slot: a thread's event or a loop's future."""

    __slots__ = ("event", "future", "granted", "loop")

    def __init__(self, loop: Any = None, future: Any = None) -> None:
        self.loop = loop
        self.future = future
        self.event = threading.Event() if future is None else None
        self.granted = False


def _grant_future(future: Any) -> None:
    if not future.done():
        future.set_result(None)


class _Gate:
    """At most ``limit`` holders at once (None: any number), first come first served,
    shared by threads and event loops (the waiters are events or futures)."""

    __slots__ = ("_active", "_limit", "_lock", "_waiters")

    def __init__(self, limit: int | None) -> None:
        self._limit = limit
        self._active = 0
        self._lock = threading.Lock()
        self._waiters: deque[_Waiter] = deque()

    @property
    def limit(self) -> int | None:
        """The cap (None: no cap)."""
        return self._limit

    @property
    def active(self) -> int:
        """Holders now."""
        return self._active

    def set_limit(self, limit: int | None) -> None:
        """Change the cap; a raised one lets waiters in at once, a lowered one lets the
        holders finish and admits nobody until they are below it."""
        with self._lock:
            self._limit = limit
            self._wake()

    def try_enter(self) -> _Waiter | None:
        """Enter now (None), or queue: the waiter to wait on."""
        with self._lock:
            if not self._waiters and (self._limit is None or self._active < self._limit):
                self._active += 1
                return None
            waiter = _Waiter()
            self._waiters.append(waiter)
            return waiter

    async def async_enter(self) -> bool:
        """Wait until a slot is free; whether the caller had to wait."""
        import asyncio

        with self._lock:
            if not self._waiters and (self._limit is None or self._active < self._limit):
                self._active += 1
                return False
            loop = asyncio.get_running_loop()
            waiter = _Waiter(loop, loop.create_future())
            self._waiters.append(waiter)
        try:
            await waiter.future
        except BaseException:
            self.abandon(waiter)
            raise
        return True

    def abandon(self, waiter: _Waiter) -> None:
        """A queued caller gives up (cancelled, interrupted): out of the queue, or its
        slot back if it was granted one meanwhile."""
        with self._lock:
            granted = waiter.granted
            if not granted:
                self._waiters.remove(waiter)
        if granted:
            self.leave()

    def leave(self) -> None:
        """Give a slot back (the next waiter gets it)."""
        with self._lock:
            self._active -= 1
            self._wake()

    def _wake(self) -> None:
        while self._waiters and (self._limit is None or self._active < self._limit):
            waiter = self._waiters.popleft()
            self._active += 1
            waiter.granted = True
            if waiter.event is not None:
                waiter.event.set()
                continue
            try:
                waiter.loop.call_soon_threadsafe(_grant_future, waiter.future)
            except RuntimeError:  # its loop is closed: nobody waits any more
                waiter.granted = False
                self._active -= 1


class Pacing:
    """One client's notices about its pacing: a log record (logger ``puter``) for each
    held call, and one ``PuterRateLimitWarning`` the first time a hold is long."""

    __slots__ = ("_lock", "threshold", "warned")

    def __init__(self, threshold: float = HOLD_WARNING_SECONDS) -> None:
        self.threshold = threshold
        self.warned = False
        self._lock = threading.Lock()

    def held(self, limiter: RateLimiter, seconds: float) -> None:
        """``limiter`` holds a call ``seconds`` (its window is full)."""
        logger.info(
            "rate limit %r: holding a call %.2f s (%d calls per %g s%s)",
            limiter.group,
            seconds,
            limiter.requests,
            limiter.period,
            limiter.describe_source(),
        )
        if seconds <= self.threshold:
            return
        with self._lock:
            if self.warned:
                return
            self.warned = True
        _warn(_hold_advice(limiter, seconds))

    def queued(self, limiter: RateLimiter) -> None:
        """``limiter`` holds a call until one of its in-flight slots is free."""
        logger.info(
            "rate limit %r: holding a call until fewer than %s are in flight",
            limiter.group,
            limiter.in_flight,
        )


def _hold_advice(limiter: RateLimiter, seconds: float) -> str:
    held = f"puter is holding a call {seconds:.0f} s"
    if limiter.group == AI_LIMIT:
        return (
            f"{held} to keep to the client's AI rate limit, rate_limit_requests="
            f"{limiter.requests} calls per rate_limit_period={limiter.period:g} s (the "
            "reference's default is 10 per 60 s). Raise it with PuterAI(rate_limit_requests="
            "..., rate_limit_period=...), puter.config.update(...) or the environment "
            "variables PUTER_RATE_LIMIT_REQUESTS and PUTER_RATE_LIMIT_PERIOD."
        )
    return (
        f"{held} to keep to the rate limit of its group {limiter.group!r}, "
        f"{limiter.requests} calls per {limiter.period:g} s{limiter.describe_source()}. "
        f"Give your own with PuterAI(rate_limits={{{limiter.group!r}: (requests, seconds)}})."
    )


def _warn(message: str) -> None:
    """Warn, attributed to the first caller outside this package (the user's call)."""
    package = __name__.rsplit(".", 2)[0]
    root = os.path.dirname(sys.modules[package].__file__ or "") + os.sep
    frame = sys._getframe(0)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(root):
        frame = frame.f_back
        level += 1
    warnings.warn(message, PuterRateLimitWarning, stacklevel=level)


_QUIET = Pacing(threshold=math.inf)


class RateLimiter:
    """A thread-safe sliding-window rate limiter shared by sync and async callers, with
    an optional cap on requests in flight.

    ``clock`` must be monotonic and in the same unit as the sleep functions (seconds);
    ``time.monotonic`` is also what asyncio's event loop uses. ``sleep`` and
    ``async_sleep`` can be replaced in tests (``use_clock``).
    """

    __slots__ = (
        "_async_sleep",
        "_clock",
        "_gate",
        "_generation",
        "_lock",
        "_pacing",
        "_sleep",
        "_window",
        "group",
    )

    def __init__(
        self,
        requests: int,
        period: float,
        *,
        in_flight: int | None = None,
        group: str = AI_LIMIT,
        pacing: Pacing | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        async_sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        self._window = SlidingWindow(requests, period, group=group)
        if in_flight is not None:
            _check(in_flight, 1.0)
        self._gate = _Gate(in_flight)
        self._lock = threading.Lock()
        self._generation = 0
        self._pacing = pacing or _QUIET
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep
        self.group = group

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

    @property
    def in_flight(self) -> int | None:
        """Requests allowed in flight at once (None: no cap)."""
        return self._gate.limit

    @property
    def source(self) -> LimitSource:
        """Where the limits come from."""
        return "fixed"

    @property
    def tier(self) -> AccountTier | None:
        """The tier whose limits apply (None: limits of no tier)."""
        return None

    def limit(self) -> GroupLimit:
        """The limits now."""
        return GroupLimit(self.requests, self.period, self.in_flight)

    def describe_source(self) -> str:
        """``", <where they come from>"`` for log records and notices."""
        return ""

    def use_clock(
        self,
        clock: Callable[[], float],
        *,
        sleep: Callable[[float], object] | None = None,
        async_sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        """Read time from ``clock`` and wait with these functions (tests drive time)."""
        self._clock = clock
        if sleep is not None:
            self._sleep = sleep
        self._async_sleep = async_sleep

    def _set_limit(self, limit: GroupLimit) -> None:
        """Apply ``limit`` (the caller holds no lock); a new tier generation."""
        with self._lock:
            if (limit.requests, limit.period) != (self.requests, self.period):
                self._window = self._window.resized(limit.requests, limit.period)
            self._generation += 1
        self._gate.set_limit(limit.in_flight)

    # ------------------------------------------------------------------ windows

    def reserve(self) -> float:
        """Reserve the next start slot and return how long to wait for it (no sleeping)."""
        with self._lock:
            # Read the clock under the lock so that reservations see non-decreasing times.
            now = self._clock()
            wait = self._window.reserve(now) - now
        if wait > 0:
            self._pacing.held(self, wait)
        return wait

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

    # ------------------------------------------------------- whole requests

    def start(self) -> Ticket:
        """Block until a request may start: a free in-flight slot, then its start slot.

        Pair with ``finish`` once the answer is read (or the attempt failed)."""
        generation = self._generation
        capped = self._gate.limit is not None
        if capped:
            waiter = self._gate.try_enter()
            if waiter is not None:
                self._pacing.queued(self)
                assert waiter.event is not None
                try:
                    waiter.event.wait()
                except BaseException:  # interrupted while queued (Ctrl-C)
                    self._gate.abandon(waiter)
                    raise
        try:
            self.acquire()
        except BaseException:
            if capped:
                self._gate.leave()
            raise
        return Ticket(generation, capped)

    async def async_start(self) -> Ticket:
        """``start`` for async callers."""
        generation = self._generation
        capped = self._gate.limit is not None
        if capped and await self._gate.async_enter():
            self._pacing.queued(self)
        try:
            await self.async_acquire()
        except BaseException:
            if capped:
                self._gate.leave()
            raise
        return Ticket(generation, capped)

    def finish(self, ticket: Ticket) -> None:
        """The request of ``ticket`` is over: its in-flight slot is free."""
        if ticket.in_flight:
            self._gate.leave()

    def throttled(self, ticket: Ticket) -> bool:
        """The server refused the request of ``ticket`` with 429; whether the limiter
        lowered its limits (then the retry waits for the limiter, not a backoff)."""
        return False

    def __repr__(self) -> str:
        return f"RateLimiter(requests={self.requests!r}, period={self.period!r})"


class _Unpaced(RateLimiter):
    """A limiter that never holds a call and reserves nothing."""

    __slots__ = ()

    def reserve(self) -> float:
        """No wait, nothing reserved."""
        return 0.0

    def pending_wait(self) -> float:
        """Never any wait."""
        return 0.0


UNPACED: RateLimiter = _Unpaced(1, 1.0, group="unpaced")
"""The limiter of requests the client does not pace (its one look at the account's
tier; downloads from file hosts)."""


class TieredLimiter(RateLimiter):
    """A ``RateLimiter`` at one account tier's limits of its group, lowered one tier
    when the server answers 429 at the current one (``throttled``).

    ``window`` fixes the window (the AI group's configured one, or ``rate_limits=``);
    the in-flight cap then still follows the tier, unless the window has a third item,
    the cap (None: no cap).
    """

    __slots__ = ("_fixed_window", "_source", "_tier", "_tiers", "_window_source")

    def __init__(
        self,
        group: str,
        tiers: Mapping[AccountTier, GroupLimit],
        *,
        tier: AccountTier = "paid",
        source: LimitSource = "assumed",
        window: RateLimitSetting | None = None,
        window_source: LimitSource = "explicit",
        pacing: Pacing | None = None,
    ) -> None:
        self._tiers = dict(tiers)
        self._tier: AccountTier = tier
        self._source: LimitSource = source
        self._fixed_window = window
        self._window_source: LimitSource = window_source
        first = self._limit_of(tier)
        super().__init__(
            first.requests, first.period, in_flight=first.in_flight, group=group, pacing=pacing
        )

    def _limit_of(self, tier: AccountTier) -> GroupLimit:
        limit = self._tiers[tier]
        window = self._fixed_window
        if window is None:
            return limit
        in_flight = window[2] if len(window) == 3 else limit.in_flight
        return GroupLimit(window[0], window[1], in_flight)

    @property
    def source(self) -> LimitSource:
        """Where the window comes from (``explicit``/``config`` when fixed), else where
        the tier does."""
        return self._window_source if self._fixed_window is not None else self._source

    @property
    def tier(self) -> AccountTier:
        """The tier whose limits apply."""
        return self._tier

    @property
    def tier_source(self) -> LimitSource:
        """Where the tier comes from: ``server``, ``learned`` or ``assumed``."""
        return self._source

    def describe_source(self) -> str:
        """``", <tier> tier (<how it is known>)"``, or the fixed window's origin."""
        if self._fixed_window is not None:
            return f", set by {'rate_limits=' if self.source == 'explicit' else 'the config'}"
        return f", {self._tier} tier ({self._source})"

    def set_tier(self, tier: AccountTier, source: LimitSource) -> None:
        """Apply ``tier``'s limits (the server told it, or a 429 taught it)."""
        self._tier = tier
        self._source = source
        self._set_limit(self._limit_of(tier))

    def throttled(self, ticket: Ticket) -> bool:
        """Lower the limits one tier if ``ticket`` started at the current one and a
        lower tier exists; whether the window was lowered by this or a concurrent 429
        (then the retry waits for the window; a fixed window lowers its in-flight cap
        only, and the retry backs off as usual)."""
        if self._fixed_window is not None and self._window_source == "explicit":
            return False
        paced = self._fixed_window is None
        with self._lock:
            if ticket.generation != self._generation:
                return paced  # lowered since this request started: retry at the new limits
            index = TIERS.index(self._tier)
            if index + 1 == len(TIERS):
                return False
            lower = TIERS[index + 1]
        self.set_tier(lower, "learned")
        now = self.limit()
        logger.info(
            "rate limit %r: the server answered 429 at the %s tier's limits; pacing at "
            "the %s tier's now: %d calls per %g s, %s in flight",
            self.group,
            TIERS[index],
            lower,
            now.requests,
            now.period,
            now.in_flight if now.in_flight is not None else "any number",
        )
        return paced

    def __repr__(self) -> str:
        return (
            f"TieredLimiter(group={self.group!r}, tier={self._tier!r}, "
            f"requests={self.requests!r}, period={self.period!r}, in_flight={self.in_flight!r})"
        )


class GroupLimits(NamedTuple):
    """What ``client.rate_limits`` shows of one group."""

    requests: int
    """Starts allowed per window."""
    period: float
    """Window length in seconds."""
    in_flight: int | None
    """Requests allowed in flight at once (None: no cap)."""
    tier: AccountTier | None
    """The account tier these limits are of (None: they are no tier's)."""
    source: LimitSource
    """Where they come from (see ``LimitSource``)."""


class RateLimits(Mapping[str, GroupLimits]):
    """A snapshot of a client's rate limits by group (``client.rate_limits``) and the
    account tier they follow: ``limits["fs.write"].requests``."""

    __slots__ = ("groups", "tier", "tier_source")

    def __init__(
        self,
        *,
        tier: AccountTier | None,
        tier_source: LimitSource | None,
        groups: Mapping[str, GroupLimits],
    ) -> None:
        self.tier = tier
        """The account's tier as the client knows it (None: not known; the groups start
        at the top tier's limits and step down on a 429)."""
        self.tier_source = tier_source
        """How the tier is known: ``server`` (the server said), ``learned`` (a 429 taught
        it), or None."""
        self.groups: Mapping[str, GroupLimits] = dict(groups)
        """The limits of each group."""

    def __repr__(self) -> str:
        return (
            f"RateLimits(tier={self.tier!r}, tier_source={self.tier_source!r}, "
            f"groups={self.groups!r})"
        )

    def __getitem__(self, group: str) -> GroupLimits:
        return self.groups[group]

    def __iter__(self) -> Iterator[str]:
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    def __str__(self) -> str:
        lines = [f"account tier: {self.tier or 'unknown'}"]
        for group, limits in self.groups.items():
            cap = "" if limits.in_flight is None else f", {limits.in_flight} in flight"
            lines.append(
                f"{group}: {limits.requests} per {limits.period:g} s{cap} ({limits.source})"
            )
        return "\n".join(lines)


def snapshot(limiters: Mapping[str, RateLimiter], tier: AccountTier | None) -> RateLimits:
    """The ``RateLimits`` of these limiters now."""
    groups = {
        group: GroupLimits(
            limiter.requests, limiter.period, limiter.in_flight, limiter.tier, limiter.source
        )
        for group, limiter in limiters.items()
    }
    source: LimitSource | None = None
    if tier is not None:
        source = "server"
    else:
        learned = [g for g in limiters.values() if isinstance(g, TieredLimiter)]
        if any(g.tier_source == "learned" for g in learned):
            source = "learned"
    return RateLimits(tier=tier, tier_source=source, groups=groups)
