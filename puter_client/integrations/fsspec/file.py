"""``PuterFile``: an fsspec ``AbstractBufferedFile`` over ``client.fs``.

Reading: every block the cache asks for is one ranged read (``client.fs.read(path,
offset=, length=)``, a ``Range`` request), so seeks and partial reads (Parquet footers,
Dask byte ranges) fetch only what they need.

Writing: the fs API stores a file in one streamed upload and has no append or chunked
upload, so blocks written are spooled to a temporary file (in memory up to
``SPOOL_IN_MEMORY`` bytes, then on disk) and the file is sent in one streamed request when
it is closed (or, inside a transaction, when the transaction commits). Memory stays
bounded whatever the file's size; nothing appears remotely before the close.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from fsspec.spec import AbstractBufferedFile

if TYPE_CHECKING:
    from puter_client.integrations.fsspec.filesystem import PuterFileSystem

__all__ = ["SPOOL_IN_MEMORY", "PuterFile"]

SPOOL_IN_MEMORY = 8 << 20
"""Bytes of a file being written kept in memory before the spool moves to disk."""


class PuterFile(AbstractBufferedFile):  # type: ignore[misc]  # fsspec is untyped
    """A file of Puter's cloud file system opened through fsspec (``fs.open(...)``)."""

    fs: PuterFileSystem

    def __init__(self, fs: PuterFileSystem, path: str, mode: str = "rb", **kwargs: Any) -> None:
        self._spool: BinaryIO | None = None
        super().__init__(fs, path, mode=mode, **kwargs)

    def _fetch_range(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)``: one ``Range`` request."""
        return self.fs._read_range(self.path, start, max(end - start, 0))

    def _initiate_upload(self) -> None:
        # closed by commit() or discard()
        spool = cast("BinaryIO", tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY))  # noqa: SIM115
        self._spool = spool
        if "a" in self.mode and self.fs.exists(self.path):
            self.fs._read_into(self.path, spool)  # append: the current bytes come first

    def _upload_chunk(self, final: bool = False) -> bool:
        assert self._spool is not None
        self.buffer.seek(0)
        shutil.copyfileobj(self.buffer, self._spool)
        if final and self.autocommit:
            self.commit()
        return True

    def commit(self) -> None:
        """Send the file (at close, or when its transaction commits)."""
        spool, self._spool = self._spool, None
        if spool is None:
            return
        try:
            spool.seek(0)
            self.fs._write_file(self.path, spool, exclusive="x" in self.mode)
        finally:
            spool.close()

    def discard(self) -> None:
        """Forget what was written (a transaction that failed)."""
        spool, self._spool = self._spool, None
        if spool is not None:
            spool.close()
