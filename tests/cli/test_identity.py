"""Which account and which server the command line acts on.

``puter login`` sets who the command line is on a server; credentials in the environment
apply to the command they are given to only; ``puter whoami`` says which account, which
server and why; a login saved for another server says so; a server that cannot be reached
is named with its host and port.
"""

from __future__ import annotations

import json

from puter_client.core.credentials import SavedLogin, TokenCache, save_login
from puter_client.emulator import PuterEmulator
from tests.support.emulated import closed_port_url

from .support import RunPuter

BOB = {"PUTER_USERNAME": "bob", "PUTER_PASSWORD": "bob-password"}


def _whoami(run_puter: RunPuter) -> dict[str, object]:
    result = run_puter("whoami", "--json")
    assert result.returncode == 0, result.stderr
    answer: dict[str, object] = json.loads(result.stdout)
    return answer


def test_environment_credentials_do_not_change_who_the_cli_is(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    emu.add_user("bob", "bob-password")

    with_bob = run_puter("whoami", "--json", env=BOB)
    after = _whoami(run_puter)

    assert json.loads(with_bob.stdout)["username"] == "bob"
    assert after["username"] == "alice"


def test_puter_login_sets_who_the_cli_is(run_puter: RunPuter, emu: PuterEmulator) -> None:
    emu.add_user("bob", "bob-password")
    for user in ("alice", "bob"):
        result = run_puter("login", "-u", user, "--password-stdin", stdin=f"{user}-password\n")
        assert result.returncode == 0, result.stderr

    assert _whoami(run_puter)["username"] == "bob"


def test_login_says_which_account_and_server(run_puter: RunPuter, emu: PuterEmulator) -> None:
    result = run_puter("login", "-u", "alice", "--password-stdin", stdin="alice-password\n")

    assert result.returncode == 0
    assert f"Logged in as alice at {emu.api_base}" in result.stdout


def test_whoami_names_the_account_the_server_and_the_saved_login(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("whoami")

    lines = result.stdout.splitlines()
    assert lines[0].startswith("alice ")
    assert f"server: {emu.api_base}" in lines
    assert any(line.startswith("login: saved by 'puter login'") for line in lines)


def test_whoami_says_when_the_account_comes_from_the_environment(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    emu.add_user("bob", "bob-password")

    answer = json.loads(run_puter("whoami", "--json", env=BOB).stdout)

    assert answer["server"] == emu.api_base
    assert "PUTER_USERNAME" in str(answer["login"]) and "this command only" in str(answer["login"])


def test_a_login_saved_for_another_server_says_so(
    run_puter: RunPuter, emu: PuterEmulator, config_dir: object
) -> None:
    save_login(SavedLogin(token="t", api_base="https://api.puter.com", username="alice"))

    result = run_puter("whoami")

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert f"not logged in at {emu.api_base}" in line
    assert "the saved login as alice is for https://api.puter.com" in line
    assert not emu.requests


def test_a_token_cached_for_another_server_is_not_a_login(
    run_puter: RunPuter, emu: PuterEmulator, config_dir: object
) -> None:
    TokenCache().save(SavedLogin(token="t", api_base="https://api.puter.com", username="bob"))

    result = run_puter("whoami")

    assert "run 'puter login'" in result.stderr
    assert "https://api.puter.com" not in result.stderr


def test_an_unreachable_server_is_named_with_host_and_port(
    run_puter: RunPuter, alice_env: dict[str, str]
) -> None:
    nowhere = closed_port_url()
    port = nowhere.rsplit(":", 1)[1]

    result = run_puter(
        "--api-base", nowhere, "--login-url", f"{nowhere}/login", "whoami",
        env={**alice_env, "PUTER_MAX_RETRIES": "0"},
    )  # fmt: skip

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert f"could not reach the server at 127.0.0.1:{port}" in line
    assert f"{nowhere}/login" in line
