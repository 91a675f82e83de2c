"""Issue 24: client-side limits that fit the account's tier, against the emulator's tiers.

Time is the emulator's ``ManualClock``, which the client's limiters read and "sleep" on
too: a wait of a minute is a jump of the clock, not a minute of the test. The assertions
are on what the client decided (its slots, its limits) and on the server's answers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterator
from typing import Any

import httpx
import pytest

from puter import PuterAI
from puter_client.core.ratelimit import GroupLimits
from puter_client.emulator import Delay, PuterEmulator
from puter_client.emulator.core.clock import ManualClock
from tests.support.timing import SlotLog, most_in_a_window

pytestmark = pytest.mark.filterwarnings("ignore::puter.exceptions.PuterRateLimitWarning")

PASSWORD = "pw-of-the-test"
#: Writes in flight at once, as in the issue's measurements.
IN_FLIGHT = 4
#: Where the client's writes go.
WRITES = "/fs/batchWrite"


@pytest.fixture
def clock(v2_emu: PuterEmulator) -> ManualClock:
    """The emulator's clock, which the test's clients are paced by as well."""
    manual = ManualClock()
    v2_emu.state.clock = manual
    return manual


def client_of(
    emu: PuterEmulator, clock: ManualClock, tier: str, *, login: bool = False, **options: Any
) -> PuterAI:
    """A client of a new account of ``tier`` (a token, or a login), paced by ``clock``."""
    name = f"user_{tier}"
    emu.add_user(name, PASSWORD, tier=tier)
    if login:
        client = PuterAI(username=name, password=PASSWORD, retry_delay=0.01, **options)
    else:
        client = PuterAI(token=emu.token_for(name), retry_delay=0.01, **options)

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    client._session.use_clock(clock, sleep=clock.advance, async_sleep=advance)
    return client


def hide_the_tier(emu: PuterEmulator) -> None:
    """The server does not say the account's tier: the client has to learn it."""
    emu.inject("/metering/usage", status=404, body={"error": "not found"}, times=None)


def refusals(emu: PuterEmulator, path: str = WRITES) -> int:
    return sum(r.status == 429 for r in emu.requests_to(path))


def held(slots: SlotLog, group: str) -> list[float]:
    return [r.slot - r.asked for r in slots.reservations if r.group == group and r.waited]


async def gather_bounded(calls: Iterator[Awaitable[Any]], bound: int = IN_FLIGHT) -> list[Any]:
    gate = asyncio.Semaphore(bound)

    async def bounded(call: Awaitable[Any]) -> Any:
        async with gate:
            return await call

    return await asyncio.gather(*(bounded(c) for c in calls))


def write_all(client: PuterAI, count: int, prefix: str = "f") -> None:
    for i in range(count):
        client.fs.write(f"~/{prefix}{i}.txt", b"x")


async def async_write_all(client: PuterAI, count: int, prefix: str = "f") -> None:
    await gather_bounded(client.fs.async_write(f"~/{prefix}{i}.txt", b"x") for i in range(count))


def run_writes(client: PuterAI, count: int, use_async: bool) -> None:
    if use_async:

        async def main() -> None:
            async with client:
                await async_write_all(client, count)

        asyncio.run(main())
    else:
        with client:
            write_all(client, count)


# ---------------------------------------------------------------- the tier, known


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_an_unlimited_accounts_burst_of_240_writes_is_not_paced(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog, use_async: bool
) -> None:
    client = client_of(v2_emu, clock, "unlimited")

    run_writes(client, 240, use_async)

    assert held(limiter_slots, "fs.write") == []
    assert len(limiter_slots.slots_of("fs.write")) == 240
    assert client.rate_limits.tier == "paid"
    assert client.rate_limits["fs.write"] == GroupLimits(300, 60.0, 15, "paid", "server")
    assert refusals(v2_emu) == 0


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_temporary_accounts_45_writes_are_paced_at_its_tier_and_never_refused(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog, use_async: bool
) -> None:
    client = client_of(v2_emu, clock, "temp")

    run_writes(client, 45, use_async)

    assert refusals(v2_emu) == 0
    assert len(v2_emu.requests_to(WRITES)) == 45
    slots = limiter_slots.slots_of("fs.write")
    assert most_in_a_window(slots, 60.0) == 30
    assert client.rate_limits["fs.write"] == GroupLimits(30, 60.0, 3, "temp", "server")


