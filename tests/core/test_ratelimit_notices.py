"""Issue 23, item 1: a limiter that says it is waiting.

Every hold is a log record (logger ``puter``); the first long one of a client is also a
``PuterRateLimitWarning`` naming ``rate_limit_requests``/``rate_limit_period`` and how to
raise them. The limiter's clock is driven by hand: a minute's hold takes no time.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterRateLimitWarning
from puter_client.core.ratelimit import HOLD_WARNING_SECONDS
from puter_client.emulator import PuterEmulator
from puter_client.emulator.core.clock import ManualClock


def paced_client(emu: PuterEmulator, **options: Any) -> PuterAI:
    """A client of alice (a token) whose limiters read and sleep on a manual clock."""
    client = PuterAI(token=emu.token_for("alice"), retry_delay=0.01, **options)
    clock = ManualClock()

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    client._session.use_clock(clock, sleep=clock.advance, async_sleep=advance)
    return client


def holds(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "puter" and "holding a call" in r.getMessage()
    ]


def rate_limit_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, PuterRateLimitWarning)]


def test_each_hold_is_a_log_record_of_the_puter_logger(
    v2_emu: PuterEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="puter")

    with (
        warnings.catch_warnings(record=True),
        paced_client(v2_emu, rate_limit_requests=1, rate_limit_period=60) as client,
    ):
        for i in range(3):
            client.chat(f"Q{i}")

    records = holds(caplog)
    assert len(records) == 2
    assert all("'ai'" in r and "60.00 s" in r and "1 calls per 60 s" in r for r in records)


def test_a_call_that_is_not_held_logs_nothing(
    v2_emu: PuterEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="puter")

    with paced_client(v2_emu, rate_limit_requests=3, rate_limit_period=60) as client:
        for i in range(3):
            client.chat(f"Q{i}")

    assert holds(caplog) == []


def test_the_first_long_hold_warns_once_naming_the_settings_to_raise(
    v2_emu: PuterEmulator,
) -> None:
    with (
        warnings.catch_warnings(record=True) as caught,
        paced_client(v2_emu, rate_limit_requests=1, rate_limit_period=60) as client,
    ):
        warnings.simplefilter("always")
        for i in range(4):
            client.chat(f"Q{i}")

    [message] = rate_limit_warnings(caught)
    assert "holding a call 60 s" in message
    assert "rate_limit_requests=1" in message and "rate_limit_period=60" in message
    assert "PUTER_RATE_LIMIT_REQUESTS" in message and "PUTER_RATE_LIMIT_PERIOD" in message


def test_the_warning_points_at_the_users_call(v2_emu: PuterEmulator) -> None:
    with (
        warnings.catch_warnings(record=True) as caught,
        paced_client(v2_emu, rate_limit_requests=1, rate_limit_period=60) as client,
    ):
        warnings.simplefilter("always")
        client.chat("Q0")
        client.chat("Q1")

    [warning] = [w for w in caught if issubclass(w.category, PuterRateLimitWarning)]
    assert warning.filename == __file__


async def test_async_calls_warn_once_too(v2_emu: PuterEmulator) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with paced_client(v2_emu, rate_limit_requests=2, rate_limit_period=60) as client:
            await asyncio.gather(*(client.async_chat(f"Q{i}") for i in range(7)))

    assert len(rate_limit_warnings(caught)) == 1


def test_short_holds_are_logged_but_do_not_warn(
    v2_emu: PuterEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="puter")
    period = HOLD_WARNING_SECONDS / 2

    with (
        warnings.catch_warnings(record=True) as caught,
        paced_client(v2_emu, rate_limit_requests=1, rate_limit_period=period) as client,
    ):
        warnings.simplefilter("always")
        for i in range(3):
            client.chat(f"Q{i}")

    assert len(holds(caplog)) == 2
    assert rate_limit_warnings(caught) == []


def test_each_client_warns_once_for_itself(v2_emu: PuterEmulator) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            with paced_client(v2_emu, rate_limit_requests=1, rate_limit_period=60) as client:
                for i in range(3):
                    client.chat(f"Q{i}")

    assert len(rate_limit_warnings(caught)) == 2


def test_a_storage_groups_warning_names_its_rate_limits_setting(
    v2_emu: PuterEmulator,
) -> None:
    with (
        warnings.catch_warnings(record=True) as caught,
        paced_client(v2_emu, rate_limits={"kv": (1, 30.0)}) as client,
    ):
        warnings.simplefilter("always")
        client.kv.set("a", 1)
        client.kv.set("b", 2)

    [message] = rate_limit_warnings(caught)
    assert "'kv'" in message and "rate_limits={'kv': (requests, seconds)}" in message
