"""A fixed-response HTTP/1.1 server on loopback, run in its own process by the benchmarks.

Its answers cost next to nothing: ``POST /drivers/call`` gets a prebuilt JSON chat
envelope, or, when the request body contains ``"stream":true``, a prebuilt chunked NDJSON
stream of ``--stream-lines`` text lines (one HTTP chunk per line, as Puter writes them)
and a usage line; a key-value call (``"interface":"puter-kvstore"``) gets the envelope of
a ``get``, ``KV_VALUE`` as its result, as the protocol notes show it, or for a ``list``
the page of ``workloads.KV_LIST_KEYS`` keys its ``cursor`` names; a call naming the
``puter-tts`` interface gets ``--audio-bytes`` of raw ``audio/mpeg`` in 64 KiB chunks
without an envelope (as speech from a real provider arrives); ``GET /bytes?n=N`` and
``GET /read?file=.../bench-N.bin`` get N bytes of ``application/octet-stream`` (a
download; with ``Range: bytes=a-b``, a 206 of those bytes), ``POST /stat`` of a path
naming ``bench-N.bin`` answers a legacy entry of a file of N bytes, and ``POST
/fs/batchWrite`` reads the upload and answers one written entry per item of its manifest;
``POST /mkdir`` answers the folder entry it asked for, ``POST /stat`` of a path naming
``bench-dir...`` a folder entry, and a ``puter-subdomains`` call a site row (what
``hosting.publish`` needs); ``POST /fs/readdir`` answers the pages of a folder of
``workloads.FS_LIST_ENTRIES`` v2 entries, ``FS_PAGE`` a page, by cursor (``page-N``).
Anything else gets a 404.
Connections are kept alive; request bodies may
be sent with ``Content-Length`` or chunked and may be of any size.

``python -m bench.server [--port 0] [--stream-lines 2000] [--audio-bytes N]`` prints its
base URL on one line and serves until its standard input is closed (or it is terminated).
Only the standard library is imported, so that it starts fast. ``ServerProcess`` runs it
from the client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import sys
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING

from bench.workloads import FS_LIST_ENTRIES, FS_PAGE, KV_LIST_KEYS, KV_PAGE

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "CHAT_ENVELOPE",
    "KV_ENVELOPE",
    "KV_VALUE",
    "REPLY_TEXT",
    "SITE_ENVELOPE",
    "STREAM_DELTA",
    "ServerProcess",
    "audio_response",
    "chat_response",
    "kv_list_responses",
    "kv_response",
    "listing_entry",
    "readdir_responses",
    "stream_response",
]

REPLY_TEXT = "Hello! How can I help you today?"
STREAM_DELTA = "word "
CHAT_ENVELOPE: dict[str, object] = {
    "success": True,
    "service": {"name": "ai-chat"},
    "result": {
        "message": {
            "role": "assistant",
            "content": [{"type": "text", "text": REPLY_TEXT}],
            "id": "msg_bench",
            "model": "fake",
            "stop_reason": "end_turn",
        },
        "usage": {"input_tokens": 12, "output_tokens": 9, "usd_cents": None},
        "finish_reason": "stop",
        "via_ai_chat_service": True,
    },
    "metadata": {"service_used": "fake-chat", "providerUsed": "fake"},
}
KV_VALUE: dict[str, object] = {"name": "Ada", "visits": 42, "tags": ["a", "b"], "admin": False}
KV_ENVELOPE: dict[str, object] = {
    "success": True,
    "result": KV_VALUE,
    "service": {"name": "puter-kvstore"},
}
_STREAM_MARKERS = (b'"stream":true', b'"stream": true')
_KV_MARKERS = (b'"interface":"puter-kvstore"', b'"interface": "puter-kvstore"')
_SPEECH_MARKER = b'"puter-tts"'
_KV_LIST_MARKERS = (b'"method":"list"', b'"method": "list"')
_CURSOR = re.compile(rb'"cursor":\s*"([^"]*)"')
_AUDIO_CHUNK = 64 * 1024
_MAX_HEAD = 64 * 1024


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _with_length(status: str, content_type: str, body: bytes) -> bytes:
    headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
    return _head(status, headers) + body


_NOT_FOUND = _with_length(
    "404 Not Found",
    "application/json",
    b'{"error":"Not Found","message":"Not Found","code":"not_found"}',
)


_WRITTEN: dict[str, object] = {
    "fsEntry": {
        "uuid": "0b5e1a7c-0000-4000-8000-000000000001",
        "uid": "0b5e1a7c-0000-4000-8000-000000000001",
        "parentUid": "0b5e1a7c-0000-4000-8000-000000000000",
        "path": "/bench/upload.bin", "name": "upload.bin", "isDir": False,
        "isShortcut": False, "shortcutTo": None, "isSymlink": False,
        "symlinkPath": None, "isPublic": None, "immutable": False,
        "metadata": None, "modified": 1796167737, "created": 1796167737,
        "accessed": 1796167737, "size": 0, "layout": None, "subdomains": [],
        "workers": [], "hasWebsite": False, "suggestedApps": [],
    },
    "wasOverwrite": True,
    "requestedThumbnail": None,
    "contentHashSha256": "0" * 64,
}  # fmt: skip
_UPLOADED: dict[int, bytes] = {}  # the answer to a batch of N files, by N
_FILE_METADATA = b'"fileMetadata"'
_FIRST_FILE = b"filename="
_MIB = 1 << 20
_FOLDER_ENTRY: dict[str, object] = {
    "id": "0b5e1a7c-0000-4000-8000-0000000000f0", "uid": "0b5e1a7c-0000-4000-8000-0000000000f0",
    "path": "/bench/Sites/bench", "name": "bench", "is_dir": True, "immutable": False,
}  # fmt: skip
_BENCH_DIR = re.compile(rb'"path":\s*"~/(bench-dir[^"]*)"')
SITE_ENVELOPE: dict[str, object] = {
    "success": True,
    "service": {"name": "es:subdomain"},
    "result": {
        "uid": "sd-bench", "subdomain": "bench", "domain": "", "root_dir": _FOLDER_ENTRY,
        "associated_app": None, "app_owner": None, "created_at": "2026-12-06T00:00:00.000Z",
        "owner": {"username": "bench", "uuid": "u-bench"}, "protected": False,
    },
}  # fmt: skip
_SITE = _with_length("200 OK", "application/json", json.dumps(SITE_ENVELOPE).encode())
_SITE_MARKERS = (b'"interface":"puter-subdomains"', b'"interface": "puter-subdomains"')
_READ_SIZE = re.compile(r"(\d+)\.bin(?:&|$)")
_STAT_SIZE = re.compile(rb"bench-(\d+)\.bin")
_RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


def _stat_response(body: bytes) -> bytes:
    """``POST /stat`` of ``.../bench-N.bin``: a legacy entry of a file of N bytes."""
    match = _STAT_SIZE.search(body)
    if match is None:
        return _NOT_FOUND
    size = int(match.group(1))
    entry = {
        "id": "0b5e1a7c-0000-4000-8000-000000000002", "uid": "0b5e1a7c-0000-4000-8000-000000000002",
        "path": f"/bench/bench-{size}.bin", "name": f"bench-{size}.bin", "is_dir": False,
        "type": "application/octet-stream", "immutable": False, "modified": 1796167737,
        "created": 1796167737, "accessed": 1796167737, "size": size,
    }  # fmt: skip
    return _with_length("200 OK", "application/json", json.dumps(entry).encode())


def _folder_entry(path: str) -> bytes:
    """The whole response of a legacy entry of the folder ``path``."""
    name = path.rpartition("/")[2]
    entry = {**_FOLDER_ENTRY, "path": path, "name": name}
    return _with_length("200 OK", "application/json", json.dumps(entry).encode())


def _mkdir_response(body: bytes) -> bytes:
    """``POST /mkdir {parent, path}``: the entry of the folder asked for."""
    try:
        asked = json.loads(body)
        parent, name = str(asked.get("parent", "/bench")), str(asked["path"])
    except (ValueError, KeyError, AttributeError):
        return _NOT_FOUND
    parent = "/bench" + parent[1:] if parent.startswith("~") else parent
    return _folder_entry(name if name.startswith("/") else f"{parent.rstrip('/')}/{name}")


def _uploaded(buffer: bytearray, start: int, end: int) -> bytes:
    """``POST /fs/batchWrite``: one written entry per item of the manifest (the part
    before the first file)."""
    files_start = buffer.find(_FIRST_FILE, start, end)
    head = bytes(buffer[start : files_start if files_start >= 0 else end])
    count = max(1, head.count(_FILE_METADATA))
    if count not in _UPLOADED:
        body = json.dumps([_WRITTEN] * count).encode()
        _UPLOADED[count] = _with_length("200 OK", "application/json", body)
    return _UPLOADED[count]


def listing_entry(index: int) -> dict[str, object]:
    """Entry ``index`` of the bench folder's listing: a v2 entry as ``/fs/readdir``
    answers it (with ``type``, ``thumbnail`` and ``associatedApp``)."""
    uid = f"0b5e1a7c-0000-4000-8000-{index:012d}"
    return {
        "uuid": uid, "uid": uid, "parentUid": "0b5e1a7c-0000-4000-8000-0000000000f1",
        "path": f"/bench/bench-list/file-{index:05d}.txt", "name": f"file-{index:05d}.txt",
        "isDir": False, "isShortcut": False, "shortcutTo": None, "isSymlink": False,
        "symlinkPath": None, "isPublic": None, "immutable": False,
        "metadata": '{"contentType":"text/plain"}', "modified": 1796167737 + index,
        "created": 1796167737, "accessed": 1796167737 + index, "size": 4096 + index,
        "layout": None, "subdomains": [], "workers": [], "hasWebsite": False,
        "suggestedApps": [], "type": "text/plain; charset=utf-8", "thumbnail": None,
        "associatedApp": None,
    }  # fmt: skip


def readdir_responses(entries: int, page: int) -> dict[bytes | None, bytes]:
    """The whole HTTP responses to the pages of a ``/fs/readdir`` of ``entries`` entries,
    by the cursor asked for (``None``: the first page)."""
    pages: dict[bytes | None, bytes] = {}
    for number, start in enumerate(range(0, entries, page)):
        body: dict[str, object] = {
            "items": [listing_entry(i) for i in range(start, min(entries, start + page))]
        }
        if start + page < entries:
            body["cursor"] = f"page-{number + 1}"
        pages[None if number == 0 else f"page-{number}".encode()] = _with_length(
            "200 OK", "application/json", json.dumps(body, separators=(",", ":")).encode()
        )
    return pages


def _size_named_in(query: str) -> int | None:
    """``GET /read?file=.../bench-<N>.bin``: the download is N bytes long."""
    match = _READ_SIZE.search(query)
    return int(match.group(1)) if match else None


def chat_response() -> bytes:
    """The whole HTTP response to a plain chat call."""
    body = json.dumps(CHAT_ENVELOPE, separators=(",", ":")).encode()
    return _with_length("200 OK", "application/json", body)


def kv_response() -> bytes:
    """The whole HTTP response to a key-value call (a ``get``)."""
    body = json.dumps(KV_ENVELOPE, separators=(",", ":")).encode()
    return _with_length("200 OK", "application/json", body)


def kv_list_responses(keys: int, page: int) -> dict[bytes | None, bytes]:
    """The whole HTTP responses to the pages of a ``list`` of ``keys`` keys, by the
    cursor asked for (``None``: the first page)."""
    names = [f"key:{index:06d}" for index in range(keys)]
    pages: dict[bytes | None, bytes] = {}
    for number, start in enumerate(range(0, keys, page)):
        result: dict[str, object] = {"items": names[start : start + page]}
        if start + page < keys:
            result["cursor"] = f"page-{number + 1}"
        envelope = {"success": True, "result": result, "service": {"name": "puter-kvstore"}}
        body = json.dumps(envelope, separators=(",", ":")).encode()
        pages[None if number == 0 else f"page-{number}".encode()] = _with_length(
            "200 OK", "application/json", body
        )
    return pages


def stream_response(lines: int) -> bytes:
    """The whole chunked HTTP response to a streamed chat call: ``lines`` text lines + usage."""
    text_line = json.dumps({"type": "text", "text": STREAM_DELTA}, separators=(",", ":"))
    usage = {"type": "usage", "usage": {"prompt_tokens": 12, "completion_tokens": lines}}
    payload = [text_line] * lines + [json.dumps(usage, separators=(",", ":"))]
    chunks = []
    for line in payload:
        data = (line + "\n").encode()
        chunks.append(b"%x\r\n%s\r\n" % (len(data), data))
    head = _head("200 OK", {"Content-Type": "application/x-ndjson", "Transfer-Encoding": "chunked"})
    return head + b"".join(chunks) + b"0\r\n\r\n"


def audio_response(size: int) -> bytes:
    """The whole chunked HTTP response to a speech call: ``size`` bytes of raw audio."""
    frame = b"\xff\xfb\x90\xc4" + bytes(413)  # a silent MP3 frame, repeated
    data = (frame * (size // len(frame) + 1))[:size]
    chunks = [
        b"%x\r\n%s\r\n" % (len(piece), piece)
        for piece in (data[i : i + _AUDIO_CHUNK] for i in range(0, size, _AUDIO_CHUNK))
    ]
    head = _head("200 OK", {"Content-Type": "audio/mpeg", "Transfer-Encoding": "chunked"})
    return head + b"".join(chunks) + b"0\r\n\r\n"


class _BadRequest(Exception):
    pass


class _Connection(asyncio.Protocol):
    """One keep-alive connection: an incremental HTTP/1.1 request parser."""

    requests = 0  # answered, over all connections
    largest_body = 0  # bytes

    def __init__(
        self,
        chat: bytes,
        stream: bytes,
        kv: bytes,
        audio: bytes,
        kv_pages: dict[bytes | None, bytes] | None = None,
        fs_pages: dict[bytes | None, bytes] | None = None,
    ) -> None:
        self._kv_pages = kv_pages or {}
        self._fs_pages = fs_pages or {}
        self._chat = chat
        self._stream = stream
        self._kv = kv
        self._audio = audio
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._pos = 0  # bytes of _buffer already consumed
        self._scan_from = 0  # where the search for the end of the head resumes
        self._request: tuple[str, bool] | None = None  # (target, close) once the head is read
        self._range: str | None = None  # the request's Range header
        self._length = -1  # Content-Length of the body; -1 while reading a chunked one
        self._chunked_body = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        try:
            while self._step():
                pass
        except _BadRequest:
            self._reply(_with_length("400 Bad Request", "text/plain", b"bad request"), True)
            return
        if self._pos:
            del self._buffer[: self._pos]
            self._scan_from = max(0, self._scan_from - self._pos)
            self._pos = 0

    def _step(self) -> bool:
        """Consume what the buffer allows; False when more bytes are needed."""
        if self._request is None:
            return self._read_head()
        if self._length >= 0:
            end = self._pos + self._length
            if len(self._buffer) < end:
                return False
            answer = self._answer_to(self._buffer, self._pos, end)
            self._pos = end
            self._finish(answer, self._length)
            return True
        return self._read_chunk()

    def _read_head(self) -> bool:
        end = self._buffer.find(b"\r\n\r\n", max(self._pos, self._scan_from))
        if end < 0:
            if len(self._buffer) - self._pos > _MAX_HEAD:
                raise _BadRequest
            self._scan_from = max(self._pos, len(self._buffer) - 3)
            return False
        head = bytes(self._buffer[self._pos : end]).decode("latin-1")
        self._pos = self._scan_from = end + 4
        request_line, *header_lines = head.split("\r\n")
        parts = request_line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise _BadRequest
        headers: dict[str, str] = {}
        for line in header_lines:
            name, sep, value = line.partition(":")
            if not sep:
                raise _BadRequest
            headers[name.strip().lower()] = value.strip()
        close = headers.get("connection", "").lower() == "close" or parts[2] == "HTTP/1.0"
        target = parts[1] if parts[0] in ("POST", "GET") else ""
        self._request = (target, close)
        self._range = headers.get("range")
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self._length = -1
            self._chunked_body.clear()
        else:
            try:
                self._length = int(headers.get("content-length", "0"))
            except ValueError:
                raise _BadRequest from None
            if self._length < 0:
                raise _BadRequest
        return True

    def _read_chunk(self) -> bool:
        line_end = self._buffer.find(b"\r\n", self._pos)
        if line_end < 0:
            return False
        size_text = bytes(self._buffer[self._pos : line_end]).split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise _BadRequest from None
        if size == 0:  # the last chunk: skip any trailer lines up to the empty one
            start = line_end + 2
            while (end := self._buffer.find(b"\r\n", start)) != start:
                if end < 0:
                    return False
                start = end + 2
            self._pos = end + 2
            body, self._chunked_body = self._chunked_body, bytearray()
            self._finish(self._answer_to(body, 0, len(body)), len(body))
            return True
        data_end = line_end + 2 + size
        if len(self._buffer) < data_end + 2:
            return False
        self._chunked_body += self._buffer[line_end + 2 : data_end]
        self._pos = data_end + 2
        return True

    def _answer_to(self, buffer: bytearray, start: int, end: int) -> bytes:
        """The answer to the driver call in ``buffer[start:end]`` (the interface comes
        first in a call, so only the head is searched for it)."""
        target = self._request[0].partition("?")[0] if self._request is not None else ""
        if target == "/stat":
            body = bytes(buffer[start:end])
            folder = _BENCH_DIR.search(body)
            if folder is not None:
                return _folder_entry(f"/bench/{folder.group(1).decode()}")
            return _stat_response(body)
        if target == "/mkdir":
            return _mkdir_response(bytes(buffer[start:end]))
        if target == "/fs/batchWrite":
            return _uploaded(buffer, start, end)
        if target == "/fs/readdir":
            found = _CURSOR.search(bytes(buffer[start:end]))
            return self._fs_pages.get(found.group(1) if found else None, _NOT_FOUND)
        head_end = min(end, start + 4096)
        if buffer.find(_SPEECH_MARKER, start, head_end) >= 0:
            return self._audio
        if any(buffer.find(m, start, head_end) >= 0 for m in _KV_MARKERS):
            if any(buffer.find(m, start, head_end) >= 0 for m in _KV_LIST_MARKERS):
                found = _CURSOR.search(bytes(buffer[start:end]))
                return self._kv_pages.get(found.group(1) if found else None, _NOT_FOUND)
            return self._kv
        if any(buffer.find(m, start, head_end) >= 0 for m in _SITE_MARKERS):
            return _SITE
        streamed = any(buffer.find(m, start, end) >= 0 for m in _STREAM_MARKERS)
        return self._stream if streamed else self._chat

    def _finish(self, answer: bytes, size: int) -> None:
        assert self._request is not None
        target, close = self._request
        self._request = None
        _Connection.requests += 1
        _Connection.largest_body = max(_Connection.largest_body, size)
        path, _, query = target.partition("?")
        if path == "/bytes" and query.startswith("n=") and query[2:].isdigit():
            self._reply_bytes(int(query[2:]), close)
            return
        if path == "/read" and (named := _size_named_in(query)) is not None:
            ranged = _RANGE.match(self._range or "")
            if ranged:
                last = int(ranged.group(2)) if ranged.group(2) else named - 1
                self._reply_bytes(named, close, int(ranged.group(1)), min(last, named - 1))
            else:
                self._reply_bytes(named, close)
            return
        if path in ("/drivers/call", "/stat", "/mkdir", "/fs/batchWrite", "/fs/readdir"):
            response = answer
        else:
            response = _NOT_FOUND
        self._reply(response, close)

    def _reply_bytes(self, size: int, close: bool, first: int = 0, last: int | None = None) -> None:
        """Bytes ``first``..``last`` of a download of ``size`` bytes (byte i is i % 256),
        written a piece at a time: the whole file, or a 206 when a range is given."""
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if last is None:
            status, headers = "200 OK", {}
            last = size - 1
        else:
            status, headers = (
                "206 Partial Content",
                {"Content-Range": f"bytes {first}-{last}/{size}"},
            )
        length = max(last - first + 1, 0)
        transport.write(_head(status, {"Content-Type": "application/octet-stream",
                                       "Content-Length": str(length), **headers}))  # fmt: skip
        piece = bytes(range(256)) * 4097  # 1 MiB + 256: any offset modulo 256, then 1 MiB
        offset = first % 256
        for start in range(0, length, _MIB):
            transport.write(piece[offset : offset + min(_MIB, length - start)])
        if close:
            transport.close()

    def _reply(self, response: bytes, close: bool) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        transport.write(response)
        if close:
            transport.close()


async def serve(
    port: int, stream_lines: int, stop: asyncio.Future[None], audio_bytes: int = 1 << 20
) -> None:
    """Serve on ``127.0.0.1:port`` until ``stop`` is done.

    Prints the base URL first, and at the end a JSON line with the number of requests
    answered, the CPU seconds the server spent serving them and the largest request body.
    """
    chat, stream, kv = chat_response(), stream_response(stream_lines), kv_response()
    kv_pages = kv_list_responses(KV_LIST_KEYS, KV_PAGE)
    fs_pages = readdir_responses(FS_LIST_ENTRIES, FS_PAGE)
    loop = asyncio.get_running_loop()
    audio = await loop.run_in_executor(None, audio_response, audio_bytes)
    server = await loop.create_server(
        lambda: _Connection(chat, stream, kv, audio, kv_pages, fs_pages),
        "127.0.0.1",
        port,
        backlog=1024,
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{bound}", flush=True)
    started = time.process_time()
    async with server:
        await stop
    stats = {
        "requests": _Connection.requests,
        "cpu": time.process_time() - started,
        "largest_body": _Connection.largest_body,
    }
    print(json.dumps(stats), flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the server until standard input is closed."""
    parser = argparse.ArgumentParser(prog="python -m bench.server", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stream-lines", type=int, default=2000)
    parser.add_argument("--audio-bytes", type=int, default=1 << 20)
    args = parser.parse_args(argv)

    async def run() -> None:
        loop = asyncio.get_running_loop()
        stop: asyncio.Future[None] = loop.create_future()

        def finish() -> None:
            if not stop.done():
                stop.set_result(None)

        def wait_for_eof() -> None:
            sys.stdin.buffer.read()
            loop.call_soon_threadsafe(finish)

        threading.Thread(target=wait_for_eof, daemon=True).start()
        await serve(args.port, args.stream_lines, stop, args.audio_bytes)

    asyncio.run(run())


class ServerProcess:
    """``with ServerProcess(stream_lines=...) as server: server.url`` runs the server."""

    def __init__(self, *, stream_lines: int = 2000, audio_bytes: int = 1 << 20) -> None:
        self.stream_lines = stream_lines
        self.audio_bytes = audio_bytes
        self.url = ""
        self.stats: dict[str, float] = {}
        """After the server stopped: ``requests``, its ``cpu`` seconds, ``largest_body``."""
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        command = [
            sys.executable, "-m", "bench.server", "--stream-lines", str(self.stream_lines),
            "--audio-bytes", str(self.audio_bytes),
        ]  # fmt: skip
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._process = process
        assert process.stdout is not None
        line = process.stdout.readline().decode().strip()
        if not line.startswith("http://"):
            self.__exit__(None, None, None)
            raise RuntimeError(f"the benchmark server did not start (it printed {line!r})")
        self.url = line
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        last = process.stdout.read().decode().strip()
        process.stdout.close()
        if last.startswith("{"):
            self.stats = json.loads(last)


if __name__ == "__main__":
    main()
