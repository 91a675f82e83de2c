"""Streamed replies against the emulator: ``chat_stream`` and ``async_chat_stream``.

What the issue asks of a stream: text deltas as soon as their NDJSON line arrives; typed
events; final text and usage; history recorded once, when the reply is whole; an
``error`` line raises and records nothing; leaving early releases the connection and
records nothing; failures before the first byte are retried, nothing after. The
emulator's request log and connection count are the window on the wire.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAPIError,
    PuterBadRequestError,
    PuterConnectionError,
    PuterStreamError,
)
from puter_client._generated import models
from puter_client.emulator import (
    Drop,
    PuterEmulator,
    Respond,
    StreamError,
    StreamWithoutUsage,
    expected_reply,
    pytest_plugin,
)
from tests.support.emulated import chat_calls, connect

# The emulator plugin's fixtures, for this module (a V2 and a legacy server).
puter_emulator_session = pytest_plugin.puter_emulator_session
puter_emulator = pytest_plugin.puter_emulator
puter_emulator_legacy_session = pytest_plugin.puter_emulator_legacy_session
puter_emulator_legacy = pytest_plugin.puter_emulator_legacy

MODEL = "gpt-4o"
PROMPT = "Tell me about lighthouses"
REPLY = expected_reply(PROMPT, MODEL)
#: The emulator streams 12 characters of text per line, then the usage line.
TEXT_LINES = -(-len(REPLY) // 12)
#: Seconds the emulator waits before each line after the first, in the slow tests.
LINE_DELAY = 0.05

NDJSON = "application/x-ndjson"


@pytest.fixture
def emu(puter_emulator: PuterEmulator) -> PuterEmulator:
    """A V2 emulator with no connection left over from earlier tests."""
    assert puter_emulator.wait_for_connections(0)
    return puter_emulator


@pytest.fixture
def client(emu: PuterEmulator) -> Iterator[PuterAI]:
    with connect(emu) as c:
        yield c


@pytest.fixture
async def aclient(emu: PuterEmulator) -> AsyncIterator[PuterAI]:
    async with connect(emu) as c:
        yield c


def slow_lines(emu: PuterEmulator) -> None:
    """Make the emulator pause ``LINE_DELAY`` before each streamed line but the first."""
    emu.state.options.stream_line_delay = LINE_DELAY


def ndjson_body(*lines: str) -> bytes:
    return "".join(f"{text}\n" for text in lines).encode()


# ------------------------------------------------------------------ the reply, as deltas


def test_chat_stream_yields_the_reply_as_several_text_deltas(client: PuterAI) -> None:
    with client.chat_stream(PROMPT, MODEL) as stream:
        deltas = list(stream)

    assert len(deltas) == TEXT_LINES > 1
    assert "".join(deltas) == REPLY


def test_chat_stream_asks_the_server_for_an_ndjson_stream(
    client: PuterAI, emu: PuterEmulator
) -> None:
    with client.chat_stream(PROMPT, MODEL) as stream:
        stream.until_done()

    [call] = chat_calls(emu)
    assert call.args["stream"] is True
    assert "stream" not in call.json  # in args, never at top level
    assert call.headers["accept"] == NDJSON


async def test_async_chat_stream_yields_the_reply_as_several_text_deltas(
    aclient: PuterAI,
) -> None:
    async with aclient.async_chat_stream(PROMPT, MODEL) as stream:
        deltas = [delta async for delta in stream]

    assert len(deltas) == TEXT_LINES > 1
    assert "".join(deltas) == REPLY


def test_a_stream_can_be_iterated_without_a_with_block(client: PuterAI) -> None:
    assert "".join(client.chat_stream(PROMPT, MODEL)) == REPLY


def test_a_stream_sends_images_like_chat_does(client: PuterAI, emu: PuterEmulator) -> None:
    image = "https://example.com/cat.png"

    with client.chat_stream("What is this?", MODEL, images=[image]) as stream:
        text = stream.until_done()

    assert text == expected_reply("What is this?", MODEL, images=1)
    [call] = chat_calls(emu)
    content = call.args["messages"][-1]["content"]
    assert {"type": "image_url", "image_url": {"url": image}} in content


def test_bad_input_raises_value_error_before_any_request(
    client: PuterAI, emu: PuterEmulator
) -> None:
    with pytest.raises(ValueError):
        client.chat_stream()

    with pytest.raises(ValueError):
        client.async_chat_stream(images=["/no/such/file.png"])

    assert emu.requests == []


# ------------------------------------------------------------------ incremental reading


def test_the_first_delta_arrives_before_the_last_line_is_sent(
    client: PuterAI, emu: PuterEmulator
) -> None:
    slow_lines(emu)
    start = time.monotonic()
    arrivals: list[float] = []
    response_sent_at_first_delta: bool | None = None

    with client.chat_stream(PROMPT, MODEL) as stream:
        for _ in stream:
            arrivals.append(time.monotonic())
            if response_sent_at_first_delta is None:
                response_sent_at_first_delta = chat_calls(emu)[0].done.is_set()

    # The emulator was still sending when the first delta reached the caller ...
    assert response_sent_at_first_delta is False
    # ... and the lines after it took their pauses (TEXT_LINES pauses in all).
    assert len(chat_calls(emu)) == 1
    assert len(arrivals) == TEXT_LINES
    assert time.monotonic() - start >= TEXT_LINES * LINE_DELAY


async def test_async_the_first_delta_arrives_before_the_last_line_is_sent(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    slow_lines(emu)
    arrivals: list[float] = []
    response_sent_at_first_delta: bool | None = None

    async with aclient.async_chat_stream(PROMPT, MODEL) as stream:
        async for _ in stream:
            arrivals.append(time.monotonic())
            if response_sent_at_first_delta is None:
                response_sent_at_first_delta = chat_calls(emu)[0].done.is_set()

    assert response_sent_at_first_delta is False
    assert len(chat_calls(emu)) == 1
    assert len(arrivals) == TEXT_LINES


# ------------------------------------------------------------------ events, text, usage


def test_events_are_typed_reasoning_then_text_then_usage(client: PuterAI) -> None:
    with client.chat_stream(PROMPT, "claude-opus-4") as stream:
        events = list(stream.events())

    assert isinstance(events[0], models.StreamReasoning)
    assert all(isinstance(e, models.StreamText) for e in events[1:-1])
    assert isinstance(events[-1], models.StreamUsage)
    assert stream.reasoning == f"Thinking about: {PROMPT}"


def test_the_final_text_and_usage_are_there_once_the_stream_is_done(client: PuterAI) -> None:
    with client.chat_stream(PROMPT, MODEL) as stream:
        assert stream.usage is None
        stream.until_done()

    assert stream.completed
    assert stream.text == REPLY
    words_in, words_out = len(PROMPT.split()), len(REPLY.split())
    assert stream.usage is not None
    assert stream.usage.raw == {
        "prompt_tokens": words_in,
        "completion_tokens": words_out,
        "total_tokens": words_in + words_out,
    }
    assert (stream.usage.input_tokens, stream.usage.output_tokens) == (words_in, words_out)


async def test_async_events_are_typed_and_the_usage_comes_last(aclient: PuterAI) -> None:
    async with aclient.async_chat_stream(PROMPT, MODEL) as stream:
        events = [event async for event in stream.events()]

    assert [e.type for e in events] == ["text"] * TEXT_LINES + ["usage"]
    assert stream.text == REPLY
    assert stream.usage is not None
    assert stream.usage.raw == events[-1].usage  # type: ignore[union-attr]


def test_unknown_line_types_are_surfaced_as_events_and_skipped_by_the_text_iterator(
    client: PuterAI, emu: PuterEmulator
) -> None:
    body = ndjson_body(
        '{"type":"text","text":"Hel"}',
        '{"type":"citation","url":"https://example.com"}',
        '{"type":"text","text":"lo"}',
        '{"type":"usage","usage":{"output_tokens":2}}',
    )
    emu.inject("/drivers/call", Respond(200, body, content_type=NDJSON), times=2)

    with client.chat_stream(PROMPT, MODEL) as stream:
        deltas = list(stream)
    with client.chat_stream(PROMPT, MODEL) as stream:
        events = list(stream.events())

    assert deltas == ["Hel", "lo"]
    unknown = events[1]
    assert isinstance(unknown, models.StreamUnknown)
    assert (unknown.type, unknown.additional_properties) == (
        "citation",
        {"url": "https://example.com"},
    )
    assert stream.completed


# ------------------------------------------------------------------ history


def test_history_is_recorded_once_when_the_stream_completes(client: PuterAI) -> None:
    history_sizes_while_streaming = []

    with client.chat_stream(PROMPT, MODEL) as stream:
        for _ in stream:
            history_sizes_while_streaming.append(len(client.chat_history))

    assert set(history_sizes_while_streaming) == {0}
    assert client.chat_history == [
        {"role": "user", "content": PROMPT},
        {"role": "assistant", "content": REPLY},
    ]


def test_a_second_stream_continues_the_conversation(client: PuterAI, emu: PuterEmulator) -> None:
    with client.chat_stream(PROMPT, MODEL) as first:
        first.until_done()

    with client.chat_stream("And lightships?", MODEL) as second:
        text = second.until_done()

    assert text == expected_reply("And lightships?", MODEL, turns=2)
    assert [m["role"] for m in chat_calls(emu)[-1].args["messages"]] == [
        "user",
        "assistant",
        "user",
    ]
    assert len(client.chat_history) == 4


async def test_async_history_is_recorded_when_the_stream_completes(aclient: PuterAI) -> None:
    async with aclient.async_chat_stream(PROMPT, MODEL) as stream:
        async for _ in stream:
            assert aclient.chat_history == []

    assert aclient.chat_history[-1] == {"role": "assistant", "content": REPLY}


# ------------------------------------------------------------------ errors


def test_an_error_line_raises_from_the_iterator_after_the_deltas_before_it(
    client: PuterAI, emu: PuterEmulator
) -> None:
    emu.inject("/drivers/call", StreamError(message="Upstream provider error", after_lines=2))
    deltas: list[str] = []

    with pytest.raises(PuterStreamError, match="Upstream provider error") as caught:  # noqa: SIM117
        with client.chat_stream(PROMPT, MODEL) as stream:
            for delta in stream:
                deltas.append(delta)

    assert isinstance(caught.value, PuterAPIError)
    assert deltas == [REPLY[:12], REPLY[12:24]]
    assert not stream.completed


def test_an_error_line_leaves_history_unchanged(client: PuterAI, emu: PuterEmulator) -> None:
    client.chat("Earlier", MODEL)
    before = client.chat_history
    emu.inject("/drivers/call", StreamError(after_lines=1))

    with pytest.raises(PuterStreamError):
        list(client.chat_stream(PROMPT, MODEL))

    assert client.chat_history == before


async def test_async_an_error_line_raises_and_leaves_history_unchanged(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    emu.inject("/drivers/call", StreamError(message="Provider overloaded", after_lines=1))

    with pytest.raises(PuterStreamError, match="Provider overloaded"):
        async with aclient.async_chat_stream(PROMPT, MODEL) as stream:
            async for _ in stream:
                pass

    assert aclient.chat_history == []


def test_a_stream_that_ends_without_its_usage_line_raises_and_records_nothing(
    client: PuterAI, emu: PuterEmulator
) -> None:
    emu.inject("/drivers/call", StreamWithoutUsage())

    with pytest.raises(PuterStreamError) as caught:
        list(client.chat_stream(PROMPT, MODEL))

    assert caught.value.code == "incomplete_stream"
    assert client.chat_history == []


def test_an_error_answered_before_the_stream_starts_raises_from_the_iterator(
    client: PuterAI, emu: PuterEmulator
) -> None:
    stream = client.chat_stream(PROMPT, "no-such-model")

    with pytest.raises(PuterBadRequestError, match="Model not found"):
        next(iter(stream))

    assert client.chat_history == []
    [call] = chat_calls(emu)
    assert call.status == 400


# ------------------------------------------------------------------ leaving early


def test_breaking_out_early_closes_the_connection_and_records_nothing(
    client: PuterAI, emu: PuterEmulator
) -> None:
    slow_lines(emu)

    with client.chat_stream(PROMPT, MODEL) as stream:
        for _ in stream:
            assert emu.open_connections() == 1
            break

    assert emu.wait_for_connections(0)
    assert client.chat_history == []
    assert not stream.completed


def test_breaking_out_of_a_plain_for_loop_closes_the_connection(
    client: PuterAI, emu: PuterEmulator
) -> None:
    slow_lines(emu)

    for _ in client.chat_stream(PROMPT, MODEL):
        break

    assert emu.wait_for_connections(0)
    assert client.chat_history == []


def test_closing_a_stream_midway_closes_the_connection_and_records_nothing(
    client: PuterAI, emu: PuterEmulator
) -> None:
    slow_lines(emu)
    stream = client.chat_stream(PROMPT, MODEL)
    events = stream.events()
    next(events)

    stream.close()

    assert emu.wait_for_connections(0)
    assert client.chat_history == []
    with pytest.raises(StopIteration):
        next(events)


async def test_async_breaking_out_early_closes_the_connection_and_records_nothing(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    slow_lines(emu)

    async with aclient.async_chat_stream(PROMPT, MODEL) as stream:
        async for _ in stream:
            assert emu.open_connections() == 1
            break

    assert emu.wait_for_connections(0)
    assert aclient.chat_history == []


async def test_async_closing_a_stream_midway_closes_the_connection(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    slow_lines(emu)
    stream = aclient.async_chat_stream(PROMPT, MODEL)
    await stream.events().__anext__()

    await stream.aclose()

    assert emu.wait_for_connections(0)
    assert aclient.chat_history == []


def test_a_stream_read_to_the_end_returns_its_connection_to_the_pool(
    client: PuterAI, emu: PuterEmulator
) -> None:
    with client.chat_stream(PROMPT, MODEL) as stream:
        stream.until_done()
    client.chat("Next", MODEL)

    first, second = chat_calls(emu)
    assert first.client == second.client  # the same (kept-alive) connection
    assert emu.open_connections() == 1


# ------------------------------------------------------------------ retries


@pytest.mark.parametrize(
    "failure",
    [Respond(503), Drop()],
    ids=["503", "connection dropped before any byte"],
)
def test_a_failure_before_the_first_byte_is_retried(
    client: PuterAI, emu: PuterEmulator, failure: Any
) -> None:
    emu.inject("/drivers/call", failure)

    with client.chat_stream(PROMPT, MODEL) as stream:
        text = stream.until_done()

    assert text == REPLY
    assert len(chat_calls(emu)) == 2
    assert len(client.chat_history) == 2


async def test_async_a_failure_before_the_first_byte_is_retried(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    emu.inject("/drivers/call", status=503, times=2)

    async with aclient.async_chat_stream(PROMPT, MODEL) as stream:
        text = await stream.until_done()

    assert text == REPLY
    assert [r.status for r in chat_calls(emu)] == [503, 503, 200]


def test_a_refused_token_before_the_stream_starts_means_one_login_and_a_replay(
    emu: PuterEmulator,
) -> None:
    with PuterAI(
        username="alice",
        password="alice-password",
        api_base=emu.api_base,
        login_url=emu.login_url,
        retry_delay=0.01,
    ) as client:
        client.login()
        emu.revoke_tokens("alice")

        text = client.chat_stream(PROMPT, MODEL).until_done()

    assert text == REPLY
    assert [(r.path, r.status) for r in emu.requests] == [
        ("/login", 200),
        ("/drivers/call", 401),
        ("/login", 200),
        ("/drivers/call", 200),
    ]


def test_a_connection_lost_midway_raises_and_is_not_retried(
    client: PuterAI, emu: PuterEmulator
) -> None:
    first_line = len('{"type":"text","text":"You said: Te"}\n')
    emu.inject("/drivers/call", Drop(after_bytes=first_line + 5))
    deltas: list[str] = []

    with pytest.raises(PuterConnectionError):  # noqa: SIM117
        with client.chat_stream(PROMPT, MODEL) as stream:
            for delta in stream:
                deltas.append(delta)

    assert deltas == [REPLY[:12]]
    assert len(chat_calls(emu)) == 1
    assert client.chat_history == []


def test_an_error_line_is_not_retried(client: PuterAI, emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", StreamError(after_lines=1))

    with pytest.raises(PuterStreamError):
        list(client.chat_stream(PROMPT, MODEL))

    assert len(chat_calls(emu)) == 1


# ------------------------------------------------------------------ the legacy server


def whole_reply(text: str) -> dict[str, Any]:
    """A legacy server's whole (non-streamed) success envelope for a Claude model."""
    return {
        "success": True,
        "service": {"name": "claude"},
        "result": {
            "message": {
                "role": "assistant",
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
            },
            "usage": {"input_tokens": 4, "output_tokens": 5},
            "finish_reason": "stop",
        },
    }


