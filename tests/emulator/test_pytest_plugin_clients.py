"""The pytest plugin's client fixtures: a ready client of the emulator, with no
client-side rate limit and fast retries, so that a user's own tests are fast.

Checked through what the client decided (its limiter's grants, its planned waits), never
the wall clock.
"""

from __future__ import annotations

import pytest

from puter import PuterAI
from puter_client.emulator import PuterEmulator, expected_reply, pytest_plugin
from puter_client.emulator.pytest_plugin import UNLIMITED, puter_ai_options

puter_emulator_session = pytest_plugin.puter_emulator_session
puter_emulator = pytest_plugin.puter_emulator
puter_ai = pytest_plugin.puter_ai
async_puter_ai = pytest_plugin.async_puter_ai

MODEL = "fake"


def test_the_client_fixture_is_logged_in_without_a_login_request(
    puter_ai: PuterAI, puter_emulator: PuterEmulator
) -> None:
    assert puter_ai.chat("Hi", model=MODEL) == expected_reply("Hi", MODEL)
    assert puter_ai.whoami().username == "alice"
    assert puter_emulator.requests_to("/login") == []


def test_the_client_fixture_has_no_client_side_rate_limit(puter_ai: PuterAI) -> None:
    config = puter_ai.config
    assert (config.rate_limit_requests, config.rate_limit_period) == UNLIMITED
    for group in ("ai", "kv", "fs.write"):
        limiter = puter_ai._session.limiter(group)
        waits = [limiter.reserve() for _ in range(50)]  # far beyond 10 per 60 s
        assert waits == [0.0] * 50, group


def test_twelve_chats_in_a_row_are_never_held(puter_ai: PuterAI) -> None:
    for n in range(12):
        assert puter_ai.chat(f"Hi {n}", model=MODEL) == expected_reply(
            f"Hi {n}", MODEL, turns=n + 1
        )

    # under the default limit the 11th call would have waited a minute
    assert puter_ai._session.limiter("ai").pending_wait() == 0.0


def test_the_client_fixture_retries_fast(puter_ai: PuterAI, puter_emulator: PuterEmulator) -> None:
    assert puter_ai.config.retry_delay <= 0.01
    puter_emulator.inject("/drivers/call", status=503, times=2)

    assert puter_ai.chat("Hi", model=MODEL) == expected_reply("Hi", MODEL)
    assert [r.status for r in puter_emulator.requests_to("/drivers/call")] == [503, 503, 200]


async def test_the_async_client_fixture_is_ready(
    async_puter_ai: PuterAI, puter_emulator: PuterEmulator
) -> None:
    assert await async_puter_ai.async_chat("Hi", model=MODEL) == expected_reply("Hi", MODEL)
    assert puter_emulator.requests_to("/login") == []


def test_the_options_name_any_account(puter_emulator: PuterEmulator) -> None:
    options = puter_ai_options(puter_emulator, "broke_user")

    with PuterAI(**options) as client:
        assert client.whoami().username == "broke_user"


@pytest.mark.parametrize("group", ["ai", "kv", "kv-list", "fs.read", "fs.readdir"])
def test_every_rate_limit_group_is_lifted(puter_emulator: PuterEmulator, group: str) -> None:
    assert puter_ai_options(puter_emulator)["rate_limits"][group] == UNLIMITED
