"""``client.batch`` and ``client.async_batch``: one stateless completion per item, in
input order, a failed item recorded without stopping the run, against the emulator."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterBadRequestError,
    PuterInputError,
    PuterServerError,
)
from puter.types import BatchInput, BatchResult
from puter_client.emulator import Delay, Drop, PuterEmulator
from tests.support.emulated import (
    ALICE,
    PNG_1X1,
    alice,
    chat_calls,
    last_user_content,
    reply,
)
from tests.support.timing import SlotLog, most_in_a_window

MODEL = "gpt-4o"
#: No client-side pacing unless a test asks for it (the default is 10 calls a minute).
UNPACED = {"rate_limit_requests": 10_000, "rate_limit_period": 1.0}


@pytest.fixture
def png_file(tmp_path: Path) -> str:
    path = tmp_path / "dot.png"
    path.write_bytes(PNG_1X1)
    return str(path)


def prompts(count: int) -> list[str]:
    return [f"Question {n}" for n in range(count)]


def texts(results: list[BatchResult]) -> list[str | None]:
    return [r.text for r in results]


# ------------------------------------------------------------------ the results


def test_batch_answers_every_prompt_in_input_order(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", Delay(0.3), at=[1])  # the first call is the slowest

    with alice(**UNPACED) as client:
        results = list(client.batch(prompts(20), model=MODEL, concurrency=4))

    assert [r.index for r in results] == list(range(20))
    assert [r.id for r in results] == list(range(20))
    assert texts(results) == [reply(p, MODEL) for p in prompts(20)]
    assert all(r.ok and r.error is None and r.finish_reason == "stop" for r in results)


async def test_async_batch_answers_every_prompt_in_input_order(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", Delay(0.3), at=[1])

    async with alice(**UNPACED) as client:
        results = [r async for r in client.async_batch(prompts(20), model=MODEL, concurrency=4)]

    assert [r.index for r in results] == list(range(20))
    assert texts(results) == [reply(p, MODEL) for p in prompts(20)]


def test_a_result_carries_the_usage_and_the_typed_completion(v2_emu: PuterEmulator) -> None:
    with alice(**UNPACED) as client:
        [result] = client.batch(["Hi"], model=MODEL)

    assert result.usage is not None
    assert result.usage.raw == {"prompt_tokens": 1, "completion_tokens": 7, "total_tokens": 8}
    assert result.completion is not None
    assert result.completion.text == result.text == reply("Hi", MODEL)


def test_items_may_be_mappings_with_ids_messages_models_and_images(
    v2_emu: PuterEmulator, png_file: str
) -> None:
    items: list[BatchInput] = [
        {"id": "a", "prompt": "Hi"},
        {"id": "b", "messages": [{"role": "user", "content": "From messages"}]},
        {"id": "c", "prompt": "Other model", "model": "claude-opus-4"},
        {"id": "d", "prompt": "Look", "images": [png_file]},
    ]

    with alice(**UNPACED) as client:
        results = list(client.batch(items, model=MODEL))

    assert [r.id for r in results] == ["a", "b", "c", "d"]
    assert texts(results) == [
        reply("Hi", MODEL),
        reply("From messages", MODEL),
        reply("Other model", "claude-opus-4"),
        reply("Look", MODEL, images=1),
    ]


def test_items_with_a_prompt_may_carry_audio_videos_and_files(
    v2_emu: PuterEmulator, tmp_path: Path
) -> None:
    clip, film, paper = tmp_path / "a.wav", tmp_path / "v.mp4", tmp_path / "p.pdf"
    clip.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28))
    film.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(16))
    paper.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    items: list[BatchInput] = [
        {"prompt": "Hear", "audio": [clip]},
        {"prompt": "Watch", "videos": [film]},
        {"prompt": "Read", "files": [paper], "audio": [str(clip)]},
    ]

    with alice(**UNPACED) as client:
        results = list(client.batch(items, model="fake"))

    assert texts(results) == [
        reply("Hear", "fake", audio=1),
        reply("Watch", "fake", videos=1),
        reply("Read", "fake", audio=1, files=1),
    ]
    kinds = [[part["type"] for part in last_user_content(c)] for c in chat_calls(v2_emu)]
    assert sorted(kinds) == sorted(
        [["text", "input_audio"], ["text", "video_url"], ["text", "input_audio", "file"]]
    )


@pytest.mark.parametrize("key", ["images", "audio", "videos", "files"])
def test_media_with_messages_instead_of_a_prompt_is_refused_before_any_request(
    v2_emu: PuterEmulator, key: str
) -> None:
    item = {"messages": [{"role": "user", "content": "Hi"}], key: ["x.bin"]}

    with alice(**UNPACED) as client:
        [result] = list(client.batch([item], model=MODEL))

    assert isinstance(result.error, PuterInputError)
    assert result.error.code == "invalid_item"
    assert f"{key} go with a prompt" in str(result.error)
    assert chat_calls(v2_emu) == []


def test_chat_options_go_with_every_call(v2_emu: PuterEmulator) -> None:
    with alice(**UNPACED) as client:
        list(client.batch(prompts(3), model=MODEL, max_tokens=50, temperature=0.5))

    assert [(c.args["max_tokens"], c.args["temperature"]) for c in chat_calls(v2_emu)] == [
        (50, 0.5)
    ] * 3


def test_batch_neither_reads_nor_changes_the_chat_history(v2_emu: PuterEmulator) -> None:
    with alice(**UNPACED) as client:
        client.chat("Remember me", model=MODEL)
        results = list(client.batch(["Alone"], model=MODEL))

        assert client.chat_history == [
            {"role": "user", "content": "Remember me"},
            {"role": "assistant", "content": reply("Remember me", MODEL)},
        ]
    assert texts(results) == [reply("Alone", MODEL)]  # turns=1: no history was sent


# ------------------------------------------------------------------ failures per item


def test_an_item_the_server_refuses_is_recorded_and_the_run_goes_on(emu: PuterEmulator) -> None:
    items: list[object] = ["First", {"prompt": "Bad", "model": "no-such-model"}, "Third"]

    with alice(**UNPACED) as client:
        first, bad, third = client.batch(items, model=MODEL)  # type: ignore[arg-type]

    assert (first.text, third.text) == (reply("First", MODEL), reply("Third", MODEL))
    assert isinstance(bad.error, PuterBadRequestError)
    assert bad.error.status_code == 400
    assert "no-such-model" in bad.error.message
    assert (bad.text, bad.finish_reason, bad.usage, bad.ok) == (None, None, None, False)


def test_a_503_storm_shorter_than_the_retries_is_absorbed(v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/drivers/call", status=503, retry_after="0", times=6)

    # Whichever items the six 503s fall on (two run at once, in any order), none is
    # refused more often than its retries allow.
    with alice(max_retries=6, **UNPACED) as client:
        results = list(client.batch(prompts(10), model=MODEL, concurrency=2))

    assert texts(results) == [reply(p, MODEL) for p in prompts(10)]


def test_items_a_503_storm_outlasts_fail_alone(v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/drivers/call", status=503, retry_after="0", at=list(range(1, 9)))

    with alice(max_retries=3, **UNPACED) as client:  # 4 attempts: the storm takes items 0 and 1
        results = list(client.batch(prompts(5), model=MODEL, concurrency=1))

    assert [type(r.error) for r in results[:2]] == [PuterServerError, PuterServerError]
    assert texts(results[2:]) == [reply(p, MODEL) for p in prompts(5)[2:]]


def test_dropped_connections_are_retried_for_their_items(v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/drivers/call", Drop(), at=[2, 5, 6])

    with alice(**UNPACED) as client:
        results = list(client.batch(prompts(8), model=MODEL, concurrency=3))

    assert texts(results) == [reply(p, MODEL) for p in prompts(8)]
    assert len(chat_calls(v2_emu)) == 8 + 3


def test_an_item_that_is_not_a_prompt_is_recorded_before_any_request(
    v2_emu: PuterEmulator,
) -> None:
    items: list[object] = [42, {"prompt": "Hi", "colour": "red"}, {"id": "x"}, ""]

    with alice(**UNPACED) as client:
        results = list(client.batch(items, model=MODEL))  # type: ignore[arg-type]

    assert all(isinstance(r.error, PuterInputError) for r in results)
    assert all(isinstance(r.error, ValueError) for r in results)
    assert [r.error.code for r in results if r.error] == ["invalid_item"] * 4
    assert [r.id for r in results] == [0, 1, "x", 3]
    assert "colour" in str(results[1].error)
    assert chat_calls(v2_emu) == []


def test_a_refused_token_is_renewed_once_for_the_run(v2_emu: PuterEmulator) -> None:
    with alice(**UNPACED) as client:
        client.login()
        v2_emu.revoke_tokens(ALICE)
        results = list(client.batch(prompts(6), model=MODEL, concurrency=3))

    assert texts(results) == [reply(p, MODEL) for p in prompts(6)]
    assert len(v2_emu.requests_to("/login")) == 2


def test_the_rate_limiter_paces_every_call(v2_emu: PuterEmulator, limiter_slots: SlotLog) -> None:
    with alice(rate_limit_requests=3, rate_limit_period=0.3) as client:
        client.login()
        results = list(client.batch(prompts(7), model=MODEL, concurrency=7))

    assert all(r.ok for r in results)
    assert len(limiter_slots.slots) == 1 + 7
    assert most_in_a_window(limiter_slots.slots_of("ai"), 0.3) == 3


# ------------------------------------------------------------------ laziness, early ends


def test_the_input_is_read_lazily_with_bounded_look_ahead(v2_emu: PuterEmulator) -> None:
    taken = 0

    def endless() -> Iterator[str]:
        nonlocal taken
        for n in itertools.count():
            taken += 1
            yield f"Question {n}"

    with alice(**UNPACED) as client:
        results = client.batch(endless(), model=MODEL, concurrency=2)
        first = next(results)
        results.close()  # type: ignore[attr-defined]

    assert first.text == reply("Question 0", MODEL)
    # An endless input was read only so far: the result taken, the hand-over queue (at most
    # `concurrency` results), one result waiting for room in it, and the window (4 items
    # per slot). How far the worker thread got before close() depends on scheduling, never
    # beyond this bound.
    concurrency = 2
    assert taken <= 1 + concurrency + 1 + 4 * concurrency
    assert len(chat_calls(v2_emu)) <= taken


def test_leaving_a_batch_early_stops_its_calls(v2_emu: PuterEmulator) -> None:
    with alice(**UNPACED) as client:
        for result in client.batch((f"Q{n}" for n in range(10_000)), model=MODEL):
            if result.index == 2:
                break
        assert client.chat("Still usable", model=MODEL) == reply("Still usable", MODEL)

    # Only the window's calls were ever started (a call cancelled in flight may still be
    # logged by the emulator a moment later, so they are counted once all is done).
    batch_calls = [
        c for c in chat_calls(v2_emu) if c.args["messages"][-1]["content"] != "Still usable"
    ]
    assert len(batch_calls) < 100


async def test_async_batch_reads_an_async_iterable(v2_emu: PuterEmulator) -> None:
    async def source() -> AsyncIterator[str]:
        for prompt in prompts(3):
            yield prompt

    async with alice(**UNPACED) as client:
        results = [r async for r in client.async_batch(source(), model=MODEL)]

    assert texts(results) == [reply(p, MODEL) for p in prompts(3)]


# ------------------------------------------------------------------ bad arguments


@pytest.mark.parametrize(
    ("arguments", "error", "fragment"),
    [
        ({"concurrency": 0}, ValueError, "concurrency must be between 1 and 1000"),
        ({"concurrency": 1.5}, TypeError, "concurrency must be an int"),
        ({"model": ""}, ValueError, "model must be a non-empty string"),
        ({"max_tokens": "many"}, ValueError, "invalid chat option"),
        ({"colour": "red"}, TypeError, "unknown chat option(s): colour"),
    ],
)
def test_bad_arguments_raise_before_any_request(
    v2_emu: PuterEmulator, arguments: dict[str, object], error: type[Exception], fragment: str
) -> None:
    client = PuterAI(token=v2_emu.token_for(ALICE), **UNPACED)  # type: ignore[arg-type]
    for method in (client.batch, client.async_batch):
        with pytest.raises(error) as caught:
            method(["Hi"], **arguments)  # type: ignore[arg-type]
        assert fragment in str(caught.value)
    assert v2_emu.requests == []


@pytest.mark.parametrize("items", ["one prompt", {"prompt": "Hi"}, 42])
def test_items_must_be_an_iterable_of_items(v2_emu: PuterEmulator, items: object) -> None:
    client = PuterAI(token=v2_emu.token_for(ALICE), **UNPACED)  # type: ignore[arg-type]

    with pytest.raises(TypeError, match="items must be an iterable"):
        client.batch(items)  # type: ignore[arg-type]


def test_a_jsonl_line_of_puter_batch_may_carry_every_key_a_batch_item_takes() -> None:
    from puter_client.services.batch import batch, files

    assert {*files._ITEM_KEYS, "id"} == batch.ITEM_KEYS
