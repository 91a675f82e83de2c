"""AI beyond chat: images, speech, OCR, transcription, voice change and video.

``Media`` is the service behind ``PuterAI.txt2img``, ``txt2speech``, ``img2txt``/``ocr``,
``speech2txt``, ``speech2speech`` and ``txt2vid``. Each method checks its arguments at once
(``PuterInputTypeError``/``PuterInputError``, a ``TypeError``/``ValueError`` with
puter.js's code in ``.code``, naming the argument and the limit, before any request) and
returns a flow that the client's session runs. Every call is ``POST /drivers/call`` with
``test_mode`` inside ``args`` (the only place the server reads it). Answers are dispatched
on ``Content-Type`` before any JSON parsing: the JSON envelope carries a URL, a data URL
or the typed result; speech from a real provider arrives as raw ``audio/*`` bytes, held
in memory or streamed to the ``save_to`` file as they arrive.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Any, TypedDict, TypeVar

import httpx

from puter_client._generated import endpoints, models
from puter_client.core.binary_input import AUDIO, FileInput, InvalidInput, to_url
from puter_client.core.exceptions import PuterInputError, PuterInputTypeError, PuterResponseError
from puter_client.core.flow import Flow
from puter_client.core.http.content import BodyKind, body_kind
from puter_client.core.http.errors import response_error
from puter_client.core.http.jsonbody import check_sendable
from puter_client.core.http.operation import Operation
from puter_client.core.http.responses import MemorySink, local_target
from puter_client.core.session import Session
from puter_client.services.chat.content import image_source, puter_path_of
from puter_client.services.fs.path import remote_path
from puter_client.services.media.results import (
    Audio,
    GeneratedImage,
    GeneratedVideo,
    MediaFile,
    OcrResult,
    Transcription,
    media_type_of,
)

__all__ = [
    "IMAGE_PROVIDERS",
    "MAX_OCR_IMAGE_BYTES",
    "MAX_SPEECH_AUDIO_BYTES",
    "MAX_TTS_CHARACTERS",
    "VIDEO_PROVIDERS",
    "AudioInput",
    "ImageOptions",
    "Media",
    "OcrOptions",
    "SpeechOptions",
    "TranscriptionOptions",
    "VideoOptions",
    "VoiceOptions",
]

F = TypeVar("F", bound=MediaFile)

AudioInput = FileInput
"""What ``speech2txt`` and ``speech2speech`` take as ``audio``: a file path, bytes, a binary
file object, an http(s) URL, a ``data:audio/...`` URL, a ``(data, mime_type)`` tuple, or a
file of the Puter file system (``PuterPath``, ``FSEntry``: the server reads it)."""

IMAGE_PROVIDERS: dict[str, str] = {
    name: f"{name}-image-generation"
    for name in ("openai", "gemini", "together", "cloudflare", "xai", "replicate", "byteplus")
}
"""The image providers' short names and ids. A provider's id is also a driver name of the
image interface (``driver="xai-image-generation"`` routes to xAI, with its default model
when no ``model`` is given); ``txt2img`` sends the id for either name."""
VIDEO_PROVIDERS: dict[str, str] = {
    name: f"{name}-video-generation" for name in ("openai", "together", "gemini", "byteplus")
}
"""The video providers' short names and ids (as `IMAGE_PROVIDERS`)."""
MAX_TTS_CHARACTERS = 3000
"""The longest text ``txt2speech`` sends (puter.js's limit, and Polly's)."""
MAX_OCR_IMAGE_BYTES = 10 * 1024 * 1024
"""The largest image ``ocr`` sends (puter.js's limit)."""
MAX_SPEECH_AUDIO_BYTES = 25 * 1024 * 1024
"""The largest audio ``speech2txt`` and ``speech2speech`` send (puter.js's limit)."""

_AUDIO_EXPECTED = "a file path, bytes, a binary file object, an http(s) URL or a data: URL"


class ImageOptions(TypedDict, total=False):
    """The options of ``txt2img`` (all optional; only those given are sent)."""

    model: str | None
    provider: str | None
    driver: str | None
    width: int | None
    height: int | None
    quality: str | None
    puter_output_path: str | PurePosixPath | None
    test_mode: bool


class SpeechOptions(TypedDict, total=False):
    """The options of ``txt2speech``; ``save_to`` streams the audio to that file."""

    voice: str | None
    engine: str | None
    provider: str | None
    model: str | None
    language: str | None
    test_mode: bool
    save_to: str | os.PathLike[str] | None


