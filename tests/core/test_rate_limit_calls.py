"""Point 8 (rate limiting): at most ``rate_limit_requests`` request starts in any window
of ``rate_limit_period`` seconds, per client, counting every attempt (retries included) of
its sync and async calls alike; logins are paced by the login limit alone.

The windows are checked on the start slots the client's limiter hands out (exact: they do
not move with the machine's load), and the emulator's request log is checked to hold one
request per slot, none arriving before its slot (see ``timing_support``)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, alice, reply, use_emulator
from tests.support.hypothesis_profiles import examples
from tests.support.timing import (
    ROUNDING,
    SlotLog,
    assert_no_arrival_before_its_slot,
    most_in_a_window,
    record_reservations,
)


def arrival_times(emu: PuterEmulator) -> list[float]:
    return [r.time for r in emu.requests]


def test_no_window_of_the_period_holds_more_than_the_allowed_starts(
    emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    with alice(rate_limit_requests=3, rate_limit_period=0.5) as client:
        client.login()
        for i in range(6):
            assert client.chat(f"Question {i + 1}") == reply(f"Question {i + 1}", turns=i + 1)

    slots = limiter_slots.slots_of("ai")
    assert most_in_a_window(slots, 0.5) == 3
    assert slots[-1] - slots[0] >= (len(slots) - 1) // 3 * 0.5 - ROUNDING
    assert_no_arrival_before_its_slot(arrival_times(emu), limiter_slots.slots)


def test_every_retry_counts_against_the_limit(
    v2_emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    v2_emu.inject("/drivers/call", status=503, times=2)

    with alice(rate_limit_requests=2, rate_limit_period=0.4) as client:
        client.chat("Hello")

    first, failed, retried = (r for r in limiter_slots.reservations if r.group == "ai")
    assert not failed.waited  # the second start fits in the window
    # the third must wait for the first's slot to leave the window
    assert retried.slot - first.slot >= 0.4 - ROUNDING
    assert_no_arrival_before_its_slot(arrival_times(v2_emu), limiter_slots.slots)


def test_the_login_is_paced_by_the_login_limit_not_the_ai_one(
    v2_emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    with alice(rate_limit_requests=1, rate_limit_period=3600) as client:
        client.login()
        client.chat("Hello")  # the one AI start of the hour: the login took none

    assert [r.group for r in limiter_slots.reservations] == ["login", "ai"]
    assert not any(r.waited for r in limiter_slots.reservations)
    assert client.rate_limits["login"][:2] == (10, 900.0)


def test_sync_and_async_calls_of_one_client_share_the_limit(
    v2_emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    client = PuterAI(token=v2_emu.token_for(ALICE), rate_limit_requests=2, rate_limit_period=0.4)

    async def one_async_chat() -> str:
        answer = await client.async_chat("Async")
        await client.aclose()
        return answer

    with client:
        client.chat("Sync 1")
        client.chat("Sync 2")
        assert asyncio.run(one_async_chat()) == reply("Async", turns=3)

    first, _, third = limiter_slots.slots
    assert third - first >= 0.4 - ROUNDING
    assert_no_arrival_before_its_slot(arrival_times(v2_emu), limiter_slots.slots)


async def test_concurrent_async_calls_are_throttled(
    v2_emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    async with alice(rate_limit_requests=2, rate_limit_period=0.3) as client:
        await client.async_login()
        await asyncio.gather(*(client.async_chat(f"Q{i}") for i in range(5)))

    slots = limiter_slots.slots_of("ai")
    assert len(slots) == 5
    assert most_in_a_window(slots, 0.3) == 2
    assert max(slots) - min(slots) >= 2 * 0.3 - ROUNDING
    assert_no_arrival_before_its_slot(arrival_times(v2_emu), limiter_slots.slots)


def test_calls_from_several_threads_are_throttled_together(
    v2_emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    token = v2_emu.token_for(ALICE)
    with PuterAI(token=token, rate_limit_requests=2, rate_limit_period=0.3) as client:
        threads = [threading.Thread(target=client.chat, args=(f"Q{i}",)) for i in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert most_in_a_window(limiter_slots.slots, 0.3) == 2
    assert_no_arrival_before_its_slot(arrival_times(v2_emu), limiter_slots.slots)


def test_each_client_has_its_own_limit(v2_emu: PuterEmulator, limiter_slots: SlotLog) -> None:
    token = v2_emu.token_for(ALICE)
    with (
        PuterAI(token=token, rate_limit_requests=1, rate_limit_period=5) as one,
        PuterAI(token=token, rate_limit_requests=1, rate_limit_period=5) as other,
    ):
        one.chat("One")
        other.chat("Two")

    _, second = limiter_slots.reservations
    assert not second.waited  # the first client's full window does not hold it back


@settings(
    max_examples=examples(10),
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
    slot_log = SlotLog()

    async def chat_concurrently() -> None:
        async with client:
            await client.async_login()
            await asyncio.gather(*(client.async_chat(f"Q{i}") for i in range(calls)))

    with pytest.MonkeyPatch.context() as patch:
        record_reservations(patch, slot_log)
        if use_async:
            asyncio.run(chat_concurrently())
        else:
            with client:
                client.login()
                for i in range(calls):
                    client.chat(f"Q{i}")

    assert len(slot_log.slots) == calls + 1  # one login, then the chats
    assert slot_log.slots_of("login") == slot_log.slots[:1]
    assert most_in_a_window(slot_log.slots_of("ai"), period) <= requests
    assert_no_arrival_before_its_slot(arrival_times(emulator_server), slot_log.slots)


def test_both_steps_of_a_two_factor_login_are_paced_by_the_login_limit(
    v2_emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    with PuterAI(username="otp_user", password="otp_user-password") as client:
        client.login(otp_code="123456")

    assert [r.group for r in limiter_slots.reservations] == ["login", "login"]
