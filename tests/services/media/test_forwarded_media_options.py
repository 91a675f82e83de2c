"""Media options puter.js forwards: ``ocr``/``img2txt`` ``pages``, ``txt2vid``
``duration`` (its other name of ``seconds``, sent as both), ``speech2speech``
``provider`` and ``output_format``; each sent as given, blocking and async, and bad
values refused before any request."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterInputError
from puter_client.emulator import PuterEmulator
from tests.support.emulated import PNG_1X1, driver_calls

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(24)


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(client: PuterAI, face: str, name: str, *args: Any, **kwargs: Any) -> Any:
    if face == "sync":
        return getattr(client, name)(*args, **kwargs)
    return asyncio.run(getattr(client, f"async_{name}")(*args, **kwargs))


def sent(emu: PuterEmulator) -> dict[str, Any]:
    return driver_calls(emu)[-1].args


@pytest.mark.parametrize("method", ["ocr", "img2txt"])
def test_ocr_pages_are_sent(client: PuterAI, v2_emu: PuterEmulator, face: str, method: str) -> None:
    run(client, face, method, PNG_1X1, provider="mistral", pages=[0, 2])

    assert sent(v2_emu)["pages"] == [0, 2]


def test_txt2vid_duration_is_sent_as_seconds_and_duration(
    client: PuterAI, v2_emu: PuterEmulator, face: str
) -> None:
    run(client, face, "txt2vid", "a cat", duration=4, test_mode=True)

    args = sent(v2_emu)
    assert (args["seconds"], args["duration"]) == (4, 4)


def test_txt2vid_seconds_alone_sends_no_duration(
    client: PuterAI, v2_emu: PuterEmulator, face: str
) -> None:
    run(client, face, "txt2vid", "a cat", seconds=8, test_mode=True)

    assert sent(v2_emu)["seconds"] == 8 and "duration" not in sent(v2_emu)


def test_speech2speech_provider_and_output_format_are_sent(
    client: PuterAI, v2_emu: PuterEmulator, face: str
) -> None:
    run(client, face, "speech2speech", WAV, provider="elevenlabs", output_format="mp3_44100_128",
        test_mode=True)  # fmt: skip

    args = sent(v2_emu)
    assert (args["provider"], args["output_format"]) == ("elevenlabs", "mp3_44100_128")


REFUSALS: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("pages empty", "ocr", (PNG_1X1,), {"pages": []}),
    ("pages negative", "ocr", (PNG_1X1,), {"pages": [-1]}),
    ("pages not ints", "img2txt", (PNG_1X1,), {"pages": ["1"]}),
    ("pages a str", "ocr", (PNG_1X1,), {"pages": "1"}),
    ("seconds and duration differ", "txt2vid", ("cat",), {"seconds": 4, "duration": 8}),
    ("duration zero", "txt2vid", ("cat",), {"duration": 0}),
    ("output_format blank", "speech2speech", (WAV,), {"output_format": " "}),
]


@pytest.mark.parametrize(("method", "args", "kwargs"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_a_bad_option_is_refused_before_any_request(
    client: PuterAI, v2_emu: PuterEmulator, face: str, method: str, args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:  # fmt: skip
    with pytest.raises(PuterInputError) as caught:
        run(client, face, method, *args, **kwargs)

    assert caught.value.code == "invalid_arguments"
    assert driver_calls(v2_emu) == []


def test_speech2txt_response_format_text_answers_only_the_text(
    client: PuterAI, v2_emu: PuterEmulator, face: str
) -> None:
    transcript = run(client, face, "speech2txt", WAV, response_format="text")

    assert sent(v2_emu)["response_format"] == "text"
    assert transcript.text.startswith("Transcribed audio")
    assert not transcript.words


def test_speech2txt_response_format_json_keeps_the_details(
    client: PuterAI, v2_emu: PuterEmulator, face: str
) -> None:
    transcript = run(client, face, "speech2txt", WAV, response_format="json")

    assert sent(v2_emu)["response_format"] == "json"
    assert transcript.words
