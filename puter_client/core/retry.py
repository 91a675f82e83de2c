"""The retry policy: what to retry and how long to wait. Pure: no I/O, no sleeping.

The transport asks, after each failed attempt, ``policy.next_delay(attempt, ...)``: ``None``
means give up (raise), a number means sleep that long and try again. Attempts are
numbered from 0, so ``max_retries=3`` allows attempts 0..3, four in total.

Only failures that can succeed later are retried: connection failures, timeouts, a
dropped connection, and the statuses 408, 429 and 5xx. Other 4xx answers (400, 401, 402,
403, 404, 409, 413, 422, ...) are final: a 409 says the entry already exists, which no
retry changes.

Each operation also has a ``RetryClass`` (from the schema's ``x-puter-retry``): which of
those failures are safe to repeat *for that operation*. A call that may have taken effect
(a dropped connection after the request went out) is repeated only if doing it twice is
harmless.
"""

from __future__ import annotations

import enum
import math
import random as _random
import re
import sys
import time
from collections.abc import Callable
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

import attrs
import httpx

if TYPE_CHECKING:
    from .configuration import PuterConfig

__all__ = [
    "DEFAULT_MAX_DELAY",
    "DEFAULT_MAX_RETRY_AFTER",
    "RETRYABLE_STATUSES",
    "FailureKind",
    "RetryClass",
    "RetryPolicy",
    "classify_exception",
    "is_retryable_status",
    "parse_retry_after",
]

DEFAULT_MAX_DELAY = 30.0
"""Upper bound, in seconds, of a computed backoff delay."""
DEFAULT_MAX_RETRY_AFTER = 60.0
"""Upper bound, in seconds, of a wait requested by a server's ``Retry-After``."""
RETRYABLE_STATUSES = frozenset({408, 429})
"""The 4xx statuses worth retrying; every 5xx is retryable as well."""


class FailureKind(enum.Enum):
    """How a request failed without an HTTP answer (see ``classify_exception``)."""

    CONNECT = "connect"
    """No connection was made (refused, DNS failure): the request never left."""
    TIMEOUT = "timeout"
    """Connecting, sending, reading or waiting for a pooled connection timed out."""
    DISCONNECT = "disconnect"
    """The connection broke (reset, closed without an answer), e.g. a stale pooled one."""
    OTHER = "other"
    """Retrying cannot help: bad URL, unsupported scheme, a local protocol error..."""

    @property
    def retryable(self) -> bool:
        """Whether a failure of this kind may succeed when tried again."""
        return self is not FailureKind.OTHER


def classify_exception(exc: BaseException) -> FailureKind:
    """Sort an exception raised while sending a request into a ``FailureKind``.

    A pooled keep-alive connection that the server closed just before reuse fails with
    ``httpx.RemoteProtocolError`` ("Server disconnected without sending a response") or
    a read/write error before any answer arrived; that is ``DISCONNECT`` and is safe to
    retry. Built-in ``TimeoutError``/``ConnectionError`` (not wrapped by httpx) are
    classified too; anything else is ``OTHER``.
    """
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)) or _is_asyncio_timeout(exc):
        return FailureKind.TIMEOUT
    if isinstance(exc, (httpx.ConnectError, ConnectionRefusedError)):
        return FailureKind.CONNECT
    if isinstance(exc, (httpx.NetworkError, httpx.RemoteProtocolError, ConnectionError)):
        return FailureKind.DISCONNECT
    return FailureKind.OTHER


class RetryClass(enum.Enum):
    """Which retryable failures an operation may repeat (the schema's ``x-puter-retry``)."""

    IDEMPOTENT = "idempotent"
    """Doing it twice is harmless (reads, puts, chat): every retryable failure."""
    UNSAFE = "unsafe"
    """Doing it twice is not (an increment): only failures that prove the server did
    nothing: no connection made, 429 (refused before any work) and 503 (not served)."""
    LOGIN = "login"
    """Credentials: connection failures and 5xx only; every 4xx is final, so that a
    refused or throttled login is never repeated (it counts towards a lockout)."""

    def allows_status(self, status: int) -> bool:
        """Whether a retryable ``status`` may be retried for this class."""
        if self is RetryClass.UNSAFE:
            return status in (429, 503)
        if self is RetryClass.LOGIN:
            return status >= 500
        return True

    def allows_failure(self, kind: FailureKind) -> bool:
        """Whether a retryable failure without an answer may be retried for this class."""
        return self is not RetryClass.UNSAFE or kind is FailureKind.CONNECT


def _is_asyncio_timeout(exc: BaseException) -> bool:
    # asyncio.TimeoutError is TimeoutError from Python 3.11 on; on 3.10 it is its own
    # class. Look it up only if asyncio is loaded, so that sync users never import it.
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and isinstance(exc, asyncio.TimeoutError)


def is_retryable_status(status: int) -> bool:
    """True for 408, 429 and every 5xx; False for every other status."""
    return status in RETRYABLE_STATUSES or 500 <= status <= 599


