"""Building requests: JSON, raw bytes or multipart bodies, query, bearer token. No I/O."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from puter_client.core.http.content import JSON_CONTENT_TYPE
from puter_client.core.http.jsonbody import (
    LARGE_BODY_BYTES,
    JsonBodyStream,
    encode_json,
    text_size_exceeds,
)
from puter_client.core.http.operation import Operation
from puter_client.core.serialization import unstructure

if TYPE_CHECKING:  # imported by the file system's flows only: a chat script never needs it
    from puter_client.core.http.multipart import MultipartBody

__all__ = ["build_request"]


def build_request(
    op: Operation,
    base_url: str,
    *,
    body: Any = None,
    content: bytes | MultipartBody | None = None,
    params: Mapping[str, str] | None = None,
    token: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Request:
    """The ``httpx.Request`` for ``op`` at ``base_url``.

    ``body`` is a model or JSON-native value sent as JSON (streamed in pieces when it is
    large); ``content`` is raw bytes or a streamed multipart body instead. ``token``
    adds ``Authorization: Bearer``; ``headers`` are added last.
    """
    all_headers = httpx.Headers({"Accept": JSON_CONTENT_TYPE})  # case-insensitive: no duplicates
    if headers:
        all_headers.update(headers)
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    if params is None:
        url = _url(base_url, op.path)
    else:
        url = httpx.URL(base_url.rstrip("/") + op.path, params=params)
    if isinstance(content, (bytes, bytearray, memoryview)):
        return httpx.Request(op.method, url, content=content, headers=all_headers)
    if content is not None:  # a multipart body
        all_headers["Content-Type"] = content.content_type
        return _streamed(op, url, content, content.length, all_headers)
    if body is None:
        return httpx.Request(op.method, url, headers=all_headers)
    all_headers["Content-Type"] = JSON_CONTENT_TYPE
    if text_size_exceeds(body, LARGE_BODY_BYTES):  # never hold a huge body twice in memory
        stream = JsonBodyStream(body)
        return _streamed(op, url, stream, stream.length, all_headers)
    return httpx.Request(
        op.method, url, content=encode_json(unstructure(body)), headers=all_headers
    )


@functools.lru_cache(maxsize=256)
def _url(base_url: str, path: str) -> httpx.URL:
    """The parsed URL of ``path`` at ``base_url``: parsing costs more than the rest of a
    small request's building, and a client calls the same few endpoints again and again
    (``httpx.URL`` is immutable, so one object serves every request)."""
    return httpx.URL(base_url.rstrip("/") + path)


def _streamed(
    op: Operation,
    url: httpx.URL,
    stream: httpx.SyncByteStream | httpx.AsyncByteStream,
    length: int,
    headers: httpx.Headers,
) -> httpx.Request:
    headers["Content-Length"] = str(length)
    headers["Host"] = url.netloc.decode("ascii")  # httpx adds Host only to bodies it encodes
    return httpx.Request(op.method, url, stream=stream, headers=headers)