class OcrOptions(TypedDict, total=False):
    """The options of ``ocr`` and ``img2txt``."""

    provider: str | None
    model: str | None
    pages: Sequence[int] | None
    test_mode: bool


class TranscriptionOptions(TypedDict, total=False):
    """The options of ``speech2txt``; ``translate`` asks for English."""

    translate: bool
    provider: str | None
    model: str | None
    language: str | None
    prompt: str | None
    response_format: str | None
    test_mode: bool


class VoiceOptions(TypedDict, total=False):
    """The options of ``speech2speech``; ``save_to`` streams the audio to that file."""

    voice: str | None
    model: str | None
    provider: str | None
    output_format: str | None
    test_mode: bool
    save_to: str | os.PathLike[str] | None


class VideoOptions(TypedDict, total=False):
    """The options of ``txt2vid``."""

    model: str | None
    provider: str | None
    driver: str | None
    seconds: float | None
    duration: float | None
    size: str | None
    puter_output_path: str | PurePosixPath | None
    test_mode: bool


class Media:
    """The AI media service of one client (see the module docstring)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # ----------------------------------------------------------------- images

    def txt2img(
        self,
        prompt: str,
        *,
        model: str | None = None,
        provider: str | None = None,
        driver: str | None = None,
        width: int | None = None,
        height: int | None = None,
        quality: str | None = None,
        puter_output_path: str | PurePosixPath | None = None,
        test_mode: bool = False,
    ) -> Flow[GeneratedImage]:
        """An image generated from ``prompt``.

        ``provider`` and ``driver`` name the provider (its id, ``xai-image-generation``,
        or its short name, ``xai``: see `IMAGE_PROVIDERS`); without them, nor a
        ``model``, the server's default provider and model answer.
        ``puter_output_path`` has the server also save the image in the Puter file system
        (a relative path is taken from ``~``)."""
        if (width is None) != (height is None):
            raise PuterInputError(
                "width and height go together: give both or neither", code=_INVALID
            )
        args = models.ImageGenerateArgs(
            prompt=_text(prompt, "prompt"),
            model=_name(model, "model"),
            provider=_provider_id(provider, "provider", IMAGE_PROVIDERS),
            width=_positive_int(width, "width"),
            height=_positive_int(height, "height"),
            quality=_name(quality, "quality"),
            puter_output_path=_output_path(puter_output_path),
            test_mode=_test_mode(test_mode),
        )
        call = models.ImageGenerateCall(
            driver=_provider_id(driver, "driver", IMAGE_PROVIDERS), args=args
        )
        envelope = yield from self._session.send(
            endpoints.IMAGE_GENERATE, endpoints.parse_image_generate, body=call
        )
        return _media_file(GeneratedImage, self._session, envelope.result)

    def txt2vid(
        self,
        prompt: str,
        *,
        model: str | None = None,
        provider: str | None = None,
        driver: str | None = None,
        seconds: float | None = None,
        duration: float | None = None,
        size: str | None = None,
        puter_output_path: str | PurePosixPath | None = None,
        test_mode: bool = False,
    ) -> Flow[GeneratedVideo]:
        """A video generated from ``prompt``; ``duration`` is puter.js's other name of
        ``seconds`` (sent as both, as puter.js does). ``provider``/``driver`` and
        ``puter_output_path`` as for ``txt2img`` (see `VIDEO_PROVIDERS`)."""
        length = _positive_number(seconds, "seconds")
        alias = _positive_number(duration, "duration")
        if length is not None and alias is not None and length != alias:
            raise PuterInputError(
                "seconds and duration name the same length: give one", code=_INVALID
            )
        args = models.VideoGenerateArgs(
            prompt=_text(prompt, "prompt"),
            model=_name(model, "model"),
            provider=_provider_id(provider, "provider", VIDEO_PROVIDERS),
            seconds=length if length is not None else alias,
            duration=alias,
            size=_name(size, "size"),
            puter_output_path=_output_path(puter_output_path),
            test_mode=_test_mode(test_mode),
        )
        call = models.VideoGenerateCall(
            driver=_provider_id(driver, "driver", VIDEO_PROVIDERS), args=args
        )
        envelope = yield from self._session.send(
            endpoints.VIDEO_GENERATE, endpoints.parse_video_generate, body=call
        )
        return _media_file(GeneratedVideo, self._session, envelope.result)

    # ----------------------------------------------------------------- speech

    def txt2speech(
        self,
        text: str,
        *,
        voice: str | None = None,
        engine: str | None = None,
        provider: str | None = None,
        model: str | None = None,
        language: str | None = None,
        test_mode: bool = False,
        save_to: str | os.PathLike[str] | None = None,
    ) -> Flow[Audio]:
        """``text`` spoken."""
        args = models.TtsSynthesizeArgs(
            text=_text(text, "text", max_chars=MAX_TTS_CHARACTERS),
            voice=_name(voice, "voice"),
            engine=_name(engine, "engine"),
            provider=_name(provider, "provider"),
            model=_name(model, "model"),
            language=_name(language, "language"),
            test_mode=_test_mode(test_mode),
        )
        call = models.TtsSynthesizeCall(driver="ai-tts", args=args)
        return self._speech(
            endpoints.TTS_SYNTHESIZE, endpoints.parse_tts_synthesize, call, _target(save_to)
        )

    def list_voices(
        self, provider: str | None = None, engine: str | None = None
    ) -> Flow[list[models.TtsVoice]]:
        """The voices of ``provider`` (an alias is resolved by the server; ``"all"`` for
        every configured provider; the default provider when ``None``), only
        ``engine``'s when given."""
        args = models.TtsListArgs(
            provider=_name(provider, "provider"), engine=_name(engine, "engine")
        )
        call = models.TtsListVoicesCall(driver="ai-tts", args=args)
        return self._session.send(endpoints.TTS_LIST_VOICES, _voices, body=call)

    def list_tts_engines(self, provider: str | None = None) -> Flow[list[models.TtsEngine]]:
        """The engines (models) of ``provider``, with their prices (as ``list_voices``)."""
        args = models.TtsListArgs(provider=_name(provider, "provider"))
        call = models.TtsListEnginesCall(driver="ai-tts", args=args)
        return self._session.send(endpoints.TTS_LIST_ENGINES, _engines, body=call)

    def list_tts_providers(self) -> Flow[list[str]]:
        """The text-to-speech providers the server has configured."""
        call = models.TtsListProvidersCall(driver="ai-tts", args=models.TtsListArgs())
        return self._session.send(endpoints.TTS_LIST_PROVIDERS, _tts_providers, body=call)

    def speech2speech(
        self,
        audio: object,
        *,
        voice: str | None = None,
        model: str | None = None,
        provider: str | None = None,
        output_format: str | None = None,
        test_mode: bool = False,
        save_to: str | os.PathLike[str] | None = None,
    ) -> Flow[Audio]:
        """The speech of ``audio`` in another voice."""
        args = models.SpeechConvertArgs(
            audio=_audio_source(audio),
            voice=_name(voice, "voice"),
            model=_name(model, "model"),
            provider=_name(provider, "provider"),
            output_format=_name(output_format, "output_format"),
            test_mode=_test_mode(test_mode),
        )
        call = models.SpeechConvertCall(driver="ai-speech2speech", args=args)
        return self._speech(
            endpoints.SPEECH_CONVERT, endpoints.parse_speech_convert, call, _target(save_to)
        )

    def speech2txt(
        self,
        audio: object,
        *,
        translate: bool = False,
        provider: str | None = None,
        model: str | None = None,
        language: str | None = None,
        prompt: str | None = None,
        response_format: str | None = None,
        test_mode: bool = False,
    ) -> Flow[Transcription]:
        """The transcript of ``audio`` (translated into English with ``translate``).
        ``response_format="text"`` has the server answer only the text (the
        ``Transcription`` then has only ``text``)."""
        args = models.SpeechToTextArgs(
            response_format=_name(response_format, "response_format"),
            file=_audio_source(audio),
            provider=_name(provider, "provider"),
            model=_name(model, "model"),
            language=_name(language, "language"),
            prompt=_text(prompt, "prompt") if prompt is not None else None,
            test_mode=_test_mode(test_mode),
        )
        if _flag(translate, "translate"):
            envelope = yield from self._session.send(
                endpoints.SPEECH_TRANSLATE,
                endpoints.parse_speech_translate,
                body=models.SpeechTranslateCall(driver="ai-speech2txt", args=args),
            )
        else:
            envelope = yield from self._session.send(
                endpoints.SPEECH_TRANSCRIBE,
                endpoints.parse_speech_transcribe,
                body=models.SpeechTranscribeCall(driver="ai-speech2txt", args=args),
            )
        return Transcription.of(envelope.result)

    # -------------------------------------------------------------------- OCR

    def ocr(
        self,
        image: object,
        *,
        provider: str | None = None,
        model: str | None = None,
        pages: Sequence[int] | None = None,
        test_mode: bool = False,
    ) -> Flow[OcrResult]:
        """The text recognised in ``image`` (of ``pages``, counted from 0, of a document)."""
        args = models.OcrRecognizeArgs(
            source=_image_source(image),
            provider=_name(provider, "provider"),
            model=_name(model, "model"),
            pages=_pages(pages),
            test_mode=_test_mode(test_mode),
        )
        call = models.OcrRecognizeCall(driver="ai-ocr", args=args)
        envelope = yield from self._session.send(
            endpoints.OCR_RECOGNIZE, endpoints.parse_ocr_recognize, body=call
        )
        return OcrResult.of(envelope.result)

    def img2txt(
        self,
        image: object,
        *,
        provider: str | None = None,
        model: str | None = None,
        pages: Sequence[int] | None = None,
        test_mode: bool = False,
    ) -> Flow[str]:
        """Only the recognised text of ``image``."""
        flow = self.ocr(image, provider=provider, model=model, pages=pages, test_mode=test_mode)
        result = yield from flow
        return result.text

    # ------------------------------------------------------------------ steps

    def _speech(
        self,
        op: Operation,
        parse_envelope: Callable[[httpx.Response], models.MediaResponse],
        call: Any,
        save_to: Path | None,
    ) -> Flow[Audio]:
        """Send a speech call: raw audio into memory or ``save_to``; a URL answer is
        fetched into ``save_to`` when one is given."""
        session = self._session
        pending = _PendingFile(save_to) if save_to is not None else None
        memory = MemorySink()

        def parse(response: httpx.Response) -> Audio:
            if not (response.status_code == 200 and body_kind(response) is BodyKind.BYTES):
                return _media_file(Audio, session, parse_envelope(response).result)
            content_type = media_type_of(response.headers.get("content-type"))
            if content_type is None or not content_type.startswith("audio/"):
                raw = memory.data[:200].decode("utf-8", "replace") if pending is None else ""
                raise response_error(
                    response, f"expected audio or JSON from {op.name}, got {content_type}: {raw}"
                )
            if pending is not None:
                return Audio(session, path=pending.commit(), content_type=content_type)
            return Audio(session, data=memory.data, content_type=content_type)

        try:
            audio = yield from session.send(
                op, parse, body=call, sink=pending if pending is not None else memory
            )
        finally:
            if pending is not None:
                pending.discard()
        if save_to is not None and audio.path is None:
            yield from audio._save(save_to)
            return Audio(session, path=save_to, content_type=audio.content_type)
        return audio


