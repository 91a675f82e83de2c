"""Helpers of the reliability suite: the two faces of the client, clients of the
emulator, fault injection in each server generation's own words, and the request log
read as attempts and waits.

Nothing here talks to puter.com: every client names the local emulator's hosts.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import Sequence
from typing import Any, Protocol

from puter import PuterAI
from puter.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterBadRequestError,
    PuterConflictError,
    PuterError,
    PuterNotFoundError,
    PuterPayloadTooLargeError,
    PuterPaymentRequiredError,
    PuterPermissionError,
    PuterRateLimitError,
    PuterServerError,
)
from puter_client.emulator import LoggedRequest, PuterEmulator
from tests.support.timing import CLOCK_EPSILON, WaitLog

__all__ = [
    "ALICE",
    "ALICE_PASSWORD",
    "DRIVER_CALL",
    "ERROR_CLASS",
    "FACES",
    "TOLERANCE",
    "Face",
    "Mark",
    "assert_error",
    "assert_waits",
    "closed_port_url",
    "gaps",
    "inject_status",
    "password_client",
    "token_client",
    "turn",
]

ALICE = "alice"
ALICE_PASSWORD = "alice-password"
DRIVER_CALL = "/drivers/call"

#: Quick retries, and a rate limit that never gets in the way of a single test.
QUICK: dict[str, Any] = {
    "retry_delay": 0.01,
    "rate_limit_requests": 1000,
    "rate_limit_period": 1,
}

#: The exact error class each HTTP status raises.
ERROR_CLASS: dict[int, type[PuterError]] = {
    400: PuterBadRequestError,
    401: PuterAuthError,
    402: PuterPaymentRequiredError,
    403: PuterPermissionError,
    404: PuterNotFoundError,
    408: PuterAPIError,
    409: PuterConflictError,
    413: PuterPayloadTooLargeError,
    422: PuterBadRequestError,
    429: PuterRateLimitError,
    500: PuterServerError,
    502: PuterServerError,
    503: PuterServerError,
    504: PuterServerError,
}


# --- the two faces ----------------------------------------------------------------------


class Face(Protocol):
    """One way of calling the client: blocking (in a worker thread) or async."""

    name: str

    async def chat(self, client: PuterAI, prompt: str = "Hello") -> str:
        """``chat``/``async_chat``: the reply text."""
        ...

    async def stream(self, client: PuterAI, prompt: str, deltas: list[str]) -> str:
        """Read a streamed reply to the end, appending each delta; the whole text."""
        ...

    async def models(self, client: PuterAI) -> list[str]:
        """``get_available_models``/``async_get_available_models``."""
        ...


class SyncFace:
    """``chat`` and ``chat_stream``, run in a worker thread (the loop stays free)."""

    name = "sync"

    async def chat(self, client: PuterAI, prompt: str = "Hello") -> str:
        return await asyncio.to_thread(client.chat, prompt)

    async def stream(self, client: PuterAI, prompt: str, deltas: list[str]) -> str:
        def read() -> str:
            with client.chat_stream(prompt) as stream:
                for delta in stream:
                    deltas.append(delta)
                return stream.text

        return await asyncio.to_thread(read)

    async def models(self, client: PuterAI) -> list[str]:
        return await asyncio.to_thread(client.get_available_models)


class AsyncFace:
    """``async_chat`` and ``async_chat_stream``."""

    name = "async"

    async def chat(self, client: PuterAI, prompt: str = "Hello") -> str:
        return await client.async_chat(prompt)

    async def stream(self, client: PuterAI, prompt: str, deltas: list[str]) -> str:
        async with client.async_chat_stream(prompt) as stream:
            async for delta in stream:
                deltas.append(delta)
            return stream.text

    async def models(self, client: PuterAI) -> list[str]:
        return await client.async_get_available_models()


FACES: dict[str, Face] = {"sync": SyncFace(), "async": AsyncFace()}


# --- clients ----------------------------------------------------------------------------


def token_client(emu: PuterEmulator, **overrides: Any) -> PuterAI:
    """A client holding alice's token: no login, and a 401 is final (no credentials)."""
    options = {**QUICK, **overrides}
    return PuterAI(
        token=emu.token_for(ALICE), api_base=emu.api_base, login_url=emu.login_url, **options
    )


