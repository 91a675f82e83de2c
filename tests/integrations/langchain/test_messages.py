"""The pure conversions of ``puter_client.integrations.langchain.messages``: LangChain
messages to Puter's wire messages, Puter's usage and tool calls to LangChain's, stop
sequences over text that arrives in pieces."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import (
    AIMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import BaseModel

from puter.types import ChatCompleteResult, ChatCompletion, ResultMessage, ToolCall
from puter_client._generated.models import FunctionCall
from puter_client.integrations.langchain.messages import (
    StopFilter,
    ai_message,
    constructed,
    enforce_stop,
    to_puter_messages,
    usage_metadata,
)

# ---------------------------------------------------------------- stop sequences

texts = st.text(alphabet="ab(x) ", max_size=40)
stops = st.lists(st.text(alphabet="ab(x) ", min_size=1, max_size=4), max_size=3)


@given(text=texts, stop=stops, cuts=st.lists(st.integers(0, 40), max_size=6))
def test_a_stop_filter_shows_what_enforce_stop_keeps_however_the_text_is_split(
    text: str, stop: list[str], cuts: list[int]
) -> None:
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    stop_filter = StopFilter(stop)

    shown = "".join(stop_filter.feed(p) for p in pieces) + stop_filter.flush()

    assert shown == enforce_stop(text, stop)[0]
    assert stop_filter.stopped == enforce_stop(text, stop)[1]


def test_enforce_stop_cuts_at_the_earliest_stop_sequence() -> None:
    assert enforce_stop("one two three", ["three", "two"]) == ("one ", True)
    assert enforce_stop("one two", ["four"]) == ("one two", False)
    assert enforce_stop("one two", None) == ("one two", False)


# ------------------------------------------------------------- messages out


def test_an_ai_message_without_tool_calls_is_its_text() -> None:
    content = [{"type": "text", "text": "Hi "}, {"type": "reasoning", "reasoning": "..."}, "there"]
    [wire] = to_puter_messages([AIMessage(content)])  # type: ignore[arg-type]

    assert wire == {"role": "assistant", "content": "Hi there"}


def test_an_ai_messages_anthropic_tool_use_blocks_are_sent_once() -> None:
    message = AIMessage(
        [{"type": "tool_use", "id": "t1", "name": "f", "input": {"a": 1}}],
        tool_calls=[{"name": "f", "args": {"a": 1}, "id": "t1"}],
    )

    [wire] = to_puter_messages([message])

    assert wire["content"] == [{"type": "tool_use", "id": "t1", "name": "f", "input": {"a": 1}}]


def test_a_tool_result_that_is_not_text_is_sent_as_json() -> None:
    message = ToolMessage([{"type": "json", "json": {"a": 1}}], tool_call_id="t1")

    [wire] = to_puter_messages([message])

    assert wire == {
        "role": "tool",
        "tool_call_id": "t1",
        "content": '[{"type": "json", "json": {"a": 1}}]',
    }


def test_a_generic_chat_message_keeps_a_role_puter_knows() -> None:
    [wire] = to_puter_messages([ChatMessage(content="Hi", role="human")])

    assert wire == {"role": "user", "content": "Hi"}


@pytest.mark.parametrize(
    "message",
    [
        ChatMessage(content="Hi", role="critic"),
        FunctionMessage(content="1", name="f"),
        HumanMessage([{"type": "video", "url": "https://example.com/v.mp4"}]),
    ],
)
def test_what_puter_cannot_take_is_refused_naming_the_message(message: object) -> None:
    with pytest.raises(ValueError, match=r"messages\[1\]"):
        to_puter_messages([HumanMessage("Hi"), message])  # type: ignore[list-item]


def test_an_anthropic_image_block_becomes_a_data_url() -> None:
    block = {"type": "image", "source": {"type": "base64", "media_type": "image/gif", "data": "R0"}}

    [wire] = to_puter_messages([HumanMessage([block])])

    assert wire["content"] == [
        {"type": "image_url", "image_url": {"url": "data:image/gif;base64,R0"}}
    ]


# ----------------------------------------------------------------- replies in


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        ({"input_tokens": 3, "output_tokens": 4, "usd_cents": None}, (3, 4, 7)),
        ({"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}, (3, 4, 7)),
        (
            [
                {"type": "prompt", "model": "m", "amount": 3, "cost": 0},
                {"type": "completion", "model": "m", "amount": 4, "cost": 0},
            ],
            (3, 4, 7),
        ),
    ],
)
def test_every_usage_shape_gives_langchains_token_counts(
    usage: object, expected: tuple[int, int, int]
) -> None:
    metadata = usage_metadata(usage)

    assert metadata is not None
    assert (
        metadata["input_tokens"],
        metadata["output_tokens"],
        metadata["total_tokens"],
    ) == expected


def test_cached_and_reasoning_tokens_are_token_details() -> None:
    claude = usage_metadata(
        {
            "input_tokens": 3,
            "output_tokens": 4,
            "cache_read_input_tokens": 10,
            "cache_creation_input_tokens": 5,
        }
    )
    openai = usage_metadata(
        {
            "prompt_tokens": 20,
            "completion_tokens": 9,
            "prompt_tokens_details": {"cached_tokens": 8},
            "completion_tokens_details": {"reasoning_tokens": 6},
        }
    )

    assert claude is not None
    assert claude["input_tokens"] == 18  # Anthropic counts cached input apart
    assert claude.get("input_token_details") == {"cache_read": 10, "cache_creation": 5}
    assert openai is not None
    assert openai.get("input_token_details") == {"cache_read": 8}
    assert openai.get("output_token_details") == {"reasoning": 6}


@pytest.mark.parametrize("usage", [None, {}, {"usd_cents": 1}, "text", []])
def test_usage_without_token_counts_is_none(usage: object) -> None:
    assert usage_metadata(usage) is None


def test_tool_call_arguments_that_are_not_json_are_an_invalid_tool_call() -> None:
    bad = ToolCall(id="c1", function=FunctionCall(name="f", arguments="{not json"))
    good = ToolCall(id="c2", function=FunctionCall(name="g", arguments='{"a": 1}'))
    result = ChatCompleteResult(
        message=ResultMessage(role="assistant", content=None, tool_calls=[bad, good])
    )

    message = ai_message(ChatCompletion.of(result), "gpt-4o")

    assert [(c["name"], c["args"]) for c in message.tool_calls] == [("g", {"a": 1})]
    [invalid] = message.invalid_tool_calls
    assert (invalid["name"], invalid["args"], invalid["id"]) == ("f", "{not json", "c1")
    assert message.response_metadata["model_name"] == "gpt-4o"


def test_an_empty_ai_turn_is_sent_as_no_parts_which_the_server_accepts() -> None:
    [wire] = to_puter_messages([AIMessage("")])

    assert wire == {"role": "assistant", "content": []}


# ------------------------------------------------------------- models built unvalidated


def test_a_reply_is_the_ai_message_validation_would_build() -> None:
    call = ToolCall(id="c1", function=FunctionCall(name="f", arguments='{"a": 1}'))
    result = ChatCompleteResult(
        message=ResultMessage(role="assistant", content="Hi", tool_calls=[call], id="msg_1"),
        usage={"input_tokens": 3, "output_tokens": 4},
    )

    message = ai_message(ChatCompletion.of(result), "gpt-4o")
    validated = AIMessage(**{name: getattr(message, name) for name in message.model_fields_set})

    assert message == validated
    assert message.model_fields_set == validated.model_fields_set
    assert message.model_dump() == validated.model_dump()
    assert message.tool_calls == [{"name": "f", "args": {"a": 1}, "id": "c1", "type": "tool_call"}]


@pytest.mark.parametrize(
    ("model", "given"),
    [
        (AIMessage, {"content": "x", "id": "m", "response_metadata": {"a": 1}}),
        (AIMessage, {"content": "x", "usage_metadata": None}),
        (ChatGeneration, {"message": AIMessage("x"), "text": "x"}),
        (ChatResult, {"generations": [ChatGeneration(message=AIMessage("x"))]}),
    ],
)
def test_a_constructed_model_is_the_one_validation_gives(
    model: type[BaseModel], given: dict[str, Any]
) -> None:
    built = constructed(model, **given)
    validated = model(**given)

    assert built == validated
    assert built.model_fields_set == validated.model_fields_set
    assert built.model_extra == validated.model_extra
    assert built.model_dump() == validated.model_dump()


def test_constructed_models_do_not_share_their_defaults() -> None:
    first, second = constructed(AIMessage, content="a"), constructed(AIMessage, content="b")

    first.additional_kwargs["k"] = 1

    assert second.additional_kwargs == {}
    assert first.tool_calls is not second.tool_calls
