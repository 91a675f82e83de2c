"""What a route handler gets: the state, the logged request and any stream fault."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import Response
from starlette.types import Receive

from puter_client.emulator.core.errors import ApiError, Surface
from puter_client.emulator.core.faults import Fault
from puter_client.emulator.core.requestlog import LoggedRequest
from puter_client.emulator.core.state import EmulatorState


@dataclass
class Call:
    """One request being answered."""

    state: EmulatorState
    request: LoggedRequest
    #: A stream fault (`StreamError`, `StreamWithoutUsage`) the reply must play.
    stream_fault: Fault | None = None
    #: The ASGI receive channel; its body is still unread when ``request.body_streamed``.
    receive: Receive | None = None

    async def body_chunks(self) -> AsyncIterator[bytes]:
        """The request body as it arrives (the logged body when it was read already)."""
        if not self.request.body_streamed or self.receive is None:
            if self.request.body:
                yield self.request.body
            return
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return

    @property
    def query(self) -> dict[str, str]:
        """The query parameters (the first value of each)."""
        return {k: v for k, v in reversed(parse_qsl(self.request.query, keep_blank_values=True))}

    def header(self, name: str) -> str | None:
        """A request header (``name`` in lower case)."""
        return self.request.headers.get(name)

    @property
    def client_host(self) -> str:
        """The peer's address, the key of the login rate limit."""
        return self.request.client[0] if self.request.client else "unknown"

    def json_object(self, surface: Surface) -> dict[str, Any]:
        """The JSON body as Express's body parser sees it.

        Only ``application/json`` bodies are parsed (others read as ``{}``); malformed
        JSON is a 400 ``client_bad_json``; anything but an object a 400 ``bad_request``.
        """
        if "json" not in (self.header("content-type") or "") or not self.request.body.strip():
            return {}
        data = self.request.json  # parsed once already for the log (None if malformed)
        try:
            if data is None:
                data = json.loads(self.request.body)
        except ValueError:
            raise ApiError(
                400, "client_bad_json", "Failed to parse JSON body.", surface=surface
            ) from None
        if not isinstance(data, dict):
            raise ApiError(
                400, "bad_request", "Request body must be a JSON object.", surface=surface
            )
        return data


Handler = Callable[[Call], Awaitable[Response]]
