"""Point 4: chat. ``chat``/``async_chat`` send the ``ai-chat`` driver call (or, on an
older server that refuses it, the model's provider) and return the reply text."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from puter_client.emulator import PuterEmulator
from tests.support.emulated import DEFAULT_MODEL, alice, chat_calls, driver_calls, reply


def test_chat_returns_the_reply_text(emu: PuterEmulator) -> None:
    with alice() as client:
        assert client.chat("Hello, how are you?") == reply("Hello, how are you?")


async def test_async_chat_returns_the_reply_text(emu: PuterEmulator) -> None:
    async with alice() as client:
        assert await client.async_chat("What is AI?") == reply("What is AI?")


def test_chat_sends_one_ai_chat_driver_call(v2_emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("Hello")

    [call] = driver_calls(v2_emu)
    assert call.json == {
        "interface": "puter-chat-completion",
        "driver": "ai-chat",
        "method": "complete",
        "args": {"model": DEFAULT_MODEL, "messages": [{"role": "user", "content": "Hello"}]},
    }


def test_an_older_server_refusing_ai_chat_gets_the_models_provider_as_driver(
    legacy_emu: PuterEmulator,
) -> None:
    with alice() as client:
        assert client.chat("Hello", model="gpt-4o") == reply("Hello", "gpt-4o")

    drivers = [r.json["driver"] for r in chat_calls(legacy_emu)]
    assert drivers == ["ai-chat", "openai-completion"]


def test_once_the_older_server_is_known_chats_name_the_provider_directly(
    legacy_emu: PuterEmulator,
) -> None:
    with alice() as client:
        client.chat("First")
        before = len(chat_calls(legacy_emu))

        client.chat("Second", model="gpt-4o")
        client.chat("Third", model="claude-sonnet-4")

    drivers = [r.json["driver"] for r in chat_calls(legacy_emu)[before:]]
    assert drivers == ["openai-completion", "claude"]


async def test_async_chat_falls_back_to_the_provider_on_an_older_server(
    legacy_emu: PuterEmulator,
) -> None:
    async with alice() as client:
        assert await client.async_chat("Hello") == reply("Hello")

    assert [r.json["driver"] for r in chat_calls(legacy_emu)] == ["ai-chat", "claude"]


async def test_concurrent_first_chats_on_an_older_server_fetch_the_catalog_once(
    legacy_emu: PuterEmulator,
) -> None:
    questions = [f"Question {i}" for i in range(4)]
    async with alice(rate_limit_requests=100) as client:
        await client.async_login()

        answers = await asyncio.gather(*(client.async_chat(q) for q in questions))

    assert answers == [reply(q) for q in questions]
    catalog_calls = [r for r in driver_calls(legacy_emu) if r.json["method"] == "models"]
    assert len(catalog_calls) == 1


@pytest.mark.parametrize(
    "model",
    ["gpt-4o", "gpt-4o-mini", "claude-opus-4", "claude-3.5-sonnet", "gemini-pro", "fake"],
)
def test_the_reply_text_is_read_from_string_and_from_parts_content(
    emu: PuterEmulator, model: str
) -> None:
    with alice() as client:
        assert client.chat("Hello", model=model) == reply("Hello", model)


def test_the_model_argument_applies_to_that_call_only(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("One", model="gpt-4o")
        client.chat("Two")

        assert client.current_model == DEFAULT_MODEL

    assert [r.args["model"] for r in chat_calls(emu)][-2:] == ["gpt-4o", DEFAULT_MODEL]


def test_only_the_model_and_the_messages_are_sent_when_nothing_else_is_set(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        client.chat("Hello")

    assert set(chat_calls(emu)[-1].args) == {"model", "messages"}


NOTHING_TO_SEND: list[dict[str, Any]] = [
    {},
    {"prompt": ""},
    {"prompt": "   \n\t"},
    {"images": []},
    {"prompt": None, "images": None, "content_parts": None},
    {"content_parts": []},
]


@pytest.mark.parametrize("arguments", NOTHING_TO_SEND)
def test_chat_with_nothing_to_send_raises_value_error_before_any_request(
    emu: PuterEmulator, arguments: dict[str, Any]
) -> None:
    with alice() as client, pytest.raises(ValueError, match="nothing to send"):
        client.chat(**arguments)

    assert emu.requests == []


@pytest.mark.parametrize("arguments", NOTHING_TO_SEND)
async def test_async_chat_with_nothing_to_send_raises_value_error_before_any_request(
    emu: PuterEmulator, arguments: dict[str, Any]
) -> None:
    async with alice() as client:
        with pytest.raises(ValueError, match="nothing to send"):
            await client.async_chat(**arguments)

    assert emu.requests == []


@pytest.mark.parametrize("model", ["", "   "])
def test_an_empty_model_name_raises_value_error_before_any_request(
    emu: PuterEmulator, model: str
) -> None:
    with alice() as client, pytest.raises(ValueError, match="model"):
        client.chat("Hello", model=model)

    assert emu.requests == []
