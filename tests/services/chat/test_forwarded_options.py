"""Every chat option puter.js forwards reaches the driver call as given: ``reasoning``,
``reasoning_effort``, ``verbosity``, ``text``, ``provider``, ``image_config``,
``compaction``, ``context_management``, and zeros kept (``max_tokens=0``,
``temperature=0``); chat, complete and streams, blocking and async."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from puter.exceptions import PuterInputError
from puter_client.emulator import PuterEmulator
from tests.support.emulated import alice, chat_calls

FORWARDED: list[tuple[str, Any]] = [
    ("reasoning", {"effort": "high"}),
    ("reasoning_effort", "medium"),
    ("verbosity", "low"),
    ("text", {"verbosity": "low"}),
    ("provider", "openai-completion"),
    ("image_config", {"aspect_ratio": "16:9"}),
    ("compaction", True),
    ("compaction", {"trigger_tokens": 50_000}),
    ("context_management", [{"type": "compaction"}]),
    ("max_tokens", 0),
    ("temperature", 0),
]


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize(("name", "value"), FORWARDED, ids=[f"{n}={v!r}" for n, v in FORWARDED])
def test_a_forwarded_option_is_sent_as_given(
    emu: PuterEmulator, face: str, name: str, value: Any
) -> None:
    options = {name: value}
    with alice() as client:
        if face == "sync":
            client.chat("Hello", "gpt-4o", **options)
        else:
            asyncio.run(client.async_chat("Hello", "gpt-4o", **options))

    args = chat_calls(emu)[-1].args
    assert args[name] == value
    assert set(args) == {"model", "messages", name}


def test_complete_and_streams_forward_them_too(emu: PuterEmulator) -> None:
    options: dict[str, Any] = {"reasoning": {"effort": "low"}, "verbosity": "high"}
    with alice() as client:
        client.complete([{"role": "user", "content": "Hi"}], "gpt-4o", **options)
        client.chat_stream("Hi", "gpt-4o", **options).until_done()

    for call in chat_calls(emu)[-2:]:
        assert (call.args["reasoning"], call.args["verbosity"]) == ({"effort": "low"}, "high")


@pytest.mark.parametrize(("name", "value"), [("reasoning", "high"), ("verbosity", 3),
                                             ("compaction", "yes")])  # fmt: skip
def test_an_option_of_the_wrong_shape_is_refused_before_sending(
    emu: PuterEmulator, name: str, value: Any
) -> None:
    options = {name: value}
    with alice() as client, pytest.raises(PuterInputError) as caught:
        client.chat("Hello", "gpt-4o", **options)

    assert caught.value.code == "invalid_arguments"
    assert chat_calls(emu) == []
