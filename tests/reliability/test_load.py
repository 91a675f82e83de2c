"""Load and cancellation: one client under a thousand concurrent calls with faults mixed
in, and async calls abandoned half-way (``task.cancel()``, ``asyncio.wait_for``).

What must hold: every call ends, with its reply or a typed ``PuterError``; history holds
exactly the successful turns, each one whole; the rate limit holds on the server's own
request log; an abandoned call records nothing and leaves the pool usable; after
``aclose()`` no connection is left open.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import pytest
import pytest_asyncio

from puter import PuterAI
from puter.exceptions import PuterError
from puter_client.emulator import Delay, Drop, PuterEmulator, expected_reply
from tests.support.timing import (
    ROUNDING,
    SlotLog,
    assert_no_arrival_before_its_slot,
    most_in_a_window,
    record_reservations,
)

from .support import DRIVER_CALL, Mark, token_client, turn

#: These runs wait for real: a thousand calls paced at RATE, answers abandoned after a real
#: delay. Only wall time shows that nothing hangs; they are the suite's wall-clock tests.
pytestmark = pytest.mark.wallclock

MODEL = "claude-opus-4"
CALLS = 1000
RATE = 400  # requests per second: the thousand calls and their retries take ~3 s
#: Process CPU seconds the whole run may use: about a tenth of it when all is well; calls
#: whose cost grew with the number in flight (httpcore's queue once did) need far more.
CPU_BUDGET = 30.0
#: An abandoned call's answer comes this late; ``wait_for`` gives up after ABANDON_AFTER,
#: by when even a loaded machine has delivered the request to the emulator (over the
#: connection the warm-up call left in the pool: milliseconds when idle, well under a
#: second with two CPU burners beside the suite).
LATE_ANSWER = 20.0
ABANDON_AFTER = 1.5


async def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.005)


# --- a thousand concurrent calls ----------------------------------------------------------


@attrs.frozen
class LoadRun:
    """What a thousand concurrent calls left behind."""

    #: Each call's reply, or the exception it raised, in call order.
    outcomes: list[Any] = attrs.field(repr=False)
    #: The client's history once every call had ended.
    history: list[dict[str, Any]] = attrs.field(repr=False)
    #: When the server received each driver call (``time.monotonic()``).
    starts: list[float] = attrs.field(repr=False)
    #: The start slots the client's rate limiter handed out.
    slots: list[float] = attrs.field(repr=False)
    #: Whether every connection was closed soon after ``aclose()``.
    connections_closed: bool
    #: Process CPU seconds (client and emulator) from the first call to the last outcome.
    cpu_seconds: float


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def load_run(puter_emulator_session: PuterEmulator) -> LoadRun:
    """A thousand concurrent ``async_chat`` calls on one client, through a mix of faults:
    every 7th request answers 503, some connections drop before or during the answer,
    some answers come late. Run once for the module's tests."""
    emu = puter_emulator_session
    emu.reset(legacy=False)
    numbers = range(1, 2 * CALLS)
    emu.inject(DRIVER_CALL, status=503, at=[n for n in numbers if n % 7 == 0])
    emu.inject(DRIVER_CALL, Drop(), at=[n for n in numbers if n % 50 == 11])
    emu.inject(DRIVER_CALL, Drop(after_bytes=30), at=[n for n in numbers if n % 50 == 23])
    emu.inject(DRIVER_CALL, Delay(seconds=0.3), at=[n for n in numbers if n % 40 == 5])
    client = token_client(emu, rate_limit_requests=RATE, rate_limit_period=1, max_retries=3)
    slot_log = SlotLog()
    with pytest.MonkeyPatch.context() as patch:
        record_reservations(patch, slot_log)
        cpu_started = time.process_time()
        try:
            calls = [client.async_chat(f"Question {i}") for i in range(CALLS)]
            outcomes = await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), 300)
            cpu_seconds = time.process_time() - cpu_started
            history = client.chat_history
        finally:
            await client.aclose()
    closed = await asyncio.to_thread(emu.wait_for_connections, 0, 30.0)
    starts = [r.time for r in emu.requests_to(DRIVER_CALL)]
    return LoadRun(list(outcomes), history, starts, slot_log.slots, closed, cpu_seconds)


def test_under_load_every_call_ends_with_its_reply_or_a_typed_error(load_run: LoadRun) -> None:
    for index, outcome in enumerate(load_run.outcomes):
        if isinstance(outcome, str):
            assert outcome == expected_reply(f"Question {index}", MODEL)
        else:
            assert isinstance(outcome, PuterError), repr(outcome)
    successes = sum(isinstance(o, str) for o in load_run.outcomes)
    assert successes >= 0.95 * CALLS  # four faulted attempts in a row are rare


def test_under_load_history_holds_each_successful_turn_whole(load_run: LoadRun) -> None:
    history = load_run.history
    succeeded = {f"Question {i}": o for i, o in enumerate(load_run.outcomes) if isinstance(o, str)}

    assert len(history) == 2 * len(succeeded)
    recorded = [history[i : i + 2] for i in range(0, len(history), 2)]
    for pair in recorded:
        prompt = pair[0]["content"]
        assert pair == turn(prompt, succeeded[prompt])
    assert {pair[0]["content"] for pair in recorded} == set(succeeded)


