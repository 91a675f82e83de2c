"""The key-value store behind ``puter-kvstore``: namespaces, TTLs and document paths.

It mirrors the server's DynamoDB-backed store, quirks included: an expired entry is
hidden from reads but stays, so ``incr``/``update``/``add`` continue from its stale value
and keep its TTL; ``expire`` on a missing key creates a ``null``-valued entry; a nested
path is created on demand (intermediate objects), and a path through a non-object is
the store's own 400 (``upstream_bad_request``, ``upstreamStatus: 400``).
Every method is synchronous and is called from the server's event loop.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.jsvalues import ABSENT

MAX_KEY_BYTES = 1024
MAX_VALUE_BYTES = 408_576
UNSAFE_OBJECT_KEYS = frozenset({"__proto__", "constructor", "prototype"})

_INDEX = re.compile(r"\[(\d*)\]")
_BAD_PATH = "The document path provided in the update expression is invalid for update"
_BAD_OPERAND = "An operand in the update expression has an incorrect data type"

Segment = str | int


def bad_request(message: str) -> ApiError:
    """A 400 ``bad_request`` of the store or the driver."""
    return ApiError(400, "bad_request", message, surface="driver")


def _upstream(message: str) -> ApiError:
    return ApiError(
        400, "upstream_bad_request", message, surface="driver", extra={"upstreamStatus": 400}
    )


def check_key(key: str) -> None:
    """The store's key rules: not empty, at most 1024 UTF-8 bytes."""
    if key == "":
        raise bad_request("kv: key is empty")
    if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        raise bad_request(f"kv: key exceeds {MAX_KEY_BYTES} byte limit")


def _object_keys(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, dict):
            yield from current
            stack.extend(current.values())


def check_value(value: Any, encoded_size: int) -> None:
    """The store's value rules: ``JSON.stringify`` size, then no forbidden object key."""
    if encoded_size > MAX_VALUE_BYTES:
        raise bad_request(f"kv: value exceeds {MAX_VALUE_BYTES} byte limit")
    for name in _object_keys(value):
        if name in UNSAFE_OBJECT_KEYS:
            raise bad_request(f"kv: value key `{name}` is not allowed")


def parse_path(path: Any) -> list[Segment]:
    """``"a.b[2].c"`` -> ``["a", "b", 2, "c"]``; ``""`` is the value itself (``[]``)."""
    if not isinstance(path, str):
        raise bad_request("kv: path must be a string")
    segments: list[Segment] = []
    for chunk in path.split("."):
        name = _INDEX.split(chunk)[0]
        if name in UNSAFE_OBJECT_KEYS:
            raise bad_request(f"kv: path segment `{name}` is not allowed")
        if name:
            segments.append(name)
        segments.extend(int(i) for i in _INDEX.findall(chunk) if i)
    return segments


@dataclass
class KvEntry:
    """One stored key: its value and its expiry (unix seconds; None: never)."""

    value: Any
    expires_at: float | None = None

    @property
    def stored(self) -> Any:
        """The value as reads return it (an entry whose value was removed reads null)."""
        return None if self.value is ABSENT else self.value

    def live(self, now: float) -> bool:
        """False once the TTL has passed (the entry is then hidden from reads)."""
        return not self.expires_at or self.expires_at > now


def _child(container: Any, segment: Segment) -> Any:
    if isinstance(segment, int):
        if isinstance(container, list) and segment < len(container):
            return container[segment]
        return ABSENT
    if isinstance(container, dict):
        return container.get(segment, ABSENT)
    return ABSENT


def _parent(root: Any, segments: Sequence[Segment], *, create: bool) -> Any:
    """The container holding the last segment; creates missing objects when asked."""
    current = root
    for segment in segments[:-1]:
        child = _child(current, segment)
        if child is ABSENT and create and isinstance(current, dict) and isinstance(segment, str):
            child = current[segment] = {}
        if not isinstance(child, dict | list):
            raise _upstream(_BAD_PATH)
        current = child
    wanted = list if isinstance(segments[-1], int) else dict
    if not isinstance(current, wanted):
        raise _upstream(_BAD_PATH)
    return current


def _put(container: Any, segment: Segment, value: Any) -> None:
    if isinstance(segment, int):
        if segment < len(container):
            container[segment] = value
        else:
            container.append(value)
    else:
        container[segment] = value


