"""Binary inputs: paths, bytes, file objects and URLs, turned into bytes plus a MIME type.

Chat images, audio, videos and files, OCR images and speech uploads all take the same
forms of input: a local
file path (``str`` or ``os.PathLike``), ``bytes``/``bytearray``/``memoryview``, a binary
file object, an http(s) URL, a ``data:`` URL, or a ``(data, mime_type)`` tuple. ``to_url``
turns one of them into what the server takes: http(s) URLs are passed through (never
fetched), ``data:`` URLs are checked in place, and everything else is read once, its MIME
type found from its magic bytes (else the file name's extension), and encoded as a base64
``data:`` URL. A ``MediaKind`` (``IMAGE``, ``AUDIO``, ``VIDEO``, or ``FILE`` for a file of
any type) says which types are acceptable.

Bad input raises ``InvalidInput`` (a ``ValueError``) saying why, before any network I/O;
callers prefix it with the argument's name. Nothing here does network I/O.

Memory: a local file of N bytes is read once; building its data URL peaks at about 2.7 N
(base64 buffer plus the final string, the raw bytes being dropped first) and the
returned URL keeps about 1.33 N.
"""

from __future__ import annotations

import binascii
import codecs
import io
import mimetypes
import os
import re
import stat
from typing import Any, NamedTuple, Protocol, TypeAlias
from urllib.parse import urlsplit

__all__ = [
    "AUDIO",
    "FILE",
    "IMAGE",
    "VIDEO",
    "BinaryReadable",
    "BytesLike",
    "FileInput",
    "InputTooLarge",
    "InvalidInput",
    "MediaKind",
    "any_file_type",
    "check_url",
    "data_url_size",
    "is_readable",
    "show",
    "sniff_audio_type",
    "sniff_document_type",
    "sniff_image_type",
    "sniff_video_type",
    "to_url",
]


class BinaryReadable(Protocol):
    """A binary file-like object: ``open(path, "rb")``, ``io.BytesIO``, ..."""

    def read(self, size: int = -1, /) -> bytes: ...


BytesLike: TypeAlias = bytes | bytearray | memoryview
FileInput: TypeAlias = (
    str | os.PathLike[str] | BytesLike | BinaryReadable | tuple[BytesLike | BinaryReadable, str]
)
"""A file given as a path, bytes, a binary file object, an http(s) or ``data:`` URL, or a
``(data, mime_type)`` tuple."""


class InvalidInput(ValueError):
    """Why one input is rejected; the caller prefixes the argument's name.

    ``code`` is puter.js's code for the refusal: ``input_too_large`` for an input over
    its size limit, else ``invalid_arguments``.
    """

    code = "invalid_arguments"


class InputTooLarge(InvalidInput):
    """An input over its size limit (puter.js: ``input_too_large``)."""

    code = "input_too_large"


# Raw bytes per base64 step: a multiple of 3, so the encoded pieces concatenate exactly.
_ENCODE_CHUNK = 3 * 64 * 1024
_SNIFF_BYTES = 256
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")  # with a length check: valid padded base64


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


_AUDIO_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"ID3", "audio/mpeg"),  # MP3 with an ID3v2 tag
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"#!AMR", "audio/amr"),
    (b"MThd", "audio/midi"),
    (b"\x1a\x45\xdf\xa3", "audio/webm"),  # EBML: WebM or Matroska
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "audio/x-ms-wma"),  # ASF
)


def sniff_audio_type(data: BytesLike) -> str | None:
    """The audio MIME type named by ``data``'s leading magic bytes, or None if unknown.

    Knows WAV, MP3 (ID3 tag or bare frames), AAC (ADTS), Ogg, FLAC, WebM, MP4/M4A, AIFF,
    AMR, MIDI and WMA: the formats speech services take.
    """
    head, _ = _head(data)
    for signature, mime in _AUDIO_SIGNATURES:
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "audio/aiff"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return "audio/mp4"  # an MP4 container (M4A, or a video whose sound is wanted)
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:
            return "audio/aac"  # ADTS frame: sync word, layer 0
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
            return "audio/mpeg"  # MPEG audio frame: sync word, layer I-III
    return None


_VIDEO_BRANDS_QUICKTIME = frozenset({b"qt  "})
_AUDIO_ONLY_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "})


