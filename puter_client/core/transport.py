"""Sending requests: rate limiting, retries, pooled httpx clients.

The decisions (retry or not, how long to wait, which error to raise) are pure functions
of this module and of ``retry.RetryPolicy``; ``Transport.send`` and ``Transport.async_send``
are the two thin I/O shells around them, one blocking and one async.
"""

from __future__ import annotations

import functools
import itertools
import logging
import ssl
import sys
import threading
import time
from collections.abc import AsyncGenerator, Generator
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import httpx

from puter_client.core._redact import redact_http_logs
from puter_client.core._version import __version__
from puter_client.core.flow import Send
from puter_client.core.http.content import NDJSON_CONTENT_TYPE, BodyKind, body_kind
from puter_client.core.http.errors import connection_error, legacy_failure_status
from puter_client.core.ratelimit import RateLimiter, Ticket
from puter_client.core.retry import DEFAULT_MAX_RETRY_AFTER, classify_exception, parse_retry_after

if TYPE_CHECKING:
    from puter_client.core.http.responses import BodySink

__all__ = ["USER_AGENT", "Transport"]

logger = logging.getLogger("puter")
MAX_IN_FLIGHT = 100
"""Async requests in flight per client and event loop: httpx's default pool size."""
_PYTHON_VERSION = ".".join(map(str, sys.version_info[:3]))
USER_AGENT = f"puter-client/{__version__} python/{_PYTHON_VERSION}"


class Transport:
    """One client's connection pools, rate limiter and retry loop.

    The httpx clients are made on first use (the async one once per event loop) and
    closed by ``close``/``aclose``; clients passed in by the user are used as they are and
    left open.
    """

    def __init__(
        self,
        *,
        timeout: float,
        limiter: RateLimiter,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
    ) -> None:
        redact_http_logs()
        self._timeout = timeout
        self._limiter = limiter
        self._client = http_client
        self._owns_client = http_client is None
        self._async_client = async_http_client
        self._owns_async_client = async_http_client is None
        self._async_loop: object = None
        self._loop_closer: AsyncGenerator[None, None] | None = None
        self._gate_loop: object = None
        self._gate: Any = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ clients

    def client(self) -> httpx.Client:
        """The blocking httpx client (made on first use)."""
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._client = httpx.Client(timeout=self._timeout, verify=tls_context())
                client = self._client
        return client

    async def async_client(self) -> httpx.AsyncClient:
        """The async httpx client of the running event loop (made on first use).

        Pooled connections belong to the loop that opened them, so each loop (each
        ``asyncio.run``) gets its own client, closed when that loop shuts down.
        """
        client = self._async_client
        if not self._owns_async_client and client is not None:
            return client
        import asyncio  # only async callers pay for importing asyncio

        loop = asyncio.get_running_loop()
        if client is None or self._async_loop is not loop:
            client = self._async_client = httpx.AsyncClient(
                timeout=self._timeout, verify=tls_context()
            )
            self._async_loop = loop
            self._loop_closer = _close_at_loop_shutdown(client)
            await anext(self._loop_closer)
        return client

    def close(self) -> None:
        """Close the blocking client if this transport made it."""
        if not self._owns_client:
            return
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Close the async client if this transport made it (and the blocking one).

        A client of another, earlier loop was closed when that loop shut down.
        """
        import asyncio

        closer = self._loop_closer
        if closer is not None and self._async_loop is asyncio.get_running_loop():
            self._async_client = None
            self._async_loop = None
            self._loop_closer = None
            await closer.aclose()  # closes the client
        self.close()

    # --------------------------------------------------------------- the shells

    def send(self, step: Send) -> httpx.Response:
        """Send with rate limiting and retries (see ``Send`` for what is read). Blocks."""
        client = self.client()
        limiter = step.limiter or self._limiter
        attempts = _attempts(step, limiter)
        response = None  # the answer of the attempt under way, closed if we are aborted
        held: Ticket | None = None  # the in-flight slot of the attempt under way
        try:
            instruction: _Instruction | _Done = next(attempts)
            while not isinstance(instruction, _Done):
                outcome: Any = None
                try:
                    if isinstance(instruction, _Open):
                        outcome = response = client.send(instruction.request, stream=True)
                    elif isinstance(instruction, _Read):
                        _read(instruction)
                    elif isinstance(instruction, _Close):
                        instruction.response.close()
                    elif isinstance(instruction, _Sleep):
                        time.sleep(instruction.seconds)
                    elif isinstance(instruction, _Release):
                        ticket, held = held, None
                        if ticket is not None:
                            limiter.finish(ticket)
                    else:
                        outcome = held = limiter.start()
                except Exception as exc:
                    instruction = _throw(attempts, exc)
                else:
                    instruction = _resume(attempts, outcome)
            return instruction.response
        except BaseException:
            if response is not None:
                response.close()
            raise
        finally:
            if held is not None:
                limiter.finish(held)

    async def async_send(self, step: Send) -> httpx.Response:
        """Send with rate limiting and retries (see ``Send`` for what is read)."""
        async with self._concurrency_gate():
            client = await self.async_client()
            limiter = step.limiter or self._limiter
            attempts = _attempts(step, limiter)
            response = None  # the answer of the attempt under way, closed if we are aborted
            held: Ticket | None = None  # the in-flight slot of the attempt under way
            try:
                instruction: _Instruction | _Done = next(attempts)
                while not isinstance(instruction, _Done):
                    outcome: Any = None
                    try:
                        if isinstance(instruction, _Open):
                            outcome = response = await client.send(instruction.request, stream=True)
                        elif isinstance(instruction, _Read):
                            await _async_read(instruction)
                        elif isinstance(instruction, _Close):
                            await instruction.response.aclose()
                        elif isinstance(instruction, _Sleep):
                            await _async_sleep(instruction.seconds)
                        elif isinstance(instruction, _Release):
                            ticket, held = held, None
                            if ticket is not None:
                                limiter.finish(ticket)
                        else:
                            outcome = held = await limiter.async_start()
                    except Exception as exc:
                        instruction = _throw(attempts, exc)
                    else:
                        instruction = _resume(attempts, outcome)
                return instruction.response
            except BaseException:
                if response is not None:
                    await response.aclose()
                raise
            finally:
                if held is not None:
                    limiter.finish(held)

    def _concurrency_gate(self) -> Any:
        """The running loop's semaphore of requests in flight (made on first use).

        More requests than the pool has connections only queue inside httpcore, whose
        queue handling grows with its length; waiting here first keeps it short.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        if self._gate is None or self._gate_loop is not loop:
            self._gate = asyncio.Semaphore(MAX_IN_FLIGHT)
            self._gate_loop = loop
        return self._gate


