"""Reading answers: JSON into models, NDJSON lines, bytes into sinks.

- ``parse_response`` turns a read JSON answer into a model, or raises its typed error;
- ``parse_byte_response`` checks a byte answer (a file, audio) and raises its typed error;
- ``parse_stream_line`` reads one NDJSON line of a streamed reply;
- ``MemorySink`` and ``FileSink`` receive a byte answer in chunks as it arrives (the
  transport feeds them), so a download never has to fit in memory; ``FileSink`` writes
  to a temporary file beside its target and renames it only once the body is whole.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

import httpx

from puter_client.core.exceptions import PuterResponseError
from puter_client.core.http.content import BodyKind, body_kind
from puter_client.core.http.errors import error_from_body, error_from_response, response_error
from puter_client.core.http.operation import Operation
from puter_client.core.serialization import ModelValidationError, structure

__all__ = [
    "BodySink",
    "FileSink",
    "LocalFolderError",
    "MemorySink",
    "MissingLocalFolderError",
    "decode_json",
    "local_target",
    "parse_byte_response",
    "parse_response",
    "parse_stream_line",
]

T = TypeVar("T")


def decode_json(response: httpx.Response) -> Any:
    """The JSON body of a read response, or ``PuterResponseError`` if it is not JSON."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        raise response_error(response, "the response body is not valid JSON") from None


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
            raise response_error(response, "expected a JSON object in the response")
        if body.get("success") is not True:
            raise error_from_body(response, body)
    try:
        return structure(body, model)
    except ModelValidationError as exc:
        raise response_error(response, f"unexpected response from {op.name}: {exc}") from None


def parse_byte_response(
    op: Operation, response: httpx.Response, *, statuses: tuple[int, ...] = (200,)
) -> httpx.Response:
    """The response itself when it is a byte answer of a success status (its body read, or
    streamed into a sink by the transport); else the typed error it stands for.

    A JSON answer is never the bytes asked for: an older server's ``success: false`` body
    raises its error, any other one ``PuterResponseError``.
    """
    if response.status_code not in statuses:
        raise error_from_response(response)
    if body_kind(response) is not BodyKind.BYTES:
        body = decode_json(response) if body_kind(response) is BodyKind.JSON else None
        if isinstance(body, dict) and body.get("success") is False:
            raise error_from_body(response, body)
        raise response_error(response, f"expected bytes from {op.name}, got a JSON answer")
    return response


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


class BodySink(Protocol):
    """Where the transport writes a byte answer as it arrives."""

    def reset(self) -> None:
        """Start over: an attempt begins (a retry drops what an earlier one wrote)."""

    def write(self, chunk: bytes) -> None:
        """Take the next chunk of the body."""

    def finish(self) -> None:
        """The whole body arrived."""

    def abort(self) -> None:
        """The call failed for good: keep nothing that could look complete."""


class MemorySink:
    """Collects a byte answer in memory; ``data`` once finished."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.data = b""

    def reset(self) -> None:
        self._buffer = bytearray()

    def write(self, chunk: bytes) -> None:
        self._buffer += chunk

    def finish(self) -> None:
        self.data = bytes(self._buffer)
        self._buffer = bytearray()

    def abort(self) -> None:
        self._buffer = bytearray()


class LocalFolderError(IsADirectoryError, ValueError):
    """A local file target that names a folder (an existing one, or a path ending in a
    separator) where a file name is needed. Raised before any request; also a
    ``ValueError``. ``filename`` is the folder's absolute path."""

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class MissingLocalFolderError(FileNotFoundError, ValueError):
    """The local folder a file would be written into does not exist (or is a file).
    Raised before any request; also a ``ValueError``. ``filename`` is that folder's
    absolute path."""

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


_SEPARATORS = tuple(sep for sep in (os.sep, os.altsep) if sep)


def local_target(
    dest: str | os.PathLike[str], *, name: str | None = None, example: str | None = None
) -> Path:
    """The local file a download or a save writes to ``dest``, checked before any request.

    A path ending in a separator, or naming an existing folder, means a folder: the file
    is ``name`` in it, and without a ``name`` it is refused (`LocalFolderError`; the text
    suggests ``example`` as a file name). The folder the file goes into must exist
    (`MissingLocalFolderError`). Both errors name the real (absolute) path, never a
    temporary one.
    """
    raw = os.fspath(dest)
    if not isinstance(raw, str):
        raise TypeError(f"a local path must be a str or os.PathLike[str], not {type(raw).__name__}")
    if not raw:
        raise ValueError("a local path must not be empty")
    path = Path(raw)
    if raw.endswith(_SEPARATORS) or path.is_dir():
        if not name:
            folder = str(path.absolute())
            hint = f", e.g. {os.path.join(folder, example)!r}" if example else ""
            raise LocalFolderError(
                errno.EISDIR, f"is a folder: name the file to write in it{hint}", folder
            )
        folder_path, path = path, path / name
    else:
        folder_path = path.parent
    if not folder_path.is_dir():
        folder = str(folder_path.absolute())
        reason = "is not a folder" if folder_path.exists() else "no such folder"
        raise MissingLocalFolderError(errno.ENOENT, f"{reason} (to write {str(path)!r} in)", folder)
    return path


class FileSink:
    """Streams a byte answer to ``path``: written to a hidden temporary file in the same
    folder, renamed over ``path`` once whole (so ``path`` is never a partial file), and
    removed if the call fails, or if it cannot be renamed.

    ``path`` is checked when the sink is made, before any request (`local_target`): a
    folder, or a file in a missing folder, is refused then. Every error names ``path``,
    never the temporary file.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = local_target(path)
        self._temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.part")
        self._file: IO[bytes] | None = None
        self.size = 0

    def reset(self) -> None:
        self._close()
        try:
            self._file = open(self._temporary, "wb")  # noqa: SIM115 (closed by finish/abort)
        except OSError as exc:
            raise self._named(exc) from None
        self.size = 0

    def write(self, chunk: bytes) -> None:
        assert self._file is not None, "reset() opens the file"
        try:
            self._file.write(chunk)
        except OSError as exc:
            self.abort()
            raise self._named(exc) from None
        self.size += len(chunk)

    def finish(self) -> None:
        try:
            self._close()
            os.replace(self._temporary, self.path)
        except OSError as exc:
            self.abort()
            raise self._named(exc) from None

    def _named(self, exc: OSError) -> OSError:
        """``exc`` about the target path rather than the temporary file."""
        if isinstance(exc, IsADirectoryError) or self.path.is_dir():
            folder = str(self.path.absolute())
            return LocalFolderError(errno.EISDIR, "is a folder: name the file to write", folder)
        named = type(exc)(exc.errno, exc.strerror or str(exc), str(self.path))
        return named

    def abort(self) -> None:
        self._close()
        self._temporary.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