def sniff_video_type(data: BytesLike) -> str | None:
    """The video MIME type named by ``data``'s leading magic bytes, or None if unknown.

    Knows MP4 (and M4V), QuickTime, 3GPP, WebM and Matroska, AVI, FLV, MPEG program and
    transport streams and ASF/WMV. An ISO-BMFF file of an image (HEIC, AVIF) or of
    audio only (M4A) is not a video.
    """
    head, _ = _head(data)
    if head[4:8] == b"ftyp" and len(head) >= 12:
        brand = head[8:12]
        if _sniff_ftyp(head) is not None or brand in _AUDIO_ONLY_BRANDS:
            return None
        if brand in _VIDEO_BRANDS_QUICKTIME:
            return "video/quicktime"
        if brand.startswith(b"3g2"):
            return "video/3gpp2"
        if brand.startswith(b"3g"):
            return "video/3gpp"
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML
        return "video/x-matroska" if b"matroska" in head else "video/webm"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    if head.startswith(b"FLV\x01"):
        return "video/x-flv"
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return "video/mpeg"
    if len(head) > 188 and head[0] == 0x47 and head[188] == 0x47:  # 188-byte TS packets
        return "video/mp2t"
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return "video/x-ms-asf"
    return None


def sniff_document_type(data: BytesLike) -> str | None:
    """The type of a file whose magic bytes say it unambiguously (PDF, the images), else
    None: the caller then asks the file's name, then `any_file_type`."""
    head, _ = _head(data)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return sniff_image_type(head)


def any_file_type(data: BytesLike) -> str:
    """The type of a file neither its magic bytes nor its name told: a video or audio
    format sniffed by its signature, else ``text/plain`` for UTF-8 text without NUL bytes, else
    ``application/octet-stream``."""
    head, _ = _head(data)
    # Audio by its signatures only: the bare MPEG/ADTS frame-sync test (a first byte of
    # 0xFF) would take many binary files for audio.
    audio = sniff_audio_type(head) if head[:1] != b"\xff" else None
    sniffed = sniff_video_type(head) or audio
    if sniffed is not None:
        return sniffed
    try:  # an incremental decoder takes a character cut at the end of the head
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "application/octet-stream" if "\x00" in text else "text/plain"


class MediaKind(NamedTuple):
    """What kind of media an input must be: its MIME prefix, how to sniff it, its words."""

    name: str
    """The noun in messages: ``image``, ``audio``."""
    a_name: str
    """The noun with its article: ``an image``, ``audio``."""
    prefix: str
    """The MIME type prefix: ``image/``, ``audio/``; ``""`` for a file of any type."""
    sniff: Any
    """The magic-byte sniffer, ``(data) -> MIME type or None``."""
    fallback: Any = None
    """``(data) -> MIME type`` for a file neither its bytes nor its name told (``FILE``:
    `any_file_type`); None refuses such a file."""

    @property
    def mime_pattern(self) -> re.Pattern[str]:
        """A bare MIME type of this kind."""
        token = r"[a-z0-9][a-z0-9!#$&^_.+-]*"
        return re.compile((re.escape(self.prefix) if self.prefix else token + "/") + token)

    def file_type(self, head: bytes, name: str | bytes | None) -> str:
        """The type of a file from its first bytes, then its name's extension."""
        sniffed = self.sniff(head)
        if sniffed is not None:
            return str(sniffed)
        guessed = _type_from_name(name) if name else None
        if guessed is not None and guessed.startswith(self.prefix):
            return guessed
        if self.fallback is not None:
            return str(self.fallback(head))
        found = f" ({guessed})" if guessed else ""
        raise InvalidInput(
            f"not a recognised {self.name} format{found}; "
            f"pass (data, '{self.prefix}...') to name the type"
        )


IMAGE = MediaKind("image", "an image", "image/", sniff_image_type)
AUDIO = MediaKind("audio", "audio", "audio/", sniff_audio_type)
VIDEO = MediaKind("video", "a video", "video/", sniff_video_type)
FILE = MediaKind("file", "a file", "", sniff_document_type, any_file_type)
"""A file of any type (a document, text, media): its type sniffed, else named by its
extension, else `any_file_type`."""


def _type_from_name(name: str | bytes) -> str | None:
    extension = os.path.splitext(os.fsdecode(name))[1].lower()
    if not extension:
        return None
    return mimetypes.guess_type("file" + extension)[0]


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


class _Rules(NamedTuple):
    """What one call accepts: the kind of media and the largest size (None: no limit)."""

    kind: MediaKind
    max_bytes: int | None

    def check_size(self, size: int, what: str) -> None:
        if self.max_bytes is not None and size > self.max_bytes:
            raise InputTooLarge(
                f"{what} is {size:,} bytes, over the limit of {self.max_bytes:,} bytes"
                f" ({_megabytes(self.max_bytes)})"
            )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _from_data(data: BytesLike, mime: str | None, name: str | bytes | None, rules: _Rules) -> str:
    """A data URL for in-memory data the caller still owns (so no copy of it can be freed)."""
    head, size = _head(data)
    if size == 0:
        raise InvalidInput(f"the {rules.kind.name} data is empty")
    rules.check_size(size, f"the {rules.kind.name} data")
    return _encode_data_url(mime or rules.kind.file_type(head, name), data).decode("ascii")


