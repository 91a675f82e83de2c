"""Streamed ``multipart/form-data`` bodies: text fields, then file parts read in chunks.

The body is produced piece by piece (a file is never read whole into memory) with an
exact ``Content-Length`` computed up front, and it can be produced again from the start,
which a retry needs: files given by path are reopened, seekable file objects rewound.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import BinaryIO

import attrs
import httpx

__all__ = ["FilePart", "MultipartBody"]

_CHUNK = 1 << 16


@attrs.frozen
class FilePart:
    """One file part: its field ``name``, ``filename``, and the bytes to send.

    ``source`` is bytes, a local path, or a seekable binary file object (read from its
    current position, and rewound there for a retry).
    """

    name: str
    filename: str
    source: bytes | os.PathLike[str] | BinaryIO
    content_type: str = "application/octet-stream"
    size: int = attrs.field(init=False)
    _start: int = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        start = 0
        if isinstance(self.source, bytes):
            size = len(self.source)
        elif isinstance(self.source, os.PathLike):
            size = os.stat(self.source).st_size
        else:
            if not self.source.seekable():
                raise ValueError(
                    f"{self.filename}: the file object must be seekable (its size is sent first "
                    "and a retry reads it again); pass a path or bytes instead"
                )
            start = self.source.tell()
            size = self.source.seek(0, os.SEEK_END) - start
            self.source.seek(start)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "_start", start)

    def chunks(self) -> Iterator[bytes]:
        """The part's bytes, in chunks, from the start each time."""
        if isinstance(self.source, bytes):
            for offset in range(0, len(self.source), _CHUNK):
                yield self.source[offset : offset + _CHUNK]
        elif isinstance(self.source, os.PathLike):
            with open(self.source, "rb") as file:
                yield from _read_exactly(file, self.size)
        else:
            self.source.seek(self._start)
            yield from _read_exactly(self.source, self.size)


def _read_exactly(file: BinaryIO, size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        chunk = file.read(min(_CHUNK, left))
        if not chunk:
            raise OSError(f"the file ended {left} bytes early (did it change while sending?)")
        left -= len(chunk)
        yield chunk


class MultipartBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A ``multipart/form-data`` body of ``fields`` (in order) then ``files``."""

    def __init__(self, fields: Sequence[tuple[str, str]], files: Sequence[FilePart]) -> None:
        self.boundary = secrets.token_hex(16)
        self._fields = list(fields)
        self._files = list(files)
        self.length = sum(len(piece) for piece in self._heads()) + sum(f.size for f in files)

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value, boundary included."""
        return f"multipart/form-data; boundary={self.boundary}"

    def __iter__(self) -> Iterator[bytes]:
        heads = self._heads()
        for _ in self._fields:
            yield next(heads)
        for file in self._files:
            yield next(heads)
            yield from file.chunks()
            yield next(heads)  # the line break that ends the part
        yield next(heads)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:  # local files: reads are quick, no thread needed per chunk
            yield chunk

    def _heads(self) -> Iterator[bytes]:
        """Every piece of the body but the files' bytes, in order."""
        dash = f"--{self.boundary}\r\n".encode()
        for name, value in self._fields:
            disposition = f'Content-Disposition: form-data; name="{_quoted(name)}"\r\n\r\n'
            yield dash + disposition.encode() + value.encode() + b"\r\n"
        for file in self._files:
            disposition = (
                f'Content-Disposition: form-data; name="{_quoted(file.name)}"; '
                f'filename="{_quoted(file.filename)}"\r\n'
                f"Content-Type: {file.content_type}\r\n\r\n"
            )
            yield dash + disposition.encode()
            yield b"\r\n"
        yield f"--{self.boundary}--\r\n".encode()


def _quoted(value: str) -> str:
    """A header parameter value: quotes, backslashes and line breaks escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "%0D").replace("\n", "%0A")
