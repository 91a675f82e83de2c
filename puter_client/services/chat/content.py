"""The content of a chat user turn: text, images, audio, videos, files, custom parts. Pure.

Everything here turns user input into JSON-native content parts of the wire protocol,

- ``{"type": "text", "text": "..."}``
- ``{"type": "image_url", "image_url": {"url": "https://..." | "data:image/png;base64,..."}}``
- ``{"type": "video_url", "video_url": {"url": "https://..." | "data:video/mp4;base64,..."}}``
  (the part puter.js sends for a video)
- ``{"type": "input_audio", "input_audio": {"data": "<base64>", "format": "wav"}}``
- ``{"type": "file", "puter_path": "~/Documents/report.pdf"}`` (a file of the user's Puter
  file system; for a local file, ``puter_path`` carries its content as a ``data:`` URL,
  which the server's file reader takes as it takes a stored file)

or raises ``ValueError`` saying which item is wrong and why, before any network I/O.
Local media are read and encoded by ``binary_input`` (local files, bytes and binary file
objects become base64 ``data:`` URLs; http(s) URLs are passed through, never fetched).
A file of the Puter file system is named by a `PuterPath` (or the ``FSEntry`` that
``client.fs`` returned): the server reads it, nothing is downloaded.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, TypeAlias, Union

import attrs
from attrs import AttrsInstance

from puter_client.core.binary_input import (
    AUDIO,
    FILE,
    IMAGE,
    VIDEO,
    BinaryReadable,
    BytesLike,
    InvalidInput,
    MediaKind,
    check_url,
    show,
    to_url,
)
from puter_client.core.exceptions import PuterInputError, PuterInputTypeError

if TYPE_CHECKING:
    from puter_client.services.fs.entry import FSEntry

__all__ = [
    "ContentPart",
    "ImageInput",
    "MediaInput",
    "MessageContent",
    "PuterPath",
    "audio_part",
    "build_user_content",
    "coerce_audio",
    "coerce_file",
    "coerce_image",
    "coerce_images",
    "coerce_media",
    "coerce_video",
    "file_part",
    "image_source",
    "image_url_part",
    "puter_path_of",
    "text_part",
    "video_url_part",
]


class PuterPath:
    """A file of the user's Puter file system, named by its path, for the server to read.

    ``client.chat("Summarise it", files=[PuterPath("~/Documents/report.pdf")])`` sends
    ``{"type": "file", "puter_path": "~/Documents/report.pdf"}``: the server reads the file
    (nothing is downloaded) and gives it to the model. A relative path is taken from the
    home folder (``"a.pdf"`` is ``~/a.pdf``), as ``client.fs`` takes it; a path the server
    would refuse (``..``, ``//``, white space around it) is refused at once. An
    ``FSEntry`` (what ``client.fs`` returns) is taken wherever a ``PuterPath`` is.
    """

    __slots__ = ("path",)

    path: str
    """The path as sent: absolute, or from ``~``."""

    def __init__(self, path: str | PurePosixPath) -> None:
        """Check ``path`` (``PuterInputError``/``PuterInputTypeError`` if the server would
        refuse it) and keep it as it will be sent."""
        from puter_client.services.fs.path import remote_path

        object.__setattr__(self, "path", remote_path(path, "PuterPath"))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("PuterPath is immutable")

    def __repr__(self) -> str:
        return f"PuterPath({self.path!r})"

    def __str__(self) -> str:
        return self.path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PuterPath) and other.path == self.path

    def __hash__(self) -> int:
        return hash((PuterPath, self.path))


def puter_path_of(item: object) -> str | None:
    """The path of a `PuterPath` or an ``FSEntry`` (a directory refused), else None."""
    if isinstance(item, PuterPath):
        return item.path
    entry_module = sys.modules.get("puter_client.services.fs.entry")
    if entry_module is not None and isinstance(item, entry_module.FSEntry):
        if item.is_dir:
            raise InvalidInput(f"the entry {show(item.path)} is a folder, not a file")
        return str(item.path)
    return None


_LocalInput: TypeAlias = (
    str | os.PathLike[str] | BytesLike | BinaryReadable | tuple[BytesLike | BinaryReadable, str]
)
ImageInput: TypeAlias = Union[_LocalInput, Mapping[str, Any], PuterPath, "FSEntry"]
"""What ``images=[...]`` accepts: a file path, bytes, a binary file object, an http(s) or
``data:`` URL, a ``(data, mime_type)`` tuple, an ``image_url`` part dict, or a file of the
Puter file system (`PuterPath`, ``FSEntry``)."""
MediaInput: TypeAlias = Union[_LocalInput, Mapping[str, Any], PuterPath, "FSEntry"]
"""What ``audio=``, ``videos=`` and ``files=`` accept: a local file path, bytes, a binary
file object, a ``data:`` URL, a ``(data, mime_type)`` tuple, a ready part dict, or a file
of the Puter file system (`PuterPath`, ``FSEntry``); ``videos=`` also takes http(s) URLs."""
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


def video_url_part(url: str) -> dict[str, Any]:
    """A ``{"type": "video_url", "video_url": {"url": url}}`` part (``url`` unchecked)."""
    return {"type": "video_url", "video_url": {"url": url}}


def file_part(puter_path: str) -> dict[str, Any]:
    """A ``{"type": "file", "puter_path": puter_path}`` part (unchecked)."""
    return {"type": "file", "puter_path": puter_path}


#: The ``format`` of an ``input_audio`` part by MIME type (OpenAI's names); other types
#: send their subtype (``audio/flac``: ``flac``).
_AUDIO_FORMATS = {
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/wav": "wav",
    "audio/wave": "wav",
    "audio/x-wav": "wav",
    "audio/vnd.wave": "wav",
}


def audio_part(data_url: str) -> dict[str, Any]:
    """The ``input_audio`` part of a base64 ``data:audio/...`` URL: the payload as
    ``data`` and the format (``mp3``, ``wav``, else the MIME subtype) as ``format``."""
    header, _, payload = data_url.partition(",")
    mime = header[5:].split(";", 1)[0].strip().lower()
    subtype = mime.partition("/")[2]
    audio_format = _AUDIO_FORMATS.get(mime, subtype.removeprefix("x-"))
    return {"type": "input_audio", "input_audio": {"data": payload, "format": audio_format}}


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
        path = puter_path_of(item)
        if path is not None:
            return file_part(path)
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
    """The http(s) or ``data:`` URL of one image given in any form ``images=`` takes, or
    the path of a file of the Puter file system (`PuterPath`, ``FSEntry``).

    Errors read ``<name>: <reason>``; an image over ``max_bytes`` is refused.
    """
    part = _image_part(item, name, max_bytes)
    if part["type"] == "file":
        path: str = part["puter_path"]
        return path
    url: str = part["image_url"]["url"]
    return url


def _checked_list(items: object, name: str, noun: str, mime_prefix: str) -> Sequence[Any]:
    """``items`` if it is a list or tuple of inputs; a lone input is refused, asking for
    a list (``name`` is the argument, ``noun`` its items in words)."""
    if isinstance(items, (str, bytes, bytearray, memoryview, os.PathLike, PuterPath)):
        raise PuterInputError(
            f"{name} must be a list of {noun}, not a single {type(items).__name__}; "
            f"wrap it in a list: {name}=[...]",
            code=_INVALID,
        )
    if isinstance(items, Mapping):
        raise PuterInputError(
            f"{name} must be a list of {noun}, not a single dict: {name}=[{{...}}]",
            code=_INVALID,
        )
    if not isinstance(items, Sequence):
        raise PuterInputError(
            f"{name} must be a list or tuple of {noun}, got {type(items).__name__}",
            code=_INVALID,
        )
    if (
        isinstance(items, tuple)
        and len(items) == 2
        and isinstance(items[1], str)
        and "/" in items[1]
        and items[1].lower().startswith(mime_prefix)
        and not isinstance(items[0], str)
    ):
        raise PuterInputError(
            f"{name} looks like a single (data, mime_type) tuple; pass a list: "
            f"{name}=[(data, mime_type)]",
            code=_INVALID,
        )
    return items


def coerce_images(items: Sequence[ImageInput] | None) -> list[dict[str, Any]]:
    """Coerce every item of ``images`` (see ``coerce_image``); ``None`` gives ``[]``.

    ``items`` must be a list or tuple: a lone string, bytes or dict raises ``ValueError``
    asking for a list.
    """
    if items is None:
        return []
    checked = _checked_list(items, "images", "images", "image/")
    return [coerce_image(item, index) for index, item in enumerate(checked)]


# --- audio, video, files ----------------------------------------------------------------


def _checked_url(value: object, kind: MediaKind, where: str) -> str:
    if not isinstance(value, str) or check_url(value, kind) is None:
        shown = show(value) if isinstance(value, str) else type(value).__name__
        raise InvalidInput(f"{where} must be an http(s) or data: URL, got {shown}")
    return value


def _audio_from_mapping(item: Mapping[Any, Any]) -> dict[str, Any]:
    if item.get("type") != "input_audio":
        raise InvalidInput(
            'a dict must be an audio part {"type": "input_audio", "input_audio": '
            f'{{"data": ..., "format": ...}}}}, got type={item.get("type")!r}'
        )
    inner = item.get("input_audio")
    if inner is None and isinstance(item.get("audio"), Mapping):
        return dict(item)  # the {"audio": {"id": ...}} form some providers take
    if not isinstance(inner, Mapping):
        raise InvalidInput('the dict\'s "input_audio" must be {"data": ..., "format": ...}')
    data, audio_format, audio_id = inner.get("data"), inner.get("format"), inner.get("id")
    if isinstance(audio_id, str) and audio_id and data is None:
        return {**item, "input_audio": dict(inner)}
    if not isinstance(data, str) or not data:
        raise InvalidInput('the dict\'s "input_audio.data" must be the base64 audio (a str)')
    if not isinstance(audio_format, str) or not audio_format:
        raise InvalidInput('the dict\'s "input_audio.format" must be a str such as "wav"')
    return {**item, "input_audio": dict(inner)}


def _video_from_mapping(item: Mapping[Any, Any]) -> dict[str, Any]:
    if item.get("type") != "video_url":
        raise InvalidInput(
            'a dict must be a video part {"type": "video_url", "video_url": {"url": ...}}, '
            f"got type={item.get('type')!r}"
        )
    inner = item.get("video_url")
    if isinstance(inner, str):
        inner = {"url": inner}
    if not isinstance(inner, Mapping):
        raise InvalidInput('the dict\'s "video_url" must be {"url": ...}')
    _checked_url(inner.get("url"), VIDEO, 'the dict\'s "video_url.url"')
    return {**item, "video_url": dict(inner)}


def _file_from_mapping(item: Mapping[Any, Any]) -> dict[str, Any]:
    if item.get("type") != "file":
        raise InvalidInput(
            'a dict must be a file part {"type": "file", "puter_path": ...}, '
            f"got type={item.get('type')!r}"
        )
    path = item.get("puter_path")
    if not isinstance(path, str) or not path.strip():
        raise InvalidInput('the dict\'s "puter_path" must be a non-empty str')
    return dict(item)


def _local_data_url(item: object, kind: MediaKind) -> str | None:
    """The ``data:`` URL of a local input of ``kind`` (http(s) URLs refused: the server
    fetches none for chat audio and files), None for an object of another type."""
    if isinstance(item, str) and item[:8].lower().startswith(("http://", "https://")):
        raise InvalidInput(
            f"the server does not fetch {kind.name} URLs for chat; pass the file, its "
            f"bytes or a data: URL, or store it on Puter and pass PuterPath(...)"
        )
    return to_url(item, kind)


def _audio_part(item: object) -> dict[str, Any] | None:
    if isinstance(item, Mapping):
        return _audio_from_mapping(item)
    url = _local_data_url(item, AUDIO)
    return None if url is None else audio_part(url)


def _video_part(item: object) -> dict[str, Any] | None:
    if isinstance(item, Mapping):
        return _video_from_mapping(item)
    url = to_url(item, VIDEO)
    return None if url is None else video_url_part(url)


def _file_part(item: object) -> dict[str, Any] | None:
    if isinstance(item, Mapping):
        return _file_from_mapping(item)
    url = _local_data_url(item, FILE)
    return None if url is None else file_part(url)


_MEDIA: dict[str, tuple[Callable[[object], dict[str, Any] | None], str, str]] = {
    "audio": (_audio_part, "audio clips", "audio/"),
    "videos": (_video_part, "videos", "video/"),
    "files": (_file_part, "files", ""),
}
"""Per argument: how one item becomes a part, its items in words, their MIME prefix."""


def coerce_media(name: str, item: object, index: int = 0) -> dict[str, Any]:
    """One item of ``audio``, ``videos`` or ``files`` (``name``) as its content part.

    Each takes a local file path, bytes, a binary file object, a ``data:`` URL, a
    ``(data, mime_type)`` tuple (read and sent inline), a file of the Puter file system
    (`PuterPath` or ``FSEntry``: sent as a ``file`` part, for the server to read), or a
    ready part dict (checked and copied). ``videos`` also takes http(s) URLs (passed on,
    never fetched); ``audio`` and ``files`` refuse them, as the server fetches none.
    Errors read ``<name>[<index>]: <reason>``.
    """
    make = _MEDIA[name][0]
    label = f"{name}[{index}]"
    try:
        path = puter_path_of(item)
        part = file_part(path) if path is not None else make(item)
    except InvalidInput as exc:
        raise PuterInputError(f"{label}: {exc}", code=exc.code) from exc.__cause__
    if part is None:
        raise PuterInputError(
            f"{label}: unsupported input of type {type(item).__name__}; expected a file "
            "path, bytes, a binary file object, a data: URL, a (data, mime_type) tuple, "
            f"PuterPath(...) or a part dict",
            code=_INVALID,
        )
    return part


def coerce_audio(item: object, index: int = 0) -> dict[str, Any]:
    """One audio clip as an ``input_audio`` part (see `coerce_media`)."""
    return coerce_media("audio", item, index)


def coerce_video(item: object, index: int = 0) -> dict[str, Any]:
    """One video as a ``video_url`` part (see `coerce_media`)."""
    return coerce_media("videos", item, index)


def coerce_file(item: object, index: int = 0) -> dict[str, Any]:
    """One file (a PDF, text, any type) as a ``file`` part (see `coerce_media`)."""
    return coerce_media("files", item, index)


def _coerce_all(name: str, items: Sequence[MediaInput] | None) -> list[dict[str, Any]]:
    if items is None:
        return []
    _, noun, prefix = _MEDIA[name]
    checked = _checked_list(items, name, noun, prefix)
    return [coerce_media(name, item, index) for index, item in enumerate(checked)]


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
    *,
    audio: Sequence[MediaInput] | None = None,
    videos: Sequence[MediaInput] | None = None,
    files: Sequence[MediaInput] | None = None,
) -> MessageContent:
    """The ``content`` of the user message for a chat call.

    - ``content_parts`` given: returned as a new list with the items as given (checked
      only for being dicts with a str ``"type"`` or attrs models); the prompt and the
      media lists are ignored.
    - only a prompt: the prompt string itself.
    - media: ``[text part, image parts..., audio parts..., video parts..., file
      parts...]``, without the text part when the prompt is ``None``, empty or
      whitespace.

    Raises ``ValueError`` when there is nothing to send (no prompt with visible text, no
    media, no parts) or an input is invalid, ``TypeError`` if ``prompt`` is not a str.
    """
    return _user_content(prompt, images, content_parts, audio, videos, files)[0]


def _user_content(
    prompt: str | None,
    images: Sequence[ImageInput] | None,
    content_parts: Sequence[ContentPart] | None,
    audio: Sequence[MediaInput] | None = None,
    videos: Sequence[MediaInput] | None = None,
    files: Sequence[MediaInput] | None = None,
) -> tuple[MessageContent, list[str]]:
    """The content (see `build_user_content`) and, for a list, what names each part in
    an error (``the prompt``, ``images[0]``, ``content_parts[2]``...)."""
    if content_parts is not None:
        given = _check_content_parts(content_parts)
        return given, [f"content_parts[{i}]" for i in range(len(given))]
    if prompt is not None and not isinstance(prompt, str):
        raise PuterInputTypeError(
            f"prompt must be a str or None, got {type(prompt).__name__}", code=_INVALID
        )
    text = prompt if prompt and not prompt.isspace() else None
    parts: list[ContentPart] = []
    labels: list[str] = []
    for name, made in (
        ("images", coerce_images(images)),
        ("audio", _coerce_all("audio", audio)),
        ("videos", _coerce_all("videos", videos)),
        ("files", _coerce_all("files", files)),
    ):
        parts += made
        labels += [f"{name}[{i}]" for i in range(len(made))]
    if not parts:
        if text is None:
            raise PuterInputError(
                "nothing to send: give a prompt with some text, images or content_parts",
                code="prompt_required",
            )
        return text, ["the prompt"]
    if text is not None:
        parts.insert(0, text_part(text))
        labels.insert(0, "the prompt")
    return parts, labels
