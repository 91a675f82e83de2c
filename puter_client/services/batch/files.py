"""The files of ``puter batch``: reading INPUT in its three formats, and OUTPUT, the
crash-safe journal of answers.

INPUT is read as a stream of ``Record``s (line number, id, the batch item), never loaded
whole: JSONL (``{"id", "prompt" | "messages", "model"?, "images"?, "audio"?, "videos"?,
"files"?}`` per line), CSV (a ``prompt`` column, optional ``id`` and ``model``) or plain
text (one prompt per line); an item without an id gets its line number.

OUTPUT is JSONL, one line per answered item, only ever appended to, each line with one
``write`` call. A process killed at any moment therefore leaves complete lines and at most
one incomplete last line; ``Journal.open`` cuts that line off before appending again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from puter_client.services.batch.batch import BatchResult

__all__ = [
    "FORMATS",
    "InputError",
    "Journal",
    "Record",
    "detect_format",
    "find_duplicates",
    "id_key",
    "in_shard",
    "read_records",
    "result_line",
]

FORMATS = ("jsonl", "csv", "text")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
_MEDIA_KEYS = ("images", "audio", "videos", "files")
_ITEM_KEYS = ("prompt", "messages", "model", *_MEDIA_KEYS)
#: Seconds between two flushes of OUTPUT to the disk (a power loss loses at most these).
SYNC_EVERY = 2.0


class InputError(ValueError):
    """INPUT or OUTPUT cannot be used as it is; the message names the file and line."""


@attrs.frozen
class Record:
    """One item of INPUT: where it is, its id, and the batch item to send."""

    line: int
    id: Any
    item: dict[str, Any]


# ------------------------------------------------------------------ INPUT


def detect_format(path: Path) -> str:
    """The format of ``path``: by its extension, else JSONL if its first non-blank line
    starts with ``{``, else plain text (CSV needs a ``.csv`` name or ``--format csv``)."""
    by_name = _EXTENSIONS.get(path.suffix.lower())
    if by_name:
        return by_name
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.strip():
                return "jsonl" if line.lstrip().startswith("{") else "text"
    return "text"


def read_records(
    path: Path, fmt: str, *, name: str | None = None, problems: list[str] | None = None
) -> Iterator[Record]:
    """The records of ``path``, one at a time.

    A line that is not an item raises ``InputError`` naming it; with a ``problems`` list,
    its description is appended there instead and the reading goes on, so that a check
    can report every bad line at once. Messages call the file ``name`` (default: its
    path), so that a temporary copy of standard input is never named.
    """
    label = name if name is not None else str(path)
    readers = {"jsonl": _jsonl_records, "csv": _csv_records, "text": _text_records}
    with path.open(encoding="utf-8", newline="") as stream:
        try:
            yield from readers[fmt](stream, _Problems(label, problems))
        except UnicodeDecodeError as exc:
            raise InputError(f"{label}: not UTF-8 text ({exc.reason})") from None


@attrs.define
class _Problems:
    """Where the bad lines of one file go: raised at once, or collected."""

    label: str
    found: list[str] | None

    def report(self, number: int | None, text: str) -> None:
        where = self.label if number is None else f"{self.label}, line {number}"
        if self.found is None:
            raise InputError(f"{where}: {text}")
        self.found.append(f"line {number}: {text}" if number is not None else text)


def _text_records(stream: io.TextIOBase, problems: _Problems) -> Iterator[Record]:
    for number, line in enumerate(stream, start=1):
        prompt = line.rstrip("\r\n")
        if prompt.strip():
            yield Record(number, number, {"id": number, "prompt": prompt})


def _jsonl_records(stream: io.TextIOBase, problems: _Problems) -> Iterator[Record]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            problems.report(number, f"not JSON ({exc})")
            continue
        if not isinstance(data, dict):
            problems.report(number, "a line must be a JSON object")
            continue
        record = _record(data, number, problems)
        if record is not None:
            yield record


def _csv_records(stream: io.TextIOBase, problems: _Problems) -> Iterator[Record]:
    reader = csv.DictReader(stream)
    if reader.fieldnames is None or "prompt" not in reader.fieldnames:
        problems.report(None, "a CSV input needs a 'prompt' column")
        return
    try:
        for row in reader:
            data = {key: value for key, value in row.items() if key in ("id", "prompt", "model")}
            if not data.get("id"):
                data.pop("id", None)
            if not data.get("model"):
                data.pop("model", None)
            record = _record(data, reader.line_num, problems)
            if record is not None:
                yield record
    except csv.Error as exc:
        problems.report(reader.line_num, str(exc))


def _record(data: Mapping[str, Any], number: int, problems: _Problems) -> Record | None:
    item_id = data.get("id", number)
    wrong = _wrong_item(data, item_id)
    if wrong is not None:
        problems.report(number, wrong)
        return None
    item = {key: data[key] for key in _ITEM_KEYS if key in data}
    item["id"] = item_id
    return Record(number, item_id, item)


def _wrong_item(data: Mapping[str, Any], item_id: Any) -> str | None:
    """What makes ``data`` no batch item (checked before any request), or None."""
    if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
        return "id must be a string or an integer"
    if ("prompt" in data) == ("messages" in data):
        return "give exactly one of prompt and messages"
    if "prompt" in data:
        prompt = data["prompt"]
        if not isinstance(prompt, str):
            return f"prompt must be a string, not {_json_type(prompt)}"
        if not prompt.strip():
            return "prompt is empty"
    else:
        messages = data["messages"]
        if not isinstance(messages, list) or not messages:
            return "messages must be a non-empty list"
    model = data.get("model")
    if model is not None and (not isinstance(model, str) or not model.strip()):
        return "model must be a non-empty string"
    for key in _MEDIA_KEYS:
        media = data.get(key)
        if media is None:
            continue
        if "messages" in data:
            return f"{key} go with a prompt, not with messages"
        if not isinstance(media, list) or not all(isinstance(m, str) for m in media):
            return f"{key} must be a list of strings (file paths, URLs or data URLs)"
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)  # fmt: skip


def id_key(item_id: Any) -> str:
    """The id as compared between INPUT and OUTPUT (``1`` and ``"1"`` differ)."""
    return json.dumps(item_id, ensure_ascii=False)


def find_duplicates(records: Iterator[Record]) -> tuple[int, list[str]]:
    """How many records there are, and a description of every id given more than once
    (``'a' on lines 3, 9``); only the ids are kept in memory."""
    first_line: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    count = 0
    for record in records:
        count += 1
        key = id_key(record.id)
        seen = first_line.setdefault(key, record.line)
        if seen != record.line:
            repeated.setdefault(key, [seen]).append(record.line)
    problems = [f"{key} on lines {', '.join(map(str, lines))}" for key, lines in repeated.items()]
    return count, problems


def in_shard(item_id: Any, index: int, count: int) -> bool:
    """Whether ``item_id`` belongs to shard ``index`` (1-based) of ``count``: a stable
    hash of the id, the same on every machine and Python version."""
    digest = hashlib.sha256(id_key(item_id).encode()).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


# ------------------------------------------------------------------ OUTPUT


def result_line(result: BatchResult) -> bytes:
    """The OUTPUT line of ``result``, newline included."""
    error = None
    if result.error is not None:
        error = {
            "type": type(result.error).__name__,
            "status_code": result.error.status_code,
            "code": result.error.code,
            "message": result.error.message,
        }
    line = {
        "id": result.id,
        "text": result.text,
        "finish_reason": result.finish_reason,
        "usage": None if result.usage is None else result.usage.raw,  # as the server sent it
        "error": error,
    }
    return (json.dumps(line, ensure_ascii=False, default=str) + "\n").encode()


@attrs.define
class Journal:
    """OUTPUT opened for appending, after repair (see the module docstring).

    ``answered`` holds the id keys already in it: every line when ``retry_failed`` is
    false; else only the successes, the failed lines having been taken out of the file.
    """

    path: Path
    answered: set[str]
    repaired: bool
    _fd: int
    _synced: float = attrs.field(factory=time.monotonic)

    @classmethod
    def open(cls, path: Path, *, retry_failed: bool) -> Journal:
        """Repair ``path`` (or create it) and open it for appending."""
        answered: set[str] = set()
        failed = 0
        good_end = 0
        repaired = False
        if path.exists():
            with path.open("rb") as stream:
                for number, line in enumerate(stream, start=1):
                    parsed = _parsed(line)
                    if parsed is None:
                        if stream.read(1):
                            raise InputError(
                                f"{path}, line {number}: not a result line of puter batch "
                                "(refusing to append to it)"
                            )
                        repaired = True  # the incomplete last line of a killed run
                        break
                    good_end += len(line)
                    if retry_failed and parsed.get("error") is not None:
                        failed += 1
                    else:
                        answered.add(id_key(parsed.get("id")))
            if repaired:
                with path.open("r+b") as stream:
                    stream.truncate(good_end)
            if failed:
                _drop_failed_lines(path)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        return cls(path, answered, repaired, fd)

    def append(self, line: bytes) -> None:
        """Add one line, with one ``write`` (a kill leaves it whole or incomplete, last)."""
        written = os.write(self._fd, line)
        if written != len(line):  # a short write (disk full): finish it, it is the last one
            os.write(self._fd, line[written:])
        if time.monotonic() - self._synced >= SYNC_EVERY:
            self.sync()

    def sync(self) -> None:
        """Flush the lines so far to the disk."""
        os.fsync(self._fd)
        self._synced = time.monotonic()

    def close(self) -> None:
        """Flush to the disk and close."""
        try:
            self.sync()
        finally:
            os.close(self._fd)


def _parsed(line: bytes) -> dict[str, Any] | None:
    """A complete result line as data; None for an incomplete or foreign one."""
    if not line.endswith(b"\n"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data if isinstance(data, dict) and "id" in data and "error" in data else None


def _drop_failed_lines(path: Path) -> None:
    """Rewrite ``path`` without its failed lines: a copy, flushed, then renamed over it,
    so that a kill in the middle leaves the old file or the new one."""
    partial = path.with_name(f".{path.name}.retry-failed.tmp")
    with path.open("rb") as source, partial.open("wb") as target:
        for line in source:
            parsed = _parsed(line)
            if parsed is not None and parsed.get("error") is None:
                target.write(line)
        target.flush()
        os.fsync(target.fileno())
    os.replace(partial, path)