def password_client(
    emu: PuterEmulator, username: str = ALICE, password: str = ALICE_PASSWORD, **overrides: Any
) -> PuterAI:
    """A client with a username and password: it logs in, and again after a 401."""
    options = {**QUICK, **overrides}
    return PuterAI(
        username=username,
        password=password,
        api_base=emu.api_base,
        login_url=emu.login_url,
        **options,
    )


def closed_port_url() -> str:
    """``http://127.0.0.1:<port>`` where nothing listens (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- faults in each generation's words --------------------------------------------------


def inject_status(
    emu: PuterEmulator, status: int, *, times: int | None = None, message: str = "Injected"
) -> str:
    """Make the next driver calls fail with ``status`` as the server in use reports it.

    A V2 server answers the real status with ``{"error", "message", "code"}``; an older
    one answers a driver failure with HTTP 200 ``{"success": false, "error": {"code",
    "message", "status"}}``. A 401 is a real 401 on both (the token check answers it,
    before any driver). Returns the ``code`` sent.
    """
    code = f"injected_{status}"
    if emu.legacy and status != 401:
        error = {"code": code, "message": message, "status": status}
        emu.inject(DRIVER_CALL, status=200, body={"success": False, "error": error}, times=times)
    else:
        body = {"error": message, "message": message, "code": code}
        emu.inject(DRIVER_CALL, status=status, body=body, times=times)
    return code


# --- the request log as attempts and waits ----------------------------------------------


class Mark:
    """A point in the request log: what came after it is what the test caused."""

    def __init__(self, emu: PuterEmulator) -> None:
        self._emu = emu
        self._seq = max((r.seq for r in emu.requests), default=0)

    def requests(self, path: str | None = None) -> list[LoggedRequest]:
        """The requests (to ``path``) received since the mark, oldest first."""
        entries = self._emu.requests if path is None else self._emu.requests_to(path)
        return [r for r in entries if r.seq > self._seq]

    def attempts(self) -> list[LoggedRequest]:
        """The driver calls received since the mark."""
        return self.requests(DRIVER_CALL)


def gaps(requests: Sequence[LoggedRequest]) -> list[float]:
    """Seconds between consecutive requests, as the emulator received them."""
    times = [r.time for r in requests]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


# --- outcomes ---------------------------------------------------------------------------

#: How much earlier than planned the emulator may log a retry (clock granularity).
TOLERANCE = CLOCK_EPSILON


def assert_waits(
    requests: Sequence[LoggedRequest], planned: Sequence[float], waits: WaitLog
) -> None:
    """The client planned the ``planned`` backoff (less at most 25% jitter) between
    ``requests``, and the server saw no retry sooner than its wait. Load can only make
    a retry later, so the server's gaps are bounded from below alone."""
    assert len(waits.waits) == len(planned), (waits.waits, planned)
    for wait, plan in zip(waits.waits, planned, strict=True):
        assert 0.75 * plan <= wait <= plan, (waits.waits, planned)
    observed = gaps(requests)
    assert len(observed) == len(planned), (observed, planned)
    for gap, wait in zip(observed, waits.waits, strict=True):
        assert gap >= wait - TOLERANCE, (observed, waits.waits)


def assert_error(
    error: BaseException, cls: type[PuterError], status: int | None, code: str | None
) -> None:
    """``error`` is exactly of class ``cls`` and carries ``status`` and ``code``."""
    assert type(error) is cls, repr(error)
    assert isinstance(error, (PuterAPIError, PuterAuthError))
    assert (error.status_code, error.code) == (status, code), repr(error)


def turn(prompt: str, reply: str) -> list[dict[str, Any]]:
    """The two history entries a successful chat adds."""
    return [{"role": "user", "content": prompt}, {"role": "assistant", "content": reply}]