def _read_binary(source: Any) -> BytesLike:
    if isinstance(source, io.TextIOBase):
        raise InvalidInput("the file object is in text mode; open the file with 'rb'")
    try:
        data = source.read()
    except Exception as exc:  # any failure of the user's object means "unreadable"
        raise InvalidInput(f"could not read the file object: {exc!r}") from exc
    if isinstance(data, str):
        raise InvalidInput("the file object returned text; open the file with 'rb'")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InvalidInput(f"the file object's read() returned {type(data).__name__}, not bytes")
    return data


def _from_file_object(source: object, mime: str | None, rules: _Rules) -> str:
    data = _read_binary(source)
    head, size = _head(data)
    if size == 0:
        raise InvalidInput("the file object returned no data")
    rules.check_size(size, "the file object's data")
    name = getattr(source, "name", None)
    mime = mime or rules.kind.file_type(head, name if _is_name(name) else None)
    buffer = _encode_data_url(mime, data)
    del data  # the raw bytes are ours: free them before the final string is built
    return buffer.decode("ascii")


def _is_name(value: object) -> bool:
    return isinstance(value, (str, bytes)) and bool(value)


def _from_path(path: str | bytes, rules: _Rules, *, from_string: bool) -> str:
    shown = show(path)
    kind = rules.kind
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if from_string:
            raise InvalidInput(
                f"{shown} is neither an http(s)/data: URL nor an existing file"
            ) from None
        raise InvalidInput(f"file not found: {shown}") from None
    except (OSError, ValueError) as exc:  # too long, NUL byte, unencodable, no access...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InvalidInput(f"cannot use {shown} as a file path: {reason}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(
            f"{shown} is a directory, not {_a(kind.name)} file"
            if kind.prefix
            else f"{shown} is a directory, not a file"
        )
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"{shown} is not a regular file")
    rules.check_size(info.st_size, shown)  # before reading: a huge file is never loaded
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise InvalidInput(f"cannot read {shown}: {exc.strerror or exc}") from None
    if not data:
        raise InvalidInput(f"{shown} is empty")
    try:
        mime = kind.file_type(data[:_SNIFF_BYTES], path)
    except InvalidInput as exc:
        raise InvalidInput(f"{shown} is {exc}") from None
    buffer = _encode_data_url(mime, data)
    del data  # free the raw bytes before the final string is built
    return buffer.decode("ascii")


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


# --- URLs -------------------------------------------------------------------------------


#: A path is named whole in an error (Linux's PATH_MAX); other long text is shortened.
_WHOLE_PATH = 4096


def show(value: str | bytes) -> str:
    """``value`` for an error message: its repr, shortened when long.

    Text that may be a file's path is named whole up to ``PATH_MAX``, so that the message
    names the real path; a ``data:`` URL or raw bytes are cut after 60 characters.
    """
    whole = isinstance(value, str) and not value.startswith("data:")
    if len(value) <= (_WHOLE_PATH if whole else 80):
        return repr(value)
    return f"{value[:60]!r}... ({len(value)} characters)"


def _check_http_url(url: str) -> str:
    if any(ch.isspace() or ord(ch) < 32 or ch == "\x7f" for ch in url):
        raise InvalidInput(f"the URL {show(url)} contains whitespace or control characters")
    try:
        host = urlsplit(url).hostname
    except ValueError as exc:
        raise InvalidInput(f"the URL {show(url)} is malformed: {exc}") from None
    if not host:
        raise InvalidInput(f"the URL {show(url)} has no host")
    return url


def _check_data_url(url: str, rules: _Rules) -> str:
    """Check ``data:<kind>/...;base64,<payload>`` without copying the payload."""
    kind = rules.kind
    comma = url.find(",", 5, 1024)
    if comma < 0:
        raise InvalidInput("the data: URL has no ',' after its media type")
    params = url[5:comma].split(";")
    mime = params[0].strip().lower()
    if not kind.mime_pattern.fullmatch(mime):
        wanted = f"{kind.prefix}*" if kind.prefix else "type/subtype"
        raise InvalidInput(f"the data: URL's media type is {mime or 'missing'!r}, not {wanted}")
    if len(params) < 2 or params[-1].strip().lower() != "base64":
        raise InvalidInput("the data: URL must be base64-encoded (';base64,')")
    size = len(url) - comma - 1
    if size == 0:
        raise InvalidInput("the data: URL has no data")
    if size % 4:
        raise InvalidInput("the data: URL's payload is not valid base64 (bad length)")
    if not _BASE64.fullmatch(url, comma + 1):  # matched in place: no copy of the payload
        raise InvalidInput("the data: URL's payload is not valid base64")
    rules.check_size(data_url_size(url), "the data: URL's data")
    return url


