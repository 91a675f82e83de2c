"""The emulator's ASGI application: host routing, request log, faults, dispatch."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from puter_client.emulator.core.context import Call
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.faults import (
    Delay,
    Drop,
    Fault,
    FaultPlan,
    HtmlPage,
    Respond,
    TruncatedJson,
)
from puter_client.emulator.core.ratelimit import HELD_SLOTS
from puter_client.emulator.core.requestlog import HostKind, LoggedRequest, RequestLog
from puter_client.emulator.core.state import EmulatorState
from puter_client.emulator.core.wire import (
    Aborter,
    BodyTooLarge,
    dropping_send,
    error_response,
    html_page_response,
    json_response,
    not_found_response,
    read_body,
    respond_response,
    sleep_unless_disconnected,
    truncating_send,
    with_default_headers,
)
from puter_client.emulator.routes import find_hosted, find_route

logger = logging.getLogger(__name__)


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


#: Routes whose multipart bodies reach the handler as a stream (uploads of any size).
STREAMED_UPLOADS = frozenset({"/fs/batchWrite"})


def _streams_body(scope: Scope, headers: dict[str, str]) -> bool:
    path = scope["path"].rstrip("/")
    content_type = headers.get("content-type", "").lower()
    return path in STREAMED_UPLOADS and content_type.startswith("multipart/")


def _parse_json(body: bytes) -> Any:
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


class EmulatorApp:
    """ASGI app serving both Puter origins; the local port tells which one was asked.

    Requests reaching ``web_port`` are web-host requests (login), all others API-host
    requests; when neither port is known (plain ASGI use) a ``Host`` starting with
    ``api.`` means the API host.
    """

    def __init__(
        self,
        state: EmulatorState,
        *,
        log: RequestLog | None = None,
        faults: FaultPlan | None = None,
        keep_alive_timeout: int = 5,
    ) -> None:
        self.state = state
        self.log = log or RequestLog()
        self.faults = faults or FaultPlan()
        self.web_port: int | None = None
        self.api_port: int | None = None
        #: Set by the server: closes a request's TCP connection (for `Drop` faults).
        self.aborter: Aborter | None = None
        self._keep_alive_headers = [
            (b"connection", b"keep-alive"),
            (b"keep-alive", f"timeout={keep_alive_timeout}".encode()),
        ]

    def host_kind(self, scope: Scope, headers: dict[str, str]) -> HostKind:
        """Which origin ``scope`` was addressed to."""
        server = scope.get("server")
        port = server[1] if server else None
        if port is not None and port == self.web_port:
            return "web"
        if port is not None and port == self.api_port:
            return "api"
        return "api" if headers.get("host", "").startswith("api.") else "web"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        headers = _headers(scope)
        streamed = _streams_body(scope, headers)
        try:
            body: bytes | None = (
                b"" if streamed else await read_body(receive, self.state.options.max_body_bytes)
            )
        except BodyTooLarge:
            body = None
        entry = self.log.record(
            host=self.host_kind(scope, headers),
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=body or b"",
            json=_parse_json(body or b""),
            client=tuple(scope["client"]) if scope.get("client") else None,
            body_streamed=streamed,
        )
        if "close" not in headers.get("connection", "").lower():
            send = with_default_headers(send, self._keep_alive_headers)
        send = self._recording(send, entry)
        try:
            if body is None:
                too_large = {
                    "error": "request entity too large",
                    "message": "request entity too large",
                    "code": "client_bad_request",
                }
                upgrade = {"X-Needs-Upgrade": "true"}
                await json_response(too_large, 413, upgrade)(scope, receive, send)
                return
            await self._answer(scope, receive, send, entry)
        finally:
            entry.done.set()

    @staticmethod
    def _recording(send: Send, entry: LoggedRequest) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry.status = message["status"]
            await send(message)

        return wrapped

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, entry: LoggedRequest
    ) -> None:
        fault = self.faults.take(entry)
        if fault is None:
            await self._dispatch(scope, receive, send, entry, None)
            return
        entry.fault = fault.name
        pause = fault.delay + (fault.seconds if isinstance(fault, Delay) else 0.0)
        if not await sleep_unless_disconnected(pause, receive):
            return
        if isinstance(fault, Respond):
            await respond_response(fault)(scope, receive, send)
        elif isinstance(fault, HtmlPage):
            await html_page_response(fault)(scope, receive, send)
        elif isinstance(fault, Drop) and fault.after_bytes is None:
            await self._abort(scope)
        elif isinstance(fault, Drop) and fault.after_bytes is not None:
            send = dropping_send(send, scope, fault.after_bytes, self._abort)
            await self._dispatch(scope, receive, send, entry, None)
        elif isinstance(fault, TruncatedJson):
            await self._dispatch(scope, receive, truncating_send(send, fault.keep), entry, None)
        else:
            stream_fault = fault if fault.streams_only else None
            await self._dispatch(scope, receive, send, entry, stream_fault)

    async def _dispatch(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        entry: LoggedRequest,
        stream_fault: Fault | None,
    ) -> None:
        path = entry.path.rstrip("/") or "/"  # Express routes ignore a trailing slash
        handler = find_hosted(self.state, entry.headers.get("host")) or find_route(
            entry.host, entry.method, path
        )
        response: Response
        held: list[Callable[[], None]] = []  # in-flight slots, kept until answered
        token = HELD_SLOTS.set(held)
        try:
            if handler is None:
                response = not_found_response()
            else:
                try:
                    response = await handler(Call(self.state, entry, stream_fault, receive))
                except ApiError as err:
                    response = error_response(err, legacy=self.state.legacy)
                except Exception:
                    logger.exception("emulator: %s %s failed", entry.method, entry.path)
                    internal = ApiError(500, "internal_error", "An internal error occurred.")
                    response = error_response(internal, legacy=self.state.legacy)
            await response(scope, receive, send)
        finally:
            HELD_SLOTS.reset(token)
            for release in held:
                release()

    async def _abort(self, scope: Scope) -> None:
        if self.aborter is None:
            raise ConnectionResetError("emulator: connection dropped (fault injection)")
        await self.aborter(scope)

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