@pytest.fixture
def legacy_client(puter_emulator_legacy: PuterEmulator) -> Iterator[PuterAI]:
    with connect(puter_emulator_legacy) as c:
        yield c


def test_a_legacy_server_streams_through_the_model_provider_driver(
    legacy_client: PuterAI, puter_emulator_legacy: PuterEmulator
) -> None:
    with legacy_client.chat_stream(PROMPT, "claude-opus-4") as stream:
        deltas = list(stream)

    assert "".join(deltas) == expected_reply(PROMPT, "claude-opus-4")
    drivers = [r.json["driver"] for r in chat_calls(puter_emulator_legacy)]
    assert drivers == ["ai-chat", "claude"]
    assert len(legacy_client.chat_history) == 2


def test_a_whole_json_reply_to_a_stream_request_is_replayed_as_a_stream(
    legacy_client: PuterAI, puter_emulator_legacy: PuterEmulator
) -> None:
    legacy_client.chat_stream(PROMPT, "claude-opus-4").until_done()  # learns the driver
    puter_emulator_legacy.inject(
        "/drivers/call", status=200, body=whole_reply("Answered in one piece.")
    )

    with legacy_client.chat_stream("Again", "claude-opus-4") as stream:
        events = list(stream.events())

    assert events == [
        models.StreamText(text="Answered in one piece."),
        models.StreamUsage(usage={"input_tokens": 4, "output_tokens": 5}),
    ]
    assert stream.completed
    assert legacy_client.chat_history[-1] == {
        "role": "assistant",
        "content": "Answered in one piece.",
    }


async def test_async_a_whole_json_reply_to_a_stream_request_is_replayed_as_a_stream(
    aclient: PuterAI, emu: PuterEmulator
) -> None:
    emu.inject("/drivers/call", status=200, body=whole_reply("Answered in one piece."))

    async with aclient.async_chat_stream(PROMPT, "claude-opus-4") as stream:
        deltas = [delta async for delta in stream]

    assert deltas == ["Answered in one piece."]
    assert stream.usage is not None
    assert stream.usage.raw == {"input_tokens": 4, "output_tokens": 5}
    assert len(aclient.chat_history) == 2


def test_a_legacy_error_envelope_to_a_stream_request_raises_before_any_delta(
    legacy_client: PuterAI, puter_emulator_legacy: PuterEmulator
) -> None:
    envelope = {
        "success": False,
        "error": {"code": "rate_limited", "message": "Slow down", "status": 400},
    }
    puter_emulator_legacy.inject("/drivers/call", status=200, body=envelope)

    with pytest.raises(PuterAPIError, match="Slow down"):
        next(iter(legacy_client.chat_stream(PROMPT, "claude-opus-4")))

    assert legacy_client.chat_history == []
