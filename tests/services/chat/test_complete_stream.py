"""``complete_stream`` and ``async_complete_stream``: a stateless completion, streamed.

What they add to ``complete``: the reply arrives as the stream's text deltas and typed
events; like ``complete`` they send exactly the messages given and leave ``chat_history``
alone; bad input is refused before any request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from puter import PuterAI
from puter_client._generated import models
from puter_client.emulator import PuterEmulator, expected_reply, pytest_plugin, tool_arguments
from tests.support.emulated import chat_calls, connect

puter_emulator_session = pytest_plugin.puter_emulator_session
puter_emulator = pytest_plugin.puter_emulator

MODEL = "gpt-4o"
MESSAGES = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hello there"},
    {"role": "assistant", "content": "Hi!"},
    {"role": "user", "content": "Tell me about lighthouses"},
]
REPLY = expected_reply("Tell me about lighthouses", MODEL, turns=2)
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.fixture
def client(puter_emulator: PuterEmulator) -> Iterator[PuterAI]:
    with connect(puter_emulator) as c:
        yield c


@pytest.fixture
async def aclient(puter_emulator: PuterEmulator) -> AsyncIterator[PuterAI]:
    async with connect(puter_emulator) as c:
        yield c


def test_complete_stream_yields_the_reply_to_the_messages_as_deltas(client: PuterAI) -> None:
    with client.complete_stream(MESSAGES, MODEL) as stream:
        deltas = list(stream)

    assert len(deltas) > 1
    assert "".join(deltas) == REPLY
    assert stream.completed
    assert stream.usage is not None


async def test_async_complete_stream_yields_the_reply_to_the_messages_as_deltas(
    aclient: PuterAI,
) -> None:
    async with aclient.async_complete_stream(MESSAGES, MODEL) as stream:
        deltas = [delta async for delta in stream]

    assert "".join(deltas) == REPLY
    assert stream.completed


def test_complete_stream_sends_exactly_the_messages_given_with_stream_set(
    client: PuterAI, puter_emulator: PuterEmulator
) -> None:
    client.chat("an earlier turn", MODEL)

    client.complete_stream(MESSAGES, MODEL, max_tokens=50).until_done()

    call = chat_calls(puter_emulator)[-1]
    assert call.args["messages"] == MESSAGES
    assert call.args["stream"] is True
    assert call.args["max_tokens"] == 50


def test_complete_stream_leaves_the_history_unchanged(client: PuterAI) -> None:
    client.chat("an earlier turn", MODEL)
    before = client.chat_history

    client.complete_stream(MESSAGES, MODEL).until_done()

    assert client.chat_history == before


async def test_async_complete_stream_leaves_the_history_unchanged(aclient: PuterAI) -> None:
    await aclient.async_complete_stream(MESSAGES, MODEL).until_done()

    assert aclient.chat_history == []


def test_complete_stream_streams_the_tool_call_as_an_event(client: PuterAI) -> None:
    stream = client.complete_stream(MESSAGES, MODEL, tools=[WEATHER])
    events = list(stream.events())

    [call] = [e for e in events if isinstance(e, models.StreamToolUse)]
    assert call.name == "get_weather"
    assert call.input == tool_arguments(
        WEATHER["function"]["parameters"],  # type: ignore[index]
        "Tell me about lighthouses",
    )
    assert [r.name for r in stream.tool_calls] == ["get_weather"]


def test_complete_stream_refuses_bad_input_before_any_request(
    client: PuterAI, puter_emulator: PuterEmulator
) -> None:
    with pytest.raises(ValueError):
        client.complete_stream([])
    with pytest.raises(ValueError):
        client.async_complete_stream([{"role": "user", "content": 3}])
    with pytest.raises(TypeError):
        client.complete_stream(MESSAGES, unknown_option=1)  # type: ignore[call-arg]

    assert chat_calls(puter_emulator) == []
