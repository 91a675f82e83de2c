"""Voices and engines per text-to-speech provider (``list_voices``, ``list_tts_engines``,
``list_tts_providers``), blocking and async, against the emulator: the driver call each
sends, provider aliases resolved as the server resolves them, ``all``, the engine filter,
and typed answers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterBadRequestError, PuterInputError
from puter.types import TtsEngine, TtsVoice
from puter_client.emulator import PuterEmulator
from tests.support.emulated import alice, driver_calls


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


def test_voices_default_to_the_default_provider_and_are_typed(
    client: PuterAI, v2_emu: PuterEmulator, face: str
) -> None:
    voices = run(client, face, "list_voices")

    assert voices and all(isinstance(v, TtsVoice) for v in voices)
    assert {v.provider for v in voices} == {"aws-polly"}
    assert voices[0].language is not None and voices[0].language.code == "en-US"
    call = driver_calls(v2_emu)[-1].json
    assert (call["interface"], call["driver"], call["method"], call["args"]) == (
        "puter-tts", "ai-tts", "list_voices", {}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("given", "provider"),
    [("openai", "openai"), ("11labs", "elevenlabs"), ("Grok", "xai"), ("polly", "aws-polly")],
)
def test_voices_of_a_provider_alias_are_that_providers(
    client: PuterAI, v2_emu: PuterEmulator, face: str, given: str, provider: str
) -> None:
    voices = run(client, face, "list_voices", given)

    assert {v.provider for v in voices} == {provider}
    assert driver_calls(v2_emu)[-1].args == {"provider": given}


def test_all_lists_every_providers_voices(client: PuterAI, face: str) -> None:
    providers = {v.provider for v in run(client, face, "list_voices", "all")}

    assert providers == set(client.list_tts_providers())


def test_an_engine_narrows_the_voices(client: PuterAI, v2_emu: PuterEmulator, face: str) -> None:
    voices = run(client, face, "list_voices", engine="generative")

    assert [v.id for v in voices] == ["Joanna"]
    assert driver_calls(v2_emu)[-1].args == {"engine": "generative"}


def test_engines_of_a_provider_carry_their_prices(client: PuterAI, face: str) -> None:
    engines = run(client, face, "list_tts_engines", "openai")

    assert engines and all(isinstance(e, TtsEngine) for e in engines)
    assert {e.provider for e in engines} == {"openai"}
    assert all(e.pricing_per_million_chars is not None for e in engines)


def test_providers_are_the_configured_ones(client: PuterAI, face: str) -> None:
    assert "aws-polly" in run(client, face, "list_tts_providers")


def test_an_unknown_provider_is_the_servers_bad_request(client: PuterAI, face: str) -> None:
    with pytest.raises(PuterBadRequestError) as caught:
        run(client, face, "list_voices", "nobody")

    assert "TTS provider not found: nobody" in caught.value.message


def test_a_blank_provider_is_refused_before_any_request(
    client: PuterAI, v2_emu: PuterEmulator, face: str
) -> None:
    with pytest.raises(PuterInputError) as caught:
        run(client, face, "list_tts_engines", " ")

    assert caught.value.code == "invalid_arguments"
    assert driver_calls(v2_emu) == []
