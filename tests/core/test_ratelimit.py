"""RateLimiter: sliding-window slots, FIFO reservations, sleeping outside the lock."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterRateLimitError
from puter_client.core.configuration import PuterConfig
from puter_client.core.ratelimit import (
    TIERED_LIMITS,
    GroupLimit,
    RateLimiter,
    SlidingWindow,
    TieredLimiter,
    _Gate,
)
from puter_client.emulator import PuterEmulator
from puter_client.emulator.core.ratelimit import RateLimit


class FakeClock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- the pure window ------------------------------------------------------------------


def test_the_first_requests_of_a_window_start_immediately() -> None:
    window = SlidingWindow(3, 10.0)
    assert [window.reserve(5.0) for _ in range(3)] == [5.0, 5.0, 5.0]


def test_a_request_beyond_the_limit_waits_until_the_oldest_start_is_a_period_old() -> None:
    window = SlidingWindow(2, 10.0)
    window.reserve(0.0)
    window.reserve(4.0)
    assert window.reserve(5.0) == 10.0


def test_concurrent_callers_get_distinct_first_come_first_served_slots() -> None:
    window = SlidingWindow(2, 10.0)
    starts = [window.reserve(0.0) for _ in range(6)]
    assert starts == [0.0, 0.0, 10.0, 10.0, 20.0, 20.0]


def test_the_window_slides_so_old_starts_stop_counting() -> None:
    window = SlidingWindow(2, 10.0)
    window.reserve(0.0)
    window.reserve(0.0)
    assert window.reserve(10.0) == 10.0
    assert window.reserve(10.5) == 10.5
    assert window.reserve(10.5) == 20.0  # the starts at 10.0 and 10.5 fill the window


def test_a_clock_going_backwards_never_gets_a_slot_before_one_already_given() -> None:
    window = SlidingWindow(5, 10.0)
    window.reserve(50.0)
    assert window.reserve(40.0) == 50.0


@pytest.mark.parametrize(("requests", "period"), [(0, 1.0), (-1, 1.0), (True, 1.0), (1, 0.0)])
def test_invalid_limits_are_rejected(requests: Any, period: Any) -> None:
    with pytest.raises(ValueError):
        SlidingWindow(requests, period)


@pytest.mark.parametrize("period", [float("inf"), float("nan"), -1.0])
def test_non_finite_or_negative_periods_are_rejected(period: float) -> None:
    with pytest.raises(ValueError):
        RateLimiter(1, period)


# --- the limiter shell ----------------------------------------------------------------


def test_from_config_uses_the_configured_limit() -> None:
    cfg = PuterConfig(environ={}, rate_limit_requests=5, rate_limit_period=10)
    limiter = RateLimiter.from_config(cfg)
    assert (limiter.requests, limiter.period) == (5, 10)
    assert repr(limiter) == "RateLimiter(requests=5, period=10)"


def test_acquire_sleeps_once_for_exactly_the_reserved_wait() -> None:
    clock = FakeClock()
    sleeps: list[float] = []
    limiter = RateLimiter(1, 3.0, clock=clock, sleep=sleeps.append)
    assert limiter.acquire() == 0.0
    clock.now += 1.0
    assert limiter.acquire() == 2.0
    assert sleeps == [2.0]


async def test_async_acquire_awaits_the_async_sleep_for_the_reserved_wait() -> None:
    clock = FakeClock()
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    limiter = RateLimiter(2, 5.0, clock=clock, async_sleep=fake_sleep)
    waits = [await limiter.async_acquire() for _ in range(3)]
    assert waits == [0.0, 0.0, 5.0]
    assert sleeps == [5.0]


def test_the_lock_is_not_held_while_sleeping() -> None:
    clock = FakeClock()
    other_waits: list[float] = []

    def sleep(_: float) -> None:
        # Another thread must be able to reserve while this caller sleeps.
        other = threading.Thread(target=lambda: other_waits.append(limiter.reserve()))
        other.start()
        other.join(timeout=60.0)

    limiter = RateLimiter(1, 1.0, clock=clock, sleep=sleep)
    limiter.acquire()
    limiter.acquire()
    assert other_waits == [2.0]


# --- real time (tiny periods) ---------------------------------------------------------

REQUESTS, PERIOD, CALLS = 2, 0.1, 6


def assert_starts_respect_the_limit(t0: float, finished: list[float], waits: list[float]) -> None:
    """The k-th start can come no earlier than ``k // REQUESTS`` periods after t0, and
    the limiter asks no caller to wait longer than the whole schedule needs (the waits
    it hands out, not wall time, which a busy machine stretches)."""
    assert len(finished) == CALLS
    for k, t in enumerate(sorted(finished)):
        assert t - t0 >= (k // REQUESTS) * PERIOD - 0.002
    assert max(waits) <= (CALLS // REQUESTS - 1) * PERIOD + 1e-9


def test_threads_sharing_a_limiter_are_throttled_in_real_time() -> None:
    limiter = RateLimiter(REQUESTS, PERIOD)
    finished: list[float] = []
    waits: list[float] = []

    def call() -> None:
        waits.append(limiter.acquire())
        finished.append(time.monotonic())

    t0 = time.monotonic()
    threads = [threading.Thread(target=call) for _ in range(CALLS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert_starts_respect_the_limit(t0, finished, waits)


async def test_gathered_coroutines_sharing_a_limiter_are_throttled_in_real_time() -> None:
    limiter = RateLimiter(REQUESTS, PERIOD)

    waits: list[float] = []

    async def call() -> float:
        waits.append(await limiter.async_acquire())
        return time.monotonic()

    t0 = time.monotonic()
    finished = await asyncio.gather(*(call() for _ in range(CALLS)))
    assert_starts_respect_the_limit(t0, list(finished), waits)


async def test_sync_and_async_callers_share_one_limit() -> None:
    limiter = RateLimiter(REQUESTS, PERIOD)
    finished: list[float] = []
    waits: list[float] = []

    def sync_call() -> None:
        waits.append(limiter.acquire())
        finished.append(time.monotonic())

    async def async_call() -> None:
        waits.append(await limiter.async_acquire())
        finished.append(time.monotonic())

    t0 = time.monotonic()
    threads = [threading.Thread(target=sync_call) for _ in range(CALLS // 2)]
    for thread in threads:
        thread.start()
    await asyncio.gather(*(async_call() for _ in range(CALLS - CALLS // 2)))

    def join_all() -> None:
        for thread in threads:
            thread.join()

    await asyncio.to_thread(join_all)
    assert_starts_respect_the_limit(t0, finished, waits)


# --- in-flight caps -------------------------------------------------------------------


def test_a_capped_limiter_admits_no_more_than_its_cap_until_one_finishes() -> None:
    limiter = RateLimiter(100, 1.0, in_flight=2)
    first, _ = limiter.start(), limiter.start()
    third_started = threading.Event()

    def third() -> None:
        limiter.finish(limiter.start())
        third_started.set()

    thread = threading.Thread(target=third)
    thread.start()
    assert not third_started.wait(0.05)  # held while two are in flight
    limiter.finish(first)
    thread.join(timeout=60.0)
    assert third_started.is_set()


async def test_gathered_calls_never_exceed_the_in_flight_cap() -> None:
    limiter = RateLimiter(100, 1.0, in_flight=3)
    now = peak = 0

    async def call() -> None:
        nonlocal now, peak
        ticket = await limiter.async_start()
        now += 1
        peak = max(peak, now)
        await asyncio.sleep(0)
        now -= 1
        limiter.finish(ticket)

    await asyncio.gather(*(call() for _ in range(20)))
    assert peak == 3


async def test_a_caller_cancelled_while_queued_leaves_no_slot_taken() -> None:
    limiter = RateLimiter(100, 1.0, in_flight=1)
    ticket = await limiter.async_start()
    queued = asyncio.create_task(limiter.async_start())
    await asyncio.sleep(0)
    queued.cancel()
    with pytest.raises(asyncio.CancelledError):
        await queued
    limiter.finish(ticket)
    limiter.finish(await asyncio.wait_for(limiter.async_start(), 60.0))


def test_an_uncapped_limiter_holds_no_slot() -> None:
    limiter = RateLimiter(100, 1.0)
    assert [limiter.start().in_flight for _ in range(3)] == [False] * 3


# --- tiers ----------------------------------------------------------------------------


def test_a_429_lowers_a_tiered_limiter_one_tier() -> None:
    limiter = TieredLimiter("fs.write", TIERED_LIMITS["fs.write"])
    ticket = limiter.start()

    assert limiter.throttled(ticket)
    assert (limiter.tier, limiter.limit()) == ("free", GroupLimit(120, 60.0, 6))


def test_concurrent_429s_of_one_tier_lower_it_once() -> None:
    limiter = TieredLimiter("fs.write", TIERED_LIMITS["fs.write"])
    tickets = [limiter.start() for _ in range(4)]  # in flight together

    assert all(limiter.throttled(t) for t in tickets)  # every one retries at once
    assert limiter.tier == "free"


def test_the_lowest_tier_is_not_lowered_further() -> None:
    limiter = TieredLimiter("fs.write", TIERED_LIMITS["fs.write"], tier="temp")
    assert not limiter.throttled(limiter.start())
    assert limiter.tier == "temp"


def test_an_explicit_window_is_never_lowered() -> None:
    limiter = TieredLimiter("kv", TIERED_LIMITS["kv"], window=(7, 1.0))
    assert not limiter.throttled(limiter.start())
    assert (limiter.requests, limiter.source) == (7, "explicit")


def test_a_lowered_window_counts_the_starts_already_made() -> None:
    clock = FakeClock(0.0)
    limiter = TieredLimiter("fs.write", TIERED_LIMITS["fs.write"], tier="free")
    limiter.use_clock(clock, sleep=lambda _: None)
    for _ in range(40):
        ticket = limiter.start()
        limiter.finish(ticket)

    limiter.throttled(ticket)  # now 30 per 60 s: the last 30 starts fill it

    assert limiter.reserve() == 60.0


def test_a_429_with_no_retry_left_still_lowers_the_tier(v2_emu: PuterEmulator) -> None:
    v2_emu.state.options.rate_limits["puter-kvstore"] = RateLimit(1, 60.0)
    with PuterAI(token=v2_emu.token_for("alice"), max_retries=0) as client:
        client.kv.set("a", 1)
        with pytest.raises(PuterRateLimitError):
            client.kv.set("b", 2)

        assert client.rate_limits["kv"].source == "learned"


def test_a_queued_caller_that_gives_up_leaves_the_queue() -> None:
    gate = _Gate(1)
    assert gate.try_enter() is None
    waiter = gate.try_enter()
    assert waiter is not None

    gate.abandon(waiter)  # interrupted before its turn
    gate.leave()

    assert gate.active == 0
    assert gate.try_enter() is None  # nobody ahead in the queue


def test_a_caller_granted_a_slot_as_it_gives_up_gives_the_slot_back() -> None:
    gate = _Gate(1)
    gate.try_enter()
    waiter = gate.try_enter()
    assert waiter is not None
    gate.leave()  # the slot passes to the waiter...
    assert waiter.granted and gate.active == 1

    gate.abandon(waiter)  # ...which was interrupted meanwhile

    assert gate.active == 0