def test_under_load_no_window_of_the_limiters_slots_holds_more_than_the_rate(
    load_run: LoadRun,
) -> None:
    slots = load_run.slots

    assert len(slots) > CALLS  # the faults caused retries
    assert most_in_a_window(slots, 1.0) <= RATE
    # ... and the limit is what paced them: N slots span at least (N - 1) // RATE periods.
    assert max(slots) - min(slots) >= (len(slots) - 1) // RATE - ROUNDING


def test_under_load_the_server_saw_each_attempt_no_earlier_than_its_slot(
    load_run: LoadRun,
) -> None:
    assert_no_arrival_before_its_slot(load_run.starts, load_run.slots)


def test_under_load_the_calls_cost_cpu_in_proportion_to_their_number(load_run: LoadRun) -> None:
    # CPU time, unlike wall time, does not grow when other processes share the cores.
    assert load_run.cpu_seconds <= CPU_BUDGET


def test_under_load_no_connection_outlives_aclose(load_run: LoadRun) -> None:
    assert load_run.connections_closed


# --- abandoned calls ----------------------------------------------------------------------


async def chat_until_cancelled(client: PuterAI, started: Callable[[], bool]) -> None:
    """``task.cancel()`` an ``async_chat`` once the server holds its request."""
    task = asyncio.create_task(client.async_chat("Abandoned"))
    await wait_until(started)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def chat_until_wait_for_expires(client: PuterAI, started: Callable[[], bool]) -> None:
    """``asyncio.wait_for`` an ``async_chat`` with a timeout shorter than the answer."""
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(client.async_chat("Abandoned"), timeout=ABANDON_AFTER)
    assert started()


async def read_stream(client: PuterAI) -> str:
    async with client.async_chat_stream("Abandoned") as stream:
        return await stream.until_done()


async def stream_until_cancelled(client: PuterAI, started: Callable[[], bool]) -> None:
    """``task.cancel()`` an async stream before its first byte arrived."""
    task = asyncio.create_task(read_stream(client))
    await wait_until(started)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def stream_until_wait_for_expires(client: PuterAI, started: Callable[[], bool]) -> None:
    """``asyncio.wait_for`` an async stream whose first byte is late."""
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(read_stream(client), timeout=ABANDON_AFTER)
    assert started()


@pytest.mark.parametrize(
    "abandon",
    [
        chat_until_cancelled,
        chat_until_wait_for_expires,
        stream_until_cancelled,
        stream_until_wait_for_expires,
    ],
    ids=["chat-cancel", "chat-wait_for", "stream-cancel", "stream-wait_for"],
)
async def test_an_abandoned_call_records_nothing_and_leaves_the_pool_usable(
    emu: PuterEmulator,
    abandon: Callable[[PuterAI, Callable[[], bool]], Awaitable[None]],
) -> None:
    async with token_client(emu) as client:
        await client.async_chat("Warm up")
        history = client.chat_history
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, Delay(seconds=LATE_ANSWER))

        await abandon(client, lambda: len(mark.attempts()) == 1)

        assert client.chat_history == history
        reply = expected_reply("Next", MODEL, turns=2)
        assert await client.async_chat("Next") == reply
        assert client.chat_history == history + turn("Next", reply)
    assert emu.wait_for_connections(0)
    abandoned, following = mark.attempts()
    assert (abandoned.status, following.status) == (None, 200)  # never answered: client left


async def test_a_stream_cancelled_mid_reply_records_nothing_and_leaves_the_pool_usable(
    emu: PuterEmulator,
) -> None:
    emu.state.options.stream_line_delay = 0.2  # until the next reset
    deltas: list[str] = []
    first_delta = asyncio.Event()

    async def consume(client: PuterAI) -> None:
        async with client.async_chat_stream("Abandoned") as stream:
            async for delta in stream:
                deltas.append(delta)
                first_delta.set()

    async with token_client(emu) as client:
        await client.async_chat("Warm up")
        history = client.chat_history
        task = asyncio.create_task(consume(client))
        await asyncio.wait_for(first_delta.wait(), 60.0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        assert client.chat_history == history
        assert len(deltas) == 1
        reply = expected_reply("Next", MODEL, turns=2)
        assert await client.async_chat("Next") == reply
        assert client.chat_history == history + turn("Next", reply)
    assert emu.wait_for_connections(0)


async def test_a_call_cancelled_while_waiting_for_the_rate_limit_sends_nothing(
    v2_emu: PuterEmulator,
) -> None:
    emu = v2_emu
    async with token_client(emu, rate_limit_requests=1, rate_limit_period=60.0) as client:
        await client.async_chat("Warm up")
        history = client.chat_history
        mark = Mark(emu)
        waiting = asyncio.create_task(client.async_chat("Abandoned"))
        await asyncio.sleep(0.1)  # well inside the minute-long window

        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

        assert client.chat_history == history
        assert mark.attempts() == []
    assert emu.wait_for_connections(0)
