"""Sending requests: rate limiting, retries, pooled httpx clients.

The decisions (retry or not, how long to wait, which error to raise) are pure functions
of this module and of ``retry.RetryPolicy``; ``Transport.send`` and ``Transport.asend``
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
from collections.abc import AsyncGenerator
from typing import Any

import httpx

from puter_client import __version__
from puter_client._redact import redact, redact_http_logs
from puter_client._wire import legacy_failure_status
from puter_client.exceptions import PuterConnectionError, PuterTimeoutError
from puter_client.flow import Send
from puter_client.ratelimit import RateLimiter
from puter_client.retry import FailureKind, classify_exception

__all__ = ["NDJSON_CONTENT_TYPE", "USER_AGENT", "Transport"]

logger = logging.getLogger("puter")

NDJSON_CONTENT_TYPE = "application/x-ndjson"
MAX_IN_FLIGHT = 100
"""Async requests in flight per client and event loop: httpx's default pool size."""
_PYTHON_VERSION = ".".join(map(str, sys.version_info[:3]))
USER_AGENT = f"puter-python-sdk/{__version__} python/{_PYTHON_VERSION}"


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
        """Send with rate limiting and retries; the answer is read. Blocks."""
        client = self.client()
        for attempt in itertools.count():
            self._limiter.acquire()
            started = time.perf_counter()
            failure = None
            try:
                response = client.send(step.request, stream=step.stream)
                if step.stream and body_is_needed(response):
                    try:
                        response.read()
                    finally:
                        response.close()
                delay = retry_delay_after_response(step, attempt, response)
                _log_attempt(step.request, response, started, attempt)
                if delay is not None and not response.is_closed:
                    response.close()
            except httpx.HTTPError as exc:
                delay = retry_delay_after_error(step, attempt, exc)
                if delay is None:
                    failure = connection_error(step.request, exc)
            else:
                if delay is None:
                    return response
            if failure is not None:
                raise failure  # outside the except block: no context to leak secrets
            assert delay is not None
            _log_retry(step.request, attempt, delay)
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def asend(self, step: Send) -> httpx.Response:
        """Send with rate limiting and retries; the answer is read."""
        async with self._concurrency_gate():
            return await self._asend(step)

    async def _asend(self, step: Send) -> httpx.Response:
        client = await self.async_client()
        for attempt in itertools.count():
            await self._limiter.acquire_async()
            started = time.perf_counter()
            failure = None
            try:
                response = await client.send(step.request, stream=step.stream)
                if step.stream and body_is_needed(response):
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
                delay = retry_delay_after_response(step, attempt, response)
                _log_attempt(step.request, response, started, attempt)
                if delay is not None and not response.is_closed:
                    await response.aclose()
            except httpx.HTTPError as exc:
                delay = retry_delay_after_error(step, attempt, exc)
                if delay is None:
                    failure = connection_error(step.request, exc)
            else:
                if delay is None:
                    return response
            if failure is not None:
                raise failure  # outside the except block: no context to leak secrets
            assert delay is not None
            _log_retry(step.request, attempt, delay)
            await _async_sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

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


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The certificate-verifying TLS context shared by every client this SDK makes.

    Building one costs tens of milliseconds (it loads the CA bundle), so it is built
    once per process rather than once per ``PuterAI``.
    """
    return httpx.create_ssl_context()


# -------------------------------------------------------------- pure decisions


def retry_delay_after_response(step: Send, attempt: int, response: httpx.Response) -> float | None:
    """Seconds to wait before retrying after ``response``, or None when it is final."""
    status = response.status_code
    if status == 200:
        status = legacy_failure_status(response) or status
    if status < 400 or (status < 500 and not step.retry_client_errors):
        return None
    return step.policy.next_delay(
        attempt, status=status, retry_after=response.headers.get("retry-after")
    )


def body_is_needed(response: httpx.Response) -> bool:
    """Whether a streamed request's answer must be read whole: not a 200 NDJSON stream."""
    content_type = response.headers.get("content-type", "")
    return response.status_code != 200 or not content_type.startswith(NDJSON_CONTENT_TYPE)


def retry_delay_after_error(step: Send, attempt: int, exc: Exception) -> float | None:
    """Seconds to wait before retrying after a failure with no answer, or None."""
    return step.policy.next_delay(attempt, exception_kind=classify_exception(exc))


def connection_error(request: httpx.Request, exc: Exception) -> PuterConnectionError:
    """The typed error for a request that got no HTTP answer.

    Its text never holds the request's credentials, and the httpx exception is kept as
    ``__cause__`` only when its own text does not either.
    """
    kind = classify_exception(exc)
    url = str(request.url.copy_with(query=None))
    secrets = _credentials_of(request)
    original = str(exc) or type(exc).__name__
    detail = redact(original, secrets)
    error: PuterConnectionError
    if kind is FailureKind.TIMEOUT:
        error = PuterTimeoutError(
            f"the request timed out ({detail})", method=request.method, url=url
        )
    else:
        error = PuterConnectionError(
            f"could not reach the server ({detail})", method=request.method, url=url
        )
    error.__cause__ = exc if detail == original else None
    return error


def _credentials_of(request: httpx.Request) -> list[str]:
    authorization = request.headers.get("authorization", "")
    return sorted({authorization, authorization.partition(" ")[2]} - {""}, key=len, reverse=True)


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
