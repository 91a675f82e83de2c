"""Serving the emulator: one uvicorn server on two loopback sockets, in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, ParamSpec

import uvicorn
from starlette.types import Scope

from puter_client.emulator.app import EmulatorApp
from puter_client.emulator.core.blobs import BlobStore
from puter_client.emulator.core.clock import Clock
from puter_client.emulator.core.faults import Body, Delay, Fault, FaultRule, Respond
from puter_client.emulator.core.requestlog import LoggedRequest
from puter_client.emulator.core.state import EmulatorState, Options, User
from puter_client.emulator.services.chat.catalog import Catalog

_P = ParamSpec("_P")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An explicit IPPROTO_TCP makes asyncio set TCP_NODELAY on accepted connections
    # (it checks ``sock.proto``); without it every response waits ~40 ms for delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        # Name the address: "Address already in use" alone does not say which port.
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


def _origin(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class PuterEmulator:
    """A local Puter server with fault injection; start it with ``with`` or `start`.

    ``port`` is the API host's port and ``web_port`` the web host's (login); 0 picks
    free ports. ``users`` replaces the default accounts (`default_users`).
    ``default_model`` emulates a deployment with a default chat model (used when a
    ``complete`` call names none); without it such a call answers 400, as on puter.com.
    ``keyless`` answers the AI media drivers as a server without provider keys does;
    ``local_media`` points the media URLs they answer at this emulator, which serves them.
    ``clock`` (unix seconds; e.g. a `ManualClock`) drives TTLs, timestamps and rate limits.
    ``file_store`` keeps file contents (default: in memory; `TempDirBlobStore` for disk).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        web_port: int = 0,
        users: Iterable[User] | None = None,
        legacy: bool = False,
        catalog: Catalog | None = None,
        options: Options | None = None,
        default_model: str | None = None,
        keyless: bool = False,
        local_media: bool = False,
        clock: Clock = time.time,
        file_store: BlobStore | None = None,
        keep_alive_timeout: int = 5,
        shutdown_timeout: float = 2.0,
    ) -> None:
        self.host = host
        self._ports = (port, web_port)
        options = options or Options()
        if default_model is not None:
            options = dataclasses.replace(options, default_model=default_model)
        if keyless:
            options = dataclasses.replace(options, keyless=True)
        if local_media:
            options = dataclasses.replace(options, local_media=True)
        self.state = EmulatorState(
            users=users,
            catalog=catalog,
            legacy=legacy,
            options=options,
            clock=clock,
            file_store=file_store,
        )
        self.app = EmulatorApp(self.state, keep_alive_timeout=keep_alive_timeout)
        self.app.aborter = self._abort
        self._keep_alive_timeout = keep_alive_timeout
        self._shutdown_timeout = shutdown_timeout
        self._sockets: list[socket.socket] = []
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self.api_port = 0
        self.web_port = 0

    # addresses ------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        """The API host, e.g. ``http://127.0.0.1:8765`` (config ``api_base``)."""
        return _origin(self.host, self.api_port)

    @property
    def web_origin(self) -> str:
        """The web host, the only ``Origin`` the login routes accept."""
        return _origin(self.host, self.web_port)

    @property
    def login_url(self) -> str:
        """The login endpoint on the web host (config ``login_url``)."""
        return f"{self.web_origin}/login"

    @property
    def hosting_domain(self) -> str:
        """Where this emulator serves sites (config ``hosting_domain``), e.g.
        ``http://site.puter.localhost:8765``: the API port, by ``Host`` header."""
        return f"http://{self.state.options.static_hosting_domain}:{self.api_port}"

    def env(self) -> dict[str, str]:
        """``PUTER_API_BASE``, ``PUTER_LOGIN_URL`` and ``PUTER_HOSTING_DOMAIN`` pointing at
        this emulator."""
        return {
            "PUTER_API_BASE": self.api_base,
            "PUTER_LOGIN_URL": self.login_url,
            "PUTER_HOSTING_DOMAIN": self.hosting_domain,
        }

    # lifecycle -----------------------------------------------------------------------

    def start(self) -> PuterEmulator:
        """Bind both sockets and serve in a background thread; returns self."""
        if self._thread is not None:
            raise RuntimeError("emulator already started")
        api_port, web_port = self._ports
        self._sockets = [_bind(self.host, api_port)]
        self._sockets.append(_bind(self.host, web_port))
        self.api_port = self._sockets[0].getsockname()[1]
        self.web_port = self._sockets[1].getsockname()[1]
        self.app.api_port, self.app.web_port = self.api_port, self.web_port
        self.state.web_origin = self.web_origin
        self.state.api_origin = self.api_base
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            log_config=None,
            access_log=False,
            http="h11",
            ws="none",
            loop="asyncio",
            interface="asgi3",
            proxy_headers=False,
            server_header=False,
            timeout_keep_alive=self._keep_alive_timeout,
        )
        self._server = uvicorn.Server(config)
        started = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(started,), name=f"puter-emulator:{self.api_port}", daemon=True
        )
        self._thread.start()
        if not started.wait(10.0):
            self._error = TimeoutError("the server did not start within 10 s")
        if self._error is not None:
            self._thread.join(1.0)
            self._close_sockets()
            self._thread = None
            raise RuntimeError("emulator failed to start") from self._error
        return self

    def stop(self) -> None:
        """Close every connection, stop serving and join the thread (idempotent)."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None:
            return
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)
        thread.join()
        self._close_sockets()
        self._thread = self._loop = self._stop = None

    def __enter__(self) -> PuterEmulator:
        return self if self._thread is not None else self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            sock.close()
        self._sockets = []

    def _run(self, started: threading.Event) -> None:
        try:
            asyncio.run(self._serve(started))
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
        finally:
            if not started.is_set():
                self._error = self._error or RuntimeError("server exited during startup")
                started.set()

    async def _serve(self, started: threading.Event) -> None:
        server = self._server
        assert server is not None
        if not server.config.loaded:
            server.config.load()
        server.lifespan = server.config.lifespan_class(server.config)
        await server.startup(sockets=self._sockets)
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        started.set()
        while True:
            await server.on_tick(0)  # refreshes the Date header
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=1.0)
                break
        await self._shutdown(server)

    async def _shutdown(self, server: uvicorn.Server) -> None:
        # uvicorn's own shutdown sleeps 0.1 s unconditionally; this one is as fast as
        # the open connections allow, so tests can start and stop many emulators.
        state = server.server_state
        for listener in server.servers:
            listener.close()
        for connection in list(state.connections):
            connection.shutdown()
        await _until(lambda: not state.connections, self._shutdown_timeout)
        for connection in list(state.connections):
            connection.transport.abort()
        await _until(lambda: not state.tasks, self._shutdown_timeout)
        for task in list(state.tasks):
            task.cancel()
        for listener in server.servers:
            await listener.wait_closed()

    async def _abort(self, scope: Scope) -> None:
        """Drop the TCP connection of the request ``scope`` (bytes written so far leave first)."""
        assert self._server is not None
        connections = self._server.server_state.connections
        connection = next(
            (
                c
                for c in connections
                if getattr(c, "client", None) == scope.get("client")
                and getattr(c, "server", None) == scope.get("server")
            ),
            None,
        )
        if connection is None:
            raise ConnectionError("emulator: no connection matches the request")
        transport = connection.transport
        await _until(lambda: not transport.get_write_buffer_size(), 1.0)
        transport.abort()
        await _until(lambda: connection not in connections, 1.0)

    # state ------------------------------------------------------------------------------

    @property
    def legacy(self) -> bool:
        """True when behaving like the V1 server generation; settable at run time."""
        return self.state.legacy

    @legacy.setter
    def legacy(self, value: bool) -> None:
        self.state.legacy = value

    def reset(self, *, legacy: bool | None = None) -> None:
        """Back to the start: users, catalog, options, sessions, faults and log.

        Waits (briefly) for requests still being answered, so none lands in the fresh log.
        """
        if self._server is not None:
            tasks = self._server.server_state.tasks
            _wait_until(lambda: not tasks, self._shutdown_timeout)
        self.state.reset(legacy=legacy)
        self.app.faults.clear()
        self.app.log.clear()

    def add_user(self, username: str, password: str, **fields: Any) -> User:
        """Add an account; ``fields`` are those of `User` (``otp_code``, ``suspended``...)."""
        return self.state.add_user(User(username, password, **fields))

    def token_for(self, username: str) -> str:
        """A valid session token for ``username``, as a login would give."""
        user = self.state.find_user(username=username)
        if user is None:
            raise KeyError(f"no such user: {username!r}")
        return self.state.issue_session_token(user)

    def revoke_tokens(self, username: str) -> int:
        """Revoke every session of ``username`` (their tokens now fail with 401)."""
        return self.state.revoke_user_sessions(username)

    # faults -------------------------------------------------------------------------------

    def inject(
        self,
        route: str,
        fault: Fault | None = None,
        *,
        at: int | Iterable[int] | None = None,
        times: int | None = 1,
        status: int | None = None,
        body: Body = None,
        headers: Mapping[str, str] | None = None,
        retry_after: int | float | str | datetime | None = None,
        delay: float = 0.0,
    ) -> FaultRule:
        """Make requests to ``route`` (a path, or ``"*"``) misbehave.

        Pass a fault (see `puter_client.emulator.core.faults`), or the shorthand keywords:
        ``status`` (with ``body``, ``headers``, ``retry_after``) for a `Respond`, or
        ``delay`` alone for a `Delay`. ``at``: per-route request numbers (1-based, since
        the last reset) to hit; otherwise the next ``times`` requests (None: all).
        Returns the rule; its ``applied`` counts the requests it answered.
        """
        shorthand = status is not None or body is not None or headers or retry_after is not None
        if fault is not None and (shorthand or delay):
            raise TypeError("pass either a fault or the shorthand keywords, not both")
        if fault is None and status is not None:
            fault = Respond(status, body, headers, retry_after, delay=delay)
        elif fault is None and not shorthand and delay:
            fault = Delay(delay)
        if fault is None:
            raise TypeError("inject() needs a fault, a status, or a delay")
        return self.app.faults.add(route, fault, at=at, times=times)

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self.app.faults.clear()

    @property
    def faults(self) -> list[FaultRule]:
        """The injected rules, in order."""
        return self.app.faults.rules()

    # request log ----------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request received since the last reset, oldest first."""
        return self.app.log.entries()

    def requests_to(self, path: str) -> list[LoggedRequest]:
        """The logged requests to ``path``."""
        return self.app.log.entries(path)

    # connections ----------------------------------------------------------------------------

    def open_connections(self) -> int:
        """How many TCP connections (to either host) are open right now."""
        return len(self._server.server_state.connections) if self._server else 0

    def wait_for_connections(self, count: int = 0, timeout: float = 15.0) -> bool:
        """Wait until at most ``count`` connections are open; False on timeout."""
        return _wait_until(lambda: self.open_connections() <= count, timeout)


async def _until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.001)
    return True


def _wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.002)
    return True


def _started(
    factory: Callable[_P, PuterEmulator],
) -> Callable[_P, contextlib.AbstractContextManager[PuterEmulator]]:
    @contextlib.contextmanager
    def running(*args: _P.args, **kwargs: _P.kwargs) -> Iterator[PuterEmulator]:
        with factory(*args, **kwargs) as emulator:
            yield emulator

    return running


def _started_async(
    factory: Callable[_P, PuterEmulator],
) -> Callable[_P, contextlib.AbstractAsyncContextManager[PuterEmulator]]:
    @contextlib.asynccontextmanager
    async def running(*args: _P.args, **kwargs: _P.kwargs) -> AsyncIterator[PuterEmulator]:
        emulator = factory(*args, **kwargs)
        await asyncio.to_thread(emulator.start)
        try:
            yield emulator
        finally:
            await asyncio.to_thread(emulator.stop)

    return running


#: ``with running_emulator(**options) as emu:`` (options: those of `PuterEmulator`).
running_emulator = _started(PuterEmulator)
#: ``async with async_running_emulator(**options) as emu:`` (start/stop off the loop).
async_running_emulator = _started_async(PuterEmulator)
