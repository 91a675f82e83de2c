"""Pure helpers the generated endpoint stubs call: build requests, read responses.

No I/O happens here. A request builder returns an ``httpx.Request``; a response parser
takes an ``httpx.Response`` whose body has been read and returns a model or raises a
typed error. Both of Puter's error conventions are recognised: real HTTP statuses with a
JSON error body, and older servers' HTTP 200 ``{"success": false, "error": ...}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

import attrs
import httpx

from puter_client._jsonbody import (
    LARGE_BODY_BYTES,
    JsonBodyStream,
    encode_json,
    text_size_exceeds,
)
from puter_client.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterError,
    PuterResponseError,
    api_error_class_for_status,
)
from puter_client.serialization import ModelValidationError, structure, unstructure

__all__ = [
    "Operation",
    "build_request",
    "decode_json",
    "error_from_body",
    "error_from_response",
    "legacy_failure_status",
    "parse_response",
    "parse_stream_line",
]

T = TypeVar("T")

JSON_CONTENT_TYPE = "application/json"
# Status a legacy `success: false` body stands for when it does not name one.
LEGACY_DEFAULT_STATUS = 400


@attrs.frozen
class Operation:
    """One HTTP operation of the schema (or one driver method of ``/drivers/call``)."""

    name: str
    method: str
    path: str
    host: Literal["web", "api"]
    auth: bool
    driver_method: str | None = None


def build_request(
    op: Operation,
    base_url: str,
    *,
    body: Any = None,
    token: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Request:
    """The ``httpx.Request`` for ``op``: JSON body from a model, bearer token if given."""
    all_headers = httpx.Headers({"Accept": JSON_CONTENT_TYPE})  # case-insensitive: no duplicates
    if headers:
        all_headers.update(headers)
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    url = base_url.rstrip("/") + op.path
    if body is None:
        return httpx.Request(op.method, url, headers=all_headers)
    all_headers["Content-Type"] = JSON_CONTENT_TYPE
    if text_size_exceeds(body, LARGE_BODY_BYTES):  # never hold a huge body twice in memory
        stream = JsonBodyStream(body)
        all_headers["Content-Length"] = str(stream.length)
        # httpx adds Host itself only for bodies it encodes.
        all_headers["Host"] = httpx.URL(url).netloc.decode("ascii")
        return httpx.Request(op.method, url, stream=stream, headers=all_headers)
    content = encode_json(unstructure(body))
    return httpx.Request(op.method, url, content=content, headers=all_headers)


def decode_json(response: httpx.Response) -> Any:
    """The JSON body of a read response, or ``PuterResponseError`` if it is not JSON."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        raise _response_error(response, "the response body is not valid JSON") from None


def parse_response(
    op: Operation,
    response: httpx.Response,
    model: type[T],
    *,
    statuses: tuple[int, ...] = (200,),
    envelope: bool = False,
) -> T:
    """Turn a read response into ``model``, or raise the typed error it stands for.

    ``envelope``: the body is a driver-call envelope, a success only if ``success`` is true.
    """
    if response.status_code not in statuses:
        raise error_from_response(response)
    body = decode_json(response)
    if envelope:
        if not isinstance(body, dict):
            raise _response_error(response, "expected a JSON object in the response")
        if body.get("success") is not True:
            raise error_from_body(response, body)
    try:
        return structure(body, model)
    except ModelValidationError as exc:
        raise _response_error(response, f"unexpected response from {op.name}: {exc}") from None


def parse_stream_line(line: str | bytes, model: Any) -> Any:
    """One NDJSON line of a streamed reply, as a member of the ``model`` union."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        raise PuterResponseError("a stream line is not valid JSON", status_code=200) from None
    try:
        return structure(data, model)
    except ModelValidationError as exc:
        raise PuterResponseError(f"unexpected stream line: {exc}", status_code=200) from None


_LEGACY_FAILURE = re.compile(rb'"success"\s*:\s*false')


def legacy_failure_status(response: httpx.Response) -> int | None:
    """For an older server's HTTP 200 ``success: false`` answer, the status it stands for.

    None for any other response (including one whose body is not read yet).
    """
    if response.status_code != 200 or not response.is_stream_consumed:
        return None
    content = response.content
    if not _LEGACY_FAILURE.search(content):  # cheap test before decoding
        return None
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict) or body.get("success") is not False:
        return None
    error = error_from_body(response, body)
    return getattr(error, "status_code", None)


def error_from_response(response: httpx.Response) -> PuterError:
    """The typed error for a response that is not a success."""
    try:
        body: Any = json.loads(response.content)
    except (ValueError, RecursionError):
        body = None
    if body is None:
        text = _text_snippet(response)
        if response.headers.get("content-type", "").startswith("text/plain") and text.strip():
            message = text.strip()[:200]  # older servers answer errors in plain text
        else:
            reason = response.reason_phrase or "error"
            message = f"HTTP {response.status_code} {reason} (the body is not JSON)"
        return _make_error(response, response.status_code, message, None, text)
    return error_from_body(response, body)


def error_from_body(response: httpx.Response, body: Any) -> PuterError:
    """The typed error described by a JSON error body, of either server generation."""
    status = response.status_code
    message: str | None = None
    code: str | None = None
    if isinstance(body, dict):
        error = body.get("error")
        if body.get("success") is False:  # legacy: HTTP 200 with the real status inside
            status = LEGACY_DEFAULT_STATUS
            if isinstance(error, dict):
                message = _str_or_none(error.get("message"))
                code = _str_or_none(error.get("code"))
                named = error.get("status")
                if isinstance(named, int) and not isinstance(named, bool) and named >= 400:
                    status = named
            elif isinstance(error, str):
                message = error
        else:
            message = _str_or_none(body.get("message"))
            if message is None and isinstance(error, dict):
                message = _str_or_none(error.get("message"))
                code = _str_or_none(error.get("code"))
            elif message is None:
                message = _str_or_none(error)
            code = _str_or_none(body.get("code")) or code
    if status < 400:  # a 2xx/3xx that still failed: report it as an unexpected response
        return _response_error(response, message or "the response is not a success")
    return _make_error(response, status, message or f"HTTP {status}", code, body)


def _make_error(
    response: httpx.Response, status: int, message: str, code: str | None, body: Any
) -> PuterError:
    request = _request_of(response)
    if status == 401:
        return PuterAuthError(message, status_code=status, code=code, body=body, **request)
    cls = api_error_class_for_status(status)
    return cls(message, status_code=status, code=code, body=body, **request)


def _response_error(response: httpx.Response, message: str) -> PuterAPIError:
    return PuterResponseError(
        message,
        status_code=response.status_code,
        body=_text_snippet(response),
        **_request_of(response),
    )


def _request_of(response: httpx.Response) -> dict[str, str]:
    try:
        request = response.request
    except RuntimeError:  # a response built without a request (tests, custom transports)
        return {}
    return {"method": request.method, "url": str(request.url.copy_with(query=None))}


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _text_snippet(response: httpx.Response, limit: int = 500) -> str:
    return response.content[:limit].decode("utf-8", "replace")
