"""The account: whoami and this month's usage, against the emulator and from the notes."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter import PuterAI
from puter.exceptions import PuterAuthError
from puter_client._generated import models
from puter_client.core.serialization import structure
from puter_client.emulator import PuterEmulator
from puter_client.services.account.account import MICROCENTS_PER_USD, Usage, to_usd
from tests.support.emulated import alice

Run = Callable[..., Any]

# The notes' example answer of /metering/usage (admin, after some kv and file calls).
NOTES_USAGE = {
    "usage": {
        "kv:write": {"units": 853, "cost": 76770, "count": 35},
        "kv:read": {"units": 172.5, "cost": 2932.5, "count": 37},
        "total": 89592.6,
        "allowanceUsed": 89592.6,
    },
    "appTotals": {"os-global": {"total": 89592.6, "count": 101}},
    "allowanceInfo": {
        "remaining": 99999999910407.39,
        "monthUsageAllowance": 100000000000000,
        "addons": {},
    },
}


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Run:
    def call(client: PuterAI, name: str) -> Any:
        if request.param == "sync":
            return getattr(client, name)()
        return asyncio.run(getattr(client, f"async_{name}")())

    return call


def test_whoami_types_the_account(v2_emu: PuterEmulator, run: Run) -> None:
    with alice() as client:
        account = run(client, "whoami")

    assert account.username == "alice" and account.email == "alice@example.com"
    assert account.email_confirmed is True and account.is_temp is False
    assert isinstance(account.created, datetime.datetime) and account.created.tzinfo
    assert "/alice/Documents" in account.directories


def test_whoami_keeps_the_keys_it_does_not_know(v2_emu: PuterEmulator) -> None:
    with alice() as client:
        account = client.whoami()

    assert account.extra["desktop_bg_fit"] == "cover"
    assert account.whoami.human_readable_age == "1 day"


def test_whoami_of_a_temporary_account(v2_emu: PuterEmulator) -> None:
    v2_emu.add_user("guest", "guest-password", is_temp=True)
    with PuterAI(username="guest", password="guest-password") as client:
        assert client.whoami().is_temp is True


def test_whoami_with_a_refused_token_raises_the_auth_error(v2_emu: PuterEmulator) -> None:
    with PuterAI(token="not-a-token") as client, pytest.raises(PuterAuthError) as raised:
        client.whoami()

    assert raised.value.status_code == 401


def test_a_fresh_account_has_used_nothing(v2_emu: PuterEmulator, run: Run) -> None:
    with alice() as client:
        usage = run(client, "usage")

    assert usage.by_type == {} and usage.total == 0
    assert usage.allowance_monthly == usage.allowance_remaining == 50_000_000
    assert usage.allowance_remaining_usd == Decimal("0.5") and usage.total_usd == 0


def test_usage_counts_the_media_calls(v2_emu: PuterEmulator, run: Run) -> None:
    with alice(rate_limit_requests=100) as client:
        client.txt2img("a fox")
        client.txt2speech("Hello")
        usage = run(client, "usage")

    assert set(usage.by_type) == {"openai:gpt-image-1:image", "aws-polly:standard:character"}
    image = usage.by_type["openai:gpt-image-1:image"]
    assert (image.units, image.cost, image.count) == (1, 4_000_000, 1)
    assert image.cost_usd == Decimal("0.04")
    assert usage.total == 4_000_000 + 2_000
    assert usage.allowance_remaining == 50_000_000 - usage.total


def test_the_notes_example_reads_exactly() -> None:
    usage = Usage.of(structure(NOTES_USAGE, models.MonthlyUsage))

    assert usage.by_type["kv:read"].units == 172.5 and usage.by_type["kv:write"].count == 35
    assert usage.total == 89592.6 and usage.total_usd == Decimal("0.000895926")
    assert usage.allowance_monthly == 10**14
    assert usage.allowance_remaining_usd == Decimal("99999999910407.39") / MICROCENTS_PER_USD
    assert usage.unit == "micro-cents"


def test_a_missing_total_is_the_sum_of_the_rows() -> None:
    report = {**NOTES_USAGE, "usage": {"kv:write": {"units": 1, "cost": 90, "count": 1}}}

    assert Usage.of(structure(report, models.MonthlyUsage)).total == 90


def test_credits_deployments_say_so() -> None:
    report = {**NOTES_USAGE, "allowanceInfo": {"remaining": 5, "unit": "credits"}}

    usage = Usage.of(structure(report, models.MonthlyUsage))

    assert usage.unit == "credits" and usage.allowance_monthly == 0


@given(st.one_of(st.integers(0, 10**15), st.floats(0, 1e15, allow_nan=False)))
def test_dollars_are_the_micro_cents_exactly(amount: float) -> None:
    assert to_usd(amount) * MICROCENTS_PER_USD == Decimal(repr(amount))