class _PendingFile:
    """A sink for raw audio: written to a hidden file beside ``target``, which replaces
    ``target`` only once the answer proved to be audio (``commit``); else removed."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self._staged = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        self._file: IO[bytes] | None = None

    def reset(self) -> None:
        self._close()
        self._file = open(self._staged, "wb")  # noqa: SIM115 (closed by finish/abort)

    def write(self, chunk: bytes) -> None:
        assert self._file is not None, "reset() opens the file"
        self._file.write(chunk)

    def finish(self) -> None:
        self._close()  # whole, but not yet known to be audio: see commit

    def abort(self) -> None:
        self.discard()

    def commit(self) -> Path:
        os.replace(self._staged, self.target)
        return self.target

    def discard(self) -> None:
        self._close()
        self._staged.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _media_file(cls: type[F], session: Session, result: str | models.MediaLink) -> F:
    """The media file an envelope's ``result`` names (a URL string or a link object)."""
    url: str | None = None
    content_type: str | None = None
    if isinstance(result, str):
        url = result
    else:
        url = result.asset_url or result.url or result.href
        content_type = result.content_type or result.mime_type
    if not url:
        raise PuterResponseError(f"the answer names no {cls.__name__} file", status_code=200)
    if content_type is not None and "/" not in content_type:
        content_type = None  # the speech sample says only "audio": guess from the URL
    return cls(session, url=url, content_type=media_type_of(content_type))


