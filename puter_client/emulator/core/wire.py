"""Bytes on the wire: response builders, request body reading and ``send`` wrappers."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import datetime, timezone
from email.utils import format_datetime
from http import HTTPStatus
from typing import Any

from starlette.responses import Response, StreamingResponse
from starlette.types import Message, Receive, Scope, Send

from puter_client.emulator.core.errors import (
    ApiError,
    not_found_body,
    v1_api_body,
    v1_envelope,
    v2_body,
)
from puter_client.emulator.core.faults import DEFAULT_HTML, HtmlPage, Respond

JSON_TYPE = "application/json; charset=utf-8"
NDJSON_TYPE = "application/x-ndjson"
TEXT_TYPE = "text/plain; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"

#: Closes the TCP connection that carries the request of ``scope``, without a response.
Aborter = Callable[[Scope], Awaitable[None]]


class BodyTooLarge(Exception):
    """The request body exceeds the size limit."""


def dumps(data: Any) -> bytes:
    """Compact JSON, as Express's ``res.json`` writes it."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON response."""
    return Response(dumps(data), status_code=status, headers=headers, media_type=JSON_TYPE)


def text_response(text: str, status: int, headers: Mapping[str, str] | None = None) -> Response:
    """A text/plain response."""
    return Response(text, status_code=status, headers=headers, media_type=TEXT_TYPE)


def ndjson_response(lines: AsyncIterator[bytes]) -> Response:
    """A chunked NDJSON response; every item is sent (and flushed) on its own."""
    return StreamingResponse(lines, media_type=NDJSON_TYPE)


def not_found_response() -> Response:
    """The 404 of an unknown route or the wrong host."""
    return json_response(not_found_body(), 404)


def error_response(err: ApiError, *, legacy: bool) -> Response:
    """``err`` written as the server generation in use writes it (see `errors`)."""
    if not legacy:
        return json_response(v2_body(err), err.status, err.headers)
    if err.surface == "login" and err.code != "captcha_required":
        return text_response(err.message, err.v1_status, err.headers)
    if err.surface == "driver":
        return json_response(v1_envelope(err), 200, err.headers)
    return json_response(v1_api_body(err), err.v1_status, err.headers)


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body; raises `BodyTooLarge` past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def sleep_unless_disconnected(seconds: float, receive: Receive) -> bool:
    """Wait ``seconds``; returns False early if the client went away meanwhile."""
    if seconds <= 0:
        return True
    listener = asyncio.ensure_future(receive())
    try:
        done, _ = await asyncio.wait({listener}, timeout=seconds)
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
    return not (done and listener.result()["type"] == "http.disconnect")


def _set_header(message: Message, name: bytes, value: bytes) -> None:
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != name]
    message["headers"] = [*headers, (name, value)]


def with_default_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    """Add ``extra`` headers to the response start (unless already present)."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            message = {**message}
            message["headers"] = [
                *message.get("headers", []),
                *((k, v) for k, v in extra if k not in present),
            ]
        await send(message)

    return wrapped


def truncating_send(send: Send, keep: float) -> Send:
    """Buffer the response, then send only ``keep`` of its body (fixed Content-Length)."""
    start: Message = {}
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = {**message}
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(chunks)
        body = body[: max(0, min(len(body) - 1, int(len(body) * keep)))]
        _set_header(start, b"content-length", str(len(body)).encode())
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return wrapped


def dropping_send(send: Send, scope: Scope, after_bytes: int, abort: Aborter) -> Send:
    """Pass the response through until ``after_bytes`` body bytes, then drop the connection.

    A body of ``after_bytes`` bytes or fewer arrives whole, and the connection is closed
    right after it. Sends after the drop are swallowed: the handler runs on unaware.
    """
    sent = 0
    dropped = False

    async def wrapped(message: Message) -> None:
        nonlocal sent, dropped
        if dropped:
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body: bytes = message.get("body", b"")
        more = message.get("more_body", False)
        room = after_bytes - sent
        if more and len(body) < room:
            sent += len(body)
            await send(message)
            return
        if len(body) <= room and not more:
            await send(message)
        else:
            await send({"type": "http.response.body", "body": body[:room], "more_body": True})
        dropped = True
        await abort(scope)

    return wrapped


def default_error_body(status: int) -> dict[str, Any]:
    """A V2 error body for ``status`` (``{}`` below 400)."""
    if status < 400:
        return {}
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    code = _STATUS_CODES.get(status) or phrase.lower().replace(" ", "_").replace("-", "_")
    return {"error": phrase, "message": phrase, "code": code}


_STATUS_CODES = {429: "too_many_requests", 500: "internal_error"}


def retry_after_value(value: int | float | str | datetime) -> str:
    """A ``Retry-After`` value: delta-seconds, or an HTTP date for a ``datetime``."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return format_datetime(aware.astimezone(timezone.utc), usegmt=True)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def respond_response(fault: Respond) -> Response:
    """The response a `Respond` fault describes."""
    headers = dict(fault.headers or {})
    if fault.retry_after is not None:
        headers["Retry-After"] = retry_after_value(fault.retry_after)
    body = default_error_body(fault.status) if fault.body is None else fault.body
    if isinstance(body, bytes):
        media = fault.content_type or "application/octet-stream"
        return Response(body, status_code=fault.status, headers=headers, media_type=media)
    if isinstance(body, str):
        media = fault.content_type or TEXT_TYPE
        return Response(body, status_code=fault.status, headers=headers, media_type=media)
    return Response(
        dumps(body),
        status_code=fault.status,
        headers=headers,
        media_type=fault.content_type or JSON_TYPE,
    )


def html_page_response(fault: HtmlPage) -> Response:
    """The response a `HtmlPage` fault describes."""
    try:
        phrase = HTTPStatus(fault.status).phrase
    except ValueError:
        phrase = "Error"
    html = fault.html or DEFAULT_HTML.format(status=fault.status, phrase=phrase)
    return Response(html, status_code=fault.status, headers=fault.headers, media_type=HTML_TYPE)
