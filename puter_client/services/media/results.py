"""What the AI media calls return: generated files, recognised text, transcripts.

``GeneratedImage``, ``Audio`` and ``GeneratedVideo`` are media files held one of four ways:
an https URL (fetched on ``read``/``save`` with the client's transport, retries and
timeouts, never with its token), a ``data:`` URL (decoded on ``read``), bytes (speech that
arrived as raw audio), or a file on disk (speech saved with ``save_to=``). ``save`` streams
to a hidden temporary file beside the target and renames it only once whole, so a failed
download never leaves a complete-looking file. ``OcrResult`` and ``Transcription`` are the
typed results of OCR and speech-to-text, with the server's whole answer kept.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urljoin, urlsplit

import attrs
import httpx

from puter_client._generated import models
from puter_client.core.exceptions import PuterResponseError
from puter_client.core.flow import Flow, Send
from puter_client.core.http.content import BodyKind, body_kind
from puter_client.core.http.errors import error_from_response
from puter_client.core.http.responses import BodySink, FileSink, MemorySink, local_target
from puter_client.core.ratelimit import RateLimiter
from puter_client.core.retry import RetryClass

if TYPE_CHECKING:
    from puter_client.core.session import Session

__all__ = [
    "Audio",
    "GeneratedImage",
    "GeneratedVideo",
    "MediaFile",
    "OcrResult",
    "Transcription",
    "media_type_of",
]

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# A download goes to a file host, not to Puter's API: the client does not pace it (one
# start per nanosecond is no limit), retries and timeouts still apply.
_UNPACED = RateLimiter(1, 1e-9)
# Characters of a data URL's payload decoded per step: a multiple of 4.
_DECODE_CHUNK = 4 * 64 * 1024


def media_type_of(content_type: str | None) -> str | None:
    """The bare media type of a ``Content-Type`` value (``audio/wav``), lower-cased."""
    if not content_type:
        return None
    bare = content_type.partition(";")[0].strip().lower()
    return bare or None


class MediaFile:
    """A generated media file: ``content_type``, ``url`` (None for bytes), ``read()``,
    ``save(path)``, and their ``async_`` twins."""

    default_type: ClassVar[str] = "application/octet-stream"

    def __init__(
        self,
        session: Session,
        *,
        url: str | None = None,
        data: bytes | None = None,
        path: Path | None = None,
        content_type: str | None = None,
    ) -> None:
        if (url, data, path).count(None) != 2:
            raise ValueError("a media file is a URL, bytes or a file: exactly one of them")
        self._session = session
        self.url = url
        """Where the file is: an https URL or a ``data:`` URL; None for bytes or a file."""
        self.path = path
        """The local file holding it, when it was saved as it arrived (``save_to=``)."""
        self._data = data
        self.content_type = content_type or self._guessed_type()
        """The media type (``image/png``, ``audio/mpeg``...): from the answer when it named
        one, else guessed from the URL's extension."""

    def __repr__(self) -> str:
        where = f"url={_shown(self.url)}" if self.url is not None else ""
        if self.path is not None:
            where = f"path={str(self.path)!r}"
        elif self._data is not None:
            where = f"{len(self._data):,} bytes"
        return f"{type(self).__name__}(content_type={self.content_type!r}, {where})"

    def _guessed_type(self) -> str:
        if self.url is not None and self.url[:5].lower() == "data:":
            return media_type_of(self.url[5:].partition(",")[0].split(";")[0]) or self.default_type
        name = urlsplit(self.url).path if self.url is not None else str(self.path or "")
        guessed = mimetypes.guess_type("file" + os.path.splitext(name)[1].lower())[0]
        return guessed or self.default_type

    # ------------------------------------------------------------ the shells

    def read(self) -> bytes:
        """The file's bytes (a URL is fetched, a data URL decoded)."""
        return self._session.run(self._read())

    async def async_read(self) -> bytes:
        """Async ``read``."""
        return await self._session.async_run(self._read())

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the file to ``path`` (streamed; whole or not at all) and return it."""
        return self._session.run(self._save(path))

    async def async_save(self, path: str | os.PathLike[str]) -> Path:
        """Async ``save``."""
        return await self._session.async_run(self._save(path))

    # ----------------------------------------------------------------- flows

    def _read(self) -> Flow[bytes]:
        if self._data is not None:
            return self._data
        if self.path is not None:
            return self.path.read_bytes()
        sink = MemorySink()
        yield from self._into(sink)
        return sink.data

    def _save(self, path: str | os.PathLike[str]) -> Flow[Path]:
        # A folder (or a path ending in a separator) is refused before anything is
        # fetched or written, naming the real path; so is a file in a missing folder.
        target = local_target(path, example=self._example_name())
        if self.path is not None and target.exists() and target.samefile(self.path):
            return target
        yield from self._into(FileSink(target))
        return target

    def _example_name(self) -> str:
        """A file name for this file's type (``image.png``, ``audio.mp3``...), suggested
        when a save names a folder."""
        kind = self.content_type.partition("/")[0]
        kind = kind if kind in ("image", "audio", "video") else "file"
        return kind + (mimetypes.guess_extension(self.content_type) or "")

    def _into(self, sink: FileSink | MemorySink) -> Flow[None]:
        """Put the file's bytes into ``sink``: fetched, decoded, copied or as they are."""
        url = self.url
        if url is not None and url[:8].lower().startswith(("http://", "https://")):
            yield from download(self._session, url, sink)
            return
        if url is not None and url[:5].lower() != "data:":
            raise PuterResponseError(f"cannot fetch {_shown(url)}: not an http(s) or data: URL")
        _fill(sink, self._chunks())

    def _chunks(self) -> Iterator[bytes]:
        if self._data is not None:
            yield self._data
        elif self.path is not None:
            with self.path.open("rb") as file:
                while chunk := file.read(1 << 16):
                    yield chunk
        else:
            assert self.url is not None
            yield from _decoded_data_url(self.url)


