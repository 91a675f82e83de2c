"""``PuterFile`` and ``PuterAsyncFile``: fsspec file objects over ``client.fs``.

Reading: every block the cache asks for (``PuterFile``, an ``AbstractBufferedFile``), or
every ``await f.read(n)`` (``PuterAsyncFile``, an ``AbstractAsyncStreamedFile``), is one
ranged read (``client.fs.read(path, offset=, length=)``, a ``Range`` request), so seeks
and partial reads (Parquet footers, Dask byte ranges) fetch only what they need. The
blocking file reads its blocks in the calling thread with the client's blocking
transport (pandas, pyarrow and Dask read from their own threads: handing each block to
the event loop's thread and back cost a third more time and twice the memory for a
large file read in blocks, ``make bench``); the async file awaits ``client.fs.async_read``.

Writing: the fs API stores a file in one streamed upload and has no append or chunked
upload, so blocks written are spooled to a temporary file (in memory up to
``SPOOL_IN_MEMORY`` bytes, then on disk) and the file is sent in one streamed request when
it is closed (or, inside a transaction, when the transaction commits). Memory stays
bounded whatever the file's size; nothing appears remotely before the close. Both kinds
share that spool (`_Spool`); the blocking file runs its coroutines on the file system's
loop.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from fsspec.asyn import AbstractAsyncStreamedFile, sync
from fsspec.spec import AbstractBufferedFile

if TYPE_CHECKING:
    from puter_client.integrations.fsspec.filesystem import PuterFileSystem

__all__ = ["SPOOL_IN_MEMORY", "PuterAsyncFile", "PuterFile"]

SPOOL_IN_MEMORY = 8 << 20
"""Bytes of a file being written kept in memory before the spool moves to disk."""


class _Spool:
    """What is written to a file, kept locally until the file is sent whole."""

    fs: PuterFileSystem
    path: str
    buffer: BinaryIO
    _exclusive = False
    _spool: BinaryIO | None = None

    async def _start_spool(self, append: bool) -> None:
        """A new spool; for an append, holding the file's current bytes first."""
        # closed by _send() or discard()
        spool = cast("BinaryIO", tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY))  # noqa: SIM115
        self._spool = spool
        if append and await self.fs._exists(self.path):
            await self.fs._read_into(self.path, spool)

    def _keep_buffer(self) -> None:
        """Move the bytes buffered so far to the spool."""
        assert self._spool is not None
        self.buffer.seek(0)
        shutil.copyfileobj(self.buffer, self._spool)

    async def _send(self) -> None:
        """Send the spooled file (one streamed upload)."""
        spool, self._spool = self._spool, None
        if spool is None:
            return
        try:
            spool.seek(0)
            await self.fs._write_file(self.path, spool, exclusive=self._exclusive)
        finally:
            spool.close()

    def discard(self) -> None:
        """Forget what was written (a transaction that failed)."""
        spool, self._spool = self._spool, None
        if spool is not None:
            spool.close()


class PuterFile(_Spool, AbstractBufferedFile):  # type: ignore[misc]  # fsspec is untyped
    """A file of Puter's cloud file system opened through fsspec (``fs.open(...)``)."""

    def __init__(self, fs: PuterFileSystem, path: str, mode: str = "rb", **kwargs: Any) -> None:
        self._exclusive = "x" in mode
        super().__init__(fs, path, mode=mode, **kwargs)

    def _fetch_range(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)``: one ``Range`` request, sent by the calling thread."""
        return self.fs._read_range_blocking(self.path, start, max(end - start, 0))

    def _initiate_upload(self) -> None:
        sync(self.fs.loop, self._start_spool, "a" in self.mode)

    def _upload_chunk(self, final: bool = False) -> bool:
        self._keep_buffer()
        if final and self.autocommit:
            self.commit()
        return True

    def commit(self) -> None:
        """Send the file (at close, or when its transaction commits)."""
        sync(self.fs.loop, self._send)


class PuterAsyncFile(_Spool, AbstractAsyncStreamedFile):  # type: ignore[misc]  # fsspec is untyped
    """A file of Puter's cloud file system opened with ``await fs.open_async(...)``:
    ``await f.read(n)`` is one ranged request; what ``await f.write(b)`` gets is sent at
    ``await f.close()`` (or the end of ``async with``)."""

    def __init__(self, fs: PuterFileSystem, path: str, mode: str = "rb", **kwargs: Any) -> None:
        self._exclusive = mode == "xb"
        # fsspec's async file writes in "wb" and "ab" only; "xb" is "wb" sent exclusively
        super().__init__(fs, path, mode="wb" if self._exclusive else mode, **kwargs)

    async def _fetch_range(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)``: one ``Range`` request."""
        data: bytes = await self.fs._read_range(self.path, start, max(end - start, 0))
        return data

    async def _initiate_upload(self) -> None:
        await self._start_spool("a" in self.mode)

    async def _upload_chunk(self, final: bool = False) -> bool:
        self._keep_buffer()
        if final:
            await self._send()
        return True