def test_a_free_accounts_tier_comes_from_its_monthly_allowance(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    with client_of(v2_emu, clock, "free") as client:
        client.kv.set("k", 1)

        assert client.rate_limits.tier == "free"
        assert client.rate_limits["fs.write"] == GroupLimits(120, 60.0, 6, "free", "server")
        assert client.rate_limits["kv-list"] == GroupLimits(120, 60.0, 3, "free", "server")
    assert len(v2_emu.requests_to("/metering/usage")) == 1


def test_the_tier_is_read_once_per_client(v2_emu: PuterEmulator, clock: ManualClock) -> None:
    with client_of(v2_emu, clock, "paid") as client:
        client.kv.set("k", 1)
        client.fs.write("~/a.txt", b"a")
        client.fs.listdir("~")

    assert len(v2_emu.requests_to("/metering/usage")) == 1


def test_a_login_that_says_temporary_needs_no_question(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    with client_of(v2_emu, clock, "temp", login=True) as client:
        client.fs.write("~/a.txt", b"a")

        assert client.rate_limits.tier == "temp"
    assert v2_emu.requests_to("/metering/usage") == []


def test_limits_start_at_the_top_tier_while_the_tier_is_unknown(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    client = client_of(v2_emu, clock, "temp")

    limits = client.rate_limits
    assert limits.tier is None
    assert limits["fs.write"] == GroupLimits(300, 60.0, 15, "paid", "assumed")
    assert limits["ai"] == GroupLimits(10, 60.0, 20, "paid", "config")


# ---------------------------------------------------------------- the tier, learned


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_temporary_account_of_unknown_tier_absorbs_a_few_429s_and_every_write_succeeds(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog, use_async: bool
) -> None:
    hide_the_tier(v2_emu)
    client = client_of(v2_emu, clock, "temp")

    run_writes(client, 45, use_async)  # raises if any write failed

    writes = v2_emu.requests_to(WRITES)
    assert sum(r.status == 200 for r in writes) == 45
    assert 1 <= refusals(v2_emu) <= 2 * IN_FLIGHT
    limits = client.rate_limits
    assert (limits.tier, limits.tier_source) == (None, "learned")
    assert limits["fs.write"] == GroupLimits(30, 60.0, 3, "temp", "learned")
    # the other groups keep their own tier until their own server limits say otherwise
    assert limits["kv"].source == "assumed"


def test_a_429_lowers_the_limits_one_tier_at_a_time(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    hide_the_tier(v2_emu)
    client = client_of(v2_emu, clock, "free")

    with client:
        write_all(client, 125)

    assert client.rate_limits["fs.write"] == GroupLimits(120, 60.0, 6, "free", "learned")
    assert refusals(v2_emu) == 1


def test_the_lowering_is_logged(
    v2_emu: PuterEmulator, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    hide_the_tier(v2_emu)
    caplog.set_level(logging.INFO, logger="puter")

    with client_of(v2_emu, clock, "free") as client:
        write_all(client, 121)

    lowered = [r.getMessage() for r in caplog.records if "answered 429" in r.getMessage()]
    assert len(lowered) == 1
    assert "'fs.write'" in lowered[0] and "free tier" in lowered[0]


# ---------------------------------------------------------------- explicit limits win


def test_explicit_rate_limits_win_over_the_servers_tier(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog
) -> None:
    client = client_of(v2_emu, clock, "unlimited", rate_limits={"fs.write": (50, 60.0)})

    with client:
        write_all(client, 60)

    assert client.rate_limits["fs.write"] == GroupLimits(50, 60.0, 15, "paid", "explicit")
    assert most_in_a_window(limiter_slots.slots_of("fs.write"), 60.0) == 50


def test_a_group_with_explicit_limits_does_not_ask_for_the_tier(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    with client_of(v2_emu, clock, "free", rate_limits={"kv": (400, 10.0)}) as client:
        client.kv.set("k", 1)

    assert v2_emu.requests_to("/metering/usage") == []


def test_explicit_rate_limits_are_never_lowered_by_a_429(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    hide_the_tier(v2_emu)
    client = client_of(v2_emu, clock, "temp", rate_limits={"fs.write": (31, 60.0)}, max_retries=0)

    with client:
        write_all(client, 30)
        with pytest.raises(Exception, match="Too many requests"):
            client.fs.write("~/one-too-many.txt", b"x")

    assert client.rate_limits["fs.write"].requests == 31


# ---------------------------------------------------------------- kv and listings


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_kv_calls_of_an_unlimited_account_are_not_paced(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog, use_async: bool
) -> None:
    client = client_of(v2_emu, clock, "unlimited")

    async def main() -> None:
        async with client:
            await gather_bounded(client.kv.async_set(f"k{i}", i) for i in range(300))

    if use_async:
        asyncio.run(main())
    else:
        with client:
            for i in range(300):
                client.kv.set(f"k{i}", i)

    assert len(limiter_slots.slots_of("kv")) == 300
    assert held(limiter_slots, "kv") == []


def test_a_temporary_accounts_kv_calls_of_unknown_tier_all_succeed(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog
) -> None:
    hide_the_tier(v2_emu)
    client = client_of(v2_emu, clock, "temp")

    async def main() -> None:
        async with client:
            await gather_bounded(client.kv.async_set(f"k{i}", i) for i in range(260))

    asyncio.run(main())

    assert client.rate_limits["kv"] == GroupLimits(200, 10.0, 8, "temp", "learned")
    assert 1 <= refusals(v2_emu, "/drivers/call") <= 2 * IN_FLIGHT
    assert most_in_a_window(limiter_slots.slots_of("kv")[-50:], 10.0) <= 200


def test_explicit_kv_limits_win(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog
) -> None:
    client = client_of(v2_emu, clock, "unlimited", rate_limits={"kv": (5, 10.0)})

    with client:
        for i in range(12):
            client.kv.set(f"k{i}", i)

    assert most_in_a_window(limiter_slots.slots_of("kv"), 10.0) == 5
    assert client.rate_limits["kv"].source == "explicit"


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_temporary_accounts_listings_are_paced_at_its_tier_and_never_refused(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog, use_async: bool
) -> None:
    client = client_of(v2_emu, clock, "temp")

    async def main() -> None:
        async with client:
            await gather_bounded(client.fs.async_listdir("~") for _ in range(45))

    if use_async:
        asyncio.run(main())
    else:
        with client:
            for _ in range(45):
                client.fs.listdir("~")

    assert refusals(v2_emu, "/fs/readdir") == 0
    assert most_in_a_window(limiter_slots.slots_of("fs.readdir"), 10.0) == 20
    assert client.rate_limits["fs.readdir"] == GroupLimits(20, 10.0, None, "temp", "server")


def test_an_unlimited_accounts_listings_are_not_paced(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog
) -> None:
    with client_of(v2_emu, clock, "unlimited") as client:
        for _ in range(100):
            client.fs.listdir("~")

    assert held(limiter_slots, "fs.readdir") == []


def test_a_temporary_accounts_listings_of_unknown_tier_all_succeed(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    hide_the_tier(v2_emu)

    with client_of(v2_emu, clock, "temp") as client:
        for _ in range(45):
            client.fs.listdir("~")

    assert client.rate_limits["fs.readdir"].tier == "temp"
    assert 1 <= refusals(v2_emu, "/fs/readdir") <= 2


def test_explicit_listing_limits_win(
    v2_emu: PuterEmulator, clock: ManualClock, limiter_slots: SlotLog
) -> None:
    client = client_of(v2_emu, clock, "unlimited", rate_limits={"fs.readdir": (3, 10.0)})

    with client:
        for _ in range(7):
            client.fs.listdir("~")

    assert most_in_a_window(limiter_slots.slots_of("fs.readdir"), 10.0) == 3


# ---------------------------------------------------------------- visible, logged once


def test_the_chosen_limits_are_logged_once(
    v2_emu: PuterEmulator, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="puter")

    with client_of(v2_emu, clock, "free") as client:
        for i in range(3):
            client.kv.set(f"k{i}", i)
        client.fs.listdir("~")

    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("rate limits")]
    assert len(logged) == 1
    assert "account tier: free" in logged[0]
    assert "fs.write: 120 per 60 s, 6 in flight (server)" in logged[0]


def test_rate_limits_is_a_read_only_snapshot(v2_emu: PuterEmulator, clock: ManualClock) -> None:
    client = client_of(v2_emu, clock, "free")

    with pytest.raises(AttributeError):
        client.rate_limits = None  # type: ignore[misc,assignment]
    assert set(client.rate_limits) >= {"ai", "login", "kv", "kv-list", "fs.write"}
    assert "ai: 10 per 60 s, 20 in flight (config)" in str(client.rate_limits)


# ---------------------------------------------------------------- in flight


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts the driver calls on the wire at once (sent, no answer yet)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.now = self.peak = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        counted = request.url.path == "/drivers/call"
        if counted:
            self.now += 1
            self.peak = max(self.peak, self.now)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            if counted:
                self.now -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize(("tier", "cap"), [("temp", 8), ("free", 15)])
def test_kv_calls_in_flight_never_exceed_the_tiers_cap(
    v2_emu: PuterEmulator, clock: ManualClock, tier: str, cap: int
) -> None:
    v2_emu.inject("/drivers/call", Delay(0.2), times=None)  # every call is slow to answer
    counting = CountingTransport()
    client = client_of(v2_emu, clock, tier, async_http_client=httpx.AsyncClient(transport=counting))

    async def main() -> None:
        async with client:
            calls = (client.kv.async_set(f"k{i}", i) for i in range(2 * cap))
            await gather_bounded(calls, bound=2 * cap)

    asyncio.run(main())

    assert 1 <= counting.peak <= cap
    assert refusals(v2_emu, "/drivers/call") == 0


def test_an_explicit_in_flight_cap_wins(v2_emu: PuterEmulator, clock: ManualClock) -> None:
    v2_emu.inject("/drivers/call", Delay(0.2), times=None)
    counting = CountingTransport()
    client = client_of(
        v2_emu,
        clock,
        "unlimited",
        rate_limits={"kv": (400, 10.0, 2)},
        async_http_client=httpx.AsyncClient(transport=counting),
    )

    async def main() -> None:
        async with client:
            await gather_bounded((client.kv.async_set(f"k{i}", i) for i in range(8)), bound=8)

    asyncio.run(main())

    assert 1 <= counting.peak <= 2
    assert client.rate_limits["kv"].in_flight == 2


def test_a_temporary_accounts_ai_calls_are_capped_at_two_in_flight(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    v2_emu.inject("/drivers/call", Delay(0.2), times=None)
    counting = CountingTransport()
    client = client_of(
        v2_emu,
        clock,
        "temp",
        login=True,
        rate_limit_requests=100,
        async_http_client=httpx.AsyncClient(transport=counting),
    )

    async def main() -> None:
        async with client:
            await client.async_login()
            await asyncio.gather(
                *(client.async_chat(f"Q{i}", model="claude-opus-4") for i in range(6))
            )

    asyncio.run(main())

    assert 1 <= counting.peak <= 2
    assert client.rate_limits["ai"] == GroupLimits(100, 60.0, 2, "temp", "config")


def test_a_providers_429_says_nothing_about_the_accounts_tier(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    body = {"error": "Rate limited", "message": "Rate limited", "code": "upstream_rate_limited"}
    v2_emu.inject("/drivers/call", status=429, body=body)

    with client_of(v2_emu, clock, "free") as client:
        client.chat("Hello", model="claude-opus-4")

    assert client.rate_limits["ai"].tier == "paid"


def test_a_429_of_an_ai_call_lowers_its_in_flight_cap_and_keeps_its_window(
    v2_emu: PuterEmulator, clock: ManualClock
) -> None:
    body = {
        "error": "Too many requests.",
        "message": "Too many requests.",
        "code": "too_many_requests",
    }
    v2_emu.inject("/drivers/call", status=429, body=body)

    with client_of(v2_emu, clock, "free") as client:
        client.chat("Hello", model="claude-opus-4")

    assert client.rate_limits["ai"] == GroupLimits(10, 60.0, 3, "free", "config")
