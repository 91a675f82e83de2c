"""The AI media interfaces beyond chat: image, speech, OCR, transcription, voice, video.

Each answers as a server with provider keys would, deterministically: a real PNG (as a
data URL), real WAV audio (raw ``audio/wav`` bytes, chunked, no envelope), sample OCR
blocks and transcripts. ``args.test_mode`` (read only inside ``args``) gives the
server's sample answers. With ``options.keyless`` every interface answers exactly as a
server without provider keys does (the protocol notes' "locally, without a key" column).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import Response, StreamingResponse

from puter_client.emulator.core.context import Call
from puter_client.emulator.core.driverapi import DriverCall, Interface, fail
from puter_client.emulator.core.jsvalues import js_string
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.services.media.files import mp3, mp4, png, wav
from puter_client.emulator.services.media.output import OutputPath

SAMPLE_HOST = "https://puter-sample-data.puter.site"
SAMPLE_IMAGE = f"{SAMPLE_HOST}/image_example.png"
SAMPLE_AUDIO = f"{SAMPLE_HOST}/tts_example.mp3"
SAMPLE_VIDEO = "https://assets.puter.site/txt2vid.mp4"
TTS_PROVIDERS = ("aws-polly", "openai", "elevenlabs", "gemini", "xai", "speechify")
OCR_PROVIDERS = ("aws-textract", "mistral")
STT_PROVIDERS = ("openai", "xai")
#: The names each driver resolves to a provider (the backend's alias tables), matched
#: after trimming and lower-casing.
TTS_PROVIDER_ALIASES = {
    "aws": "aws-polly", "aws-polly": "aws-polly", "polly": "aws-polly",
    "openai": "openai", "openai-tts": "openai",
    "11-labs": "elevenlabs", "11labs": "elevenlabs", "eleven": "elevenlabs",
    "eleven-labs": "elevenlabs", "elevenlabs": "elevenlabs", "elevenlabs-tts": "elevenlabs",
    "gemini": "gemini", "gemini-tts": "gemini", "google": "gemini", "google-tts": "gemini",
    "grok": "xai", "grok-tts": "xai", "x-ai": "xai", "xai": "xai", "xai-tts": "xai",
    "simba": "speechify", "speechify": "speechify", "speechify-tts": "speechify",
}  # fmt: skip
OCR_PROVIDER_ALIASES = {
    "aws": "aws-textract", "aws-textract": "aws-textract", "textract": "aws-textract",
    "mistral": "mistral", "mistral-ocr": "mistral",
}  # fmt: skip
STT_PROVIDER_ALIASES = {
    "openai": "openai", "openai-speech2txt": "openai", "whisper": "openai",
    "grok": "xai", "x-ai": "xai", "xai": "xai", "xai-speech2txt": "xai",
}  # fmt: skip


def normalized_provider(value: Any, aliases: dict[str, str]) -> str | None:
    """The provider ``value`` names (an alias, any case, spaces around), else None."""
    return aliases.get(value.strip().lower()) if isinstance(value, str) else None


SAMPLE_TRANSCRIPT = "Hello! This is a sample transcription returned while test mode is enabled."
#: Where the emulator serves the media files its URLs name, with ``options.local_media``.
LOCAL_MEDIA_PREFIX = "/media-samples"


def _media_url(dc: DriverCall, url: str) -> str:
    """``url`` as answered: the real host's, or this emulator's with ``local_media``."""
    if not dc.state.options.local_media:
        return url
    host = dc.call.header("host") or "127.0.0.1"
    return f"http://{host}{LOCAL_MEDIA_PREFIX}{urlsplit(url).path}"


_LOCAL_FILES: dict[str, tuple[str, Callable[[str], bytes]]] = {
    ".png": ("image/png", png),
    ".mp3": ("audio/mpeg", lambda _: mp3()),
    ".mp4": ("video/mp4", lambda _: mp4()),
}


async def media_file(call: Call) -> Response:
    """``GET /media-samples/<path>``: the file a media URL names (PNG, MP3 or MP4)."""
    path = call.request.path.removeprefix(LOCAL_MEDIA_PREFIX)
    for extension, (media_type, make) in _LOCAL_FILES.items():
        if path.endswith(extension):
            return Response(make(path), media_type=media_type)
    return json_response({"error": "Not Found", "message": "Not Found", "code": "not_found"}, 404)


def _bad(message: str, **extra: Any) -> Exception:
    return fail(400, "bad_request", message, extra=extra or None)


def _internal(message: str = "Internal Server Error") -> Exception:
    return fail(500, "internal_error", message)


def _keyless(dc: DriverCall) -> bool:
    return dc.state.options.keyless


def _meter(dc: DriverCall, usage_type: str, units: float, cost: float) -> None:
    dc.state.metering.record(dc.user.uuid, usage_type, units, cost)


async def _chunked(data: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _audio(data: bytes) -> Response:
    """Raw audio, chunked, without the success envelope."""
    return StreamingResponse(_chunked(data), media_type="audio/wav")


# txt2img -----------------------------------------------------------------------------

#: Each image provider's models, its default first (the server's registered providers).
IMAGE_PROVIDER_MODELS: dict[str, tuple[str, ...]] = {
    "openai-image-generation": ("gpt-image-1", "gpt-image-1-mini", "dall-e-3"),
    "gemini-image-generation": ("gemini-2.5-flash-image-preview",),
    "together-image-generation": ("black-forest-labs/flux.1-schnell",),
    "cloudflare-image-generation": ("@cf/black-forest-labs/flux-1-schnell",),
    "xai-image-generation": ("grok-imagine-image",),
    "replicate-image-generation": ("black-forest-labs/flux-schnell",),
    "byteplus-image-generation": ("seedream-4-0-250828",),
}
IMAGE_MODELS = tuple(m for models in IMAGE_PROVIDER_MODELS.values() for m in models)
IMAGE_ALIASES = frozenset(IMAGE_PROVIDER_MODELS)


def _image_models() -> list[dict[str, Any]]:
    return [
        {"id": model, "provider": provider, "aliases": []}
        for provider, models in sorted(IMAGE_PROVIDER_MODELS.items())
        for model in sorted(models)
    ]


def _image_model(dc: DriverCall) -> tuple[str, str]:
    """``(provider, model)`` as the server routes a ``generate``: ``args.provider``, else
    the driver name the call gave (so ``ai-image`` itself names no provider), picks the
    provider and its default model when no model is given; the first provider answers
    a call naming neither. 400 ``Missing `model``` or ``Model not found``."""
    given = dc.args.get("model")
    model = given.strip().lower() if isinstance(given, str) else None
    intended = dc.args.get("provider")
    if intended is None:
        intended = dc.requested_driver
    providers = {} if _keyless(dc) else IMAGE_PROVIDER_MODELS
    if not model and not intended:
        intended = next(iter(providers), None)
    if not model and isinstance(intended, str) and intended in providers:
        model = providers[intended][0]
    if not model:
        raise _bad("Missing `model`")
    owners = [p for p, models in providers.items() if model in models]
    if not owners:
        raise _bad(f"Model not found: {js_string(given)}")
    return (intended if intended in owners else owners[0]), model


async def image_generate(dc: DriverCall) -> Any:
    """``generate {prompt, model?, provider?, puter_output_path?...}``: a PNG data URL
    (test mode: the sample URL), also saved at ``puter_output_path`` when given."""
    output = OutputPath.of(dc)  # checked before anything is spent, as on the server
    provider, model = _image_model(dc)
    if dc.test_mode:
        result = _media_url(dc, SAMPLE_IMAGE)
    else:
        prompt = dc.args.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise _bad("Missing required field: prompt")
        short = provider.removesuffix("-image-generation")
        _meter(dc, f"{short}:{model}:image", 1, 4_000_000)
        result = "data:image/png;base64," + base64.b64encode(png(prompt)).decode()
    if output is not None:
        output.save(dc, *_media_bytes(result, "application/octet-stream"))
    return result


async def image_models(dc: DriverCall) -> Any:
    """``models``: the image models (none without keys)."""
    return [] if _keyless(dc) else _image_models()


async def image_model_ids(dc: DriverCall) -> Any:
    """``list``: the image model ids (none without keys)."""
    return [] if _keyless(dc) else sorted(IMAGE_MODELS)


def _media_bytes(result: str, default_type: str) -> tuple[bytes, str]:
    """The bytes and type of a generated file's URL: a data URL decoded, else the file
    this emulator serves for that URL (what the server downloads from the provider)."""
    if result.startswith("data:"):
        header, _, payload = result.partition(",")
        media_type = header[5:].split(";")[0] or default_type
        return base64.b64decode(payload), media_type
    path = urlsplit(result).path
    for extension, (media_type, make) in _LOCAL_FILES.items():
        if path.endswith(extension):
            return make(path.removeprefix(LOCAL_MEDIA_PREFIX)), media_type
    raise _internal()


# txt2speech ----------------------------------------------------------------------------

TTS_ALIASES = {
    "aws-polly": "aws-polly",
    "openai-tts": "openai",
    "elevenlabs-tts": "elevenlabs",
    "gemini-tts": "gemini",
    "xai-tts": "xai",
    "speechify-tts": "speechify",
}


def _tts_provider(dc: DriverCall) -> str:
    """The server's routing: an explicit ``provider`` (an alias), then an ``engine`` that
    names a provider, then the driver alias the call named, then AWS Polly."""
    given = dc.args.get("provider")
    if given is not None and given != "":
        name = normalized_provider(given, TTS_PROVIDER_ALIASES)
        if name is None:
            raise _bad(
                f"TTS provider not found: {js_string(given)}. Available: {', '.join(TTS_PROVIDERS)}"
            )
    else:
        name = (
            normalized_provider(dc.args.get("engine"), TTS_PROVIDER_ALIASES)
            or normalized_provider(dc.requested_driver, TTS_PROVIDER_ALIASES)
            or "aws-polly"
        )
    if _keyless(dc):
        raise _bad(f"TTS provider not configured: {name}. Available: ")
    return name


def tts_model(provider: str, args: dict[str, Any]) -> str:
    """What synthesizes: AWS Polly's ``engine`` (``standard`` by default); for the other
    providers the ``model``, or an ``engine`` that does not name a provider (its legacy
    spelling)."""
    engine = args.get("engine")
    if provider == "aws-polly":
        return engine if isinstance(engine, str) and engine else "standard"
    model = args.get("model")
    if isinstance(model, str) and model:
        return model
    if isinstance(engine, str) and engine and not normalized_provider(engine, TTS_PROVIDER_ALIASES):
        return engine
    return "default"


async def synthesize(dc: DriverCall) -> Any:
    """``synthesize {text, voice?, provider?...}``: raw audio (test mode: the sample URL)."""
    provider = _tts_provider(dc)
    if dc.test_mode:
        return {"url": _media_url(dc, SAMPLE_AUDIO), "content_type": "audio"}
    text = dc.args.get("text")
    if not isinstance(text, str) or not text.strip():
        raise fail(400, "field_required", "Missing required field: text", extra={"key": "text"})
    _meter(dc, f"{provider}:{tts_model(provider, dc.args)}:character", len(text), 400 * len(text))
    return _audio(wav(f"{provider}:{dc.args.get('voice')}:{text}"))


def _voice(
    id: str, provider: str, code: str, engines: tuple[str, ...] = (), models: tuple[str, ...] = ()
) -> dict[str, Any]:
    voice: dict[str, Any] = {"id": id, "name": id, "language": {"code": code}, "provider": provider}
    if engines:
        voice["supported_engines"] = list(engines)
    if models:
        voice["supported_models"] = list(models)
    return voice


#: The voices and engines each provider lists (a few of each, deterministic).
TTS_VOICES: dict[str, list[dict[str, Any]]] = {
    "aws-polly": [
        _voice("Joanna", "aws-polly", "en-US", ("standard", "neural", "generative")),
        _voice("Matthew", "aws-polly", "en-US", ("standard", "neural")),
        _voice("Lea", "aws-polly", "fr-FR", ("standard", "neural")),
    ],
    "openai": [
        _voice(v, "openai", "en-US", models=("tts-1", "tts-1-hd", "gpt-4o-mini-tts"))
        for v in ("alloy", "echo", "nova")
    ],
    "elevenlabs": [_voice("Rachel", "elevenlabs", "en-US", models=("eleven_multilingual_v2",))],
    "gemini": [_voice("Kore", "gemini", "en-US", models=("gemini-2.5-flash-preview-tts",))],
    "xai": [_voice("Ara", "xai", "en-US")],
    "speechify": [_voice("george", "speechify", "en-US", models=("simba-english",))],
}
TTS_ENGINES: dict[str, list[dict[str, Any]]] = {
    "aws-polly": [
        {"id": e, "name": e.title(), "provider": "aws-polly", "pricing_per_million_chars": p}
        for e, p in (("standard", 4), ("neural", 16), ("long-form", 100), ("generative", 30))
    ],
    "openai": [
        {"id": m, "name": m, "provider": "openai", "pricing_per_million_chars": p}
        for m, p in (("tts-1", 15), ("tts-1-hd", 30), ("gpt-4o-mini-tts", 12))
    ],
    "elevenlabs": [{"id": "eleven_multilingual_v2", "name": "Multilingual v2",
                    "provider": "elevenlabs", "pricing_per_million_chars": 300}],
    "gemini": [{"id": "gemini-2.5-flash-preview-tts", "name": "Gemini 2.5 Flash TTS",
                "provider": "gemini", "pricing_per_million_chars": 10}],
    "xai": [{"id": "grok-tts", "name": "Grok TTS", "provider": "xai",
             "pricing_per_million_chars": 15}],
    "speechify": [{"id": "simba-english", "name": "Simba English", "provider": "speechify",
                   "pricing_per_million_chars": 10}],
}  # fmt: skip


def _listed_providers(dc: DriverCall) -> list[str]:
    """Whose entries a listing gives: every provider for ``all``, else the one
    ``provider`` names (an alias; unknown: the server's 400), else the default."""
    given = dc.args.get("provider")
    if given == "all":
        return list(TTS_PROVIDERS)
    if given is not None and given != "":
        name = normalized_provider(given, TTS_PROVIDER_ALIASES)
        if name is None:
            raise _bad(
                f"TTS provider not found: {js_string(given)}. Available: {', '.join(TTS_PROVIDERS)}"
            )
        return [name]
    return ["aws-polly"]


async def list_voices(dc: DriverCall) -> Any:
    """``list_voices {provider?, engine?}``: the voices of a provider (none without keys)."""
    providers = _listed_providers(dc)
    if _keyless(dc):
        return []
    engine = dc.args.get("engine")
    voices = [voice for name in providers for voice in TTS_VOICES[name]]
    if isinstance(engine, str) and engine:
        voices = [v for v in voices if engine in v.get("supported_engines", [engine])]
    return voices


async def list_engines(dc: DriverCall) -> Any:
    """``list_engines {provider?}``: the engines of a provider (none without keys)."""
    providers = _listed_providers(dc)
    return [] if _keyless(dc) else [e for name in providers for e in TTS_ENGINES[name]]


async def tts_providers(dc: DriverCall) -> Any:
    """``list``: the configured providers (none without keys)."""
    return [] if _keyless(dc) else list(TTS_PROVIDERS)


# OCR ----------------------------------------------------------------------------------


def _ocr_source(args: dict[str, Any]) -> str:
    source = args.get("source", args.get("file"))
    if isinstance(source, dict):
        source = source.get("path") or source.get("uid")
    return js_string(source)[:80]


async def recognize(dc: DriverCall) -> Any:
    """``recognize {source | file, provider?}``: text blocks (test mode: the sample block)."""
    given = dc.args.get("provider")
    provider = normalized_provider(given, OCR_PROVIDER_ALIASES) if given else None
    if given and provider is None:
        raise _bad(
            f"Unknown OCR provider: {js_string(given)}. Available: {', '.join(OCR_PROVIDERS)}"
        )
    if dc.test_mode:
        sample = "test_mode is enabled; this is a sample OCR response."
        return {"blocks": [{"type": "text/puter:sample-output", "confidence": 1, "text": sample}]}
    provider = provider or normalized_provider(dc.requested_driver, OCR_PROVIDER_ALIASES)
    if _keyless(dc):
        if provider == "mistral":
            raise _internal("Mistral OCR not configured")
        if provider == "aws-textract":
            raise _internal("AWS credentials not configured")
        raise _internal("No OCR provider configured")
    if dc.args.get("source", dc.args.get("file")) is None:
        raise _bad("Missing required field: source")
    text = f"Recognized text of {_ocr_source(dc.args)}"
    _meter(dc, "aws-textract:detect-document-text:page", 1, 150_000)
    if provider == "mistral":
        blocks = [{"type": "text/mistral:page", "confidence": 1, "text": text}]
        return {
            "model": "mistral-ocr-latest",
            "pages": [{"index": 0, "markdown": text}],
            "usage_info": {"pages_processed": 1},
            "blocks": blocks,
            "text": text,
        }
    return {"blocks": [{"type": "text/textract:LINE", "confidence": 99.5, "text": text}]}


# speech2txt -----------------------------------------------------------------------------

STT_ALIASES = {"openai-speech2txt": "openai", "xai-speech2txt": "xai"}


def _words(text: str) -> list[dict[str, Any]]:
    return [{"start": i * 0.5, "end": (i + 1) * 0.5, "text": w} for i, w in enumerate(text.split())]


def _transcript(provider: str, text: str, model: str) -> dict[str, Any]:
    if provider == "xai":
        return {
            "text": text,
            "language": "English",
            "duration": 2,
            "words": _words(text),
            "model": "xai-stt",
        }
    return {
        "text": text,
        "language": "en",
        "duration_seconds": 2,
        "words": _words(text),
        "model": model,
    }


async def _speech_to_text(dc: DriverCall, *, translate: bool) -> Any:
    given = dc.args.get("provider")
    if given is not None and given != "":
        named = normalized_provider(given, STT_PROVIDER_ALIASES)
        if named is None:
            raise _bad(
                f"Speech-to-text provider not found: {js_string(given)}. "
                f"Available: {', '.join(STT_PROVIDERS)}"
            )
        provider = named
    else:
        provider = normalized_provider(dc.requested_driver, STT_PROVIDER_ALIASES) or "openai"
    if dc.args.get("stream") is True:
        raise _bad("Streaming transcription is not yet supported")
    model = "whisper-1" if translate else "gpt-4o-mini-transcribe"
    if dc.test_mode:
        return _transcript(provider, SAMPLE_TRANSCRIPT, model)
    if _keyless(dc):
        raise _internal(
            "xAI API key not configured" if provider == "xai" else "OpenAI API key not configured"
        )
    audio = dc.args.get("file")
    if audio is None:
        raise _bad("Missing required field: file")
    digest = hashlib.sha256(js_string(audio).encode()).hexdigest()[:8]
    text = f"Transcribed audio {digest}"
    _meter(dc, f"{provider}:{model}:second", 2, 2 * 10_000)
    if dc.args.get("response_format") == "text":
        return text
    return _transcript(provider, text, dc.args.get("model") or model)


async def transcribe(dc: DriverCall) -> Any:
    """``transcribe {file, provider?...}``: the transcript object."""
    return await _speech_to_text(dc, translate=False)


async def translate(dc: DriverCall) -> Any:
    """``translate {file, ...}``: the English transcript (model ``whisper-1``)."""
    return await _speech_to_text(dc, translate=True)


async def stt_models(dc: DriverCall) -> Any:
    """``list_models``: the transcription models."""
    models = [("gpt-4o-mini-transcribe", "openai"), ("whisper-1", "openai"), ("xai-stt", "xai")]
    return [{"id": model, "provider": provider} for model, provider in models]


async def stt_providers(dc: DriverCall) -> Any:
    """``list``: the provider names (also without keys)."""
    return list(STT_PROVIDERS)


# speech2speech, txt2vid -------------------------------------------------------------------


async def convert(dc: DriverCall) -> Any:
    """``convert {audio, voice?...}``: raw audio (test mode: the sample URL)."""
    if dc.test_mode:
        return {"url": _media_url(dc, SAMPLE_AUDIO), "content_type": "audio/mpeg"}
    if _keyless(dc):
        raise _internal("ElevenLabs API key not configured")
    audio = dc.args.get("audio")
    if audio is None:
        raise _bad("Missing required field: audio")
    _meter(dc, "elevenlabs:voice-changer:second", 1, 10_000)
    return _audio(wav(f"{dc.args.get('voice')}:{js_string(audio)[:64]}"))


#: Each video provider's models, its default first.
VIDEO_PROVIDER_MODELS: dict[str, tuple[str, ...]] = {
    "openai-video-generation": ("sora-2", "sora-2-pro"),
    "together-video-generation": ("minimax/video-01-director",),
    "gemini-video-generation": ("veo-3.0-generate-001",),
    "byteplus-video-generation": ("seedance-1-0-pro-250528",),
}
VIDEO_DEFAULT_PROVIDER = "openai-video-generation"
VIDEO_ALIASES = frozenset(VIDEO_PROVIDER_MODELS)


def _video_model(dc: DriverCall) -> tuple[str, str]:
    """``(provider, model)`` as the server routes a video ``generate``: ``args.provider``,
    else the driver name the call gave, else the default provider; a name that is no
    configured provider (``ai-video`` itself) stands for the first one."""
    given = dc.args.get("model")
    model = given.strip().lower() if isinstance(given, str) and given else None
    intended = dc.args.get("provider")
    if intended is None:
        intended = dc.requested_driver or ""
    providers = VIDEO_PROVIDER_MODELS
    if not model and not intended:
        intended = VIDEO_DEFAULT_PROVIDER
    if intended and intended not in providers:
        intended = next(iter(providers))
    if not model and intended:
        model = providers[intended][0]
    owners = [p for p, models in providers.items() if model in models]
    if not owners:
        raise _bad(f"Model not found: {js_string(given)}")
    return (intended if intended in owners else owners[0]), str(model)


async def video_generate(dc: DriverCall) -> Any:
    """``generate {prompt, model?, provider?, puter_output_path?...}``: a video URL (the
    sample one in test mode), also saved at ``puter_output_path`` when given."""
    output = OutputPath.of(dc)  # checked before anything is spent, as on the server
    if _keyless(dc):
        raise _internal()
    provider, model = _video_model(dc)
    if dc.test_mode:
        result = _media_url(dc, SAMPLE_VIDEO)
    else:
        prompt = dc.args.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise _bad("Missing required field: prompt")
        short = provider.removesuffix("-video-generation")
        _meter(dc, f"{short}:{model}:second", 4, 4 * 10_000_000)
        name = hashlib.sha256(prompt.encode()).hexdigest()[:16]
        result = _media_url(dc, f"https://assets.puter.site/generated/{name}.mp4")
    if output is not None:
        output.save(dc, *_media_bytes(result, "video/mp4"))
    return result


async def video_models(dc: DriverCall) -> Any:
    """``models``: the video models (none without keys)."""
    if _keyless(dc):
        return []
    return [
        {"id": model, "provider": provider, "aliases": []}
        for provider, models in sorted(VIDEO_PROVIDER_MODELS.items())
        for model in sorted(models)
    ]


async def video_model_ids(dc: DriverCall) -> Any:
    """``list``: the video model ids (none without keys)."""
    if _keyless(dc):
        return []
    return sorted(m for models in VIDEO_PROVIDER_MODELS.values() for m in models)


INTERFACES = (
    Interface(
        "puter-image-generation",
        "ai-image",
        {"generate": image_generate, "models": image_models, "list": image_model_ids},
        IMAGE_ALIASES,
    ),
    Interface(
        "puter-tts",
        "ai-tts",
        {
            "synthesize": synthesize,
            "list_voices": list_voices,
            "list_engines": list_engines,
            "list": tts_providers,
        },
        frozenset(TTS_ALIASES),
    ),
    Interface("puter-ocr", "ai-ocr", {"recognize": recognize}, frozenset(OCR_PROVIDERS)),
    Interface(
        "puter-speech2txt",
        "ai-speech2txt",
        {
            "transcribe": transcribe,
            "translate": translate,
            "list_models": stt_models,
            "list": stt_providers,
        },
        frozenset(STT_ALIASES),
    ),
    Interface(
        "puter-speech2speech",
        "ai-speech2speech",
        {"convert": convert},
        frozenset({"elevenlabs-voice-changer"}),
    ),
    Interface(
        "puter-video-generation",
        "ai-video",
        {"generate": video_generate, "models": video_models, "list": video_model_ids},
        VIDEO_ALIASES,
    ),
)
