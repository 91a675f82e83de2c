"""The pure core of streamed replies: ``StreamAccumulator``, and the shells around it.

A streamed reply is NDJSON, one typed event per line (protocol: ``text``, ``reasoning``,
``tool_use``, ``usage``, ``error``; any other type is tolerated). The accumulator reads
the lines one by one, collects the reply, and decides whether the reply is whole. The
``ChatStream``/``AsyncChatStream`` shells are checked here with in-memory responses:
they call their recorder exactly once, and only for a whole reply.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from puter.exceptions import PuterAPIError, PuterStreamError
from puter_client._generated import models
from puter_client.services.chat.streaming import (
    AsyncChatStream,
    ChatStream,
    StreamAccumulator,
    StreamSource,
)

USAGE = {"prompt_tokens": 3, "completion_tokens": 2}


def line(**fields: Any) -> str:
    """One NDJSON line, as the server writes it."""
    return json.dumps(fields)


def feed_all(accumulator: StreamAccumulator, *lines: str) -> list[models.StreamLine | None]:
    return [accumulator.feed(text) for text in lines]


# ------------------------------------------------------------------ typed events


def test_a_text_line_is_a_text_event_and_extends_the_text() -> None:
    accumulator = StreamAccumulator()

    events = feed_all(accumulator, line(type="text", text="Hel"), line(type="text", text="lo!"))

    assert events == [models.StreamText(text="Hel"), models.StreamText(text="lo!")]
    assert accumulator.text == "Hello!"


def test_a_reasoning_line_is_kept_apart_from_the_text() -> None:
    accumulator = StreamAccumulator()

    event = accumulator.feed(line(type="reasoning", reasoning="Let me think."))

    assert event == models.StreamReasoning(reasoning="Let me think.")
    assert accumulator.reasoning == "Let me think."
    assert accumulator.text == ""


def test_a_tool_use_line_becomes_a_typed_tool_request() -> None:
    accumulator = StreamAccumulator()

    event = accumulator.feed(
        line(type="tool_use", id="call_1", name="get_weather", input={"city": "Paris"})
    )

    assert isinstance(event, models.StreamToolUse)
    [request] = accumulator.tool_requests
    assert (request.id, request.name, request.arguments) == (
        "call_1",
        "get_weather",
        {"city": "Paris"},
    )


def test_the_usage_line_keeps_the_usage_as_the_server_sent_it() -> None:
    accumulator = StreamAccumulator()

    event = accumulator.feed(line(type="usage", usage=USAGE))

    assert event == models.StreamUsage(usage=USAGE)
    assert accumulator.usage == USAGE


def test_an_unknown_line_type_is_surfaced_raw_and_changes_nothing() -> None:
    accumulator = StreamAccumulator()

    event = accumulator.feed(line(type="citation", url="https://example.com", index=1))

    assert isinstance(event, models.StreamUnknown)
    assert event.type == "citation"
    assert event.additional_properties == {"url": "https://example.com", "index": 1}
    assert (accumulator.text, accumulator.reasoning, accumulator.tool_uses) == ("", "", [])


def test_an_unknown_line_between_text_lines_does_not_interrupt_the_text() -> None:
    accumulator = StreamAccumulator()

    feed_all(
        accumulator,
        line(type="text", text="a"),
        line(type="ping"),
        line(type="text", text="b"),
    )

    assert accumulator.text == "ab"


def test_extra_keys_of_a_known_line_are_kept() -> None:
    event = StreamAccumulator().feed(line(type="text", text="Hi", index=0))

    assert isinstance(event, models.StreamText)
    assert event.additional_properties == {"index": 0}


@pytest.mark.parametrize("blank", ["", "   ", "\r"])
def test_a_blank_line_is_no_event(blank: str) -> None:
    assert StreamAccumulator().feed(blank) is None


# ------------------------------------------------------------------ errors


def test_an_error_line_raises_a_stream_error_with_its_message_and_code() -> None:
    accumulator = StreamAccumulator()

    with pytest.raises(PuterStreamError) as caught:
        accumulator.feed(line(type="error", message="Upstream provider error", code="upstream"))

    assert isinstance(caught.value, PuterAPIError)
    assert "Upstream provider error" in str(caught.value)
    assert caught.value.code == "upstream"


def test_an_error_line_without_a_message_still_says_what_happened() -> None:
    with pytest.raises(PuterStreamError, match="failed in the middle of the reply"):
        StreamAccumulator().feed(line(type="error"))


def test_a_line_that_is_not_json_raises_a_response_error() -> None:
    with pytest.raises(PuterAPIError, match="not valid JSON"):
        StreamAccumulator().feed('{"type": "text", "te')


# ------------------------------------------------------------------ completion


def test_a_reply_is_complete_once_the_usage_line_came_and_the_body_ended() -> None:
    accumulator = StreamAccumulator()
    feed_all(accumulator, line(type="text", text="Hi"), line(type="usage", usage=USAGE))

    accumulator.finish()

    assert accumulator.complete


def test_a_usage_line_with_null_usage_still_completes_the_reply() -> None:
    accumulator = StreamAccumulator()
    accumulator.feed(line(type="usage", usage=None))

    accumulator.finish()

    assert accumulator.complete


def test_a_body_that_ends_without_the_usage_line_is_an_incomplete_reply() -> None:
    accumulator = StreamAccumulator()
    accumulator.feed(line(type="text", text="Once upon a"))

    with pytest.raises(PuterStreamError) as caught:
        accumulator.finish()

    assert caught.value.code == "incomplete_stream"
    assert not accumulator.complete


# ------------------------------------------------------------------ replay of a whole reply


def whole_result(content: Any, usage: Any = USAGE) -> models.ChatCompleteResult:
    return models.ChatCompleteResult(
        message=models.ResultMessage(role="assistant", content=content), usage=usage
    )


def test_a_whole_reply_with_string_content_replays_as_text_then_usage() -> None:
    accumulator = StreamAccumulator()

    events = accumulator.replay(whole_result("Hello!"))

    assert events == [models.StreamText(text="Hello!"), models.StreamUsage(usage=USAGE)]
    assert accumulator.text == "Hello!"
    assert accumulator.usage == USAGE


def test_a_whole_reply_with_parts_replays_its_text_and_tool_calls() -> None:
    content: list[models.ContentPart] = [
        models.TextPart(text="Let me check."),
        models.ToolUsePart(id="toolu_1", name="get_weather", input={"city": "Oslo"}),
    ]
    accumulator = StreamAccumulator()

    events = accumulator.replay(whole_result(content))

    assert [type(e) for e in events] == [
        models.StreamText,
        models.StreamToolUse,
        models.StreamUsage,
    ]
    assert accumulator.text == "Let me check."
    assert [r.id for r in accumulator.tool_requests] == ["toolu_1"]


def test_a_whole_reply_replays_its_openai_style_tool_calls() -> None:
    message = models.ResultMessage(
        role="assistant",
        content=None,
        tool_calls=[
            models.ToolCall(
                id="call_1",
                function=models.FunctionCall(name="get_weather", arguments='{"city": "Oslo"}'),
            )
        ],
    )
    accumulator = StreamAccumulator()

    accumulator.replay(models.ChatCompleteResult(message=message, usage=USAGE))

    assert [(r.id, r.name, r.arguments) for r in accumulator.tool_requests] == [
        ("call_1", "get_weather", {"city": "Oslo"})
    ]


def test_a_replayed_whole_reply_is_complete() -> None:
    accumulator = StreamAccumulator()
    accumulator.replay(whole_result("Hello!"))

    accumulator.finish()

    assert accumulator.complete


# ------------------------------------------------------------------ the shells


def ndjson_response(*lines: str) -> httpx.Response:
    body = "".join(f"{text}\n" for text in lines).encode()
    request = httpx.Request("POST", "http://127.0.0.1/drivers/call")
    return httpx.Response(
        200, headers={"content-type": "application/x-ndjson"}, content=body, request=request
    )


WHOLE_REPLY = (
    line(type="text", text="Hel"),
    line(type="text", text="lo"),
    line(type="usage", usage=USAGE),
)


class Recorder:
    """Stands in for the history: records what each completed stream hands over."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, accumulator: StreamAccumulator) -> None:
        self.texts.append(accumulator.text)


