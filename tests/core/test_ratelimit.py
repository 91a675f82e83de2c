"""RateLimiter: sliding-window slots, FIFO reservations, sleeping outside the lock."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from puter_client.core.configuration import PuterConfig
from puter_client.core.ratelimit import RateLimiter, SlidingWindow


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
