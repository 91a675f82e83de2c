"""Tool calls end to end, for OpenAI-style (``gpt-4o``) and Claude-style (``claude-opus-4``)
models: the model asks for a tool, the caller answers with ``chat(tool_results=...)``,
and the conversation goes on.

The emulator calls the first tool offered with arguments derived from its schema (a
string property gets the user's text) and, after a tool result, replies
``"Tool result: <result>"``. The history must keep the assistant's tool-call turn and
the results in the wire format the server accepts for the model: OpenAI-style ``role:
tool`` messages with ``tool_call_id``; Claude-style, one user message of ``tool_result``
parts. Both the returned history and what the emulator received are checked.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from puter import PuterAI
from puter_client._generated import models
from puter_client.emulator import (
    PuterEmulator,
    expected_reply,
    expected_tool_reply,
    pytest_plugin,
)
from puter_client.services.chat.tools import ToolRequest
from tests.support.emulated import chat_calls, connect

puter_emulator_session = pytest_plugin.puter_emulator_session
puter_emulator = pytest_plugin.puter_emulator
puter_emulator_legacy_session = pytest_plugin.puter_emulator_legacy_session
puter_emulator_legacy = pytest_plugin.puter_emulator_legacy

OPENAI_MODEL = "gpt-4o"
CLAUDE_MODEL = "claude-opus-4"
QUESTION = "Paris"

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
TIME_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_time",
        "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}},
    },
}
WEATHER = {"city": "Paris", "sky": "sunny", "temperature_c": 18}
WEATHER_TEXT = json.dumps(WEATHER)


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


def last_sent_messages(emu: PuterEmulator) -> list[dict[str, Any]]:
    messages = chat_calls(emu)[-1].args["messages"]
    assert isinstance(messages, list)
    return messages


# ------------------------------------------------------------------ the model asks for a tool


def test_an_openai_style_tool_call_comes_back_typed(client: PuterAI, emu: PuterEmulator) -> None:
    reply = client.chat(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL])

    [call] = client.pending_tool_calls
    assert reply == ""
    assert isinstance(call, ToolRequest)
    assert call.id.startswith("call_")
    assert (call.name, call.arguments, call.style) == ("get_weather", {"city": QUESTION}, "openai")
    assert call.raw_arguments == json.dumps({"city": QUESTION})
    assert chat_calls(emu)[0].args["tools"] == [WEATHER_TOOL]


def test_a_claude_style_tool_call_comes_back_typed(client: PuterAI) -> None:
    client.chat(QUESTION, CLAUDE_MODEL, tools=[WEATHER_TOOL])

    [call] = client.pending_tool_calls
    assert call.id.startswith("toolu_")
    assert (call.name, call.arguments, call.style) == ("get_weather", {"city": QUESTION}, "claude")


def test_the_openai_style_tool_call_turn_is_kept_in_history(client: PuterAI) -> None:
    client.chat(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL])

    [call] = client.pending_tool_calls
    assistant = client.chat_history[-1]
    assert assistant["role"] == "assistant"
    assert assistant["tool_calls"] == [
        {
            "id": call.id,
            "type": "function",
            "function": {"name": "get_weather", "arguments": json.dumps({"city": QUESTION})},
        }
    ]


def test_the_claude_style_tool_call_turn_is_kept_in_history(client: PuterAI) -> None:
    client.chat(QUESTION, CLAUDE_MODEL, tools=[WEATHER_TOOL])

    [call] = client.pending_tool_calls
    assert client.chat_history[-1] == {
        "role": "assistant",
        "content": [
            {"type": "tool_use", "id": call.id, "name": "get_weather", "input": {"city": QUESTION}}
        ],
    }


def test_a_tool_given_as_a_model_is_sent_like_a_dict(client: PuterAI, emu: PuterEmulator) -> None:
    tool = models.Tool(
        function=models.FunctionDefinition(
            name="get_weather",
            description="The current weather in a city.",
            parameters=WEATHER_TOOL["function"]["parameters"],
        )
    )

    client.chat(QUESTION, OPENAI_MODEL, tools=[tool])

    assert chat_calls(emu)[0].args["tools"] == [WEATHER_TOOL]
    assert [c.name for c in client.pending_tool_calls] == ["get_weather"]


def test_tool_choice_picks_the_tool_the_model_calls(client: PuterAI) -> None:
    client.chat(
        QUESTION,
        OPENAI_MODEL,
        tools=[WEATHER_TOOL, TIME_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_time"}},
    )

    assert [c.name for c in client.pending_tool_calls] == ["get_time"]


def test_a_plain_reply_leaves_no_pending_tool_calls(client: PuterAI) -> None:
    client.chat(QUESTION, OPENAI_MODEL)

    assert client.pending_tool_calls == []


@pytest.mark.parametrize("model", [OPENAI_MODEL, CLAUDE_MODEL])
def test_complete_returns_the_tool_calls_and_their_finish_reason(
    client: PuterAI, model: str
) -> None:
    completion = client.complete(
        messages=[{"role": "user", "content": QUESTION}], model=model, tools=[WEATHER_TOOL]
    )

    assert completion.finish_reason == "tool_calls"
    assert [(c.name, c.arguments) for c in completion.tool_calls] == [
        ("get_weather", {"city": QUESTION})
    ]
    assert completion.text == ""


# ------------------------------------------------------------------ answering with results


def test_openai_style_results_go_back_as_tool_messages_and_the_chat_continues(
    client: PuterAI, emu: PuterEmulator
) -> None:
    client.chat(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL])
    [call] = client.pending_tool_calls

    reply = client.chat(model=OPENAI_MODEL, tool_results={call.id: WEATHER}, tools=[WEATHER_TOOL])

    assert reply == expected_tool_reply(WEATHER_TEXT)
    user, assistant, tool = last_sent_messages(emu)
    assert user == {"role": "user", "content": QUESTION}
    assert assistant["role"] == "assistant"
    assert [c["id"] for c in assistant["tool_calls"]] == [call.id]
    assert tool == {"role": "tool", "tool_call_id": call.id, "content": WEATHER_TEXT}


def test_openai_style_history_holds_the_call_the_result_and_the_reply(client: PuterAI) -> None:
    client.chat(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL])
    [call] = client.pending_tool_calls

    client.chat(model=OPENAI_MODEL, tool_results={call.id: WEATHER})

    history = client.chat_history
    assert [m["role"] for m in history] == ["user", "assistant", "tool", "assistant"]
    assert history[2] == {"role": "tool", "tool_call_id": call.id, "content": WEATHER_TEXT}
    assert history[3] == {"role": "assistant", "content": expected_tool_reply(WEATHER_TEXT)}
    assert client.pending_tool_calls == []


def test_claude_style_results_go_back_as_a_user_message_of_tool_result_parts(
    client: PuterAI, emu: PuterEmulator
) -> None:
    client.chat(QUESTION, CLAUDE_MODEL, tools=[WEATHER_TOOL])
    [call] = client.pending_tool_calls

    reply = client.chat(model=CLAUDE_MODEL, tool_results={call.id: "sunny, 18 °C"})

    assert reply == expected_tool_reply("sunny, 18 °C")
    user, assistant, results = last_sent_messages(emu)
    assert user == {"role": "user", "content": QUESTION}
    assert assistant["content"][0]["type"] == "tool_use"
    assert results == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "sunny, 18 °C"}],
    }


def test_claude_style_history_holds_the_call_the_result_and_the_reply(client: PuterAI) -> None:
    client.chat(QUESTION, CLAUDE_MODEL, tools=[WEATHER_TOOL])
    [call] = client.pending_tool_calls

    client.chat(model=CLAUDE_MODEL, tool_results={call.id: "sunny"})

    history = client.chat_history
    assert [m["role"] for m in history] == ["user", "assistant", "user", "assistant"]
    assert history[2]["content"] == [
        {"type": "tool_result", "tool_use_id": call.id, "content": "sunny"}
    ]
    assert history[3] == {"role": "assistant", "content": expected_tool_reply("sunny")}
    assert client.pending_tool_calls == []


def test_the_conversation_goes_on_after_the_tool_round(client: PuterAI) -> None:
    client.chat(QUESTION, CLAUDE_MODEL, tools=[WEATHER_TOOL])
    [call] = client.pending_tool_calls
    client.chat(model=CLAUDE_MODEL, tool_results={call.id: "sunny"})

    reply = client.chat("Thanks!", CLAUDE_MODEL)

    assert reply == expected_reply("Thanks!", CLAUDE_MODEL, turns=3)
    assert len(client.chat_history) == 6


async def test_async_tool_results_continue_the_chat(aclient: PuterAI, emu: PuterEmulator) -> None:
    await aclient.async_chat(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL])
    [call] = aclient.pending_tool_calls

    reply = await aclient.async_chat(model=OPENAI_MODEL, tool_results={call.id: "sunny"})

    assert reply == expected_tool_reply("sunny")
    assert last_sent_messages(emu)[-1] == {
        "role": "tool",
        "tool_call_id": call.id,
        "content": "sunny",
    }


def test_tool_results_on_a_legacy_server_are_sent_through_the_provider_driver(
    puter_emulator_legacy: PuterEmulator,
) -> None:
    with connect(puter_emulator_legacy) as client:
        client.chat(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL])
        [call] = client.pending_tool_calls
        reply = client.chat(model=OPENAI_MODEL, tool_results={call.id: "sunny"})

    assert reply == expected_tool_reply("sunny")
    last = chat_calls(puter_emulator_legacy)[-1]
    assert last.json["driver"] == "openai-completion"
    assert last.args["messages"][-1]["role"] == "tool"


def test_a_tool_call_in_a_whole_reply_to_a_stream_request_is_kept(
    puter_emulator_legacy: PuterEmulator,
) -> None:
    # A legacy server may answer a stream request with a whole JSON reply, which the
    # SDK replays as a stream; an OpenAI-style reply carries its call in tool_calls.
    arguments = json.dumps({"city": QUESTION})
    whole_reply = {
        "success": True,
        "service": {"name": "openai-completion"},
        "result": {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": arguments},
                    }
                ],
            },
            "finish_reason": "tool_calls",
            "usage": {"prompt_tokens": 1, "completion_tokens": 2},
        },
    }
    with connect(puter_emulator_legacy) as client:
        client.chat("Hello", OPENAI_MODEL)  # learns the provider driver
        puter_emulator_legacy.inject("/drivers/call", status=200, body=whole_reply)

        with client.chat_stream(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL]) as stream:
            stream.until_done()

        assert [(c.id, c.name, c.arguments) for c in stream.tool_calls] == [
            ("call_1", "get_weather", {"city": QUESTION})
        ]
        assert [c.id for c in client.pending_tool_calls] == ["call_1"]


# ------------------------------------------------------------------ refused tool results


@pytest.fixture
def pending_call(client: PuterAI, emu: PuterEmulator) -> ToolRequest:
    """``client`` with one OpenAI-style tool call waiting for its result."""
    client.chat(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL])
    [call] = client.pending_tool_calls
    return call


def test_a_result_for_a_call_the_model_did_not_make_is_refused_before_any_request(
    client: PuterAI, emu: PuterEmulator, pending_call: ToolRequest
) -> None:
    sent = len(emu.requests)

    with pytest.raises(ValueError, match="call_nope"):
        client.chat(model=OPENAI_MODEL, tool_results={pending_call.id: "x", "call_nope": "y"})

    assert len(emu.requests) == sent
    assert client.pending_tool_calls == [pending_call]


def test_a_missing_result_is_refused_before_any_request(
    client: PuterAI, emu: PuterEmulator, pending_call: ToolRequest
) -> None:
    sent = len(emu.requests)

    with pytest.raises(ValueError, match=pending_call.id):
        client.chat(model=OPENAI_MODEL, tool_results={})

    assert len(emu.requests) == sent


def test_tool_results_go_alone_without_a_prompt(client: PuterAI, pending_call: ToolRequest) -> None:
    with pytest.raises(ValueError, match="alone"):
        client.chat("And?", OPENAI_MODEL, tool_results={pending_call.id: "sunny"})


def test_tool_results_without_a_pending_call_are_refused(
    client: PuterAI, emu: PuterEmulator
) -> None:
    client.chat(QUESTION, OPENAI_MODEL)

    with pytest.raises(ValueError, match="no tool call"):
        client.chat(model=OPENAI_MODEL, tool_results={"call_1": "sunny"})

    assert len(chat_calls(emu)) == 1


# ------------------------------------------------------------------ tool calls in a stream


def test_a_streamed_tool_call_is_a_typed_event_and_a_pending_call(client: PuterAI) -> None:
    with client.chat_stream(QUESTION, CLAUDE_MODEL, tools=[WEATHER_TOOL]) as stream:
        events = list(stream.events())

    [tool_use] = [e for e in events if isinstance(e, models.StreamToolUse)]
    assert (tool_use.name, tool_use.input) == ("get_weather", {"city": QUESTION})
    assert [c.id for c in stream.tool_calls] == [tool_use.id]
    assert client.pending_tool_calls == stream.tool_calls


def test_a_streamed_claude_style_tool_call_is_answered_and_the_chat_continues(
    client: PuterAI, emu: PuterEmulator
) -> None:
    with client.chat_stream(QUESTION, CLAUDE_MODEL, tools=[WEATHER_TOOL]) as stream:
        stream.until_done()
    [call] = stream.tool_calls

    with client.chat_stream(model=CLAUDE_MODEL, tool_results={call.id: "sunny"}) as stream:
        reply = stream.until_done()

    assert reply == expected_tool_reply("sunny")
    assert last_sent_messages(emu)[-1] == {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "sunny"}],
    }


def test_a_streamed_openai_style_tool_call_is_answered_with_a_tool_message(
    client: PuterAI, emu: PuterEmulator
) -> None:
    with client.chat_stream(QUESTION, OPENAI_MODEL, tools=[WEATHER_TOOL]) as stream:
        stream.until_done()
    [call] = stream.tool_calls

    client.chat(model=OPENAI_MODEL, tool_results={call.id: "sunny"})

    _, assistant, result = last_sent_messages(emu)
    assert result == {"role": "tool", "tool_call_id": call.id, "content": "sunny"}
    assert [c["id"] for c in assistant.get("tool_calls") or []] == [call.id]
