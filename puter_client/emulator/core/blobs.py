"""File contents of the emulated file system: in memory (default) or in a temporary directory.

Contents are immutable once written and shared by reference (a copy costs nothing);
writers and readers work chunk by chunk, so a large file is never joined in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Blob:
    """Stored contents: an id in its store, the size and the SHA-256 hex digest."""

    id: int
    size: int
    sha256: str


class BlobWriter(Protocol):
    """Receives the contents of one new blob, chunk by chunk."""

    def write(self, data: bytes) -> None:
        """Append ``data``."""

    def finish(self) -> Blob:
        """Seal the blob."""

    def discard(self) -> None:
        """Drop what was written (a failed upload)."""


class BlobStore(Protocol):
    """Where file contents live."""

    def writer(self) -> BlobWriter:
        """Start a new blob."""

    def read(self, blob: Blob, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes ``[start, end)`` of ``blob``, in chunks."""

    def delete(self, blob: Blob) -> None:
        """Forget one blob (no file refers to it any more)."""

    def clear(self) -> None:
        """Forget every blob."""


@dataclass
class _MemoryWriter:
    store: MemoryBlobStore
    chunks: list[bytes] = field(default_factory=list)
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)
    size: int = 0

    def write(self, data: bytes) -> None:
        if data:
            self.chunks.append(bytes(data))
            self.digest.update(data)
            self.size += len(data)

    def finish(self) -> Blob:
        blob = Blob(next(self.store.ids), self.size, self.digest.hexdigest())
        with self.store.lock:
            self.store.blobs[blob.id] = self.chunks
        return blob

    def discard(self) -> None:
        self.chunks = []


class MemoryBlobStore:
    """Contents kept as lists of chunks in memory."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.blobs: dict[int, list[bytes]] = {}
        self.ids = itertools.count(1)

    def writer(self) -> BlobWriter:
        """Start a new blob."""
        return _MemoryWriter(self)

    def read(self, blob: Blob, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes ``[start, end)`` of ``blob``, in its stored chunks."""
        end = blob.size if end is None else min(end, blob.size)
        with self.lock:
            chunks = self.blobs.get(blob.id, [])
        offset = 0
        for chunk in chunks:
            lo, hi = max(start - offset, 0), min(end - offset, len(chunk))
            if lo < hi:
                yield chunk[lo:hi] if (lo, hi) != (0, len(chunk)) else chunk
            offset += len(chunk)
            if offset >= end:
                return

    def delete(self, blob: Blob) -> None:
        """Forget one blob."""
        with self.lock:
            self.blobs.pop(blob.id, None)

    def clear(self) -> None:
        """Forget every blob."""
        with self.lock:
            self.blobs.clear()


class _FileWriter:
    def __init__(self, store: TempDirBlobStore) -> None:
        self.store = store
        self.id = next(store.ids)
        self.path = store.path_of(self.id)
        self.file = open(self.path, "wb")  # noqa: SIM115 - closed by finish/discard
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)

    def finish(self) -> Blob:
        self.file.close()
        return Blob(self.id, self.size, self.digest.hexdigest())

    def discard(self) -> None:
        self.file.close()
        os.unlink(self.path)


class TempDirBlobStore:
    """Contents kept as files in a temporary directory (for very large files)."""

    def __init__(self, directory: str | None = None) -> None:
        self.directory = tempfile.mkdtemp(prefix="puter-emulator-", dir=directory)
        self.ids = itertools.count(1)

    def path_of(self, blob_id: int) -> str:
        """The file holding blob ``blob_id``."""
        return os.path.join(self.directory, f"{blob_id}.bin")

    def writer(self) -> BlobWriter:
        """Start a new blob (a new file)."""
        return _FileWriter(self)

    def read(self, blob: Blob, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes ``[start, end)`` of ``blob``, read ``CHUNK`` bytes at a time."""
        end = blob.size if end is None else min(end, blob.size)
        with open(self.path_of(blob.id), "rb") as file:
            file.seek(start)
            remaining = end - start
            while remaining > 0:
                data = file.read(min(CHUNK, remaining))
                if not data:
                    return
                remaining -= len(data)
                yield data

    def delete(self, blob: Blob) -> None:
        """Delete one blob's file."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path_of(blob.id))

    def clear(self) -> None:
        """Delete every file (the directory stays)."""
        shutil.rmtree(self.directory, ignore_errors=True)
        os.makedirs(self.directory, exist_ok=True)
