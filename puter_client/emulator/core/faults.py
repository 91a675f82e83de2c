"""Fault injection: what can go wrong, and on which requests.

A fault replaces or alters the normal answer of one request. Rules say which requests:
a route (an exact path such as ``"/drivers/call"``, or ``"*"`` for every path) and
either the next ``times`` requests or the per-route request numbers ``at`` (1-based,
counted since the last reset, faulted requests included).

========================  ===============================================================
fault                     effect
========================  ===============================================================
`Respond`                 answer this status/body/headers instead (``retry_after`` adds
                          ``Retry-After``: seconds, or an HTTP date for a ``datetime``)
`WrongShape`              valid JSON of the wrong shape (HTTP 200 by default)
`HtmlPage`                an HTML error page, like a proxy's, with any status
`Delay`                   wait, then answer normally
`Drop`                    close the connection before any response byte, or after
                          ``after_bytes`` bytes of the normal response's body (a shorter
                          body arrives whole, then the connection closes)
`TruncatedJson`           the normal response with its body cut short (consistent
                          ``Content-Length``, so the HTTP exchange itself is complete)
`StreamError`             a streamed reply that carries ``{"type":"error",...}`` after
                          ``after_lines`` lines, then ends (streamed driver calls only)
`StreamWithoutUsage`      a streamed reply that ends without its ``usage`` line
                          (streamed driver calls only)
========================  ===============================================================

Every fault also takes ``delay=`` (seconds to wait before acting). Stream faults match
only streamed driver calls (``args.stream: true``); other requests pass them by.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from puter_client.emulator.core.requestlog import LoggedRequest

#: A response body: JSON-able data, or text, or raw bytes.
Body = Any

ANY_ROUTE = "*"

DEFAULT_HTML = (
    "<!DOCTYPE html>\n<html>\n<head><title>{status} {phrase}</title></head>\n"
    "<body>\n<center><h1>{status} {phrase}</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)


@dataclass(frozen=True)
class Fault:
    """Base class of every fault kind."""

    #: Seconds to wait before acting.
    delay: float = field(default=0.0, kw_only=True)

    @property
    def streams_only(self) -> bool:
        """True for faults that only make sense on a streamed reply."""
        return False

    @property
    def name(self) -> str:
        """The kind of fault, as recorded in the request log."""
        return type(self).__name__


@dataclass(frozen=True)
class Respond(Fault):
    """Answer with this status, body and headers instead of the normal answer.

    ``body`` None means the protocol's error body for ``status`` (``{}`` below 400);
    JSON-able data is sent as JSON, ``str`` as text/plain, ``bytes`` as-is.
    """

    status: int = 500
    body: Body = None
    headers: Mapping[str, str] | None = None
    #: ``Retry-After``: seconds (``int``/``float``/``str``) or a ``datetime`` (HTTP date).
    retry_after: int | float | str | datetime | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class WrongShape(Respond):
    """Valid JSON that fits no endpoint's schema (HTTP 200 unless told)."""

    status: int = 200
    body: Body = field(default_factory=lambda: ["unexpected", "shape"])


@dataclass(frozen=True)
class HtmlPage(Fault):
    """An HTML error page such as a proxy in front of the server would send."""

    status: int = 502
    html: str | None = None
    headers: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Delay(Fault):
    """Wait ``seconds``, then answer normally."""

    seconds: float = 1.0


@dataclass(frozen=True)
class Drop(Fault):
    """Drop the connection: before any byte (``after_bytes=None``) or mid-body.

    With ``after_bytes`` at least the body's length, the response arrives whole and the
    connection is closed right after it (a kept-alive connection the server dropped).
    """

    after_bytes: int | None = None


@dataclass(frozen=True)
class TruncatedJson(Fault):
    """Send the normal response with only the first ``keep`` fraction of its body."""

    keep: float = 0.5


@dataclass(frozen=True)
class StreamError(Fault):
    """End a streamed reply with an error line after ``after_lines`` lines."""

    message: str = "Upstream provider error"
    after_lines: int = 1

    @property
    def streams_only(self) -> bool:
        """Stream faults only match streamed driver calls."""
        return True


@dataclass(frozen=True)
class StreamWithoutUsage(Fault):
    """End a streamed reply without its ``usage`` line."""

    @property
    def streams_only(self) -> bool:
        """Stream faults only match streamed driver calls."""
        return True


@dataclass
class FaultRule:
    """A fault and the requests it applies to."""

    route: str
    fault: Fault
    #: Per-route request numbers to hit, or None for "the next ``remaining`` requests".
    at: frozenset[int] | None
    #: Applications left (None: unlimited).
    remaining: int | None
    #: How many requests this rule answered so far.
    applied: int = 0

    def matches(self, request: LoggedRequest) -> bool:
        """True if this rule applies to ``request``."""
        if self.route not in (ANY_ROUTE, request.path):
            return False
        if self.fault.streams_only and not request.is_stream:
            return False
        if self.at is not None and request.route_number not in self.at:
            return False
        return self.remaining is None or self.remaining > 0


class FaultPlan:
    """The injected rules, consulted in insertion order; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def add(
        self,
        route: str,
        fault: Fault,
        *,
        at: int | Iterable[int] | None = None,
        times: int | None = 1,
    ) -> FaultRule:
        """Add a rule; see `puter_client.emulator.PuterEmulator.inject`."""
        if not (route == ANY_ROUTE or route.startswith("/")):
            raise ValueError(f"route must be a path starting with '/' or '*', not {route!r}")
        numbers: frozenset[int] | None = None
        if at is not None:
            numbers = frozenset([at] if isinstance(at, int) else at)
            if not numbers or min(numbers) < 1:
                raise ValueError("at: request numbers are 1-based")
            times = None
        elif times is not None and times < 1:
            raise ValueError("times must be >= 1 (or None for every request)")
        rule = FaultRule(route=route, fault=fault, at=numbers, remaining=times)
        with self._lock:
            self._rules.append(rule)
        return rule

    def take(self, request: LoggedRequest) -> Fault | None:
        """The fault for ``request``, if a rule applies (counting the application)."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(request):
                    rule.applied += 1
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    return rule.fault
        return None

    def rules(self) -> list[FaultRule]:
        """A snapshot of the rules (exhausted ones included)."""
        with self._lock:
            return list(self._rules)

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()
