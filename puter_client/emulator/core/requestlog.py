"""The log of every request the emulator received, for tests to inspect."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

HostKind = Literal["web", "api"]


@dataclass
class LoggedRequest:
    """One request as received, and how it was answered."""

    #: 1-based position among all requests since the last reset.
    seq: int
    #: 1-based position among the requests to the same path since the last reset.
    route_number: int
    #: ``time.monotonic()`` and ``time.time()`` when the request body was fully read.
    time: float
    wall_time: float
    #: Which origin received it: the web host (login) or the API host.
    host: HostKind
    method: str
    path: str
    query: str
    #: Header names in lower case; repeated headers joined with ", ".
    headers: dict[str, str]
    body: bytes
    #: The parsed JSON body, or None when the body is empty or not JSON.
    json: Any
    client: tuple[str, int] | None = None
    #: True when the body was streamed to the handler (a multipart upload): ``body`` is
    #: then empty, whatever the size of the upload.
    body_streamed: bool = False
    #: The status sent, or None when no response was started (e.g. dropped connection).
    status: int | None = None
    #: The class name of the injected fault that answered, if any.
    fault: str | None = None
    #: Set once the response was fully sent or the connection dropped; this can lag the
    #: client's receipt of the last byte by a moment, so ``wait()`` on it.
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    @property
    def args(self) -> dict[str, Any]:
        """``json["args"]`` of a driver call, or an empty dict."""
        if isinstance(self.json, dict) and isinstance(self.json.get("args"), dict):
            return self.json["args"]  # type: ignore[no-any-return]
        return {}

    @property
    def interface(self) -> str | None:
        """``json["interface"]`` of a driver call (None for other requests)."""
        value = self.json.get("interface") if isinstance(self.json, dict) else None
        return value if isinstance(value, str) else None

    @property
    def method_name(self) -> str | None:
        """``json["method"]`` of a driver call (None for other requests)."""
        value = self.json.get("method") if isinstance(self.json, dict) else None
        return value if isinstance(value, str) else None

    @property
    def is_stream(self) -> bool:
        """True for a driver call asking for a streamed reply (``args.stream``)."""
        return self.args.get("stream") is True


class RequestLog:
    """Thread-safe, append-only (until `clear`) list of `LoggedRequest`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[LoggedRequest] = []
        self._per_route: dict[str, int] = {}

    def record(
        self,
        *,
        host: HostKind,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        json: Any,
        client: tuple[str, int] | None,
        body_streamed: bool = False,
    ) -> LoggedRequest:
        """Append a request, numbering it globally and per path."""
        with self._lock:
            self._per_route[path] = self._per_route.get(path, 0) + 1
            entry = LoggedRequest(
                seq=len(self._entries) + 1,
                route_number=self._per_route[path],
                time=time.monotonic(),
                wall_time=time.time(),
                host=host,
                method=method,
                path=path,
                query=query,
                headers=headers,
                body=body,
                json=json,
                client=client,
                body_streamed=body_streamed,
            )
            self._entries.append(entry)
            return entry

    def entries(self, path: str | None = None) -> list[LoggedRequest]:
        """A snapshot of the log, optionally only the requests to ``path``."""
        with self._lock:
            return [e for e in self._entries if path is None or e.path == path]

    def clear(self) -> None:
        """Forget every request and restart the numbering."""
        with self._lock:
            self._entries.clear()
            self._per_route.clear()