def data_url_size(url: str) -> int:
    """The decoded size of a valid base64 ``data:`` URL's payload, without decoding it."""
    comma = url.find(",")
    size = len(url) - comma - 1
    return size // 4 * 3 - (url.endswith("==") + url.endswith("="))


def check_url(url: str, kind: MediaKind = IMAGE, max_bytes: int | None = None) -> str | None:
    """The URL if it is http(s) or a ``data:`` URL of ``kind`` (checked), None if it is not
    a URL of those kinds; ``InvalidInput`` if it is one, malformed."""
    scheme = url[:8].lower()
    if scheme.startswith(("http://", "https://")):
        return _check_http_url(url)
    if scheme.startswith("data:"):
        return _check_data_url(url, _Rules(kind, max_bytes))
    return None


def _from_string(text: str, rules: _Rules) -> str:
    if not text:
        raise InvalidInput(f"an empty string is not {rules.kind.a_name}")
    url = check_url(text, rules.kind, rules.max_bytes)
    if url is not None:
        return url
    scheme = _SCHEME.match(text)
    if scheme and not os.path.lexists(text):
        raise InvalidInput(
            f"unsupported URL scheme {scheme.group(1)!r} in {show(text)}; "
            "only http://, https:// and data: URLs are accepted"
        )
    return _from_path(text, rules, from_string=True)


# --- the other shapes -------------------------------------------------------------------


def _check_mime(mime: object, kind: MediaKind) -> str:
    if not isinstance(mime, str):
        raise InvalidInput(
            f"the mime_type of a (data, mime_type) tuple must be a str, got {mime!r}"
        )
    bare = mime.split(";", 1)[0].strip().lower()
    if not kind.mime_pattern.fullmatch(bare):
        raise InvalidInput(f"the mime_type {mime!r} is not {_types_of(kind)}")
    return bare


def _types_of(kind: MediaKind) -> str:
    """The MIME types ``kind`` takes, in words."""
    if not kind.prefix:
        return "a MIME type (type/subtype)"
    return f"{_a(kind.name)} type ({kind.prefix}...)"


def _from_tuple(item: tuple[object, ...], rules: _Rules) -> str:
    if len(item) != 2:
        raise InvalidInput(f"a tuple must be (data, mime_type), got {len(item)} items")
    data, mime = item
    resolved = _check_mime(mime, rules.kind)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return _from_data(data, resolved, None, rules)
    if is_readable(data):
        return _from_file_object(data, resolved, rules)
    raise InvalidInput(
        "the data of a (data, mime_type) tuple must be bytes or a binary file object, "
        f"got {type(data).__name__}"
    )


def is_readable(value: object) -> bool:
    """Whether ``value`` has a callable ``read`` (a file object), hostile objects aside."""
    try:
        return callable(getattr(value, "read", None))
    except Exception:  # a hostile __getattr__
        return False


# --- public API -------------------------------------------------------------------------


def to_url(item: object, kind: MediaKind, *, max_bytes: int | None = None) -> str | None:
    """The http(s) or ``data:`` URL standing for one input of ``kind``.

    Accepts a file path (``str`` or ``os.PathLike``), ``bytes``/``bytearray``/
    ``memoryview``, a binary file object (read from its current position), an http(s)
    URL (passed through), a ``data:<kind>/...;base64,`` URL (validated), or a
    ``(data, mime_type)`` tuple. Returns None for an object of any other type; raises
    ``InvalidInput`` for a bad one, or one over ``max_bytes`` (decoded bytes).
    """
    rules = _Rules(kind, max_bytes)
    if isinstance(item, str):
        return _from_string(item, rules)
    if isinstance(item, os.PathLike):
        try:
            path = os.fspath(item)
        except TypeError as exc:
            raise InvalidInput(f"invalid path object: {exc}") from None
        return _from_path(path, rules, from_string=False)
    if isinstance(item, (bytes, bytearray, memoryview)):
        return _from_data(item, None, None, rules)
    if isinstance(item, tuple):
        return _from_tuple(item, rules)
    if is_readable(item):
        return _from_file_object(item, None, rules)
    return None
