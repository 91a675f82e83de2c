"""JSON request bodies that are too large to hold twice in memory.

A small body is ``json.dumps`` of the unstructured model, as usual. A large one (a long
history, a big inline image) is written piece by piece instead: models field by field,
lists item by item, long strings in slices. No full-size copy of the body exists at any
time; the length is found by a first pass, so the request still carries an exact
``Content-Length``. The stream can be read again, which retries need.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator, Iterator
from typing import Any

import attrs
import httpx

from puter_client.core._unset import UNSET
from puter_client.core.exceptions import PuterInputError
from puter_client.core.serialization import shallow_items, unstructure

__all__ = [
    "LARGE_BODY_BYTES",
    "JsonBodyStream",
    "check_sendable",
    "encode_json",
    "text_size_exceeds",
]

LARGE_BODY_BYTES = 1 << 20
"""Bodies whose strings add up to more than this are streamed."""
_SLICE = 1 << 16
_BUFFER = 1 << 16


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON of JSON-native ``data`` (``ValueError`` for NaN or infinity)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def check_sendable(value: Any, what: str) -> None:
    """``PuterInputError`` (a ``ValueError``, code ``invalid_arguments``) unless ``value``
    (a model or JSON-native data) can go out as JSON.

    Finds what ``json.dumps`` and UTF-8 would refuse (NaN, infinity, lone surrogates)
    without encoding anything big, so that bad input fails before any request.
    """
    for leaf in _leaves(value):
        if type(leaf) is str:
            if not leaf.isascii():
                try:
                    leaf.encode("utf-8")
                except UnicodeEncodeError as exc:
                    raise PuterInputError(
                        f"{what} holds text that cannot be sent (a lone surrogate at "
                        f"position {exc.start})",
                        code="invalid_arguments",
                    ) from None
        elif type(leaf) is float and not math.isfinite(leaf):
            raise PuterInputError(
                f"{what} holds {leaf!r}, which JSON cannot carry", code="invalid_arguments"
            )


def text_size_exceeds(value: Any, limit: int) -> bool:
    """Whether the strings inside ``value`` (a model or JSON-native data) exceed ``limit``.

    Runs for every request, so it is one plain loop: no recursion, no generator.
    """
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            total += len(item)
            if total > limit:
                return True
        elif kind is list:
            stack.extend(item)
        elif kind is dict:
            stack.extend(item.values())
        elif kind not in _SCALARS and kind not in _ABSENT:
            fields = _MODEL_FIELDS.get(kind)
            if fields is None:
                fields = _MODEL_FIELDS[kind] = _model_fields(kind)
            stack.extend([getattr(item, name) for name in fields])
    return False


def _leaves(value: Any) -> Iterator[Any]:
    """The strings and numbers inside a model or JSON-native data, depth first."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is list:
            stack.extend(item)
        elif kind is dict:
            stack.extend(item.values())
        elif kind in _SCALARS or kind is str:
            yield item
        else:
            fields = _MODEL_FIELDS.get(kind)
            if fields is None:
                fields = _MODEL_FIELDS[kind] = _model_fields(kind)
            for name in fields:
                field_value = getattr(item, name)
                if type(field_value) not in _ABSENT:
                    stack.append(field_value)


_MODEL_FIELDS: dict[type, tuple[str, ...]] = {}
_SCALARS = frozenset({bool, int, float})
_ABSENT = frozenset({type(None), type(UNSET)})


def _model_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(kind)) if attrs.has(kind) else ()


class JsonBodyStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The JSON of a model, produced in pieces; iterable any number of times."""

    def __init__(self, value: Any) -> None:
        self._value = value
        self.length = sum(len(chunk) for chunk in self._buffered())

    def __iter__(self) -> Iterator[bytes]:
        return self._buffered()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._buffered():
            yield chunk

    def _buffered(self) -> Iterator[bytes]:
        buffer: list[bytes] = []
        size = 0
        for piece in _pieces(self._value):
            buffer.append(piece)
            size += len(piece)
            if size >= _BUFFER:
                yield b"".join(buffer)
                buffer, size = [], 0
        if buffer:
            yield b"".join(buffer)


def _pieces(value: Any) -> Iterator[bytes]:
    if not text_size_exceeds(value, _SLICE):
        yield encode_json(unstructure(value))
    elif isinstance(value, str):
        yield from _string_pieces(value)
    elif isinstance(value, list):
        yield b"["
        for index, item in enumerate(value):
            if index:
                yield b","
            yield from _pieces(item)
        yield b"]"
    else:
        pairs = shallow_items(value) if attrs.has(type(value)) else iter(value.items())
        yield b"{"
        for index, (key, item) in enumerate(pairs):
            if index:
                yield b","
            yield encode_json(key) + b":"
            yield from _pieces(item)
        yield b"}"


def _string_pieces(text: str) -> Iterator[bytes]:
    # Base64 data URLs, the usual long strings, need no escaping: slice them as they are.
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        yield b'"'
        for start in range(0, len(text), _SLICE):
            yield text[start : start + _SLICE].encode("ascii")
        yield b'"'
    else:
        yield encode_json(text)
