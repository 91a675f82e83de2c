"""Multimodal input coercion for ``chat(prompt, images=..., content_parts=...)``. Pure.

Everything here turns user input into JSON-native content parts of the wire protocol,

- ``{"type": "text", "text": "..."}``
- ``{"type": "image_url", "image_url": {"url": "https://..." | "data:image/png;base64,..."}}``

or raises ``ValueError`` saying which item is wrong and why, before any network I/O.
Local files, bytes and binary file objects become base64 ``data:`` URLs; http(s) URLs
are passed through and never fetched.

Memory: a local image of N bytes is read once; building its data URL peaks at about
2.7 N (base64 buffer plus the final string, the raw bytes being dropped first) and the
returned part keeps about 1.33 N.
"""

from __future__ import annotations

import binascii
import io
import mimetypes
import os
import re
import stat
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeAlias
from urllib.parse import urlsplit

import attrs
from attrs import AttrsInstance

__all__ = [
    "BinaryReadable",
    "BytesLike",
    "ContentPart",
    "ImageInput",
    "MessageContent",
    "build_user_content",
    "coerce_image",
    "coerce_images",
    "image_url_part",
    "sniff_image_type",
    "text_part",
]


class BinaryReadable(Protocol):
    """A binary file-like object: ``open(path, "rb")``, ``io.BytesIO``, ..."""

    def read(self, size: int = -1, /) -> bytes: ...


BytesLike: TypeAlias = bytes | bytearray | memoryview
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

_EXPECTED = (
    "expected a file path, bytes, a binary file object, an http(s) or data: URL, "
    'a (data, mime_type) tuple or an {"type": "image_url", ...} dict'
)
# Raw bytes per base64 step: a multiple of 3, so the encoded pieces concatenate exactly.
_ENCODE_CHUNK = 3 * 64 * 1024
_SNIFF_BYTES = 256
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")
_MIME = re.compile(r"image/[a-z0-9][a-z0-9!#$&^_.+-]*")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")  # with a length check: valid padded base64


class _Invalid(ValueError):
    """Why one image input is rejected; ``coerce_image`` prefixes the item's position."""


def text_part(text: str) -> dict[str, Any]:
    """A ``{"type": "text", "text": text}`` part."""
    return {"type": "text", "text": text}


def image_url_part(url: str) -> dict[str, Any]:
    """A ``{"type": "image_url", "image_url": {"url": url}}`` part (``url`` unchecked)."""
    return {"type": "image_url", "image_url": {"url": url}}


# --- format detection -------------------------------------------------------------------

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
_BMP_HEADER_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})
_SIMPLE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"II+\x00", "image/tiff"),  # BigTIFF
    (b"MM\x00+", "image/tiff"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "image/jp2"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "image/jxl"),
    (b"\xff\x0a", "image/jxl"),
)


def _sniff_ftyp(head: bytes) -> str | None:
    """HEIC, HEIF and AVIF are ISO-BMFF files whose ``ftyp`` box names their brands."""
    major = head[8:12]
    box_end = min(int.from_bytes(head[0:4], "big"), len(head))
    compatible = {head[i : i + 4] for i in range(16, box_end - 3, 4)}
    if major in _AVIF_BRANDS:
        return "image/avif"
    if major in _HEIC_BRANDS:
        return "image/heic"
    if major in _HEIF_BRANDS:
        if compatible & _AVIF_BRANDS:
            return "image/avif"
        if compatible & _HEIC_BRANDS:
            return "image/heic"
        return "image/heif"
    return None  # e.g. an MP4 video


def sniff_image_type(data: BytesLike) -> str | None:
    """The image MIME type named by ``data``'s leading magic bytes, or None if unknown.

    Knows PNG, JPEG, GIF, WebP, BMP, TIFF, HEIC/HEIF/AVIF, ICO, JPEG 2000 and JPEG XL.
    """
    head, _ = _head(data)
    for signature, mime in _SIMPLE_SIGNATURES:
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return _sniff_ftyp(head)
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "image/bmp"
    if head[:4] == b"\x00\x00\x01\x00" and int.from_bytes(head[4:6], "little") > 0:
        return "image/x-icon"
    return None


def _type_from_name(name: str | bytes) -> str | None:
    extension = os.path.splitext(os.fsdecode(name))[1].lower()
    if not extension:
        return None
    return mimetypes.guess_type("file" + extension)[0]


