"""The emulator's account tiers: the server's limits, in-flight caps and allowance of
each (HeyPuter/puter ``controllers/fs/limits.ts``, ``drivers/util/aiLimits.ts``, the kv
driver, the subscription policies). Time is a ``ManualClock``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from puter_client.emulator.__main__ import emulator_from_args
from puter_client.emulator.core.clock import ManualClock
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.ratelimit import HELD_SLOTS
from puter_client.emulator.core.state import EmulatorState, User
from tests.emulator.emulator_support import Api


def state_with(tier: str) -> tuple[EmulatorState, User, ManualClock]:
    clock = ManualClock()
    state = EmulatorState(clock=clock)
    user = state.add_user(User("u", "pw", tier=tier))  # type: ignore[arg-type]
    return state, user, clock


def allowed_in_a_window(state: EmulatorState, user: User, scope: str, most: int = 10_000) -> int:
    """Calls accepted before the first 429, the clock standing still."""
    for n in range(most):
        try:
            state.enforce_rate_limit(user, scope)
        except ApiError as refused:
            assert (refused.status, refused.code) == (429, "too_many_requests")
            return n
    return most


@pytest.mark.parametrize(
    ("tier", "writes"), [("unlimited", 300), ("paid", 300), ("free", 120), ("temp", 30)]
)
def test_each_tier_has_the_servers_write_limit(tier: str, writes: int) -> None:
    state, user, _ = state_with(tier)
    assert allowed_in_a_window(state, user, "fs.write") == writes


@pytest.mark.parametrize(
    ("scope", "paid", "free", "temp"),
    [
        ("fs.stat", 1200, 600, 300),
        ("fs.read", 600, 300, 120),
        ("fs.df", 60, 30, 15),
        ("puter-kvstore", 400, 400, 200),
        ("puter-kvstore.list", 240, 120, 60),
        ("puter-ocr", 200, 30, 20),
    ],
)
def test_each_scope_has_the_servers_numbers_per_tier(
    scope: str, paid: int, free: int, temp: int
) -> None:
    for tier, expected in (("paid", paid), ("free", free), ("temp", temp)):
        state, user, _ = state_with(tier)
        assert allowed_in_a_window(state, user, scope) == expected, tier


def test_a_window_frees_up_once_its_period_has_passed() -> None:
    state, user, clock = state_with("temp")
    allowed_in_a_window(state, user, "fs.write")
    clock.advance(60.0)
    assert allowed_in_a_window(state, user, "fs.write") == 30


@pytest.mark.parametrize(("tier", "burst"), [("paid", 120), ("free", 60), ("temp", 30)])
def test_listings_have_a_burst_window_of_ten_seconds(tier: str, burst: int) -> None:
    state, user, clock = state_with(tier)
    assert allowed_in_a_window(state, user, "fs.readdir") == burst
    clock.advance(10.0)
    assert allowed_in_a_window(state, user, "fs.readdir", most=1) == 1


def test_mutations_have_an_hourly_window_too() -> None:
    state, user, clock = state_with("temp")
    for _ in range(3):
        assert allowed_in_a_window(state, user, "fs.mutate") == 600
        clock.advance(60.0)
    assert allowed_in_a_window(state, user, "fs.mutate") == 0  # 1,800 in the hour


def hold(state: EmulatorState, user: User, scope: str) -> list[Callable[[], None]]:
    held: list[Callable[[], None]] = []
    token = HELD_SLOTS.set(held)
    try:
        state.enforce_rate_limit(user, scope)
    finally:
        HELD_SLOTS.reset(token)
    return held


@pytest.mark.parametrize(
    ("tier", "scope", "cap"),
    [("temp", "fs.write", 3), ("free", "fs.write", 6), ("paid", "fs.write", 15),
     ("temp", "puter-kvstore", 8), ("free", "puter-kvstore.list", 3), ("free", "puter-tts", 3)],
)  # fmt: skip
def test_requests_in_flight_beyond_the_tiers_cap_are_refused(
    tier: str, scope: str, cap: int
) -> None:
    state, user, _ = state_with(tier)
    for _ in range(cap):
        hold(state, user, scope)
    with pytest.raises(ApiError, match="concurrent") as refused:
        hold(state, user, scope)
    assert (refused.value.status, refused.value.code) == (429, "too_many_requests")
    assert state.rate_limiter.peak_in_flight(user.uuid, scope) == cap


def test_a_finished_request_frees_its_in_flight_slot() -> None:
    state, user, _ = state_with("temp")
    slots = [hold(state, user, "fs.write") for _ in range(3)]
    slots[0][0]()
    assert len(hold(state, user, "fs.write")) == 1


def test_a_temporary_account_is_of_the_temp_tier_and_back() -> None:
    assert User("a", "pw", is_temp=True).tier == "temp"
    assert User("b", "pw", tier="temp").is_temp
    assert User("c", "pw").tier == "free"


@pytest.mark.parametrize(
    ("tier", "allowance"),
    [("unlimited", 100_000_000_000_000), ("paid", 1_000_000_000), ("free", 50_000_000),
     ("temp", 25_000_000)],
)  # fmt: skip
def test_the_usage_report_gives_each_tiers_allowance(api: Api, tier: str, allowance: int) -> None:
    api.emulator.add_user("tiered", "pw", tier=tier)
    body = api.get("/metering/usage", user="tiered").json()
    assert body["allowanceInfo"]["monthUsageAllowance"] == allowance


def test_the_command_line_gives_added_accounts_a_tier() -> None:
    emu = emulator_from_args(["--port", "0", "--user", "bob:secret", "--tier", "temp"])
    bob = emu.state.find_user(username="bob")
    assert bob is not None and (bob.tier, bob.is_temp) == ("temp", True)
    alice = emu.state.find_user(username="alice")
    assert alice is not None and alice.tier == "free"
