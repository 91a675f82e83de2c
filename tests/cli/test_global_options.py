"""Global options after the subcommand, and ``--json`` errors as one JSON object."""

from __future__ import annotations

import json

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import PuterEmulator
from tests.support.emulated import closed_port_url

from .support import RunPuter


def test_api_base_after_the_subcommand_wins_over_the_environment(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    elsewhere = closed_port_url()
    env = {"PUTER_API_BASE": elsewhere, "PUTER_LOGIN_URL": f"{elsewhere}/login"}

    result = run_puter("whoami", "--api-base", emu.api_base, "--login-url", emu.login_url, env=env)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("alice ")


def test_api_base_after_a_nested_subcommand_is_used(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    nowhere = closed_port_url()

    result = run_puter("kv", "get", "k", "--api-base", nowhere)

    assert result.returncode == 1
    assert f"not logged in at {nowhere}" in result.stderr


def test_json_before_the_subcommand_is_not_reset_by_it(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    result = run_puter("--json", "whoami")

    assert result.returncode == 0
    assert json.loads(result.stdout)["username"] == "alice"


def test_a_json_error_is_one_json_object_on_stderr(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    emu.inject("/whoami", status=404)

    result = run_puter("whoami", "--json")

    assert (result.returncode, result.stdout) == (1, "")
    [line] = result.stderr.splitlines()
    error = json.loads(line)["error"]
    assert error["status_code"] == 404
    assert error["type"] == "PuterNotFoundError"
    assert error["exit_status"] == 1
    assert "code" in error and error["message"]


def test_a_json_error_of_the_cli_itself_has_no_status(
    run_puter: RunPuter, config_dir: object
) -> None:
    result = run_puter("--json", "whoami")

    error = json.loads(result.stderr)["error"]
    assert (error["type"], error["status_code"], error["code"]) == ("PuterAuthError", None, None)
    assert "not logged in" in error["message"]


def test_a_usage_error_with_json_is_json_with_status_2(run_puter: RunPuter) -> None:
    result = run_puter("--json", "no-such-command")

    assert result.returncode == 2
    error = json.loads(result.stderr)["error"]
    assert (error["type"], error["exit_status"]) == ("UsageError", 2)


def test_without_json_an_error_stays_one_plain_line(
    run_puter: RunPuter, config_dir: object
) -> None:
    result = run_puter("whoami")

    assert result.stderr.startswith("puter: error: not logged in")