async def _async_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def _close_at_loop_shutdown(client: httpx.AsyncClient) -> AsyncGenerator[None, None]:
    """Close ``client`` when its event loop shuts down.

    A started async generator is closed by the loop's ``shutdown_asyncgens()`` (which
    ``asyncio.run`` calls), while the loop still runs: the one moment a pool bound to that
    loop can be closed properly.
    """
    try:
        yield
    finally:
        await client.aclose()


# ------------------------------------------------------------ the attempt loop
# One request's attempts as a generator of I/O instructions; ``send`` and ``async_send`` carry
# them out, blocking or async, and send back the outcome (or throw the exception).


class _Acquire:
    """Wait for the rate limiter (an in-flight slot, then a start slot); the outcome is
    the limiter's ``Ticket``."""


_ACQUIRE = _Acquire()


class _Release:
    """Give the attempt's in-flight slot back."""


_RELEASE = _Release()


# NamedTuples for the same reason as the steps of flow.py: cheap to create at import.
class _Open(NamedTuple):
    """Send the request; the outcome is the response with its body not yet read."""

    request: httpx.Request


class _Read(NamedTuple):
    """Read the open response's body: whole (``sink`` None), or into ``sink``."""

    response: httpx.Response
    sink: BodySink | None = None


class _Close(NamedTuple):
    """Close the response (its body is not wanted)."""

    response: httpx.Response


class _Sleep(NamedTuple):
    """Wait ``seconds`` before the next attempt."""

    seconds: float


class _Done(NamedTuple):
    """The attempts are over: ``response`` is the final answer."""

    response: httpx.Response


_Instruction = _Acquire | _Release | _Open | _Read | _Close | _Sleep
_Attempts = Generator[_Instruction, Any, httpx.Response]


def _attempts(step: Send, limiter: RateLimiter) -> _Attempts:
    """Attempt ``step`` until an answer is final or no retry is left; the response."""
    sink = step.sink
    for attempt in itertools.count():
        ticket: Ticket = yield _ACQUIRE
        started = time.perf_counter()
        failure = None
        response: httpx.Response | None = None
        try:
            response = yield _Open(step.request)
            assert response is not None
            if sink is not None and _is_byte_success(response):
                sink.reset()
                yield _Read(response, sink)
            elif not (step.stream and not body_is_needed(response)):
                yield _Read(response)  # httpx closes the response once its body is read
            status = answer_status(response)  # scans a 200's body once, not per decision
            delay = retry_delay_after_response(step, attempt, response, status)
            lowered = _refused_by_puters_limiter(response, status) and limiter.throttled(ticket)
            if lowered and delay is not None:  # a retry left: once the lowered limits allow
                delay = _wait_after_lowered_limits(response)
            _log_attempt(step.request, response, started, attempt)
            if delay is not None and not response.is_closed:
                yield _Close(response)
        except httpx.HTTPError as exc:
            if response is not None and not response.is_closed:
                yield _Close(response)
            delay = retry_delay_after_error(step, attempt, exc)
            if delay is None:
                failure = connection_error(step.request, exc)
        yield _RELEASE
        if failure is None and delay is None:
            assert response is not None
            if sink is not None:
                _settle(sink, response)
            return response
        if failure is not None:
            if sink is not None:
                sink.abort()
            raise failure  # outside the except block: no context to leak secrets
        assert delay is not None
        _log_retry(step.request, attempt, delay)
        if delay > 0:
            yield _Sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _refused_by_puters_limiter(response: httpx.Response, status: int) -> bool:
    """A 429 (``status``: what the answer means) of Puter's own rate limits (code
    ``too_many_requests``, or none), not a provider's (``upstream_rate_limited``), which
    the account's tier does not explain."""
    if status != 429:
        return False
    from puter_client.core.http.errors import error_from_response

    return error_from_response(response).code in (None, "too_many_requests")


