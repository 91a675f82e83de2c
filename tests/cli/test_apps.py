"""``puter app``: create, ls, info, update and rm against the emulator, plain and ``--json``."""

from __future__ import annotations

import json

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import PuterEmulator

from .support import RunPuter, assert_one_line_error

URL = "https://example.com/"


def test_create_then_info_prints_the_app(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    created = run_puter("app", "create", "notes", URL, "--title", "Notes", "--json")
    info = run_puter("app", "info", "notes")

    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["title"] == "Notes"
    assert "name: notes\n" in info.stdout and f"index_url: {URL}\n" in info.stdout


def test_ls_prints_one_app_a_line_or_a_json_array(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    run_puter("app", "create", "a", URL)
    run_puter("app", "create", "b", URL)

    assert run_puter("app", "ls").stdout == f"a\ta\t{URL}\nb\tb\t{URL}\n"
    assert [a["name"] for a in json.loads(run_puter("app", "ls", "--json").stdout)] == ["a", "b"]


def test_update_and_rm_change_the_app(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    run_puter("app", "create", "a", URL)

    updated = run_puter("app", "update", "a", "--name", "b", "--json")
    removed = run_puter("app", "rm", "b")

    assert json.loads(updated.stdout)["name"] == "b"
    assert removed.returncode == 0
    assert emu.state.apps.all() == []


def test_a_taken_name_is_one_error_line(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    run_puter("app", "create", "a", URL)

    assert_one_line_error(run_puter("app", "create", "a", URL), "already exists")


def test_info_of_an_unknown_app_is_one_error_line(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    assert_one_line_error(run_puter("app", "info", "nope"), "App not found")
