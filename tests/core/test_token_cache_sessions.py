"""``PuterAI(token_cache=True)``: a session token is reused across clients and processes
instead of logging in each time, which a server allows only about 10 times per 15
minutes; a refused token leads to one fresh login; a throttled login says how long to
wait and how to need fewer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from puter import PuterAI
from puter.exceptions import PuterAuthError
from puter_client.core.credentials import TokenCache
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, ALICE_PASSWORD, reply

SERVER_LOGIN_LIMIT = 10


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "puter" / "token.json"


@pytest.fixture
def limited(v2_emu: PuterEmulator) -> PuterEmulator:
    """The emulator counting every login, as a server does (10 per 15 minutes)."""
    v2_emu.state.options.login_limit = SERVER_LOGIN_LIMIT
    return v2_emu


def cached_client(cache_file: Path) -> PuterAI:
    return PuterAI(ALICE, ALICE_PASSWORD, token_cache=cache_file)


def test_fifteen_clients_in_a_row_log_in_once(limited: PuterEmulator, cache_file: Path) -> None:
    for i in range(15):
        with cached_client(cache_file) as client:
            assert client.chat(f"Question {i}") == reply(f"Question {i}")

    assert len(limited.requests_to("/login")) == 1


def test_without_a_cache_the_eleventh_login_is_refused_with_advice(
    limited: PuterEmulator,
) -> None:
    for _ in range(SERVER_LOGIN_LIMIT):
        with PuterAI(ALICE, ALICE_PASSWORD) as client:
            client.login()

    with PuterAI(ALICE, ALICE_PASSWORD) as client, pytest.raises(PuterAuthError) as caught:
        client.login()

    assert caught.value.status_code == 429
    assert "token_cache=True" in str(caught.value)
    assert "PUTER_TOKEN_CACHE=1" in str(caught.value)


def test_a_throttled_login_says_how_long_to_wait(limited: PuterEmulator, cache_file: Path) -> None:
    limited.inject("/login", status=429, retry_after="42")

    with cached_client(cache_file) as client, pytest.raises(PuterAuthError) as caught:
        client.login()

    assert caught.value.status_code == 429
    assert "try again in 42 s" in str(caught.value)
    assert str(cache_file) in str(caught.value)
    assert len(limited.requests_to("/login")) == 1  # a throttled login is never retried


def test_a_refused_cached_token_leads_to_one_fresh_login(
    v2_emu: PuterEmulator, cache_file: Path
) -> None:
    with cached_client(cache_file) as client:
        client.chat("Hello")
    v2_emu.revoke_tokens(ALICE)

    with cached_client(cache_file) as client:
        assert client.chat("Again") == reply("Again")
        fresh = client.token

    assert len(v2_emu.requests_to("/login")) == 2
    saved = TokenCache(cache_file).find(v2_emu.api_base, username=ALICE)
    assert saved is not None and saved.token == fresh


def test_a_cached_token_is_not_used_for_another_api(
    v2_emu: PuterEmulator, cache_file: Path
) -> None:
    with cached_client(cache_file) as client:
        client.login()
    other_api = "http://127.0.0.1:9"

    with PuterAI(ALICE, ALICE_PASSWORD, token_cache=cache_file, api_base=other_api) as other:
        other.login()  # nothing listens at the other API; the login host is the emulator

    assert len(v2_emu.requests_to("/login")) == 2  # the first token was not reused there
    saved = TokenCache(cache_file).find(other_api, username=ALICE)
    assert saved is not None and saved.token == other.token != client.token


async def test_async_clients_share_the_cache(limited: PuterEmulator, cache_file: Path) -> None:
    for i in range(12):
        async with cached_client(cache_file) as client:
            assert await client.async_chat(f"Q{i}") == reply(f"Q{i}")

    assert len(limited.requests_to("/login")) == 1


CHILD = """
import sys
from puter import PuterAI
with PuterAI(token_cache=True) as client:
    print(client.chat(sys.argv[1]))
"""


def test_fifteen_processes_with_token_cache_log_in_once(
    limited: PuterEmulator, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUTER_")}
    env.update(limited.env())
    env.update(PUTER_USERNAME=ALICE, PUTER_PASSWORD=ALICE_PASSWORD, PUTER_CONFIG_DIR=str(tmp_path))
    for i in range(15):
        result = subprocess.run(
            [sys.executable, "-c", CHILD, f"Question {i}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == reply(f"Question {i}")

    assert len(limited.requests_to("/login")) == 1