_DELTA_SECONDS = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*")


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header, or ``None`` if unusable.

    Accepts delta-seconds (``"5"``, ``"1.5"``) or an HTTP date, which is taken relative to
    ``now`` (a POSIX timestamp); a date in the past means 0. Negative, non-finite or
    unparsable values give ``None``. No cap is applied here.
    """
    if value is None:
        return None
    if _DELTA_SECONDS.fullmatch(value):
        seconds = float(value)
        return seconds if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC with unknown origin (RFC 5322)
        when = when.replace(tzinfo=timezone.utc)
    try:
        return max(0.0, when.timestamp() - now)
    except (OverflowError, OSError, ValueError):
        return None


def _non_negative(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{attribute.name} must be a finite number >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """When to retry and how long to wait in between; immutable and thread-safe.

    Backoff before retry ``n`` (0-based, ``n`` = index of the attempt that failed) is
    ``retry_delay * backoff_factor**n``, capped at ``max_delay``, then scaled down by a
    random factor in ``(1 - jitter, 1]`` so that clients that failed together do not
    retry together. A server's ``Retry-After`` replaces that computation when it is
    usable, capped at ``max_retry_after`` and not jittered.

    ``random`` (returning floats in ``[0, 1)``) and ``now`` (POSIX seconds, used for
    HTTP-date ``Retry-After`` values) can be replaced in tests.
    """

    max_retries: int = attrs.field(default=3)
    retry_delay: float = attrs.field(default=1.0, validator=_non_negative)
    backoff_factor: float = attrs.field(default=2.0)
    max_delay: float = attrs.field(default=DEFAULT_MAX_DELAY, validator=_non_negative)
    max_retry_after: float = attrs.field(default=DEFAULT_MAX_RETRY_AFTER, validator=_non_negative)
    jitter: float = attrs.field(default=0.25)
    random: Callable[[], float] = attrs.field(default=_random.random, eq=False, repr=False)
    now: Callable[[], float] = attrs.field(default=time.time, eq=False, repr=False)

    @max_retries.validator
    def _check_max_retries(self, _: attrs.Attribute[int], value: int) -> None:
        if value < 0:
            raise ValueError(f"max_retries must be >= 0, got {value!r}")

    @backoff_factor.validator
    def _check_backoff_factor(self, _: attrs.Attribute[float], value: float) -> None:
        if not (math.isfinite(value) and value >= 1):
            raise ValueError(f"backoff_factor must be a finite number >= 1, got {value!r}")

    @jitter.validator
    def _check_jitter(self, _: attrs.Attribute[float], value: float) -> None:
        if not 0 <= value <= 1:
            raise ValueError(f"jitter must be between 0 and 1, got {value!r}")

    @classmethod
    def from_config(
        cls,
        cfg: PuterConfig,
        *,
        max_delay: float = DEFAULT_MAX_DELAY,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        random: Callable[[], float] = _random.random,
        now: Callable[[], float] = time.time,
    ) -> RetryPolicy:
        """The policy described by a config's ``max_retries``, ``retry_delay`` and
        ``backoff_factor``."""
        return cls(
            max_retries=cfg.max_retries,
            retry_delay=cfg.retry_delay,
            backoff_factor=cfg.backoff_factor,
            max_delay=max_delay,
            max_retry_after=max_retry_after,
            random=random,
            now=now,
        )

    @property
    def max_attempts(self) -> int:
        """Attempts in total, the first one included."""
        return self.max_retries + 1

    def is_retryable_status(self, status: int) -> bool:
        """Whether an HTTP status is worth retrying (see ``is_retryable_status``)."""
        return is_retryable_status(status)

    def should_retry(
        self,
        attempt: int,
        status: int | None = None,
        exception_kind: FailureKind | None = None,
    ) -> bool:
        """Whether to try again after attempt number ``attempt`` (0-based) failed.

        Give the failure as an HTTP ``status`` or as the ``FailureKind`` of the exception;
        with neither there was no failure and the answer is False.
        """
        if attempt >= self.max_retries:
            return False
        if exception_kind is not None:
            return exception_kind.retryable
        return status is not None and is_retryable_status(status)

    def backoff_delay(self, attempt: int) -> float:
        """Jittered, capped exponential backoff before retry ``attempt`` (0-based)."""
        try:
            delay = min(self.max_delay, self.retry_delay * self.backoff_factor ** max(attempt, 0))
        except OverflowError:
            delay = self.max_delay
        return delay * (1.0 - self.jitter * self.random())

    def delay_for(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry ``attempt`` (0-based).

        ``retry_after`` is the raw ``Retry-After`` header of the failed answer, if any.
        """
        server_delay = parse_retry_after(retry_after, now=self.now())
        if server_delay is not None:
            return min(server_delay, self.max_retry_after)
        return self.backoff_delay(attempt)

    def next_delay(
        self,
        attempt: int,
        *,
        status: int | None = None,
        exception_kind: FailureKind | None = None,
        retry_after: str | None = None,
    ) -> float | None:
        """``should_retry`` and ``delay_for`` in one call: the wait, or None to give up."""
        if not self.should_retry(attempt, status, exception_kind):
            return None
        return self.delay_for(attempt, retry_after)
