"""What ``fs.write`` accepts as data, turned into one streamed multipart file part.

``str`` (sent as UTF-8), ``bytes``-like, a binary file object (read from its current
position in chunks; one that cannot seek is first spooled to a temporary file, so that a
retry can send it again), or an ``os.PathLike`` of a local file (opened when sent).
Nothing is ever base64-encoded, and a file is never read whole into memory.
"""

from __future__ import annotations

import errno
import io
import mimetypes
import os
import shutil
import tempfile
from typing import IO, BinaryIO, Union, cast

from puter_client.core.exceptions import PuterInputError, PuterInputTypeError
from puter_client.core.http.multipart import FilePart

__all__ = ["Spool", "UploadData", "content_type_for", "upload_part"]

UploadData = Union[str, bytes, bytearray, memoryview, BinaryIO, "os.PathLike[str]"]
"""Data ``fs.write`` takes: text, bytes, a binary file object or a local file's path."""

_SPOOL_IN_MEMORY = 8 << 20
"""Bytes of a non-seekable stream kept in memory before spooling to disk."""


def upload_part(data: UploadData, *, name: str, filename: str) -> FilePart:
    """The multipart file part ``name`` carrying ``data``; ``TypeError`` for other data,
    and the builtin ``OSError`` for a local path that is missing or not a file."""
    source: bytes | os.PathLike[str] | BinaryIO
    if isinstance(data, str):
        source = data.encode("utf-8")
    elif isinstance(data, bytes):
        source = data
    elif isinstance(data, (bytearray, memoryview)):
        source = bytes(data)
    elif isinstance(data, os.PathLike):
        path = os.fspath(data)
        if not isinstance(path, str):
            raise PuterInputTypeError(
                "data as a path must be a str path, not bytes", code="field_invalid"
            )
        if os.path.isdir(path):
            raise IsADirectoryError(
                errno.EISDIR, "data names a local directory, not a file (see fs.upload)", path
            )
        if not os.path.isfile(path):
            raise FileNotFoundError(errno.ENOENT, "data names no local file", path)
        source = data
    elif _is_binary_file(data):
        source = data if data.seekable() else _spooled(data)
    else:
        raise PuterInputTypeError(
            "data must be str, bytes, a binary file object or an os.PathLike of a local file, "
            f"not {type(data).__name__}",
            code="field_invalid",
        )
    return FilePart(name=name, filename=filename, source=source)


def content_type_for(filename: str, data: UploadData, given: str | None) -> str | None:
    """The MIME type to declare: ``given``, else the one the name suggests, else plain
    text for ``str`` data; None lets the server use its default."""
    if given is not None:
        if not isinstance(given, str) or not given:
            raise PuterInputError("content_type must be a non-empty str", code="field_invalid")
        return given
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    if guessed is not None:
        return guessed
    return "text/plain; charset=utf-8" if isinstance(data, str) else None


def _is_binary_file(data: object) -> bool:
    if isinstance(data, io.TextIOBase) or not callable(getattr(data, "read", None)):
        return False
    return callable(getattr(data, "seekable", None))


def _spooled(stream: BinaryIO) -> BinaryIO:
    """A rewindable copy of a stream that cannot seek (a pipe, a socket)."""
    spool = Spool(_SPOOL_IN_MEMORY)
    shutil.copyfileobj(cast("IO[bytes]", stream), spool)
    return spool.rewound()


class Spool:
    """Bytes kept in memory up to ``limit``, then in an anonymous temporary file.

    Unlike ``tempfile.SpooledTemporaryFile`` (whose ``seekable()``/``readable()`` only
    exist from Python 3.11), what ``rewound()`` hands out is always a plain binary file
    (``io.BytesIO`` or a real temporary file), so it passes for a seekable file object on
    every supported Python.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._file: BinaryIO = io.BytesIO()
        self._on_disk = False

    @property
    def on_disk(self) -> bool:
        """Whether the bytes went past ``limit`` to a temporary file."""
        return self._on_disk

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Append ``data`` (rolled over to disk once past the limit); the bytes written."""
        if not isinstance(data, bytes):
            data = memoryview(data).cast("B")  # len() in bytes, whatever the item size
        if not self._on_disk and self._file.tell() + len(data) > self._limit:
            spilled = cast("BinaryIO", tempfile.TemporaryFile())  # noqa: SIM115
            memory = cast("io.BytesIO", self._file)
            spilled.write(memory.getbuffer())
            memory.close()
            self._file, self._on_disk = spilled, True
        return self._file.write(data)

    def tell(self) -> int:
        """Bytes written so far."""
        return self._file.tell()

    def rewound(self) -> BinaryIO:
        """The file holding the bytes, at its start (close it when done)."""
        self._file.seek(0)
        return self._file

    def close(self) -> None:
        """Release the memory or delete the temporary file."""
        self._file.close()
