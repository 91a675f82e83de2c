"""``puter_path`` content parts, read for the model as the server's chat providers read them.

A part ``{"puter_path": ...}`` (``"type": "file"`` in puter.js's documentation) names a
file for the server to read: a path of the caller's file system (``~`` is the home) or a
``data:`` URL (the server's file reader takes both). The providers that take files rewrite
the part before the model sees it; the others pass it on untouched:

- OpenAI-style (``openai-completion``, ``openai-responses``, ``azure``, ``meta``; at most
  5,000,000 bytes): an image becomes ``{"type": "image_url", "image_url": {"url":
  "data:..."}}``, audio ``{"type": "input_audio", "input_audio": {"data": "data:...",
  "format": <subtype>}}``, any other type the error text below;
- Claude (at most 30,000,000 bytes; uploaded to Anthropic's Files API): ``{"type":
  "image" | "document" | "container_upload", "source": {"type": "file", "file_id":
  ...}}``, ``document`` for text and PDF;
- a file that cannot be read (missing, a folder, another user's, too large, an invalid
  data URL) becomes ``{"type": "text", "text": "{error: <why>; the user did not write
  this message}"}``, so that the model can tell the user, and the call goes on.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.services.fs.tree import mime_type

#: Providers resolving parts as the server's OpenAI file reader does, and their limit.
OPENAI_STYLE = frozenset({"openai-completion", "openai-responses", "azure", "meta"})
OPENAI_MAX_BYTES = 5 * 1_000_000
CLAUDE = "claude"
CLAUDE_MAX_BYTES = 30 * 1_000_000
_DATA_URL = re.compile(r"^data:([^;,]+)?(?:;([^,]*))?,(.*)$", re.DOTALL)


class _Unreadable(Exception):
    """Why a file cannot be given to the model (the text of the inline error)."""


def error_text(reason: str) -> str:
    """The text the model sees instead of a file it cannot be given."""
    return f"{{error: {reason}; the user did not write this message}}"


def resolve_file_parts(
    state: EmulatorState, user: User, provider: str, messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``messages`` with their ``puter_path`` parts read for ``provider``'s model (new
    message and part objects where a part changed; the others as given)."""
    if provider in OPENAI_STYLE:
        rewrite, limit = _openai_part, OPENAI_MAX_BYTES
    elif provider == CLAUDE:
        rewrite, limit = _claude_part, CLAUDE_MAX_BYTES
    else:
        return messages
    resolved = []
    for message in messages:
        content = message.get("content")
        if not isinstance(content, list) or not any(_names_file(p) for p in content):
            resolved.append(message)
            continue
        parts = []
        for part in content:
            if not _names_file(part):
                parts.append(part)
                continue
            try:
                data, media_type = _load(state, user, part["puter_path"], limit)
            except _Unreadable as exc:
                parts.append(_error_part(part, str(exc)))
                continue
            parts.append(rewrite(state, part, data, media_type))
        resolved.append({**message, "content": parts})
    return resolved


def _names_file(part: Any) -> bool:
    return isinstance(part, dict) and bool(part.get("puter_path"))


def _load(state: EmulatorState, user: User, reference: Any, limit: int) -> tuple[bytes, str]:
    """The bytes and MIME type of a ``puter_path`` (the server's ``loadFileInput``)."""
    if not isinstance(reference, str):
        raise _Unreadable("Entry not found")
    if reference.startswith("data:"):
        return _from_data_url(reference, limit)
    state.fs.home(user.username)  # a user's home and standard folders always exist
    path = reference.strip()
    if path == "~" or path.startswith("~/"):
        path = f"/{user.username}{path[1:]}"
    node = state.fs.find(path) if path.startswith("/") and "//" not in path else None
    if node is None or node.path != path:
        raise _Unreadable(f"Entry not found: path={path}")
    if node.is_dir:
        raise _Unreadable("Expected a file, got a directory")
    if path.split("/")[1] != user.username:
        raise _Unreadable("Subject does not exist")  # another user's file: not even seen
    if node.size > limit:
        raise _Unreadable(f"input file exceeded maximum of {limit} bytes")
    data = b"".join(state.fs.blobs.read(node.blob)) if node.blob is not None else b""
    media_type = node.content_type or mime_type(node.name) or "application/octet-stream"
    return data, media_type


def _from_data_url(url: str, limit: int) -> tuple[bytes, str]:
    match = _DATA_URL.match(url)
    if match is None:
        raise _Unreadable("Invalid data URL")
    media_type = match.group(1) or "application/octet-stream"
    payload = match.group(3)
    if (match.group(2) or "").strip().lower() == "base64":
        try:
            data = base64.b64decode(payload)
        except (binascii.Error, ValueError):
            data = b""  # Node's decoder skips what it cannot read
    else:
        data = unquote_to_bytes(payload)
    if len(data) > limit:
        raise _Unreadable(f"input file exceeded maximum of {limit} bytes")
    return data, media_type


def _bare(part: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in part.items() if k not in ("puter_path", *drop)}


def _error_part(part: dict[str, Any], reason: str) -> dict[str, Any]:
    return {
        **_bare(part, "image_url", "input_audio", "source"),
        "type": "text",
        "text": error_text(reason),
    }


def _openai_part(
    state: EmulatorState, part: dict[str, Any], data: bytes, media_type: str
) -> dict[str, Any]:
    encoded = base64.b64encode(data).decode("ascii")
    url = f"data:{media_type};base64,{encoded}"
    if media_type.startswith("image/"):
        return {**_bare(part), "type": "image_url", "image_url": {"url": url}}
    if media_type.startswith("audio/"):
        audio = {"data": url, "format": media_type.split("/")[1]}
        return {**_bare(part), "type": "input_audio", "input_audio": audio}
    return _error_part(part, "input file has unsupported MIME type")


def _claude_part(
    state: EmulatorState, part: dict[str, Any], data: bytes, media_type: str
) -> dict[str, Any]:
    bare = media_type.split(";")[0].strip()
    if bare.startswith("image/"):
        block = "image"
    elif bare.startswith("text/") or bare in ("application/pdf", "application/x-pdf"):
        block = "document"
    else:
        block = "container_upload"
    source = {"type": "file", "file_id": state.next_id("file_")}
    return {**_bare(part), "type": block, "source": source}