def opener(*lines: str) -> Callable[[], StreamSource]:
    return lambda: ndjson_response(*lines)


def test_a_stream_read_to_the_end_is_recorded_exactly_once() -> None:
    recorder = Recorder()
    stream = ChatStream(opener(*WHOLE_REPLY), recorder)

    deltas = list(stream)

    assert deltas == ["Hel", "lo"]
    assert recorder.texts == ["Hello"]
    assert stream.completed


def test_a_stream_that_fails_midway_is_not_recorded() -> None:
    recorder = Recorder()
    stream = ChatStream(opener(line(type="text", text="Hel"), line(type="error")), recorder)

    with pytest.raises(PuterStreamError):
        list(stream)

    assert recorder.texts == []
    assert not stream.completed


def test_a_stream_left_early_is_not_recorded() -> None:
    recorder = Recorder()

    with ChatStream(opener(*WHOLE_REPLY), recorder) as stream:
        next(iter(stream))

    assert recorder.texts == []
    assert stream.text == "Hel"


def test_a_closed_stream_cannot_be_read() -> None:
    stream = ChatStream(opener(*WHOLE_REPLY), Recorder())
    stream.close()

    with pytest.raises(RuntimeError, match="closed"):
        list(stream)


def test_a_whole_reply_instead_of_a_stream_is_replayed_and_recorded() -> None:
    recorder = Recorder()
    stream = ChatStream(lambda: whole_result("Hello!"), recorder)

    assert list(stream) == ["Hello!"]
    assert recorder.texts == ["Hello!"]
    assert stream.usage is not None and stream.usage.raw == USAGE


async def test_an_async_stream_read_to_the_end_is_recorded_exactly_once() -> None:
    recorder = Recorder()

    async def open_source() -> StreamSource:
        return ndjson_response(*WHOLE_REPLY)

    async with AsyncChatStream(open_source, recorder) as stream:
        deltas = [delta async for delta in stream]

    assert deltas == ["Hel", "lo"]
    assert recorder.texts == ["Hello"]


async def test_an_async_stream_left_early_is_not_recorded() -> None:
    recorder = Recorder()

    async def open_source() -> StreamSource:
        return ndjson_response(*WHOLE_REPLY)

    async with AsyncChatStream(open_source, recorder) as stream:
        async for _ in stream:
            break

    assert recorder.texts == []
