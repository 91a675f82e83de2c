"""``puter kv``: get, set, del, incr and keys against the emulator, plain and ``--json``."""

from __future__ import annotations

import json

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import PuterEmulator

from .support import RunPuter


def alice_store(emu: PuterEmulator) -> dict[str, object]:
    """What ``alice`` has stored, read straight from the emulator."""
    space = emu.state.kv.namespace(emu.state.find_user(username="alice").uuid)  # type: ignore[union-attr]
    return dict(space.live_items(None, emu.state.clock()))


def test_set_stores_the_text_and_get_prints_it(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    stored = run_puter("kv", "set", "greeting", "hello world")
    printed = run_puter("kv", "get", "greeting")

    assert (stored.returncode, stored.stdout, stored.stderr) == (0, "", "")
    assert (printed.returncode, printed.stdout) == (0, "hello world\n")
    assert alice_store(emu) == {"greeting": "hello world"}


def test_set_json_stores_the_parsed_value_and_get_prints_it_as_json(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    run_puter("kv", "set", "doc", '{"a": [1, null]}', "--json")

    assert alice_store(emu) == {"doc": {"a": [1, None]}}
    assert json.loads(run_puter("kv", "get", "doc").stdout) == {"a": [1, None]}
    assert run_puter("kv", "get", "missing").stdout == ""
    assert run_puter("kv", "get", "missing", "--json").stdout == "null\n"


def test_incr_prints_the_new_number(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    assert run_puter("kv", "incr", "visits").stdout == "1\n"
    assert run_puter("kv", "incr", "visits", "2.5", "--json").stdout == "3.5\n"


def test_del_forgets_the_key(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    run_puter("kv", "set", "k", "v")

    assert run_puter("kv", "del", "k", "--json").stdout == "true\n"
    assert alice_store(emu) == {}


def test_keys_prints_one_key_a_line_or_a_json_array(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    for key in ("user:2", "user:1", "other"):
        run_puter("kv", "set", key, "x")

    assert run_puter("kv", "keys").stdout == "other\nuser:1\nuser:2\n"
    assert json.loads(run_puter("kv", "keys", "user:", "--json").stdout) == ["user:1", "user:2"]


def test_a_refused_call_is_one_error_line(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    run_puter("kv", "set", "name", "alice")

    result = run_puter("kv", "incr", "name")

    assert result.returncode == 1
    assert result.stderr.startswith("puter: error: ")
    assert "incorrect data type" in result.stderr
    assert result.stderr.count("\n") == 1


def test_bad_input_is_one_error_line_before_any_request(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    too_long = run_puter("kv", "get", "k" * 1025)
    not_json = run_puter("kv", "set", "k", "{oops", "--json")
    not_a_number = run_puter("kv", "incr", "k", "many")

    assert too_long.stderr == ("puter: error: key is 1025 UTF-8 bytes; the limit is 1024 bytes\n")
    assert not_json.stderr.startswith("puter: error: VALUE is not valid JSON")
    assert not_a_number.returncode == 2 and "not a number: 'many'" in not_a_number.stderr
    assert emu.requests_to("/drivers/call") == []


def test_kv_without_a_login_says_how_to_log_in(run_puter: RunPuter) -> None:
    result = run_puter("kv", "get", "k")

    assert result.returncode == 1
    assert result.stderr.startswith("puter: error: not logged in")


def test_update_sets_text_and_json_paths_and_prints_the_new_value(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    run_puter("kv", "set", "doc", '{"n": 1}', "--json")

    updated = run_puter("kv", "update", "doc", "name=Ada", "stats.views:=3", "--ttl", "60")

    assert updated.returncode == 0
    assert json.loads(updated.stdout) == {"n": 1, "name": "Ada", "stats": {"views": 3}}
    assert alice_store(emu) == {"doc": {"n": 1, "name": "Ada", "stats": {"views": 3}}}


def test_add_appends_at_a_path_and_prints_the_new_value(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    run_puter("kv", "set", "doc", '{"tags": ["a"]}', "--json")

    added = run_puter("kv", "add", "doc", "b", "--path", "tags")

    assert json.loads(added.stdout) == {"tags": ["a", "b"]}
    assert json.loads(run_puter("kv", "add", "list", "[1, 2]", "--json").stdout) == [1, 2]


def test_remove_takes_out_the_paths_and_prints_the_new_value(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    run_puter("kv", "set", "doc", '{"a": 1, "b": {"c": 2}}', "--json")

    removed = run_puter("kv", "remove", "doc", "a", "b.c")

    assert json.loads(removed.stdout) == {"b": {}}


def test_update_with_a_refused_path_is_one_error_line_before_any_request(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("kv", "update", "doc", "__proto__.x=1")

    assert result.returncode != 0
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("puter: error:")
    assert "__proto__" in result.stderr
    assert alice_store(emu) == {}


def test_update_without_an_equals_sign_is_one_error_line(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    result = run_puter("kv", "update", "doc", "just-a-path")

    assert result.returncode != 0
    assert result.stderr.startswith("puter: error:") and result.stderr.count("\n") == 1


def test_keys_with_a_limit_prints_one_page_and_the_next_cursor_on_stderr(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    for key in ("user:3", "user:1", "user:2"):
        run_puter("kv", "set", key, "x")

    first = run_puter("kv", "keys", "--pattern", "user:*", "--limit", "2", "--total")
    cursor = first.stderr.split("--cursor ", 1)[1].split("\n", 1)[0]
    rest = run_puter("kv", "keys", "--pattern", "user:*", "--limit", "2", "--cursor", cursor)

    assert first.stdout == "user:1\nuser:2\n"
    assert "total: 3" in first.stderr
    assert (rest.stdout, rest.stderr) == ("user:3\n", "")


def test_keys_json_page_is_one_object_with_items_cursor_and_total(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    for key in ("a", "b"):
        run_puter("kv", "set", key, "x")

    page = json.loads(run_puter("kv", "keys", "--limit", "5", "--total", "--json").stdout)

    assert page == {"items": ["a", "b"], "cursor": None, "total": 2}


def test_set_dash_reads_the_value_from_standard_input(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    run_puter("kv", "set", "note", "-", stdin="line one\nline two\n")
    run_puter("kv", "set", "doc", "-", "--json", stdin='{"a": [1]}')

    assert alice_store(emu) == {"note": "line one\nline two", "doc": {"a": [1]}}


def test_clear_forgets_every_key(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    run_puter("kv", "set", "k", "v")

    assert run_puter("kv", "clear").returncode == 0
    assert alice_store(emu) == {}