def _image_type(head: bytes, name: str | bytes | None) -> str:
    """Magic bytes first, then the file name's extension."""
    sniffed = sniff_image_type(head)
    if sniffed is not None:
        return sniffed
    guessed = _type_from_name(name) if name else None
    if guessed is not None and guessed.startswith("image/"):
        return guessed
    found = f" ({guessed})" if guessed else ""
    raise _Invalid(
        f"not a recognised image format{found}; pass (data, 'image/...') to name the type"
    )


# --- encoding ---------------------------------------------------------------------------


def _byte_view(data: BytesLike) -> memoryview:
    view = memoryview(data)
    if not view.c_contiguous:
        view = memoryview(view.tobytes())
    if view.format != "B" or view.ndim != 1:
        view = view.cast("B")
    return view


def _head(data: BytesLike) -> tuple[bytes, int]:
    """The first bytes of ``data`` (enough to sniff its type) and its size."""
    with _byte_view(data) as view:
        return bytes(view[:_SNIFF_BYTES]), view.nbytes


def _encode_data_url(mime: str, data: BytesLike) -> bytearray:
    """``data:<mime>;base64,<payload>`` as ASCII bytes, written into one exact-size buffer.

    Encoding piece by piece into a preallocated buffer avoids holding a full-size base64
    ``bytes`` object *and* a prefixed copy of it at the same time.
    """
    prefix = f"data:{mime};base64,".encode("ascii")
    with _byte_view(data) as view:
        size = view.nbytes
        out = bytearray(len(prefix) + 4 * ((size + 2) // 3))
        out[: len(prefix)] = prefix
        position = len(prefix)
        for start in range(0, size, _ENCODE_CHUNK):
            piece = binascii.b2a_base64(view[start : start + _ENCODE_CHUNK], newline=False)
            out[position : position + len(piece)] = piece
            position += len(piece)
    return out


def _part_from_buffer(buffer: bytearray) -> dict[str, Any]:
    return image_url_part(buffer.decode("ascii"))


def _from_data(data: BytesLike, mime: str | None, name: str | bytes | None) -> dict[str, Any]:
    """A part for in-memory data the caller still owns (so no copy of it can be freed)."""
    head, size = _head(data)
    if size == 0:
        raise _Invalid("the image data is empty")
    return _part_from_buffer(_encode_data_url(mime or _image_type(head, name), data))


def _read_binary(source: Any) -> BytesLike:
    if isinstance(source, io.TextIOBase):
        raise _Invalid("the file object is in text mode; open the file with 'rb'")
    try:
        data = source.read()
    except Exception as exc:  # any failure of the user's object means "unreadable"
        raise _Invalid(f"could not read the file object: {exc!r}") from exc
    if isinstance(data, str):
        raise _Invalid("the file object returned text; open the file with 'rb'")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise _Invalid(f"the file object's read() returned {type(data).__name__}, not bytes")
    return data


def _from_file_object(source: object, mime: str | None) -> dict[str, Any]:
    data = _read_binary(source)
    head, size = _head(data)
    if size == 0:
        raise _Invalid("the file object returned no data")
    name = getattr(source, "name", None)
    buffer = _encode_data_url(mime or _image_type(head, name if _is_name(name) else None), data)
    del data  # the raw bytes are ours: free them before the final string is built
    return _part_from_buffer(buffer)


def _is_name(value: object) -> bool:
    return isinstance(value, (str, bytes)) and bool(value)


def _from_path(path: str | bytes, *, from_string: bool) -> dict[str, Any]:
    shown = _show(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if from_string:
            raise _Invalid(
                f"{shown} is neither an http(s)/data: URL nor an existing file"
            ) from None
        raise _Invalid(f"file not found: {shown}") from None
    except (OSError, ValueError) as exc:  # too long, NUL byte, unencodable, no access...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise _Invalid(f"cannot use {shown} as a file path: {reason}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _Invalid(f"{shown} is a directory, not an image file")
    if not stat.S_ISREG(info.st_mode):
        raise _Invalid(f"{shown} is not a regular file")
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise _Invalid(f"cannot read {shown}: {exc.strerror or exc}") from None
    if not data:
        raise _Invalid(f"{shown} is empty")
    try:
        mime = _image_type(data[:_SNIFF_BYTES], path)
    except _Invalid as exc:
        raise _Invalid(f"{shown} is {exc}") from None
    buffer = _encode_data_url(mime, data)
    del data  # free the raw bytes before the final string is built
    return _part_from_buffer(buffer)


# --- URLs -------------------------------------------------------------------------------


def _show(value: str | bytes) -> str:
    if len(value) <= 80:
        return repr(value)
    return f"{value[:60]!r}... ({len(value)} characters)"


def _check_http_url(url: str) -> str:
    if any(ch.isspace() or ord(ch) < 32 or ch == "\x7f" for ch in url):
        raise _Invalid(f"the URL {_show(url)} contains whitespace or control characters")
    try:
        host = urlsplit(url).hostname
    except ValueError as exc:
        raise _Invalid(f"the URL {_show(url)} is malformed: {exc}") from None
    if not host:
        raise _Invalid(f"the URL {_show(url)} has no host")
    return url


def _check_data_url(url: str) -> str:
    """Check ``data:image/...;base64,<payload>`` without copying the payload."""
    comma = url.find(",", 5, 1024)
    if comma < 0:
        raise _Invalid("the data: URL has no ',' after its media type")
    params = url[5:comma].split(";")
    mime = params[0].strip().lower()
    if not _MIME.fullmatch(mime):
        raise _Invalid(f"the data: URL's media type is {mime or 'missing'!r}, not image/*")
    if len(params) < 2 or params[-1].strip().lower() != "base64":
        raise _Invalid("the data: URL must be base64-encoded (';base64,')")
    size = len(url) - comma - 1
    if size == 0:
        raise _Invalid("the data: URL has no data")
    if size % 4:
        raise _Invalid("the data: URL's payload is not valid base64 (bad length)")
    if not _BASE64.fullmatch(url, comma + 1):  # matched in place: no copy of the payload
        raise _Invalid("the data: URL's payload is not valid base64")
    return url


def _check_url(url: str) -> str | None:
    """The URL if it is http(s) or data: (checked), None if it is not a URL of those kinds."""
    scheme = url[:8].lower()
    if scheme.startswith(("http://", "https://")):
        return _check_http_url(url)
    if scheme.startswith("data:"):
        return _check_data_url(url)
    return None


def _from_string(text: str) -> dict[str, Any]:
    if not text:
        raise _Invalid("an empty string is not an image")
    url = _check_url(text)
    if url is not None:
        return image_url_part(url)
    scheme = _SCHEME.match(text)
    if scheme and not os.path.lexists(text):
        raise _Invalid(
            f"unsupported URL scheme {scheme.group(1)!r} in {_show(text)}; "
            "only http://, https:// and data: URLs are accepted"
        )
    return _from_path(text, from_string=True)


# --- the other shapes -------------------------------------------------------------------


def _check_mime(mime: object) -> str:
    if not isinstance(mime, str):
        raise _Invalid(f"the mime_type of a (data, mime_type) tuple must be a str, got {mime!r}")
    bare = mime.split(";", 1)[0].strip().lower()
    if not _MIME.fullmatch(bare):
        raise _Invalid(f"the mime_type {mime!r} is not an image type (image/...)")
    return bare


def _from_tuple(item: tuple[object, ...]) -> dict[str, Any]:
    if len(item) != 2:
        raise _Invalid(f"a tuple must be (data, mime_type), got {len(item)} items")
    data, mime = item
    resolved = _check_mime(mime)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return _from_data(data, resolved, None)
    if _is_readable(data):
        return _from_file_object(data, resolved)
    raise _Invalid(
        "the data of a (data, mime_type) tuple must be bytes or a binary file object, "
        f"got {type(data).__name__}"
    )


def _from_mapping(item: Mapping[Any, Any]) -> dict[str, Any]:
    if item.get("type") != "image_url":
        raise _Invalid(
            'a dict must be an image part {"type": "image_url", "image_url": {"url": ...}}, '
            f"got type={item.get('type')!r}"
        )
    inner = item.get("image_url")
    if isinstance(inner, str):  # the older {"image_url": "<url>"} shape
        inner = {"url": inner}
    if not isinstance(inner, Mapping):
        raise _Invalid('the dict\'s "image_url" must be {"url": ...}')
    url = inner.get("url")
    if not isinstance(url, str) or _check_url(url) is None:
        raise _Invalid(f'the dict\'s "image_url.url" must be an http(s) or data: URL, got {url!r}')
    return {**item, "image_url": dict(inner)}


def _is_readable(value: object) -> bool:
    try:
        return callable(getattr(value, "read", None))
    except Exception:  # a hostile __getattr__
        return False


# --- public API -------------------------------------------------------------------------


def coerce_image(item: object, index: int = 0) -> dict[str, Any]:
    """Turn one image input into an ``image_url`` part, or raise ``ValueError``.

    Accepts a file path (``str`` or ``os.PathLike``), ``bytes``/``bytearray``/
    ``memoryview``, a binary file object (read from its current position), an http(s)
    URL (passed through), a ``data:image/...;base64,`` URL (validated), a
    ``(data, mime_type)`` tuple, or an ``{"type": "image_url", "image_url": {"url": ...}}``
    dict (validated and copied). The MIME type comes from the data's magic bytes, else
    from the file name's extension. Errors read ``images[<index>]: <reason>``.
    """
    try:
        if isinstance(item, str):
            return _from_string(item)
        if isinstance(item, os.PathLike):
            try:
                path = os.fspath(item)
            except TypeError as exc:
                raise _Invalid(f"invalid path object: {exc}") from None
            return _from_path(path, from_string=False)
        if isinstance(item, (bytes, bytearray, memoryview)):
            return _from_data(item, None, None)
        if isinstance(item, tuple):
            return _from_tuple(item)
        if isinstance(item, Mapping):
            return _from_mapping(item)
        if _is_readable(item):
            return _from_file_object(item, None)
    except _Invalid as exc:
        raise ValueError(f"images[{index}]: {exc}") from exc.__cause__
    raise ValueError(
        f"images[{index}]: unsupported image input of type {type(item).__name__}; {_EXPECTED}"
    )


def coerce_images(items: Sequence[ImageInput] | None) -> list[dict[str, Any]]:
    """Coerce every item of ``images`` (see ``coerce_image``); ``None`` gives ``[]``.

    ``items`` must be a list or tuple: a lone string, bytes or dict raises ``ValueError``
    asking for a list.
    """
    if items is None:
        return []
    if isinstance(items, (str, bytes, bytearray, memoryview, os.PathLike)):
        raise ValueError(
            f"images must be a list of images, not a single {type(items).__name__}; "
            "wrap it in a list: images=[...]"
        )
    if isinstance(items, Mapping):
        raise ValueError("images must be a list of images, not a single dict: images=[{...}]")
    if not isinstance(items, Sequence):
        raise ValueError(f"images must be a list or tuple of images, got {type(items).__name__}")
    if (
        isinstance(items, tuple)
        and len(items) == 2
        and isinstance(items[1], str)
        and items[1].lower().startswith("image/")
        and not isinstance(items[0], str)
    ):
        raise ValueError(
            "images looks like a single (data, mime_type) tuple; pass a list of images: "
            "images=[(data, mime_type)]"
        )
    return [coerce_image(item, index) for index, item in enumerate(items)]


def _check_content_parts(content_parts: Sequence[ContentPart]) -> list[ContentPart]:
    if isinstance(content_parts, (str, bytes, bytearray, memoryview, Mapping)) or not isinstance(
        content_parts, Sequence
    ):
        raise ValueError(
            "content_parts must be a list of content parts "
            '(dicts such as {"type": "text", "text": ...}), '
            f"got {type(content_parts).__name__}"
        )
    parts = list(content_parts)
    if not parts:
        raise ValueError("nothing to send: content_parts is empty")
    for index, part in enumerate(parts):
        if attrs.has(type(part)):
            continue
        if not isinstance(part, dict):
            raise ValueError(
                f'content_parts[{index}]: expected a dict with a "type" key or a content '
                f"part model, got {type(part).__name__}"
            )
        kind = part.get("type")
        if not isinstance(kind, str) or not kind:
            raise ValueError(
                f'content_parts[{index}]: "type" must be a non-empty str, got {kind!r}'
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
        raise TypeError(f"prompt must be a str or None, got {type(prompt).__name__}")
    text = prompt if prompt and not prompt.isspace() else None
    parts: list[ContentPart] = [*coerce_images(images)]
    if not parts:
        if text is None:
            raise ValueError(
                "nothing to send: give a prompt with some text, images or content_parts"
            )
        return text
    if text is not None:
        parts.insert(0, text_part(text))
    return parts
