"""A streaming ``multipart/form-data`` reader: parts arrive as they are received.

Only a part's headers and a small lookahead are buffered, so a file part of any size
flows through in chunks (``async for chunk in reader.body()``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

_PARAM = re.compile(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')
_MAX_HEADER_BYTES = 16 * 1024


class MultipartError(ValueError):
    """The body is not well-formed multipart data."""


def boundary_of(content_type: str) -> bytes | None:
    """The boundary of a ``multipart/form-data`` content type, or None."""
    kind, _, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        return None
    for match in _PARAM.finditer(";" + params):
        if match.group(1).lower() == "boundary":
            return (match.group(2) or match.group(3) or "").encode("latin-1") or None
    return None


@dataclass(frozen=True)
class Part:
    """A part's headers: the form field name, the file name and the content type."""

    name: str
    filename: str | None
    content_type: str | None


def _parse_headers(raw: bytes) -> Part:
    name, filename, content_type = "", None, None
    for line in raw.decode("utf-8", "replace").split("\r\n"):
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key == "content-type":
            content_type = value.strip()
        elif key == "content-disposition":
            params = {
                m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _PARAM.finditer(value)
            }
            name = params.get("name", "")
            filename = params.get("filename")
    return Part(name, filename, content_type)


class MultipartReader:
    """Reads parts from the chunks of a request body; read each body before the next part."""

    def __init__(self, chunks: AsyncIterator[bytes], boundary: bytes) -> None:
        self._chunks = chunks
        self._delimiter = b"--" + boundary
        self._body_end = b"\r\n--" + boundary
        self._buffer = bytearray()
        self._started = False
        self._in_body = False
        self._done = False

    async def _fill(self) -> None:
        try:
            self._buffer += await anext(self._chunks)
        except StopAsyncIteration:
            raise MultipartError("the multipart body ended early") from None

    async def _need(self, size: int) -> None:
        while len(self._buffer) < size:
            await self._fill()

    async def next_part(self) -> Part | None:
        """The next part's headers, or None after the closing delimiter."""
        if self._in_body:
            async for _ in self.body():
                pass
        if self._done:
            return None
        if not self._started:
            while (at := self._buffer.find(self._delimiter)) < 0:
                await self._fill()
            del self._buffer[: at + len(self._delimiter)]
            self._started = True
        await self._need(2)
        if self._buffer[:2] == b"--":
            self._done = True
            return None
        while (end := self._buffer.find(b"\r\n\r\n")) < 0:
            if len(self._buffer) > _MAX_HEADER_BYTES:
                raise MultipartError("part headers too long")
            await self._fill()
        headers = bytes(self._buffer[2:end])
        del self._buffer[: end + 4]
        self._in_body = True
        return _parse_headers(headers)

    async def body(self) -> AsyncIterator[bytes]:
        """The current part's bytes, chunk by chunk."""
        keep = len(self._body_end) - 1
        while self._in_body:
            at = self._buffer.find(self._body_end)
            if at >= 0:
                data = bytes(self._buffer[:at])
                del self._buffer[: at + len(self._body_end)]
                self._in_body = False
                if data:
                    yield data
                return
            if len(self._buffer) > keep:
                data = bytes(self._buffer[:-keep])
                del self._buffer[:-keep]
                yield data
            await self._fill()

    async def read(self, limit: int) -> bytes:
        """The current part's bytes, at most ``limit`` of them."""
        data = bytearray()
        async for chunk in self.body():
            data += chunk
            if len(data) > limit:
                raise MultipartError("part too large")
        return bytes(data)
