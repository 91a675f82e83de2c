"""Point 6: conversation history. Each successful call appends its user turn (as given)
and the assistant's text, together; a call that fails or is cancelled changes nothing;
concurrent calls each see the history as it was when they started."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from puter.exceptions import PuterAPIError
from puter_client.emulator import PuterEmulator
from tests.support.emulated import alice, chat_calls, inject_driver_error, reply

FOOD_URL = "https://example.com/food.jpg"


def user(content: Any) -> dict[str, Any]:
    return {"role": "user", "content": content}


def assistant(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content}


async def until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.005)


def test_history_starts_empty(emu: PuterEmulator) -> None:
    with alice() as client:
        assert client.chat_history == []


def test_a_text_turn_is_recorded_as_the_prompt_string_and_the_reply_text(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        client.chat("Hello!")

        assert client.chat_history == [user("Hello!"), assistant(reply("Hello!"))]


def test_the_prompt_is_sent_and_recorded_exactly_as_given(emu: PuterEmulator) -> None:
    prompt = "  Hello,\n  world!  "
    with alice() as client:
        client.chat(prompt)

        assert client.chat_history[0] == user(prompt)
    assert chat_calls(emu)[-1].args["messages"] == [user(prompt)]


def test_a_turn_with_images_is_recorded_as_its_parts(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("What is in this bowl?", images=[FOOD_URL])

        assert client.chat_history == [
            user(
                [
                    {"type": "text", "text": "What is in this bowl?"},
                    {"type": "image_url", "image_url": {"url": FOOD_URL}},
                ]
            ),
            assistant(reply("What is in this bowl?", images=1)),
        ]


def test_a_content_parts_turn_is_recorded_as_given(emu: PuterEmulator) -> None:
    parts: list[dict[str, Any]] = [
        {"type": "text", "text": "Transcribe this audio clip."},
        {"type": "input_audio", "audio": {"id": "file_audio_123"}},
    ]
    with alice() as client:
        client.chat(content_parts=parts)

        assert client.chat_history[0] == user(parts)


def test_every_call_sends_the_history_before_the_new_message(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("I'm learning about Python programming.")
        answer = client.chat("Can you give me some tips for beginners?")

    assert answer == reply("Can you give me some tips for beginners?", turns=2)
    assert chat_calls(emu)[-1].args["messages"] == [
        user("I'm learning about Python programming."),
        assistant(reply("I'm learning about Python programming.")),
        user("Can you give me some tips for beginners?"),
    ]


async def test_async_chat_records_and_sends_history_like_chat(emu: PuterEmulator) -> None:
    async with alice() as client:
        await client.async_chat("One")
        assert await client.async_chat("Two") == reply("Two", turns=2)

        assert client.chat_history == [
            user("One"),
            assistant(reply("One")),
            user("Two"),
            assistant(reply("Two", turns=2)),
        ]


def test_clear_chat_history_forgets_the_conversation(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("Hello!")
        client.chat("How are you?")
        assert len(client.chat_history) == 4

        client.clear_chat_history()

        assert client.chat_history == []
        assert client.chat("Fresh start") == reply("Fresh start")
    assert chat_calls(emu)[-1].args["messages"] == [user("Fresh start")]


# --- failures leave history alone -----------------------------------------------------

FAILURES = ["bad-request", "server-error-after-retries", "unknown-model", "payment-required"]


def fail_next_chat(emu: PuterEmulator, failure: str) -> dict[str, Any]:
    """Arrange for the next chat to fail; returns the chat's extra arguments."""
    if failure == "bad-request":
        inject_driver_error(emu, 400, code="bad_request", message="Bad request")
    elif failure == "server-error-after-retries":
        emu.inject("/drivers/call", status=500, times=None)
    elif failure == "payment-required":
        inject_driver_error(emu, 402, code="insufficient_funds", message="No credits")
    elif failure == "unknown-model":
        return {"model": "no-such-model"}
    return {}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_failed_call_leaves_the_history_exactly_as_before(
    emu: PuterEmulator, failure: str
) -> None:
    with alice(max_retries=1) as client:
        client.chat("Kept")
        before = client.chat_history
        extra = fail_next_chat(emu, failure)

        with pytest.raises(PuterAPIError):
            client.chat("Lost", **extra)

        assert client.chat_history == before
        emu.clear_faults()
        assert client.chat("Next") == reply("Next", turns=2)


@pytest.mark.parametrize("failure", FAILURES)
async def test_a_failed_async_call_leaves_the_history_exactly_as_before(
    emu: PuterEmulator, failure: str
) -> None:
    async with alice(max_retries=1) as client:
        await client.async_chat("Kept")
        before = client.chat_history
        extra = fail_next_chat(emu, failure)

        with pytest.raises(PuterAPIError):
            await client.async_chat("Lost", **extra)

        assert client.chat_history == before


def test_bad_input_leaves_the_history_exactly_as_before(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("Kept")
        before = client.chat_history

        with pytest.raises(ValueError):
            client.chat("Lost", images=["/no/such/image.png"])

        assert client.chat_history == before


async def test_a_cancelled_async_chat_leaves_the_history_unchanged(emu: PuterEmulator) -> None:
    async with alice() as client:
        await client.async_chat("Kept")
        before = client.chat_history
        sent = len(chat_calls(emu))
        emu.inject("/drivers/call", delay=5.0)

        task = asyncio.create_task(client.async_chat("Cancelled"))
        await until(lambda: len(chat_calls(emu)) == sent + 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        assert client.chat_history == before
        assert await client.async_chat("After") == reply("After", turns=2)


# --- concurrency ----------------------------------------------------------------------


async def test_concurrent_async_chats_each_see_the_history_of_their_start(
    emu: PuterEmulator,
) -> None:
    questions = ["What is machine learning?", "What is deep learning?", "What is AI?"]
    async with alice() as client:
        await client.async_chat("Earlier")
        earlier = client.chat_history
        emu.inject("/drivers/call", delay=0.2)  # the first to arrive finishes last

        answers = await asyncio.gather(*(client.async_chat(q) for q in questions))

        history = client.chat_history

    assert answers == [reply(q, turns=2) for q in questions]
    sent = {r.args["messages"][-1]["content"]: r.args["messages"] for r in chat_calls(emu)}
    for question in questions:
        assert sent[question] == [*earlier, user(question)]
    assert history[:2] == earlier
    pairs = [history[i : i + 2] for i in range(2, len(history), 2)]
    assert sorted(pairs, key=lambda pair: str(pair[0]["content"])) == sorted(
        ([user(q), assistant(reply(q, turns=2))] for q in questions),
        key=lambda pair: str(pair[0]["content"]),
    )