class Namespace:
    """The keys of one user (and app)."""

    def __init__(self) -> None:
        self._entries: dict[str, KvEntry] = {}

    def get(self, key: str, now: float) -> Any:
        """The value, or None when missing or expired."""
        entry = self._entries.get(key)
        return entry.stored if entry is not None and entry.live(now) else None

    def set(self, key: str, value: Any, expires_at: float | None) -> None:
        """Store ``value``, replacing any value and TTL."""
        self._entries[key] = KvEntry(copy.deepcopy(value), expires_at)

    def delete(self, key: str) -> None:
        """Forget ``key`` (no error when absent)."""
        self._entries.pop(key, None)

    def flush(self) -> None:
        """Forget every key."""
        self._entries.clear()

    def expire_at(self, key: str, timestamp: float) -> None:
        """Set the TTL; a missing key becomes an entry whose value is null."""
        entry = self._entries.setdefault(key, KvEntry(None))
        entry.expires_at = timestamp

    def live_items(self, prefix: str | None, now: float) -> list[tuple[str, Any]]:
        """Unexpired ``(key, value)`` pairs whose key starts with ``prefix``, by key."""
        items = [
            (key, entry.stored)
            for key, entry in self._entries.items()
            if entry.live(now) and (prefix is None or key.startswith(prefix))
        ]
        return sorted(items, key=lambda item: item[0])

    # document updates (expired entries are updated from their stale value) -------------

    def _document(self, key: str, paths: Sequence[list[Segment]]) -> KvEntry:
        """The entry to update in place, created with the objects ``paths`` need."""
        nested = any(paths)
        entry = self._entries.setdefault(key, KvEntry(ABSENT))
        if nested and entry.value is ABSENT:
            entry.value = {}
        return entry

    def increment(self, key: str, amounts: Mapping[str, float]) -> Any:
        """Add each amount at its path (missing numbers start at 0); the new value."""
        paths = {path: parse_path(path) for path in amounts}
        entry = self._document(key, list(paths.values()))
        for path, segments in paths.items():
            if not segments:
                current = 0 if entry.value is ABSENT else entry.value
                entry.value = _add_number(current, amounts[path])
                continue
            container = _parent(entry.value, segments, create=True)
            current = _child(container, segments[-1])
            _put(
                container,
                segments[-1],
                _add_number(0 if current is ABSENT else current, amounts[path]),
            )
        return entry.value

    def update(self, key: str, values: Mapping[str, Any], expires_at: float | None) -> Any:
        """Set each path's value (and the TTL when given); the new value."""
        paths = {path: parse_path(path) for path in values}
        entry = self._document(key, list(paths.values()))
        for path, segments in paths.items():
            if not segments:
                entry.value = copy.deepcopy(values[path])
            else:
                _put(
                    _parent(entry.value, segments, create=True),
                    segments[-1],
                    copy.deepcopy(values[path]),
                )
        if expires_at is not None:
            entry.expires_at = expires_at
        return entry.value

    def append(self, key: str, values: Mapping[str, Any]) -> Any:
        """Append to the list at each path (a list value appends its items); the new value."""
        paths = {path: parse_path(path) for path in values}
        entry = self._document(key, list(paths.values()))
        for path, segments in paths.items():
            value = values[path]
            items = copy.deepcopy(value if isinstance(value, list) else [value])
            if not segments:
                current = [] if entry.value is ABSENT else entry.value
                if not isinstance(current, list):
                    raise _upstream(_BAD_OPERAND)
                entry.value = current + items
                continue
            container = _parent(entry.value, segments, create=True)
            current = _child(container, segments[-1])
            current = [] if current is ABSENT else current
            if not isinstance(current, list):
                raise _upstream(_BAD_OPERAND)
            _put(container, segments[-1], current + items)
        return entry.value

    def remove(self, key: str, paths: Sequence[str], now: float) -> Any:
        """Remove each path; the new value (a path through nothing: the value unchanged)."""
        parsed = [parse_path(path) for path in paths]
        entry = self._entries.get(key)
        if entry is None:
            return None
        for segments in parsed:
            if not segments:
                entry.value = ABSENT
                continue
            try:
                container = _parent(entry.value, segments, create=False)
            except ApiError:
                return self.get(key, now)
            last = segments[-1]
            if isinstance(last, int) and last < len(container):
                del container[last]
            elif isinstance(last, str):
                container.pop(last, None)
        return entry.value


def _add_number(current: Any, amount: float) -> Any:
    if isinstance(current, bool) or not isinstance(current, int | float):
        raise _upstream(_BAD_OPERAND)
    total = current + amount
    return int(total) if isinstance(total, float) and total.is_integer() else total


class KvStore:
    """Every namespace; one per user (by uuid) and app (``os-global`` for sessions)."""

    def __init__(self) -> None:
        self._namespaces: dict[str, Namespace] = {}

    def namespace(self, user_uuid: str, app: str = "os-global") -> Namespace:
        """The namespace of ``user_uuid`` and ``app`` (created on first use)."""
        return self._namespaces.setdefault(f"v1:{user_uuid}:{app}", Namespace())

    def clear(self) -> None:
        """Forget every namespace."""
        self._namespaces.clear()