def _voices(response: httpx.Response) -> list[models.TtsVoice]:
    return endpoints.parse_tts_list_voices(response).result


def _engines(response: httpx.Response) -> list[models.TtsEngine]:
    return endpoints.parse_tts_list_engines(response).result


def _tts_providers(response: httpx.Response) -> list[str]:
    return endpoints.parse_tts_list_providers(response).result


# ------------------------------------------------------------------ argument checks


_INVALID = "invalid_arguments"
"""The code of a refusal puter.js has no own code for."""
_REQUIRED = {"prompt": "prompt_required", "text": "text_required"}
"""puter.js's codes for a missing prompt or text."""


def _text(value: object, name: str, *, max_chars: int | None = None) -> str:
    if value is None and name in _REQUIRED:
        raise PuterInputTypeError(f"{name} is required", code=_REQUIRED[name])
    if not isinstance(value, str):
        raise PuterInputTypeError(
            f"{name} must be a str, not {type(value).__name__}", code=_INVALID
        )
    if not value.strip():
        raise PuterInputError(f"{name} must not be empty", code=_REQUIRED.get(name, _INVALID))
    if max_chars is not None and len(value) > max_chars:
        raise PuterInputError(
            f"{name} is {len(value):,} characters long; the limit is {max_chars:,}",
            code="input_too_large",
        )
    check_sendable(value, name)
    return value


