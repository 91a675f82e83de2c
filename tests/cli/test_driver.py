"""``puter driver call`` against the emulator: the driver call it sends, the result as
JSON, and its failures as one ``puter: error:`` line."""

from __future__ import annotations

import json

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import PuterEmulator

from .support import RunPuter


def test_call_sends_the_method_and_prints_the_result_as_json(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    stored = run_puter("driver", "call", "puter-kvstore", "set", '{"key": "k", "value": [1]}')
    read = run_puter("driver", "call", "puter-kvstore", "get", "-", stdin='{"key": "k"}')

    assert (stored.returncode, stored.stdout) == (0, "true\n")
    assert json.loads(read.stdout) == [1]
    last = emu.requests_to("/drivers/call")[-1].json
    assert last == {"interface": "puter-kvstore", "method": "get", "args": {"key": "k"}}


def test_call_with_a_driver_names_it(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("driver", "call", "puter-chat-completion", "models", "--driver", "ai-chat")

    assert result.returncode == 0
    assert isinstance(json.loads(result.stdout), list)
    assert emu.requests_to("/drivers/call")[-1].json["driver"] == "ai-chat"


def test_args_that_are_not_a_json_object_are_one_error_line(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    not_json = run_puter("driver", "call", "puter-kvstore", "get", "{key")
    a_list = run_puter("driver", "call", "puter-kvstore", "get", "[1]")

    assert not_json.stderr.startswith("puter: error: ARGS_JSON is not valid JSON")
    assert a_list.stderr == "puter: error: ARGS_JSON must be a JSON object, not list\n"
    assert emu.requests_to("/drivers/call") == []


def test_the_servers_refusal_is_one_error_line(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    result = run_puter("driver", "call", "puter-kvstore", "set", '{"key": "k"}')

    assert result.returncode != 0
    assert result.stderr.startswith("puter: error: ") and result.stderr.count("\n") == 1
    assert "Missing `value`" in result.stderr
