"""Timing assertions that hold on a busy machine.

A loaded 2-core machine delays every thread by varying amounts, so a wall-clock upper
bound ("the retry came within 0.3 s", "the server logged no more than N starts in a
window") fails at random. What the client *decides* does not vary with load: the start
slot its rate limiter hands out, the wait its retry policy plans. Tests therefore assert
those decisions exactly, from the records kept here, and check the server's request log
only against bounds that load cannot break: load makes things later, never earlier.

- ``SlotLog``: every rate-limiter reservation (when it was asked for, the slot given);
- ``WaitLog``: every retry wait the policy planned;
- ``SleepLog``: every wait the transport was told to sleep, recorded instead of slept
  (an injected clock: a test of what is waited runs without waiting);
- ``most_in_a_window``: the sliding-window count, exact;
- ``assert_no_arrival_before_its_slot``: the server saw no request before the limiter let
  one go (the k-th arrival is not earlier than the k-th slot).

The fixtures ``limiter_slots``, ``planned_waits`` and ``skipped_sleeps`` install the records
for one test; a folder's conftest imports them to offer them. The few tests that must show
a real wait are marked ``wallclock``.
"""

from __future__ import annotations

import time
import types
from collections.abc import Sequence
from typing import Any

import attrs
import pytest

from puter_client.core.ratelimit import SlidingWindow
from puter_client.core.retry import RetryPolicy

__all__ = [
    "CLOCK_EPSILON",
    "ROUNDING",
    "Reservation",
    "SleepLog",
    "SlotLog",
    "WaitLog",
    "assert_no_arrival_before_its_slot",
    "limiter_slots",
    "most_in_a_window",
    "planned_waits",
    "record_planned_waits",
    "record_reservations",
    "skip_sleeps",
    "skipped_sleeps",
]

#: How much earlier than asked a sleep may end (the event loop's clock resolution).
CLOCK_EPSILON = 0.002
#: Float rounding in slot arithmetic (``start + period`` then ``slot - start``).
ROUNDING = 1e-9


@attrs.frozen
class Reservation:
    """One rate-limiter reservation: asked for at ``asked`` (monotonic), slot ``slot``,
    in the limiter of ``group``."""

    asked: float
    slot: float
    group: str = ""

    @property
    def waited(self) -> bool:
        """Whether the limiter made this caller wait for its slot."""
        return self.slot > self.asked


@attrs.define
class SlotLog:
    """The reservations of every ``RateLimiter`` while the log is installed, in order."""

    reservations: list[Reservation] = attrs.field(factory=list)

    @property
    def slots(self) -> list[float]:
        """The start slots handed out, in the order they were reserved."""
        return [r.slot for r in self.reservations]

    def slots_of(self, group: str) -> list[float]:
        """The start slots the limiter of ``group`` handed out (``"ai"``, ``"login"``...)."""
        return [r.slot for r in self.reservations if r.group == group]


@attrs.define
class WaitLog:
    """The waits the retry policy planned (``next_delay`` results other than None)."""

    waits: list[float] = attrs.field(factory=list)


def most_in_a_window(times: Sequence[float], period: float) -> int:
    """The most of ``times`` found in any half-open window ``[t, t + period)``."""
    ordered = sorted(times)
    most = 0
    end = 0
    for begin, start in enumerate(ordered):
        while end < len(ordered) and ordered[end] < start + period:
            end += 1
        most = max(most, end - begin)
    return most


def assert_no_arrival_before_its_slot(arrivals: Sequence[float], slots: Sequence[float]) -> None:
    """The server's arrivals are exactly the limited starts, none before its slot.

    A request leaves only once its slot has come, and reaches the server after that:
    sorted, the k-th arrival cannot precede the k-th slot, however loaded the machine.
    """
    assert len(arrivals) == len(slots), (len(arrivals), len(slots))
    for arrival, slot in zip(sorted(arrivals), sorted(slots), strict=True):
        assert arrival >= slot - CLOCK_EPSILON, (arrival, slot)


def record_reservations(patch: pytest.MonkeyPatch, log: SlotLog) -> None:
    """Record into ``log`` every slot any rate limiter reserves while ``patch`` holds."""
    reserve = SlidingWindow.reserve

    def recording_reserve(self: SlidingWindow, now: float) -> float:
        slot = reserve(self, now)
        log.reservations.append(Reservation(asked=now, slot=slot, group=self.group))
        return slot

    patch.setattr(SlidingWindow, "reserve", recording_reserve)


def record_planned_waits(patch: pytest.MonkeyPatch, log: WaitLog) -> None:
    """Record into ``log`` every retry wait planned while ``patch`` holds."""
    next_delay = RetryPolicy.next_delay

    def recording_next_delay(self: RetryPolicy, *args: Any, **kwargs: Any) -> float | None:
        delay = next_delay(self, *args, **kwargs)
        if delay is not None:
            log.waits.append(delay)
        return delay

    patch.setattr(RetryPolicy, "next_delay", recording_next_delay)


@pytest.fixture
def limiter_slots(monkeypatch: pytest.MonkeyPatch) -> SlotLog:
    """Every rate-limiter reservation made during the test."""
    log = SlotLog()
    record_reservations(monkeypatch, log)
    return log


@pytest.fixture
def planned_waits(monkeypatch: pytest.MonkeyPatch) -> WaitLog:
    """Every retry wait the retry policy planned during the test."""
    log = WaitLog()
    record_planned_waits(monkeypatch, log)
    return log


@attrs.define
class SleepLog:
    """The waits the transport was told to sleep (retry backoff, ``Retry-After``) while the
    log is installed; none of them is slept."""

    waits: list[float] = attrs.field(factory=list)


def skip_sleeps(patch: pytest.MonkeyPatch, log: SleepLog) -> None:
    """Record the transport's sleeps in ``log`` instead of sleeping them (sync and async)."""
    from puter_client.core import transport

    def sleep(seconds: float) -> None:
        log.waits.append(seconds)

    async def async_sleep(seconds: float) -> None:
        log.waits.append(seconds)

    clock = types.SimpleNamespace(sleep=sleep, perf_counter=time.perf_counter, time=time.time)
    patch.setattr(transport, "time", clock)
    patch.setattr(transport, "_async_sleep", async_sleep)


@pytest.fixture
def skipped_sleeps(monkeypatch: pytest.MonkeyPatch) -> SleepLog:
    """The transport's waits during the test, recorded and not slept."""
    log = SleepLog()
    skip_sleeps(monkeypatch, log)
    return log