def _wait_after_lowered_limits(response: httpx.Response) -> float:
    """The wait before retrying a 429 once the limiter's limits were lowered: the
    server's ``Retry-After`` if it sent one (capped), else none (the limiter paces)."""
    wait = parse_retry_after(response.headers.get("retry-after"), now=time.time())
    return 0.0 if wait is None else min(wait, DEFAULT_MAX_RETRY_AFTER)


def _is_byte_success(response: httpx.Response) -> bool:
    return 200 <= response.status_code < 300 and body_kind(response) is BodyKind.BYTES


def _settle(sink: BodySink, response: httpx.Response) -> None:
    """The final answer of a sink step: keep its bytes if it brought them, else none."""
    if _is_byte_success(response):
        sink.finish()
    else:
        sink.abort()


def _resume(attempts: _Attempts, outcome: httpx.Response | None) -> _Instruction | _Done:
    try:
        return attempts.send(outcome)
    except StopIteration as stop:
        return _Done(cast("httpx.Response", stop.value))


def _throw(attempts: _Attempts, exc: Exception) -> _Instruction | _Done:
    try:
        return attempts.throw(exc)
    except StopIteration as stop:
        return _Done(cast("httpx.Response", stop.value))


def _read(read: _Read) -> None:
    if read.sink is None:
        read.response.read()
        _release_stream(read.response)
        return
    try:
        for chunk in read.response.iter_bytes():
            read.sink.write(chunk)
    finally:
        read.response.close()


async def _async_read(read: _Read) -> None:
    if read.sink is None:
        await read.response.aread()
        _release_stream(read.response)
        return
    try:
        async for chunk in read.response.aiter_bytes():
            read.sink.write(chunk)
    finally:
        await read.response.aclose()


_SPENT = httpx.ByteStream(b"")


def _release_stream(response: httpx.Response) -> None:
    """Drop a whole-read response's spent stream. httpx's bound stream refers back to its
    response, so without this the pair (and the body, kept as ``content``) lives until
    the cyclic collector runs: read after read of a large file would pile up."""
    if response.is_closed:
        response.stream = _SPENT


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The certificate-verifying TLS context shared by every client this SDK makes.

    Building one costs tens of milliseconds (it loads the CA bundle), so it is built
    once per process rather than once per ``PuterAI``.
    """
    return httpx.create_ssl_context()


# -------------------------------------------------------------- pure decisions


def retry_delay_after_response(
    step: Send, attempt: int, response: httpx.Response, status: int
) -> float | None:
    """Seconds to wait before retrying after ``response`` (``status``: what it means, see
    ``answer_status``), or None when it is final."""
    if status < 400 or not step.retry.allows_status(status):
        return None
    return step.policy.next_delay(
        attempt, status=status, retry_after=response.headers.get("retry-after")
    )


def answer_status(response: httpx.Response) -> int:
    """The status an answer means: its own, or an older server's HTTP 200 failure's."""
    status = response.status_code
    if status == 200:
        status = legacy_failure_status(response) or status
    return status


def body_is_needed(response: httpx.Response) -> bool:
    """Whether a streamed request's answer must be read whole: not a 200 NDJSON stream."""
    content_type = response.headers.get("content-type", "")
    return response.status_code != 200 or not content_type.startswith(NDJSON_CONTENT_TYPE)


def retry_delay_after_error(step: Send, attempt: int, exc: Exception) -> float | None:
    """Seconds to wait before retrying after a failure with no (whole) answer, or None."""
    kind = classify_exception(exc)
    if not step.retry.allows_failure(kind):
        return None
    return step.policy.next_delay(attempt, exception_kind=kind)


def _log_attempt(
    request: httpx.Request, response: httpx.Response, started: float, attempt: int
) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %d in %.1f ms (attempt %d)",
            request.method,
            request.url.copy_with(query=None),
            response.status_code,
            (time.perf_counter() - started) * 1000,
            attempt + 1,
        )


def _log_retry(request: httpx.Request, attempt: int, delay: float) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "retrying %s %s in %.2f s (attempt %d failed)",
            request.method,
            request.url.copy_with(query=None),
            delay,
            attempt + 1,
        )
