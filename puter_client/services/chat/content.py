"""The content of a chat user turn: text parts, image parts, custom parts. Pure.

Everything here turns user input into JSON-native content parts of the wire protocol,

- ``{"type": "text", "text": "..."}``
- ``{"type": "image_url", "image_url": {"url": "https://..." | "data:image/png;base64,..."}}``

or raises ``ValueError`` saying which item is wrong and why, before any network I/O.
Images are read and encoded by ``binary_input`` (local files, bytes and binary file
objects become base64 ``data:`` URLs; http(s) URLs are passed through, never fetched).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import attrs
from attrs import AttrsInstance

from puter_client.core.binary_input import (
    IMAGE,
    BinaryReadable,
    BytesLike,
    InvalidInput,
    check_url,
    to_url,
)
from puter_client.core.exceptions import PuterInputError, PuterInputTypeError

__all__ = [
    "ContentPart",
    "ImageInput",
    "MessageContent",
    "build_user_content",
    "coerce_image",
    "coerce_images",
    "image_source",
    "image_url_part",
    "text_part",
]

ImageInput: TypeAlias = (
    str
    | os.PathLike[str]
    | BytesLike
    | BinaryReadable
    | tuple[BytesLike | BinaryReadable, str]
    | Mapping[str, Any]
)
"""What ``images=[...]`` accepts: a file path, bytes, a binary file object, an http(s) or
``data:`` URL, a ``(data, mime_type)`` tuple, or an ``image_url`` part dict."""
ContentPart: TypeAlias = dict[str, Any] | AttrsInstance
"""A content part: a wire dict with a ``"type"`` key, or a generated attrs model."""
MessageContent: TypeAlias = str | list[ContentPart]
"""The ``content`` of a user message: plain text or a list of parts."""

_INVALID = "invalid_arguments"
"""The code of a refusal puter.js has no own code for."""

_EXPECTED = (
    "expected a file path, bytes, a binary file object, an http(s) or data: URL, "
    'a (data, mime_type) tuple or an {"type": "image_url", ...} dict'
)


def text_part(text: str) -> dict[str, Any]:
    """A ``{"type": "text", "text": text}`` part."""
    return {"type": "text", "text": text}


def image_url_part(url: str) -> dict[str, Any]:
    """A ``{"type": "image_url", "image_url": {"url": url}}`` part (``url`` unchecked)."""
    return {"type": "image_url", "image_url": {"url": url}}


def _from_mapping(item: Mapping[Any, Any]) -> dict[str, Any]:
    if item.get("type") != "image_url":
        raise InvalidInput(
            'a dict must be an image part {"type": "image_url", "image_url": {"url": ...}}, '
            f"got type={item.get('type')!r}"
        )
    inner = item.get("image_url")
    if isinstance(inner, str):  # the older {"image_url": "<url>"} shape
        inner = {"url": inner}
    if not isinstance(inner, Mapping):
        raise InvalidInput('the dict\'s "image_url" must be {"url": ...}')
    url = inner.get("url")
    if not isinstance(url, str) or check_url(url) is None:
        raise InvalidInput(
            f'the dict\'s "image_url.url" must be an http(s) or data: URL, got {url!r}'
        )
    return {**item, "image_url": dict(inner)}


def _image_part(item: object, label: str, max_bytes: int | None = None) -> dict[str, Any]:
    try:
        if isinstance(item, Mapping):
            return _from_mapping(item)
        url = to_url(item, IMAGE, max_bytes=max_bytes)
        if url is not None:
            return image_url_part(url)
    except InvalidInput as exc:
        raise PuterInputError(f"{label}: {exc}", code=exc.code) from exc.__cause__
    raise PuterInputError(
        f"{label}: unsupported image input of type {type(item).__name__}; {_EXPECTED}",
        code=_INVALID,
    )


def coerce_image(item: object, index: int = 0) -> dict[str, Any]:
    """Turn one image input into an ``image_url`` part, or raise ``ValueError``.

    Accepts a file path (``str`` or ``os.PathLike``), ``bytes``/``bytearray``/
    ``memoryview``, a binary file object (read from its current position), an http(s)
    URL (passed through), a ``data:image/...;base64,`` URL (validated), a
    ``(data, mime_type)`` tuple, or an ``{"type": "image_url", "image_url": {"url": ...}}``
    dict (validated and copied). The MIME type comes from the data's magic bytes, else
    from the file name's extension. Errors read ``images[<index>]: <reason>``.
    """
    return _image_part(item, f"images[{index}]")


def image_source(item: object, name: str = "image", max_bytes: int | None = None) -> str:
    """The http(s) or ``data:`` URL of one image given in any form ``images=`` takes.

    Errors read ``<name>: <reason>``; an image over ``max_bytes`` is refused.
    """
    url: str = _image_part(item, name, max_bytes)["image_url"]["url"]
    return url


def coerce_images(items: Sequence[ImageInput] | None) -> list[dict[str, Any]]:
    """Coerce every item of ``images`` (see ``coerce_image``); ``None`` gives ``[]``.

    ``items`` must be a list or tuple: a lone string, bytes or dict raises ``ValueError``
    asking for a list.
    """
    if items is None:
        return []
    if isinstance(items, (str, bytes, bytearray, memoryview, os.PathLike)):
        raise PuterInputError(
            f"images must be a list of images, not a single {type(items).__name__}; "
            "wrap it in a list: images=[...]",
            code=_INVALID,
        )
    if isinstance(items, Mapping):
        raise PuterInputError(
            "images must be a list of images, not a single dict: images=[{...}]", code=_INVALID
        )
    if not isinstance(items, Sequence):
        raise PuterInputError(
            f"images must be a list or tuple of images, got {type(items).__name__}",
            code=_INVALID,
        )
    if (
        isinstance(items, tuple)
        and len(items) == 2
        and isinstance(items[1], str)
        and items[1].lower().startswith("image/")
        and not isinstance(items[0], str)
    ):
        raise PuterInputError(
            "images looks like a single (data, mime_type) tuple; pass a list of images: "
            "images=[(data, mime_type)]",
            code=_INVALID,
        )
    return [coerce_image(item, index) for index, item in enumerate(items)]


def _check_content_parts(content_parts: Sequence[ContentPart]) -> list[ContentPart]:
    if isinstance(content_parts, (str, bytes, bytearray, memoryview, Mapping)) or not isinstance(
        content_parts, Sequence
    ):
        raise PuterInputError(
            "content_parts must be a list of content parts "
            '(dicts such as {"type": "text", "text": ...}), '
            f"got {type(content_parts).__name__}",
            code=_INVALID,
        )
    parts = list(content_parts)
    if not parts:
        raise PuterInputError("nothing to send: content_parts is empty", code="arguments_required")
    for index, part in enumerate(parts):
        if attrs.has(type(part)):
            continue
        if not isinstance(part, dict):
            raise PuterInputError(
                f'content_parts[{index}]: expected a dict with a "type" key or a content '
                f"part model, got {type(part).__name__}",
                code=_INVALID,
            )
        kind = part.get("type")
        if not isinstance(kind, str) or not kind:
            raise PuterInputError(
                f'content_parts[{index}]: "type" must be a non-empty str, got {kind!r}',
                code=_INVALID,
            )
    return parts


def build_user_content(
    prompt: str | None = None,
    images: Sequence[ImageInput] | None = None,
    content_parts: Sequence[ContentPart] | None = None,
) -> MessageContent:
    """The ``content`` of the user message for a chat call.

    - ``content_parts`` given: returned as a new list with the items as given (checked
      only for being dicts with a str ``"type"`` or attrs models); prompt and images are
      ignored.
    - only a prompt: the prompt string itself.
    - images: ``[text part, image parts...]``, or only the image parts when the prompt is
      ``None``, empty or whitespace.

    Raises ``ValueError`` when there is nothing to send (no prompt with visible text, no
    images, no parts) or an input is invalid, ``TypeError`` if ``prompt`` is not a str.
    """
    if content_parts is not None:
        return _check_content_parts(content_parts)
    if prompt is not None and not isinstance(prompt, str):
        raise PuterInputTypeError(
            f"prompt must be a str or None, got {type(prompt).__name__}", code=_INVALID
        )
    text = prompt if prompt and not prompt.isspace() else None
    parts: list[ContentPart] = [*coerce_images(images)]
    if not parts:
        if text is None:
            raise PuterInputError(
                "nothing to send: give a prompt with some text, images or content_parts",
                code="prompt_required",
            )
        return text
    if text is not None:
        parts.insert(0, text_part(text))
    return parts
