"""The one mapping from an HTTP answer to the SDK's exception classes.

Both of Puter's error conventions are read here: real HTTP statuses with a JSON error
body (``{"error", "message", "code"}``, sometimes without ``code``, sometimes as text),
and older servers' HTTP 200 ``{"success": false, "error": ...}`` whose real status is
inside. Nothing here does I/O.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from puter_client.core._redact import redact
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterBadRequestError,
    PuterConflictError,
    PuterConnectionError,
    PuterError,
    PuterFileExistsError,
    PuterFileNotFoundError,
    PuterIsADirectoryError,
    PuterNotADirectoryError,
    PuterNotFoundError,
    PuterPayloadTooLargeError,
    PuterPaymentRequiredError,
    PuterPermissionError,
    PuterRateLimitError,
    PuterResponseError,
    PuterServerError,
    PuterTimeoutError,
)
from puter_client.core.retry import FailureKind, classify_exception

__all__ = [
    "api_error_class_for_status",
    "connection_error",
    "error_from_body",
    "error_from_response",
    "file_system_error",
    "legacy_failure_status",
    "response_error",
]

# Status a legacy `success: false` body stands for when it does not name one.
LEGACY_DEFAULT_STATUS = 400

_BY_STATUS: dict[int, type[PuterAPIError]] = {
    400: PuterBadRequestError,
    402: PuterPaymentRequiredError,
    403: PuterPermissionError,
    404: PuterNotFoundError,
    409: PuterConflictError,
    413: PuterPayloadTooLargeError,
    422: PuterBadRequestError,
    429: PuterRateLimitError,
}


def api_error_class_for_status(status: int | None) -> type[PuterAPIError]:
    """The most specific ``PuterAPIError`` subclass for an HTTP status."""
    if status is None:
        return PuterAPIError
    if status >= 500:
        return PuterServerError
    return _BY_STATUS.get(status, PuterAPIError)


def file_system_error(error: PuterAPIError) -> PuterAPIError:
    """``error`` of a file-system route as the class that is also the matching builtin
    ``OSError`` (status, code, message and request kept), or ``error`` itself.

    404 is a missing entry; 409 ``item_with_same_name_exists`` (and ``conflict`` with "An
    entry already exists") an existing one; ``dest_is_not_a_directory`` a file where a
    directory is needed; ``cannot_read_a_directory`` / ``cannot_overwrite_a_directory`` a
    directory where a file is. A 409 "Directory is not empty" stays a conflict.
    """
    cls = _file_system_class(error)
    if cls is None or isinstance(error, cls):
        return error
    refined = cls(
        error.message,
        status_code=error.status_code,
        code=error.code,
        body=error.body,
        method=error.method,
        url=error.url,
    )
    refined.__cause__ = error.__cause__
    return refined


def _file_system_class(error: PuterAPIError) -> type[PuterAPIError] | None:
    status, code = error.status_code, error.code
    if status == 404:
        return PuterFileNotFoundError
    if code in ("cannot_read_a_directory", "cannot_overwrite_a_directory"):
        return PuterIsADirectoryError
    if code == "dest_is_not_a_directory":
        return PuterNotADirectoryError
    if status == 409 and (
        code == "item_with_same_name_exists"
        or (code == "conflict" and error.message.startswith("An entry already exists"))
    ):
        return PuterFileExistsError
    return None


def error_from_response(response: httpx.Response) -> PuterError:
    """The typed error for a read response that is not a success."""
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
        return response_error(response, message or "the response is not a success")
    return _make_error(response, status, message or f"HTTP {status}", code, body)


_SUCCESS_KEY = b'"success"'
_FALSE_AFTER_KEY = re.compile(rb"\s*:\s*false")
_LEGACY_FAILURE_MAX = 64 * 1024
"""Bytes an older server's failure envelope has at most (a message and a code: a few
hundred bytes); a larger 200 answer is not scanned for one (a listing page of 1,000
entries is ~600 KB, and scanning it twice per answer cost a third of decoding it)."""


def legacy_failure_status(response: httpx.Response) -> int | None:
    """For an older server's HTTP 200 ``success: false`` answer, the status it stands for.

    None for any other response (including one whose body is not read yet, or was
    streamed into a sink).
    """
    if response.status_code != 200 or not response.is_stream_consumed:
        return None
    try:
        content = response.content
    except httpx.ResponseNotRead:  # streamed into a sink: a byte answer, not an envelope
        return None
    if len(content) > _LEGACY_FAILURE_MAX or not _says_success_false(content):
        return None
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict) or body.get("success") is not False:
        return None
    error = error_from_body(response, body)
    return getattr(error, "status_code", None)


def _says_success_false(content: bytes) -> bool:
    """Whether ``"success": false`` occurs in ``content``: ``bytes.find`` (C, fast) for
    the key, the pattern only where the key is (a regex search over a whole 14 KB page
    twice per answer was a tenth of a ``kv.keys`` page's cost)."""
    at = content.find(_SUCCESS_KEY)
    while at >= 0:
        after = at + len(_SUCCESS_KEY)
        if _FALSE_AFTER_KEY.match(content, after):
            return True
        at = content.find(_SUCCESS_KEY, after)
    return False


def response_error(response: httpx.Response, message: str) -> PuterAPIError:
    """A ``PuterResponseError``: the server answered, not in the protocol's shape."""
    return PuterResponseError(
        message,
        status_code=response.status_code,
        body=_text_snippet(response),
        **_request_of(response),
    )


def connection_error(request: httpx.Request, exc: Exception) -> PuterConnectionError:
    """The typed error for a request that got no (whole) HTTP answer.

    Its text never holds the request's credentials, and the httpx exception is kept as
    ``__cause__`` only when its own text does not either.
    """
    kind = classify_exception(exc)
    url = str(request.url.copy_with(query=None))
    secrets = _credentials_of(request)
    original = str(exc) or type(exc).__name__
    detail = redact(original, secrets)
    error: PuterConnectionError
    where = _host_and_port(request.url)
    if kind is FailureKind.TIMEOUT:
        error = PuterTimeoutError(
            f"the request to {where} timed out ({detail})", method=request.method, url=url
        )
    else:
        error = PuterConnectionError(
            f"could not reach the server at {where} ({detail})", method=request.method, url=url
        )
    error.__cause__ = exc if detail == original else None
    return error


def _host_and_port(url: httpx.URL) -> str:
    """``host:port`` of ``url``, the port spelled out even when it is the scheme's default."""
    port = url.port or {"https": 443, "http": 80}.get(url.scheme, 0)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{port}"


def _credentials_of(request: httpx.Request) -> list[str]:
    authorization = request.headers.get("authorization", "")
    return sorted({authorization, authorization.partition(" ")[2]} - {""}, key=len, reverse=True)


def _make_error(
    response: httpx.Response, status: int, message: str, code: str | None, body: Any
) -> PuterError:
    request = _request_of(response)
    if status == 401:
        return PuterAuthError(message, status_code=status, code=code, body=body, **request)
    cls = api_error_class_for_status(status)
    return cls(message, status_code=status, code=code, body=body, **request)


def _request_of(response: httpx.Response) -> dict[str, str]:
    try:
        request = response.request
    except RuntimeError:  # a response built without a request (tests, custom transports)
        return {}
    return {"method": request.method, "url": str(request.url.copy_with(query=None))}


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _text_snippet(response: httpx.Response, limit: int = 500) -> str:
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return ""
    return content[:limit].decode("utf-8", "replace")
