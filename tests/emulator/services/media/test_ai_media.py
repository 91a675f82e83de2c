"""AI media drivers: image, speech, OCR, transcription, voice change, video; keyless mode."""

from __future__ import annotations

import base64
import io
import wave
from typing import Any

import httpx
import pytest

from puter_client.emulator.__main__ import emulator_from_args
from puter_client.emulator.core.ratelimit import RateLimit
from tests.emulator.emulator_support import Api


def call(api: Api, interface: str, method: str, **args: Any) -> httpx.Response:
    return api.driver(interface, method, args)


def result(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


def error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["code"], body["message"]


@pytest.fixture
def keyless(api: Api) -> Api:
    api.emulator.state.options.keyless = True
    return api


def test_txt2img_returns_a_png_data_url(api: Api) -> None:
    url = result(call(api, "puter-image-generation", "generate", prompt="a cat"))
    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    assert base64.b64decode(url[len(prefix) :]).startswith(b"\x89PNG\r\n\x1a\n")


def test_txt2img_is_deterministic_per_prompt(api: Api) -> None:
    first = result(call(api, "puter-image-generation", "generate", prompt="a cat"))
    assert result(call(api, "puter-image-generation", "generate", prompt="a cat")) == first
    assert result(call(api, "puter-image-generation", "generate", prompt="a dog")) != first


def test_txt2img_test_mode_returns_the_sample_url(api: Api) -> None:
    response = call(api, "puter-image-generation", "generate", prompt="x", test_mode=True)
    assert result(response) == "https://puter-sample-data.puter.site/image_example.png"


def test_test_mode_is_read_only_inside_args(api: Api) -> None:
    body = {"interface": "puter-ocr", "method": "recognize", "args": {}, "test_mode": True}
    api.emulator.state.options.keyless = True
    assert api.call(body).status_code == 500


def test_tts_answers_raw_wav_bytes_without_an_envelope(api: Api) -> None:
    response = call(api, "puter-tts", "synthesize", text="Hello there")
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["transfer-encoding"] == "chunked"
    with wave.open(io.BytesIO(response.content)) as audio:
        assert audio.getnframes() > 0 and audio.getnchannels() == 1


def test_tts_test_mode_returns_the_sample_url_envelope(api: Api) -> None:
    response = call(api, "puter-tts", "synthesize", text="Hi", test_mode=True)
    assert response.json() == {
        "success": True,
        "result": {
            "url": "https://puter-sample-data.puter.site/tts_example.mp3",
            "content_type": "audio",
        },
        "service": {"name": "ai-tts"},
    }


def test_tts_needs_text(api: Api) -> None:
    response = call(api, "puter-tts", "synthesize")
    assert error(response) == (400, "field_required", "Missing required field: text")


def test_tts_unknown_provider(api: Api) -> None:
    response = call(api, "puter-tts", "synthesize", text="x", provider="bogus")
    assert error(response) == (
        400,
        "bad_request",
        "TTS provider not found: bogus. "
        "Available: aws-polly, openai, elevenlabs, gemini, xai, speechify",
    )


def test_a_driver_alias_answers_with_the_canonical_service_name(api: Api) -> None:
    response = api.driver("puter-ocr", "recognize", {"test_mode": True}, driver="aws-textract")
    assert response.json()["service"] == {"name": "ai-ocr"}


def test_ocr_test_mode_sample_block_without_a_source(api: Api) -> None:
    assert result(call(api, "puter-ocr", "recognize", test_mode=True)) == {
        "blocks": [
            {
                "type": "text/puter:sample-output",
                "confidence": 1,
                "text": "test_mode is enabled; this is a sample OCR response.",
            }
        ]
    }


def test_ocr_returns_textract_lines(api: Api) -> None:
    blocks = result(call(api, "puter-ocr", "recognize", source="~/Desktop/scan.png"))["blocks"]
    assert blocks[0]["type"] == "text/textract:LINE" and "scan.png" in blocks[0]["text"]


def test_ocr_with_mistral_has_pages_and_text(api: Api) -> None:
    body = result(call(api, "puter-ocr", "recognize", source="x", provider="mistral"))
    assert set(body) == {"model", "pages", "usage_info", "blocks", "text"}


def test_speech2txt_test_mode_sample(api: Api) -> None:
    body = result(call(api, "puter-speech2txt", "transcribe", test_mode=True))
    assert body["text"].startswith("Hello! This is a sample transcription")
    assert body["model"] == "gpt-4o-mini-transcribe" and body["language"] == "en"
    assert body["words"][0] == {"start": 0, "end": 0.5, "text": "Hello!"}


def test_speech2txt_translate_and_xai_samples(api: Api) -> None:
    translated = result(call(api, "puter-speech2txt", "translate", test_mode=True))
    assert translated["model"] == "whisper-1"
    xai = api.driver("puter-speech2txt", "transcribe", {"test_mode": True}, driver="xai-speech2txt")
    body = result(xai)
    assert body["model"] == "xai-stt" and body["language"] == "English" and "duration" in body


def test_speech2txt_refuses_streaming(api: Api) -> None:
    response = call(api, "puter-speech2txt", "transcribe", file="x", stream=True)
    assert error(response) == (400, "bad_request", "Streaming transcription is not yet supported")


def test_speech2txt_list_names_the_providers(api: Api) -> None:
    assert result(call(api, "puter-speech2txt", "list")) == ["openai", "xai"]


def test_speech2speech_returns_audio_and_a_test_mode_url(api: Api) -> None:
    response = call(api, "puter-speech2speech", "convert", audio="data:audio/wav;base64,AAAA")
    assert response.headers["content-type"] == "audio/wav" and response.content[:4] == b"RIFF"
    sample = result(call(api, "puter-speech2speech", "convert", test_mode=True))
    assert sample == {
        "url": "https://puter-sample-data.puter.site/tts_example.mp3",
        "content_type": "audio/mpeg",
    }


def test_txt2vid_returns_a_url_and_the_test_mode_sample(api: Api) -> None:
    assert result(call(api, "puter-video-generation", "generate", prompt="waves")).endswith(".mp4")
    sample = result(call(api, "puter-video-generation", "generate", prompt="x", test_mode=True))
    assert sample == "https://assets.puter.site/txt2vid.mp4"


@pytest.mark.parametrize(
    ("interface", "method", "args", "expected"),
    [
        ("puter-image-generation", "generate", {"prompt": "x", "test_mode": True},
         (400, "bad_request", "Missing `model`")),
        ("puter-image-generation", "generate", {"prompt": "x", "model": "gpt-image-1"},
         (400, "bad_request", "Model not found: gpt-image-1")),
        ("puter-tts", "synthesize", {"text": "x", "test_mode": True},
         (400, "bad_request", "TTS provider not configured: aws-polly. Available: ")),
        ("puter-tts", "synthesize", {"text": "x", "provider": "openai"},
         (400, "bad_request", "TTS provider not configured: openai. Available: ")),
        ("puter-ocr", "recognize", {"source": "x"},
         (500, "internal_error", "No OCR provider configured")),
        ("puter-ocr", "recognize", {"provider": "mistral"},
         (500, "internal_error", "Mistral OCR not configured")),
        ("puter-ocr", "recognize", {"provider": "bogus"},
         (400, "bad_request", "Unknown OCR provider: bogus. Available: aws-textract, mistral")),
        ("puter-speech2txt", "transcribe", {"file": "x"},
         (500, "internal_error", "OpenAI API key not configured")),
        ("puter-speech2txt", "transcribe", {"file": "x", "provider": "xai"},
         (500, "internal_error", "xAI API key not configured")),
        ("puter-speech2txt", "transcribe", {"provider": "bogus"},
         (400, "bad_request", "Speech-to-text provider not found: bogus. Available: openai, xai")),
        ("puter-speech2speech", "convert", {"audio": "x"},
         (500, "internal_error", "ElevenLabs API key not configured")),
        ("puter-video-generation", "generate", {"prompt": "x", "test_mode": True},
         (500, "internal_error", "Internal Server Error")),
    ],
)  # fmt: skip
def test_keyless_errors_are_the_servers(
    keyless: Api, interface: str, method: str, args: dict[str, Any], expected: tuple[int, str, str]
) -> None:
    assert error(keyless.driver(interface, method, args)) == expected


def test_keyless_aws_textract_driver(keyless: Api) -> None:
    response = keyless.driver("puter-ocr", "recognize", {}, driver="aws-textract")
    assert error(response) == (500, "internal_error", "AWS credentials not configured")


@pytest.mark.parametrize(
    ("interface", "method"),
    [
        ("puter-image-generation", "models"),
        ("puter-image-generation", "list"),
        ("puter-tts", "list_voices"),
        ("puter-tts", "list_engines"),
        ("puter-tts", "list"),
        ("puter-video-generation", "models"),
        ("puter-video-generation", "list"),
    ],
)
def test_keyless_lists_are_empty(keyless: Api, interface: str, method: str) -> None:
    assert result(keyless.driver(interface, method)) == []


@pytest.mark.parametrize("interface", ["puter-ocr", "puter-speech2txt", "puter-speech2speech"])
def test_keyless_test_mode_still_works_where_the_server_allows(
    keyless: Api, interface: str
) -> None:
    method = {"puter-ocr": "recognize", "puter-speech2txt": "transcribe"}.get(interface, "convert")
    assert keyless.driver(interface, method, {"test_mode": True}).status_code == 200


def test_keyless_command_line_flag_and_keyword() -> None:
    assert emulator_from_args(["--keyless"]).state.options.keyless is True
    assert emulator_from_args([]).state.options.keyless is False


def test_media_rate_limit_answers_429(api: Api) -> None:
    api.emulator.state.options.rate_limits["puter-ocr"] = RateLimit(1, 10.0)
    codes = [call(api, "puter-ocr", "recognize", test_mode=True).status_code for _ in range(2)]
    assert codes == [200, 429]


def test_list_interfaces_names_the_media_drivers(api: Api) -> None:
    body = api.get("/drivers/list-interfaces", user="alice").json()
    assert body["puter-tts"]["default"] == "ai-tts" and "aws-polly" in body["puter-tts"]["drivers"]
    assert body["puter-ocr"]["drivers"] == ["ai-ocr", "aws-textract", "mistral"]


@pytest.fixture
def local_media(api: Api) -> Api:
    api.emulator.state.options.local_media = True
    return api


def test_local_media_points_the_sample_urls_at_the_emulator(local_media: Api) -> None:
    url = result(
        call(local_media, "puter-image-generation", "generate", prompt="x", test_mode=True)
    )
    assert url == f"{local_media.emulator.api_base}/media-samples/image_example.png"
    fetched = httpx.get(url)
    assert fetched.headers["content-type"] == "image/png"
    assert fetched.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_local_media_serves_the_speech_sample_as_mp3(local_media: Api) -> None:
    sample = result(call(local_media, "puter-tts", "synthesize", text="x", test_mode=True))
    fetched = httpx.get(sample["url"])
    assert fetched.headers["content-type"] == "audio/mpeg"
    assert fetched.content[:2] == b"\xff\xfb" and len(fetched.content) % 417 == 0


def test_local_media_serves_generated_videos_as_mp4(local_media: Api) -> None:
    url = result(call(local_media, "puter-video-generation", "generate", prompt="waves"))
    assert url.startswith(f"{local_media.emulator.api_base}/media-samples/generated/")
    assert httpx.get(url).content[4:8] == b"ftyp"


def test_an_unknown_local_media_file_is_not_found(local_media: Api) -> None:
    response = httpx.get(f"{local_media.emulator.api_base}/media-samples/nothing.txt")
    assert response.status_code == 404


def test_local_media_command_line_flag() -> None:
    assert emulator_from_args(["--local-media"]).state.options.local_media is True
    assert emulator_from_args([]).state.options.local_media is False
