"""Typed results (``complete``/``async_complete``) and chat options, against the emulator.

``complete(messages=..., model=..., **options)`` is stateless and returns a typed
``ChatCompletion``. ``chat``/``async_chat``/``chat_stream``/``complete`` take the
server's options keyword-only and send exactly the ones the caller set; an unknown
option is a ``TypeError`` and a wrong-typed one a ``ValueError``, both before any request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from puter import PuterAI
from puter_client._generated import models
from puter_client.emulator import (
    PuterEmulator,
    expected_reply,
    pytest_plugin,
)
from puter_client.services.chat.chat import ChatCompletion
from puter_client.services.chat.usage import TokenUsage
from tests.support.emulated import chat_calls, connect

puter_emulator_session = pytest_plugin.puter_emulator_session
puter_emulator = pytest_plugin.puter_emulator
puter_emulator_legacy_session = pytest_plugin.puter_emulator_legacy_session
puter_emulator_legacy = pytest_plugin.puter_emulator_legacy

HELLO = [{"role": "user", "content": "Hello"}]


@pytest.fixture
def emu(puter_emulator: PuterEmulator) -> PuterEmulator:
    return puter_emulator


@pytest.fixture
def client(emu: PuterEmulator) -> Iterator[PuterAI]:
    with connect(emu) as c:
        yield c


@pytest.fixture
async def aclient(emu: PuterEmulator) -> AsyncIterator[PuterAI]:
    async with connect(emu) as c:
        yield c


def sent_args(emu: PuterEmulator) -> dict[str, Any]:
    """``args`` of the only chat call the emulator received."""
    [call] = chat_calls(emu)
    return call.args


# ------------------------------------------------------------------ complete()


def test_complete_returns_a_typed_completion_of_an_openai_style_reply(client: PuterAI) -> None:
    completion = client.complete(messages=HELLO, model="gpt-4o")

    assert isinstance(completion, ChatCompletion)
    assert completion.text == expected_reply("Hello", "gpt-4o")
    assert completion.finish_reason == "stop"
    assert completion.tool_calls == []
    assert completion.usage == TokenUsage(input_tokens=1, output_tokens=7, total_tokens=8)
    assert completion.usage.raw == {"prompt_tokens": 1, "completion_tokens": 7, "total_tokens": 8}
    assert isinstance(completion.result, models.ChatCompleteResult)
    assert completion.result.message.content == completion.text  # a string (OpenAI family)
    assert completion.result.message.model == "gpt-4o"


def test_complete_reads_the_text_of_a_claude_style_reply_from_its_parts(client: PuterAI) -> None:
    completion = client.complete(messages=HELLO, model="claude-opus-4")

    assert completion.text == expected_reply("Hello", "claude-opus-4")
    assert isinstance(completion.result.message.content, list)
    assert completion.result.message.stop_reason == "end_turn"
    assert completion.finish_reason == "stop"
    assert completion.usage is not None and completion.usage.input_tokens == 1


def test_complete_keeps_fields_the_schema_does_not_declare(client: PuterAI) -> None:
    completion = client.complete(messages=HELLO, model="gpt-4o")

    assert completion.result.message.additional_properties == {"annotations": []}


def test_finish_reason_falls_back_to_the_message_stop_reason(
    client: PuterAI, emu: PuterEmulator
) -> None:
    reply = {
        "success": True,
        "result": {
            "message": {"role": "assistant", "content": "Cut sh", "stop_reason": "max_tokens"},
        },
    }
    emu.inject("/drivers/call", status=200, body=reply)

    completion = client.complete(messages=HELLO, model="claude-opus-4", max_tokens=2)

    assert completion.finish_reason == "max_tokens"
    assert completion.usage is None
    assert completion.text == "Cut sh"


def test_complete_sends_only_the_given_messages_and_leaves_history_alone(
    client: PuterAI, emu: PuterEmulator
) -> None:
    client.chat("An earlier turn", "gpt-4o")
    history = client.chat_history

    client.complete(messages=HELLO, model="gpt-4o")

    assert chat_calls(emu)[-1].args["messages"] == HELLO
    assert client.chat_history == history


def test_complete_accepts_message_models_and_dicts_alike(
    client: PuterAI, emu: PuterEmulator
) -> None:
    messages: list[dict[str, Any] | models.ChatMessage] = [
        models.ChatMessage(role="system", content="Be brief."),
        {"role": "user", "content": "Hello"},
    ]

    client.complete(messages=messages, model="gpt-4o")

    assert sent_args(emu)["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello"},
    ]


def test_the_completion_message_continues_a_conversation(
    client: PuterAI, emu: PuterEmulator
) -> None:
    first = client.complete(messages=HELLO, model="gpt-4o")
    follow_up: list[dict[str, Any] | models.ChatMessage] = [
        *HELLO,
        first.message,
        {"role": "user", "content": "Again"},
    ]

    second = client.complete(messages=follow_up, model="gpt-4o")

    assert second.text == expected_reply("Again", "gpt-4o", turns=2)
    assert chat_calls(emu)[-1].args["messages"][1] == {"role": "assistant", "content": first.text}


def test_complete_uses_the_current_model_when_given_none(
    client: PuterAI, emu: PuterEmulator
) -> None:
    client.complete(messages=HELLO)

    assert sent_args(emu)["model"] == client.current_model


@pytest.mark.parametrize(
    "messages",
    [[], "Hello", [{"content": "no role"}], [{"role": "narrator", "content": "x"}]],
    ids=["empty", "a string", "no role", "unknown role"],
)
def test_complete_refuses_invalid_messages_before_any_request(
    client: PuterAI, emu: PuterEmulator, messages: Any
) -> None:
    with pytest.raises(ValueError):
        client.complete(messages=messages, model="gpt-4o")

    assert emu.requests == []


async def test_async_complete_returns_a_typed_completion(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    completion = await aclient.async_complete(messages=HELLO, model="gpt-4o", max_tokens=32)

    assert completion.text == expected_reply("Hello", "gpt-4o")
    assert completion.finish_reason == "stop"
    assert sent_args(emu)["max_tokens"] == 32


def test_complete_on_a_legacy_server_keeps_its_list_shaped_usage(
    puter_emulator_legacy: PuterEmulator,
) -> None:
    with connect(puter_emulator_legacy) as client:
        completion = client.complete(messages=HELLO, model="gpt-4o")

    assert completion.text == expected_reply("Hello", "gpt-4o")
    assert completion.usage is not None
    assert [entry["type"] for entry in completion.usage.raw] == ["prompt", "completion"]
    assert completion.usage.input_tokens is not None
    assert chat_calls(puter_emulator_legacy)[-1].json["driver"] == "openai-completion"


# ------------------------------------------------------------------ options on the wire


def test_chat_without_options_sends_only_the_model_and_messages(
    client: PuterAI, emu: PuterEmulator
) -> None:
    client.chat("Hello", "gpt-4o")

    assert set(sent_args(emu)) == {"model", "messages"}


OPTION_VALUES: list[tuple[str, Any]] = [
    ("max_tokens", 64),
    ("temperature", 0.25),
    ("top_p", 0.9),
    ("tool_choice", "none"),
    ("reasoning_effort", "low"),
    ("provider", "openai-completion"),
    ("response", {"type": "json_object"}),
]


@pytest.mark.parametrize(("name", "value"), OPTION_VALUES, ids=[n for n, _ in OPTION_VALUES])
def test_each_option_the_caller_sets_is_sent_as_given_and_alone(
    client: PuterAI, emu: PuterEmulator, name: str, value: Any
) -> None:
    options: dict[str, Any] = {name: value}

    client.chat("Hello", "gpt-4o", **options)

    assert sent_args(emu) == {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "Hello"}],
        name: value,
    }


def test_several_options_are_sent_together(client: PuterAI, emu: PuterEmulator) -> None:
    client.chat("Hello", "gpt-4o", max_tokens=100, temperature=0.0)

    args = sent_args(emu)
    assert (args["max_tokens"], args["temperature"]) == (100, 0.0)
    assert set(args) == {"model", "messages", "max_tokens", "temperature"}


def test_options_of_a_stream_are_sent_next_to_stream(client: PuterAI, emu: PuterEmulator) -> None:
    client.chat_stream("Hello", "gpt-4o", temperature=0.5).until_done()

    assert set(sent_args(emu)) == {"model", "messages", "stream", "temperature"}


async def test_async_chat_sends_the_options_it_is_given(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    await aclient.async_chat("Hello", "gpt-4o", max_tokens=10, top_p=0.5)

    args = sent_args(emu)
    assert (args["max_tokens"], args["top_p"]) == (10, 0.5)


# ------------------------------------------------------------------ bad options


Call = Callable[[PuterAI, dict[str, Any]], Any]

SYNC_CALLS: dict[str, Call] = {
    "chat": lambda c, o: c.chat("Hello", "gpt-4o", **o),
    "chat_stream": lambda c, o: c.chat_stream("Hello", "gpt-4o", **o),
    "complete": lambda c, o: c.complete(HELLO, "gpt-4o", **o),
}

ASYNC_CALLS: dict[str, Call] = {
    "async_chat": lambda c, o: c.async_chat("Hello", "gpt-4o", **o),
    "async_chat_stream": lambda c, o: c.async_chat_stream("Hello", "gpt-4o", **o),
    "async_complete": lambda c, o: c.async_complete(HELLO, "gpt-4o", **o),
}


@pytest.mark.parametrize("call", SYNC_CALLS.values(), ids=SYNC_CALLS.keys())
def test_an_unknown_option_is_a_type_error_before_any_request(
    client: PuterAI, emu: PuterEmulator, call: Call
) -> None:
    with pytest.raises(TypeError, match="max_token"):
        call(client, {"max_token": 10})

    assert emu.requests == []


@pytest.mark.parametrize("call", ASYNC_CALLS.values(), ids=ASYNC_CALLS.keys())
async def test_async_an_unknown_option_is_a_type_error_before_any_request(
    aclient: PuterAI, emu: PuterEmulator, call: Call
) -> None:
    with pytest.raises(TypeError, match="frequency_penalty"):
        await call(aclient, {"frequency_penalty": 0.1})

    assert emu.requests == []


WRONG_TYPES: list[tuple[str, Any]] = [
    ("max_tokens", "100"),
    ("max_tokens", 1.5),
    ("max_tokens", True),
    ("temperature", "hot"),
    ("tools", "get_weather"),
    ("tool_choice", 3),
    ("response", ["json"]),
]


@pytest.mark.parametrize(("name", "value"), WRONG_TYPES, ids=[f"{n}={v!r}" for n, v in WRONG_TYPES])
def test_a_wrong_typed_option_is_a_value_error_before_any_request(
    client: PuterAI, emu: PuterEmulator, name: str, value: Any
) -> None:
    options: dict[str, Any] = {name: value}

    with pytest.raises(ValueError, match=name):
        client.chat("Hello", "gpt-4o", **options)

    assert emu.requests == []


@pytest.mark.parametrize("call", SYNC_CALLS.values(), ids=SYNC_CALLS.keys())
def test_every_sync_call_refuses_a_wrong_typed_option(
    client: PuterAI, emu: PuterEmulator, call: Call
) -> None:
    with pytest.raises(ValueError, match="temperature"):
        call(client, {"temperature": "warm"})

    assert emu.requests == []


async def test_async_chat_refuses_a_wrong_typed_option_before_any_request(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    options: dict[str, Any] = {"max_tokens": "many"}

    with pytest.raises(ValueError, match="max_tokens"):
        await aclient.async_chat("Hello", "gpt-4o", **options)

    assert emu.requests == []


def test_options_are_keyword_only(client: PuterAI, emu: PuterEmulator) -> None:
    chat: Callable[..., str] = client.chat

    with pytest.raises(TypeError):
        chat("Hello", "gpt-4o", 64)

    assert emu.requests == []
