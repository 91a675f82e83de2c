"""Point 10: client hygiene. One pooled httpx client per ``PuterAI``, made on first use
and released by ``close()``/``aclose()``/``with``/``async with``; the user's own httpx
clients are used and left open; an honest User-Agent; the token goes to the API host
only; debug logging on the ``puter`` logger, off by default, never showing secrets."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import platform
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from puter import PuterAI, __version__
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, ALICE_PASSWORD, alice, reply

USER_AGENT = f"puter-client/{__version__} python/{platform.python_version()}"


class Counting:
    """Counts the httpx clients made while it is installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sync = 0
        self.async_ = 0
        counter = self

        class Client(httpx.Client):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                counter.sync += 1
                super().__init__(*args, **kwargs)

        class AsyncClient(httpx.AsyncClient):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                counter.async_ += 1
                super().__init__(*args, **kwargs)

        monkeypatch.setattr(httpx, "Client", Client)
        monkeypatch.setattr(httpx, "AsyncClient", AsyncClient)


@pytest.fixture
def garbage_collector_off() -> Iterator[None]:
    """Only what the SDK closes counts: the garbage collector could otherwise close an
    abandoned connection at any moment."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.collect()


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Counting:
    return Counting(monkeypatch)


def api_ports(emu: PuterEmulator) -> set[int]:
    """The local ports of the connections that carried API-host requests."""
    return {r.client[1] for r in emu.requests if r.host == "api" and r.client}


# --- pooled, lazily made clients ----------------------------------------------------------


def test_no_http_client_is_made_before_the_first_request(
    emu: PuterEmulator, made: Counting
) -> None:
    with alice():
        pass

    assert (made.sync, made.async_) == (0, 0)
    assert emu.requests == []


def test_every_blocking_call_of_a_client_shares_one_http_client(
    emu: PuterEmulator, made: Counting
) -> None:
    with alice() as client:
        client.login()
        client.chat("One")
        client.chat("Two")
        client.set_model("gpt-4o")

    assert (made.sync, made.async_) == (1, 0)
    assert len(api_ports(emu)) == 1  # one pooled connection carried every API request


async def test_every_async_call_of_a_client_shares_one_async_http_client(
    emu: PuterEmulator, made: Counting
) -> None:
    async with alice() as client:
        await client.async_login()
        await client.async_chat("One")
        await client.async_chat("Two")

    assert (made.sync, made.async_) == (0, 1)
    assert len(api_ports(emu)) == 1


def quiet(emu: PuterEmulator) -> int:
    """The open connections once those of earlier tests have closed (0): on a busy machine
    an earlier test's connection may still be closing, which would blur the count."""
    assert emu.wait_for_connections(0)
    return 0


def test_close_releases_the_connections(emu: PuterEmulator) -> None:
    before = quiet(emu)
    client = alice()
    client.chat("Hello")
    assert emu.open_connections() > before

    client.close()

    assert emu.wait_for_connections(before)


def test_leaving_a_with_block_releases_the_connections(emu: PuterEmulator) -> None:
    before = quiet(emu)

    with alice() as client:
        client.chat("Hello")

    assert emu.wait_for_connections(before)


async def test_aclose_releases_the_connections(emu: PuterEmulator) -> None:
    before = quiet(emu)
    client = alice()
    await client.async_chat("Hello")
    assert emu.open_connections() > before

    await client.aclose()

    assert emu.wait_for_connections(before)


async def test_leaving_an_async_with_block_releases_the_connections(emu: PuterEmulator) -> None:
    before = quiet(emu)

    async with alice() as client:
        await client.async_chat("Hello")

    assert emu.wait_for_connections(before)


def test_aclose_also_releases_the_connections_of_earlier_event_loops(
    emu: PuterEmulator, garbage_collector_off: None
) -> None:
    before = quiet(emu)
    client = alice()

    async def second_program() -> None:
        await client.async_chat("Two")
        await client.aclose()

    asyncio.run(client.async_chat("One"))
    asyncio.run(second_program())

    assert emu.wait_for_connections(before)


def test_the_users_http_client_is_used_and_left_open(emu: PuterEmulator) -> None:
    seen: list[str] = []
    mine = httpx.Client(event_hooks={"request": [lambda request: seen.append(request.url.path)]})

    with PuterAI(username=ALICE, password=ALICE_PASSWORD, http_client=mine) as client:
        assert client.chat("Hello") == reply("Hello")

    assert seen == [r.path for r in emu.requests]
    assert seen[0] == "/login"
    assert not mine.is_closed
    mine.close()


