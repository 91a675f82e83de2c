"""Point 8 (rate limiting): at most ``rate_limit_requests`` request starts in any window
of ``rate_limit_period`` seconds, per client, counting every attempt (logins and retries
included) of its sync and async calls alike. Checked on the emulator's request log."""

from __future__ import annotations

import asyncio
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter_client.emulator import PuterEmulator

from .support import (
    ALICE,
    REQUEST_LOG_TOLERANCE,
    alice,
    reply,
    starts_per_window,
    use_emulator,
)

#: How much closer together two starts may be logged than the client made them.
TOLERANCE = REQUEST_LOG_TOLERANCE


@pytest.fixture(autouse=True)
def _precise_request_log(precise_request_log: None) -> None:
    """Every test here reads timings off the request log."""


@pytest.fixture(scope="module", autouse=True)
def _warm_code_paths(emulator_server: PuterEmulator) -> None:
    """Make one sync and one async call first: the process's first request of each kind
    pays one-off costs (imports, first connections) that would delay its log entry."""
    emulator_server.reset(legacy=False)
    token = emulator_server.token_for(ALICE)
    api_base = emulator_server.api_base
    with PuterAI(token=token, api_base=api_base) as client:
        client.chat("Warm-up")

    async def warm_up() -> None:
        async with PuterAI(token=token, api_base=api_base) as client:
            await client.async_chat("Warm-up")

    asyncio.run(warm_up())


def arrival_times(emu: PuterEmulator) -> list[float]:
    return [r.time for r in emu.requests]


def most_starts_in_a_window(emu: PuterEmulator, period: float) -> int:
    return starts_per_window(arrival_times(emu), period, TOLERANCE)


def test_no_window_of_the_period_holds_more_than_the_allowed_starts(
    emu: PuterEmulator,
) -> None:
    with alice(rate_limit_requests=3, rate_limit_period=0.5) as client:
        client.login()
        for i in range(6):
            assert client.chat(f"Question {i + 1}") == reply(f"Question {i + 1}", turns=i + 1)

    times = arrival_times(emu)
    assert most_starts_in_a_window(emu, 0.5) == 3
    assert times[-1] - times[0] >= (len(times) - 1) // 3 * 0.5 - TOLERANCE


def test_the_login_and_every_retry_count_against_the_limit(v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/drivers/call", status=503)

    with alice(rate_limit_requests=2, rate_limit_period=0.4) as client:
        client.chat("Hello")

    login, failed, retried = arrival_times(v2_emu)
    assert failed - login < 0.2
    assert retried - login >= 0.4 - TOLERANCE


def test_sync_and_async_calls_of_one_client_share_the_limit(v2_emu: PuterEmulator) -> None:
    client = PuterAI(token=v2_emu.token_for(ALICE), rate_limit_requests=2, rate_limit_period=0.4)

    async def one_async_chat() -> str:
        answer = await client.async_chat("Async")
        await client.aclose()
        return answer

    with client:
        client.chat("Sync 1")
        client.chat("Sync 2")
        assert asyncio.run(one_async_chat()) == reply("Async", turns=3)

    first, _, third = arrival_times(v2_emu)
    assert third - first >= 0.4 - TOLERANCE


async def test_concurrent_async_calls_are_throttled(v2_emu: PuterEmulator) -> None:
    async with alice(rate_limit_requests=2, rate_limit_period=0.3) as client:
        await client.async_login()
        await asyncio.gather(*(client.async_chat(f"Q{i}") for i in range(5)))

    times = arrival_times(v2_emu)
    assert len(times) == 6
    assert most_starts_in_a_window(v2_emu, 0.3) == 2
    assert max(times) - min(times) >= 2 * 0.3 - TOLERANCE


def test_calls_from_several_threads_are_throttled_together(v2_emu: PuterEmulator) -> None:
    token = v2_emu.token_for(ALICE)
    with PuterAI(token=token, rate_limit_requests=2, rate_limit_period=0.3) as client:
        threads = [threading.Thread(target=client.chat, args=(f"Q{i}",)) for i in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert len(arrival_times(v2_emu)) == 5
    assert most_starts_in_a_window(v2_emu, 0.3) == 2


def test_each_client_has_its_own_limit(v2_emu: PuterEmulator) -> None:
    token = v2_emu.token_for(ALICE)
    with (
        PuterAI(token=token, rate_limit_requests=1, rate_limit_period=5) as first,
        PuterAI(token=token, rate_limit_requests=1, rate_limit_period=5) as second,
    ):
        first.chat("One")
        second.chat("Two")

    times = arrival_times(v2_emu)
    assert times[1] - times[0] < 1.0


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    requests=st.integers(1, 3),
    period=st.sampled_from([0.1, 0.15, 0.2, 0.25]),
    calls=st.integers(1, 6),
    use_async=st.booleans(),
)
def test_no_window_ever_holds_more_than_the_allowed_starts(
    emulator_server: PuterEmulator, requests: int, period: float, calls: int, use_async: bool
) -> None:
    emulator_server.reset(legacy=False)
    use_emulator(emulator_server)
    client = alice(rate_limit_requests=requests, rate_limit_period=period)

    async def chat_concurrently() -> None:
        async with client:
            await client.async_login()
            await asyncio.gather(*(client.async_chat(f"Q{i}") for i in range(calls)))

    if use_async:
        asyncio.run(chat_concurrently())
    else:
        with client:
            client.login()
            for i in range(calls):
                client.chat(f"Q{i}")

    assert len(emulator_server.requests) == calls + 1  # one login, then the chats
    assert most_starts_in_a_window(emulator_server, period) <= requests
