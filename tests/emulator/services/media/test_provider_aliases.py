"""The AI media drivers resolve provider names as the server's alias tables do (OCR,
speech to text, text to speech), and text to speech routes by ``engine`` as the server
does; through the SDK, blocking and async, the request log showing the name as sent."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterBadRequestError
from puter_client.emulator import PuterEmulator
from puter_client.emulator.services.media.media import (
    TTS_PROVIDER_ALIASES,
    normalized_provider,
)
from tests.support.emulated import PNG_1X1, alice, driver_calls

WAV = base64.b64decode("UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=")


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(v2_emu: PuterEmulator) -> Iterator[PuterAI]:
    with alice(rate_limit_requests=1000) as made:
        yield made


def run(client: PuterAI, face: str, name: str, *args: Any, **kwargs: Any) -> Any:
    if face == "sync":
        return getattr(client, name)(*args, **kwargs)
    return asyncio.run(getattr(client, f"async_{name}")(*args, **kwargs))


def speech_usage(emu: PuterEmulator) -> list[str]:
    user = emu.state.find_user(username="alice")
    assert user is not None
    return [kind for kind in emu.state.metering.rows(user.uuid) if kind.endswith(":character")]


@pytest.mark.parametrize(
    ("given", "provider"),
    [("polly", "aws-polly"), ("aws", "aws-polly"), ("11labs", "elevenlabs"),
     ("Grok", "xai"), ("google-tts", "gemini"), ("simba", "speechify"), ("openai-tts", "openai")],
)  # fmt: skip
def test_a_tts_provider_alias_is_resolved_as_the_server_does(
    client: PuterAI, v2_emu: PuterEmulator, face: str, given: str, provider: str
) -> None:
    run(client, face, "txt2speech", "Hello", provider=given)

    assert driver_calls(v2_emu)[-1].args["provider"] == given
    assert [kind.split(":")[0] for kind in speech_usage(v2_emu)] == [provider]


@pytest.mark.parametrize(
    ("options", "usage"),
    [
        ({}, "aws-polly:standard:character"),
        ({"engine": "neural"}, "aws-polly:neural:character"),
        ({"engine": "openai"}, "openai:default:character"),
        ({"provider": "openai", "engine": "tts-1"}, "openai:tts-1:character"),
        ({"provider": "openai", "engine": "tts-1", "model": "gpt-4o-mini-tts"},
         "openai:gpt-4o-mini-tts:character"),
    ],
)  # fmt: skip
def test_tts_routes_by_engine_as_the_server_does(
    client: PuterAI, v2_emu: PuterEmulator, face: str, options: dict[str, str], usage: str
) -> None:
    run(client, face, "txt2speech", "Hello", **options)

    assert speech_usage(v2_emu) == [usage]


def test_an_unknown_tts_provider_is_the_servers_bad_request(client: PuterAI, face: str) -> None:
    with pytest.raises(PuterBadRequestError) as caught:
        run(client, face, "txt2speech", "Hello", provider="nobody")

    assert "TTS provider not found: nobody" in caught.value.message


@pytest.mark.parametrize(
    ("given", "mistral"),
    [("aws", False), ("textract", False), ("Mistral-OCR", True), ("mistral", True)],
)
def test_an_ocr_provider_alias_is_resolved(
    client: PuterAI, face: str, given: str, mistral: bool
) -> None:
    result = run(client, face, "ocr", PNG_1X1, provider=given)

    assert (result.result.model == "mistral-ocr-latest") is mistral


def test_an_unknown_ocr_provider_is_the_servers_bad_request(client: PuterAI, face: str) -> None:
    with pytest.raises(PuterBadRequestError) as caught:
        run(client, face, "ocr", PNG_1X1, provider="tesseract")

    assert "Unknown OCR provider: tesseract" in caught.value.message


@pytest.mark.parametrize(("given", "xai"), [("whisper", False), ("grok", True), ("X-AI", True)])
def test_a_speech_to_text_provider_alias_is_resolved(
    client: PuterAI, face: str, given: str, xai: bool
) -> None:
    transcript = run(client, face, "speech2txt", WAV, provider=given, test_mode=True)

    assert (transcript.language == "English") is xai


@pytest.mark.parametrize("name", sorted(TTS_PROVIDER_ALIASES))
def test_every_tts_alias_resolves_in_any_case_with_spaces(name: str) -> None:
    assert (
        normalized_provider(f"  {name.upper()} ", TTS_PROVIDER_ALIASES)
        == (TTS_PROVIDER_ALIASES[name])
    )
