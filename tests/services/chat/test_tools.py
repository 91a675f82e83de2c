"""Tool calls in either provider style, and the tool results that answer them (pure).

OpenAI-family models call tools with ``message.tool_calls`` (arguments as JSON text);
Claude-family models with ``tool_use`` content parts (arguments as an object). Results
go back in the style of the call: ``role: tool`` messages with ``tool_call_id``, or one
user message of ``tool_result`` parts.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from puter_client._generated import models
from puter_client.core.serialization import unstructure
from puter_client.services.chat.tools import ToolRequest, tool_requests_of, tool_result_messages


def openai_call(call_id: str, name: str, arguments: str) -> models.ToolCall:
    return models.ToolCall(id=call_id, function=models.FunctionCall(name=name, arguments=arguments))


def openai_message(*calls: models.ToolCall) -> models.ResultMessage:
    return models.ResultMessage(role="assistant", content=None, tool_calls=list(calls))


def claude_message(*parts: models.ContentPart) -> models.ResultMessage:
    return models.ResultMessage(role="assistant", content=list(parts))


def openai_request(call_id: str = "call_1") -> ToolRequest:
    return ToolRequest(id=call_id, name="get_weather", arguments={}, style="openai")


def claude_request(call_id: str = "toolu_1") -> ToolRequest:
    return ToolRequest(id=call_id, name="get_weather", arguments={}, style="claude")


# ------------------------------------------------------------------ reading tool calls


def test_openai_tool_calls_are_read_with_decoded_arguments() -> None:
    message = openai_message(openai_call("call_1", "get_weather", '{"city": "Paris"}'))

    [request] = tool_requests_of(message)

    assert request == ToolRequest(
        id="call_1",
        name="get_weather",
        arguments={"city": "Paris"},
        style="openai",
        raw_arguments='{"city": "Paris"}',
    )


def test_openai_tool_calls_keep_their_order() -> None:
    message = openai_message(openai_call("call_1", "a", "{}"), openai_call("call_2", "b", "{}"))

    assert [r.id for r in tool_requests_of(message)] == ["call_1", "call_2"]


@pytest.mark.parametrize("arguments", ["{not json", "[1, 2]", '"text"'])
def test_openai_arguments_that_are_no_json_object_decode_to_empty_but_stay_raw(
    arguments: str,
) -> None:
    [request] = tool_requests_of(openai_message(openai_call("call_1", "f", arguments)))

    assert request.arguments == {}
    assert request.raw_arguments == arguments


def test_empty_openai_arguments_decode_to_an_empty_object() -> None:
    [request] = tool_requests_of(openai_message(openai_call("call_1", "f", "")))

    assert request.arguments == {}


def test_claude_tool_use_parts_are_read_as_claude_style_requests() -> None:
    message = claude_message(
        models.TextPart(text="Let me look that up."),
        models.ToolUsePart(id="toolu_1", name="get_weather", input={"city": "Oslo"}),
    )

    [request] = tool_requests_of(message)

    assert request == ToolRequest(
        id="toolu_1", name="get_weather", arguments={"city": "Oslo"}, style="claude"
    )


def test_a_plain_reply_has_no_tool_calls() -> None:
    assert tool_requests_of(models.ResultMessage(role="assistant", content="Hello!")) == []


def test_tool_calls_are_read_from_history_messages_too() -> None:
    message = models.ChatMessage(
        role="assistant", content="", tool_calls=[openai_call("call_9", "f", "{}")]
    )

    assert [r.id for r in tool_requests_of(message)] == ["call_9"]


# ------------------------------------------------------------------ writing tool results


def test_openai_results_are_tool_messages_naming_their_call() -> None:
    requests = [openai_request("call_1"), openai_request("call_2")]

    messages = tool_result_messages(requests, {"call_2": "rainy", "call_1": "sunny"})

    assert [unstructure(m) for m in messages] == [
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "call_2", "content": "rainy"},
    ]


def test_claude_results_are_one_user_message_of_tool_result_parts() -> None:
    requests = [claude_request("toolu_1"), claude_request("toolu_2")]

    messages = tool_result_messages(requests, {"toolu_1": "sunny", "toolu_2": "rainy"})

    assert [unstructure(m) for m in messages] == [
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"},
                {"type": "tool_result", "tool_use_id": "toolu_2", "content": "rainy"},
            ],
        }
    ]


@pytest.mark.parametrize(
    ("result", "text"),
    [
        ({"temperature_c": 18, "sky": "sunny"}, '{"temperature_c": 18, "sky": "sunny"}'),
        ([1, 2, 3], "[1, 2, 3]"),
        (18, "18"),
        (None, "null"),
        ({"ville": "Zürich"}, '{"ville": "Zürich"}'),
    ],
)
def test_a_result_that_is_not_a_string_is_sent_as_its_json_text(result: Any, text: str) -> None:
    [message] = tool_result_messages([openai_request()], {"call_1": result})

    assert message.content == text
    assert json.loads(text) == result


def test_a_string_result_is_sent_as_it_is() -> None:
    [message] = tool_result_messages([claude_request()], {"toolu_1": '{"raw": true}'})

    assert isinstance(message.content, list)
    [part] = message.content
    assert isinstance(part, models.ToolResultPart)
    assert part.content == '{"raw": true}'


def test_a_result_for_a_call_the_model_did_not_make_is_refused() -> None:
    with pytest.raises(ValueError, match="did not make"):
        tool_result_messages([openai_request("call_1")], {"call_1": "ok", "call_2": "ok"})


def test_a_call_left_without_a_result_is_refused() -> None:
    with pytest.raises(ValueError, match="lacks results"):
        tool_result_messages([openai_request("call_1"), openai_request("call_2")], {"call_1": 1})


def test_a_result_that_cannot_be_json_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON-serializable"):
        tool_result_messages([openai_request()], {"call_1": object()})
