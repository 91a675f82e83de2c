"""What an answer carries, read from its ``Content-Type`` before anything is parsed."""

from __future__ import annotations

import enum

import httpx

__all__ = ["JSON_CONTENT_TYPE", "NDJSON_CONTENT_TYPE", "BodyKind", "body_kind"]

JSON_CONTENT_TYPE = "application/json"
NDJSON_CONTENT_TYPE = "application/x-ndjson"


class BodyKind(enum.Enum):
    """What an answer's body is, by its ``Content-Type``."""

    JSON = "json"
    NDJSON = "ndjson"
    BYTES = "bytes"


def body_kind(response: httpx.Response) -> BodyKind:
    """``JSON`` for ``application/json`` (and ``+json``) answers, ``NDJSON`` for a chat
    stream, ``BYTES`` for anything else (files, audio, images, HTML error pages)."""
    media_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type == NDJSON_CONTENT_TYPE:
        return BodyKind.NDJSON
    if media_type == JSON_CONTENT_TYPE or media_type.endswith("+json"):
        return BodyKind.JSON
    return BodyKind.BYTES