async def test_the_users_async_http_client_is_used_and_left_open(emu: PuterEmulator) -> None:
    seen: list[str] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.url.path)

    mine = httpx.AsyncClient(event_hooks={"request": [record]})
    async with PuterAI(username=ALICE, password=ALICE_PASSWORD, async_http_client=mine) as client:
        assert await client.async_chat("Hello") == reply("Hello")

    assert seen == [r.path for r in emu.requests]
    assert seen[0] == "/login"
    assert not mine.is_closed
    await mine.aclose()


# --- what goes on the wire ----------------------------------------------------------------


async def test_every_request_has_the_honest_user_agent(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("Sync")
        client.available_models  # noqa: B018 - fetches the catalog
    async with alice() as client:
        await client.async_chat("Async")

    assert {r.headers.get("user-agent") for r in emu.requests} == {USER_AGENT}


def test_the_login_request_carries_no_origin_header(emu: PuterEmulator) -> None:
    with alice() as client:
        client.login()

    [login] = emu.requests_to("/login")
    assert "origin" not in login.headers


def test_the_token_is_sent_to_the_api_host_only(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("Hello")
        emu.revoke_tokens(ALICE)
        client.chat("Again")  # refused, logs in again, replays
        client.get_available_models()
        token = client.token

    web = [r for r in emu.requests if r.host == "web"]
    api = [r for r in emu.requests if r.host == "api"]
    assert len(web) == 2
    assert all("authorization" not in r.headers and "cookie" not in r.headers for r in web)
    assert api[-1].headers["authorization"] == f"Bearer {token}"
    assert all(r.headers["authorization"].startswith("Bearer ") for r in api)


# --- logging ------------------------------------------------------------------------------

SECRET_USER = "sentinel_user"
SECRET_PASSWORD = "Sentinel-Password-7f3a91"


def run_script(emu: PuterEmulator, script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter pointed at ``emu`` as the sentinel user."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PUTER_")},
        **emu.env(),
        "PUTER_USERNAME": SECRET_USER,
        "PUTER_PASSWORD": SECRET_PASSWORD,
    }
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


CHAT_SCRIPT = """
    {setup}
    from puter import PuterAI
    with PuterAI() as client:
        client.chat("Hello")
        print(client.token)
"""


def test_the_sdk_logs_nothing_unless_asked(v2_emu: PuterEmulator) -> None:
    v2_emu.add_user(SECRET_USER, SECRET_PASSWORD)

    result = run_script(v2_emu, CHAT_SCRIPT.format(setup="import logging"))

    assert result.stderr == ""
    assert logging.getLogger("puter").level == logging.NOTSET


def test_debug_logging_reports_requests_without_secrets(v2_emu: PuterEmulator) -> None:
    v2_emu.add_user(SECRET_USER, SECRET_PASSWORD)
    setup = (
        "import logging; logging.basicConfig(level=logging.DEBUG, format='%(name)s %(message)s')"
    )

    result = run_script(v2_emu, CHAT_SCRIPT.format(setup=setup))

    token = result.stdout.strip()
    puter_lines = [line for line in result.stderr.splitlines() if line.startswith("puter ")]
    assert any("/login" in line for line in puter_lines)
    assert any("/drivers/call" in line for line in puter_lines)
    assert token
    for line in puter_lines:
        assert SECRET_PASSWORD not in line
        assert token not in line


def test_debug_records_of_failures_and_renewals_show_no_secrets(
    v2_emu: PuterEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    v2_emu.add_user(SECRET_USER, SECRET_PASSWORD)
    caplog.set_level(logging.DEBUG, logger="puter")

    with PuterAI(username=SECRET_USER, password=SECRET_PASSWORD, retry_delay=0.01) as client:
        client.chat("Hello")
        first_token = client.token
        v2_emu.revoke_tokens(SECRET_USER)
        v2_emu.inject("/drivers/call", status=503, at=3)
        client.chat("Again")
        tokens = {first_token, client.token}

    records = [r for r in caplog.records if r.name == "puter"]
    assert any("retrying" in r.getMessage() for r in records)
    assert any("logging in again" in r.getMessage() for r in records)
    for record in records:
        text = f"{record.getMessage()} {record.args!r}"
        assert SECRET_PASSWORD not in text
        assert all(token and token not in text for token in tokens)