class GeneratedImage(MediaFile):
    """An image made by ``txt2img``."""

    default_type = "image/png"


class Audio(MediaFile):
    """Speech made by ``txt2speech`` or ``speech2speech``."""

    default_type = "audio/mpeg"


class GeneratedVideo(MediaFile):
    """A video made by ``txt2vid``."""

    default_type = "video/mp4"


def _shown(url: str | None) -> str:
    if url is None or len(url) <= 80:
        return repr(url)
    return f"{url[:60]!r}... ({len(url):,} characters)"


def _fill(sink: BodySink, chunks: Iterator[bytes]) -> None:
    """Write ``chunks`` into ``sink`` as the transport would: whole, or nothing kept."""
    sink.reset()
    try:
        for chunk in chunks:
            sink.write(chunk)
    except BaseException:
        sink.abort()
        raise
    sink.finish()


def _decoded_data_url(url: str) -> Iterator[bytes]:
    """The bytes of a base64 ``data:`` URL, decoded piece by piece (no full-size copy)."""
    comma = url.find(",")
    header = url[5:comma] if comma > 0 else ""
    if comma < 0 or not header.lower().endswith(";base64"):
        raise PuterResponseError("the data: URL of the answer is not base64-encoded")
    for start in range(comma + 1, len(url), _DECODE_CHUNK):
        try:
            yield base64.b64decode(url[start : start + _DECODE_CHUNK], validate=True)
        except (binascii.Error, ValueError):
            raise PuterResponseError("the data: URL of the answer is not valid base64") from None


def download(session: Session, url: str, sink: BodySink) -> Flow[httpx.Response]:
    """``GET`` ``url`` into ``sink`` (redirects followed, retried as an idempotent call).

    No token is sent: the file host is not Puter's API. An error status raises its typed
    error; the sink then keeps nothing.
    """
    for _ in range(MAX_REDIRECTS + 1):
        request = httpx.Request("GET", url, headers={**session.headers, "Accept": "*/*"})
        response: httpx.Response = yield Send(
            request, session.policy, RetryClass.IDEMPOTENT, sink=sink, limiter=_UNPACED
        )
        location = response.headers.get("location")
        if response.status_code in _REDIRECTS and location:
            url = urljoin(url, location)
            continue
        if not 200 <= response.status_code < 300:
            raise error_from_response(response)
        if body_kind(response) is not BodyKind.BYTES:  # read whole, not fed to the sink
            _fill(sink, iter([response.content]))
        return response
    sink.abort()
    raise PuterResponseError(f"more than {MAX_REDIRECTS} redirects fetching {_shown(url)}")


# ---------------------------------------------------------------- typed text results


@attrs.frozen
class OcrResult:
    """The text OCR recognised in an image.

    ``text`` is the blocks' texts joined by newlines (else the pages' markdown, else the
    provider's whole text); ``blocks`` keep each block's ``type``, ``confidence`` and
    ``text``; ``result`` is the server's whole answer.
    """

    text: str
    blocks: list[models.OcrBlock]
    result: models.OcrRecognizeResult = attrs.field(repr=False)

    @classmethod
    def of(cls, result: models.OcrRecognizeResult) -> OcrResult:
        """The OCR result of the server's answer."""
        blocks = list(result.blocks or ())
        return cls(text=_ocr_text(result, blocks), blocks=blocks, result=result)


def _ocr_text(result: models.OcrRecognizeResult, blocks: list[models.OcrBlock]) -> str:
    # As puter.js reads it: text blocks (typeless or `text/...`), then pages, then `text`.
    lines = [
        block.text
        for block in blocks
        if isinstance(block.text, str) and (not block.type or block.type.startswith("text/"))
    ]
    if "".join(lines).strip():
        return "\n".join(lines)
    pages = [page.get("markdown") for page in result.pages or () if isinstance(page, dict)]
    markdown = "\n\n".join(p.strip() for p in pages if isinstance(p, str) and p.strip())
    if markdown:
        return markdown
    return result.text or ""


@attrs.frozen
class Transcription:
    """A transcript: ``text``, ``language``, ``duration`` (seconds), ``words`` with their
    ``start``/``end`` times, the ``model``, and the server's whole answer as ``result``
    (a string when only the text came back)."""

    text: str
    language: str | None
    duration: float | None
    words: list[models.TranscriptionWord]
    model: str | None
    result: models.TranscriptionResult | str = attrs.field(repr=False)

    @classmethod
    def of(cls, result: models.TranscriptionResult | str) -> Transcription:
        """The transcript of the server's answer (OpenAI and xAI shapes alike)."""
        if isinstance(result, str):
            return cls(
                text=result, language=None, duration=None, words=[], model=None, result=result
            )
        duration = result.duration_seconds
        return cls(
            text=result.text,
            language=result.language,
            duration=duration if duration is not None else result.duration,
            words=list(result.words or ()),
            model=result.model,
            result=result,
        )
