"""``fs.open(path, "rb" | "wb")``: file objects over the cloud file system.

Reading: a binary file of known size whose reads are ranged requests (``Range``), one
per buffer fill, so ``seek`` and partial reads cost only the bytes asked for. Writing:
the bytes go to a local spooled temporary file (in memory up to 8 MB, then on disk) and
are uploaded, streamed, when the file is closed; a ``with`` block left by an exception
uploads nothing, so the remote file is never half-written.

The blocking classes are ``io`` objects (``io.BufferedReader`` over ``_RawReader``,
``RemoteWriter``), so they can be handed to code that wants a file; the async ones
(``AsyncRemoteReader``, ``AsyncRemoteWriter``) have ``await read()``/``await write()``.
Both share ``_Cursor`` (position and bounds) and the spool.
"""

from __future__ import annotations

import io
import os
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, BinaryIO

from puter_client.core.exceptions import PuterInputError, PuterInputTypeError
from puter_client.services.fs.upload import Spool

__all__ = [
    "READ_BLOCK",
    "AsyncRemoteReader",
    "AsyncRemoteWriter",
    "RemoteWriter",
    "check_mode",
    "open_reader",
]

READ_BLOCK = 1 << 20
"""Bytes asked for per ranged read of a file opened ``"rb"``."""
_SPOOL_IN_MEMORY = 8 << 20

ReadRange = Callable[[int, int], bytes]
"""``read(offset, length)``: the bytes of the file from ``offset`` (blocking)."""
AsyncReadRange = Callable[[int, int], Awaitable[bytes]]
Upload = Callable[[BinaryIO], object]
AsyncUpload = Callable[[BinaryIO], Awaitable[object]]


def check_mode(mode: object) -> str:
    """``"rb"`` or ``"wb"`` (``"r"``/``"w"`` are refused: text modes are not offered)."""
    if not isinstance(mode, str):
        raise PuterInputTypeError(
            f"mode must be a str, not {type(mode).__name__}", code="field_invalid"
        )
    if mode not in ("rb", "wb"):
        raise PuterInputError(
            f"mode must be 'rb' or 'wb', got {mode!r} (use read_text/write_text for text)",
            code="field_invalid",
        )
    return mode


class _Cursor:
    """Where a reader is, within a file of ``size`` bytes."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.position = 0

    def span(self, n: int) -> int:
        """How many bytes a read of ``n`` (-1: all) gets from here."""
        left = max(0, self.size - self.position)
        return left if n is None or n < 0 else min(n, left)

    def seek(self, offset: int, whence: int) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.size}.get(whence)
        if base is None:
            raise ValueError(f"invalid whence: {whence}")
        if base + offset < 0:
            raise ValueError("negative seek position")
        self.position = base + offset
        return self.position


class _RawReader(io.RawIOBase):
    """The raw side of a blocking reader: each ``readinto`` is one ranged read."""

    def __init__(self, name: str, size: int, read_range: ReadRange) -> None:
        super().__init__()
        self.name = name
        self._cursor = _Cursor(size)
        self._read_range = read_range

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        n = self._cursor.span(len(view))
        if n == 0:
            return 0
        data = self._read_range(self._cursor.position, n)
        view[: len(data)] = data
        self._cursor.position += len(data)
        return len(data)

    def readall(self) -> bytes:
        """The rest of the file in one request (``RawIOBase`` would ask 8 KB at a time)."""
        n = self._cursor.span(-1)
        if n == 0:
            return b""
        data = self._read_range(self._cursor.position, n)
        self._cursor.position += len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._cursor.seek(offset, whence)

    def tell(self) -> int:
        return self._cursor.position


def open_reader(name: str, size: int, read_range: ReadRange) -> io.BufferedReader:
    """A buffered binary reader of a remote file of ``size`` bytes."""
    return io.BufferedReader(_RawReader(name, size, read_range), buffer_size=READ_BLOCK)


class RemoteWriter(io.RawIOBase):
    """A binary file whose bytes are uploaded to ``name`` when it is closed (not when a
    ``with`` block ends with an exception: then nothing is uploaded)."""

    def __init__(self, name: str, upload: Upload) -> None:
        super().__init__()
        self.name = name
        self._upload = upload
        self._spool = Spool(_SPOOL_IN_MEMORY)
        self._abandoned = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to a closed file")
        return self._spool.write(data)

    def tell(self) -> int:
        return self._spool.tell()

    def abandon(self) -> None:
        """Close without uploading."""
        self._abandoned = True
        self.close()

    def close(self) -> None:
        if self.closed:
            return
        try:
            if not self._abandoned:
                self._upload(self._spool.rewound())
        finally:
            self._spool.close()
            super().close()

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        if kind is not None:
            self.abandon()
        else:
            self.close()


class AsyncRemoteReader:
    """An async binary reader of a remote file: ``await f.read(n)``, ``f.seek()``."""

    def __init__(self, name: str, size: int, read_range: AsyncReadRange) -> None:
        self.name = name
        self._cursor = _Cursor(size)
        self._read_range = read_range
        self.closed = False

    async def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes from the position (all that is left for -1): one request."""
        if self.closed:
            raise ValueError("read of a closed file")
        count = self._cursor.span(n)
        if count == 0:
            return b""
        data = await self._read_range(self._cursor.position, count)
        self._cursor.position += len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move the position, as ``io`` files do."""
        return self._cursor.seek(offset, whence)

    def tell(self) -> int:
        """The position."""
        return self._cursor.position

    async def close(self) -> None:
        """Close (nothing to release)."""
        self.closed = True

    async def __aenter__(self) -> AsyncRemoteReader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class AsyncRemoteWriter:
    """An async binary writer: ``await f.write(b)``; uploaded on ``await f.close()`` (or
    at the end of ``async with``, unless it ends with an exception)."""

    def __init__(self, name: str, upload: AsyncUpload) -> None:
        self.name = name
        self._upload = upload
        self._spool = Spool(_SPOOL_IN_MEMORY)
        self.closed = False

    async def write(self, data: bytes | bytearray | memoryview) -> int:
        """Append ``data`` (kept locally until the upload)."""
        if self.closed:
            raise ValueError("write to a closed file")
        return self._spool.write(data)

    async def close(self) -> None:
        """Upload what was written, then close."""
        if self.closed:
            return
        self.closed = True
        try:
            await self._upload(self._spool.rewound())
        finally:
            self._spool.close()

    def abandon(self) -> None:
        """Close without uploading."""
        self.closed = True
        self._spool.close()

    async def __aenter__(self) -> AsyncRemoteWriter:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            self.abandon()
        else:
            await self.close()