def _name(value: object, name: str) -> str | None:
    """An optional name (model, provider, voice...): None, or a non-blank str."""
    if value is None:
        return None
    return _text(value, name).strip()


def _provider_id(value: object, name: str, providers: dict[str, str]) -> str | None:
    """A provider hint as sent: a known short name (``xai``, any case) as its id
    (``xai-image-generation``), any other name as given."""
    given = _name(value, name)
    if given is None:
        return None
    return providers.get(given.lower(), given)


def _output_path(value: object) -> str | None:
    """``puter_output_path`` as sent: a path of the caller's file system, checked as
    ``client.fs`` checks one (a relative path is taken from ``~``), not the root or a
    top-level entry, which nobody may write (the server: ``cannot_write_to_root``)."""
    if value is None:
        return None
    path = remote_path(value, "puter_output_path", missing="invalid_arguments")  # type: ignore[arg-type]
    parent = path.rpartition("/")[0]
    if path in ("/", "~") or (path.startswith("/") and parent == ""):
        raise PuterInputError(
            f"puter_output_path {path!r} is at the root, where nobody may write; "
            "name a file inside a folder, such as ~/Pictures/image.png",
            code="cannot_write_to_root",
        )
    return path


def _pages(pages: object) -> list[int] | None:
    """Page numbers (from 0), at least one, each an ``int`` >= 0."""
    if pages is None:
        return None
    if isinstance(pages, (str, bytes)) or not isinstance(pages, Sequence):
        raise PuterInputTypeError(
            f"pages must be a list of page numbers, not {type(pages).__name__}", code=_INVALID
        )
    result = list(pages)
    if not result:
        raise PuterInputError("pages must not be empty", code=_INVALID)
    for page in result:
        if isinstance(page, bool) or not isinstance(page, int):
            raise PuterInputTypeError(f"pages holds {page!r}: page numbers are ints", code=_INVALID)
        if page < 0:
            raise PuterInputError(f"pages holds {page}: pages count from 0", code=_INVALID)
    return result


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise PuterInputTypeError(f"{name} must be True or False, not {value!r}", code=_INVALID)
    return value


def _test_mode(value: object) -> bool | None:
    """``test_mode`` as sent: ``True`` inside ``args``, else not sent at all."""
    return True if _flag(value, "test_mode") else None


def _positive_int(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PuterInputTypeError(
            f"{name} must be an int, not {type(value).__name__}", code=_INVALID
        )
    if value <= 0:
        raise PuterInputError(f"{name} must be > 0, got {value}", code=_INVALID)
    return value


def _positive_number(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PuterInputTypeError(
            f"{name} must be a number, not {type(value).__name__}", code=_INVALID
        )
    if not (math.isfinite(value) and value > 0):
        raise PuterInputError(f"{name} must be a finite number > 0, got {value}", code=_INVALID)
    return value


def _audio_source(audio: object) -> str:
    if audio is None:
        raise PuterInputTypeError("audio is required", code="audio_required")
    try:
        path = puter_path_of(audio)
        if path is not None:
            return path  # the server reads the stored file
        url = to_url(audio, AUDIO, max_bytes=MAX_SPEECH_AUDIO_BYTES)
    except InvalidInput as exc:
        raise PuterInputError(f"audio: {exc}", code=exc.code) from exc.__cause__
    if url is None:
        raise PuterInputTypeError(
            f"audio must be {_AUDIO_EXPECTED}, not {type(audio).__name__}", code=_INVALID
        )
    return url


def _image_source(image: object) -> str:
    if image is None:
        raise PuterInputTypeError("image is required", code="source_required")
    return image_source(image, "image", MAX_OCR_IMAGE_BYTES)


def _target(save_to: object) -> Path | None:
    if save_to is None:
        return None
    if not isinstance(save_to, (str, os.PathLike)):
        raise PuterInputTypeError(
            f"save_to must be a path, not {type(save_to).__name__}", code=_INVALID
        )
    # A folder (or a trailing separator) or a missing folder: refused before any request.
    return local_target(save_to, example="speech.mp3")
