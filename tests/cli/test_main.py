"""The ``puter`` command line doing its job: chat, models, login and logout.

Its failures (every one a single line on stderr) are in ``test_cli_errors.py``.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

from puter_client.core.credentials import SavedLogin, save_login
from puter_client.emulator import PuterEmulator, expected_reply

from .support import (
    MODEL,
    PNG_1X1,
    PUTER,
    TIMEOUT,
    RunPuter,
    chat_calls,
    read_until,
)

# ------------------------------------------------------------------ puter chat "prompt"


def test_chat_streams_the_reply_to_stdout(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", "Hello there", "--model", MODEL)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == expected_reply("Hello there", MODEL) + "\n"
    [call] = chat_calls(emu)
    assert call.args["stream"] is True
    assert call.headers["authorization"] == f"Bearer {logged_in.token}"


def test_chat_no_stream_prints_the_whole_reply_from_a_plain_call(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", "Hello there", "--model", MODEL, "--no-stream")

    assert result.stdout == expected_reply("Hello there", MODEL) + "\n"
    [call] = chat_calls(emu)
    assert "stream" not in call.args


def test_chat_json_prints_the_reply_as_one_json_object(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", "Hello there", "--model", MODEL, "--json")

    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "model": MODEL,
        "text": expected_reply("Hello there", MODEL),
        "finish_reason": "stop",
        "usage": {"prompt_tokens": 2, "completion_tokens": 8, "total_tokens": 10},
    }


def test_chat_image_attaches_each_file_as_an_image_part(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    image = tmp_path / "dot.png"
    image.write_bytes(PNG_1X1)

    result = run_puter(
        "chat", "What is this?", "-m", MODEL, "--image", str(image), "-i", str(image)
    )

    assert result.stdout == expected_reply("What is this?", MODEL, images=2) + "\n"
    content = chat_calls(emu)[0].args["messages"][-1]["content"]
    urls = [p["image_url"]["url"] for p in content if p["type"] == "image_url"]
    assert len(urls) == 2
    assert all(url.startswith("data:image/png;base64,") for url in urls)


# ------------------------------------------------------------------ interactive


def test_an_interactive_session_keeps_history_and_obeys_its_commands(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    session = "Hello\n/model gpt-4o-mini\nAgain\n/clear\nFresh start\n/exit\nNever sent\n"

    result = run_puter("chat", "--model", MODEL, stdin=session)

    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        expected_reply("Hello", MODEL),
        "(model: gpt-4o-mini)",
        expected_reply("Again", "gpt-4o-mini", turns=2),
        "(history cleared)",
        expected_reply("Fresh start", "gpt-4o-mini"),
    ]
    sent = [[m["content"] for m in call.args["messages"]] for call in chat_calls(emu)]
    assert sent[1] == ["Hello", expected_reply("Hello", MODEL), "Again"]
    assert sent[2] == ["Fresh start"]
    assert len(sent) == 3  # nothing after /exit


# ------------------------------------------------------------------ puter models


def test_models_lists_each_model_with_its_provider(run_puter: RunPuter) -> None:
    result = run_puter("models")

    assert result.returncode == 0
    rows = [line.split() for line in result.stdout.splitlines()]
    assert ["gpt-4o", "openai-completion"] in rows
    assert ["claude-opus-4", "claude"] in rows
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)


def test_models_json_maps_every_model_name_to_its_provider(run_puter: RunPuter) -> None:
    result = run_puter("models", "--json")

    models = json.loads(result.stdout)
    assert models["claude-opus-4"] == models["claude-opus-4-20250514"] == "claude"
    assert models["gpt-4o"] == "openai-completion"


def test_models_long_lists_each_model_with_its_details(run_puter: RunPuter) -> None:
    result = run_puter("models", "-l")

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["MODEL", "PROVIDER", "CONTEXT", "MAX", "OUT", "IN/OUT", "COST",
                                "INPUT", "TOOLS"]  # fmt: skip
    opus = next(line for line in lines if line.startswith("claude-opus-4-20250514"))
    assert "(claude-opus-4)" in opus and "200,000" in opus and "text,image,file" in opus
    assert not any(line.split()[0] in ("fake", "costly", "abuse") for line in lines[1:])


def test_models_long_json_is_the_typed_details_of_one_provider(run_puter: RunPuter) -> None:
    result = run_puter("models", "-l", "--provider", "deepseek", "--json")

    models = json.loads(result.stdout)
    assert [model["id"] for model in models] == ["deepseek-chat", "deepseek-reasoner"]
    assert models[0]["context"] == 64_000


def test_models_providers_lists_each_provider_once(run_puter: RunPuter) -> None:
    providers = run_puter("models", "--providers").stdout.splitlines()

    assert "claude" in providers and "openai-completion" in providers
    assert len(providers) == len(set(providers)) and "fake-chat" not in providers


# ------------------------------------------------------------------ login and logout


def test_login_asks_for_the_password_without_echo_and_saves_a_private_token(
    cli_env: dict[str, str], emu: PuterEmulator, config_dir: Path
) -> None:
    controller, terminal = os.openpty()
    try:
        process = subprocess.Popen(
            [*PUTER, "login", "--username", "alice"],
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=cli_env,
            start_new_session=True,  # no other controlling terminal to prompt on
        )
        os.close(terminal)
        shown = read_until(controller, b"Password:")
        os.write(controller, b"alice-password\n")
        shown += read_until(controller, b"token saved")
        assert process.wait(TIMEOUT) == 0
    finally:
        os.close(controller)

    assert b"alice-password" not in shown
    token_file = config_dir / "token.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    [saved] = json.loads(token_file.read_text())["logins"]
    assert (saved["username"], saved["api_base"]) == ("alice", emu.api_base)
    assert saved["login_url"] == emu.login_url
    [login] = emu.requests_to("/login")
    assert login.json == {"username": "alice", "password": "alice-password"}


def test_logout_removes_the_saved_token(
    run_puter: RunPuter, logged_in: SavedLogin, config_dir: Path
) -> None:
    result = run_puter("logout")

    assert result.returncode == 0
    assert "Logged out" in result.stdout
    assert not (config_dir / "token.json").exists()


def test_a_token_saved_for_another_api_base_is_not_sent(
    run_puter: RunPuter, emu: PuterEmulator, alice_env: dict[str, str]
) -> None:
    save_login(SavedLogin(token="token-for-puter-com", api_base="https://api.puter.com"))

    result = run_puter("chat", "Hello", "-m", MODEL, env=alice_env)

    assert result.returncode == 0
    assert all("token-for-puter-com" not in str(r.headers) for r in emu.requests)
    assert len(emu.requests_to("/login")) == 1  # it logged in with the password instead


def test_endpoint_options_win_over_the_environment(
    run_puter: RunPuter, emu: PuterEmulator, config_dir: Path
) -> None:
    unreachable = {"PUTER_API_BASE": "http://127.0.0.1:9", "PUTER_LOGIN_URL": "http://127.0.0.1:9"}

    result = run_puter(
        "--api-base",
        emu.api_base,
        "--login-url",
        emu.login_url,
        "login",
        "--username",
        "alice",
        "--password-stdin",
        stdin="alice-password\n",
        env=unreachable,
    )

    assert result.returncode == 0, result.stderr
    assert len(emu.requests_to("/login")) == 1
    [saved] = json.loads((config_dir / "token.json").read_text())["logins"]
    assert saved["api_base"] == emu.api_base


def test_a_test_model_can_be_chosen_with_credentials_from_the_environment(
    run_puter: RunPuter, alice_env: dict[str, str]
) -> None:
    # The free test models are hidden from the public model list but callable; with a
    # saved token this works, and it must not depend on how the user authenticates.
    result = run_puter("chat", "Hello", "--model", "fake", env=alice_env)

    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_reply("Hello", "fake") + "\n"


def test_fifteen_runs_with_credentials_in_the_environment_log_in_once(
    run_puter: RunPuter, emu: PuterEmulator, alice_env: dict[str, str], config_dir: Path
) -> None:
    emu.state.options.login_limit = 10  # every login counts, as on a real server

    for i in range(15):
        result = run_puter("chat", f"Question {i}", "--model", MODEL, env=alice_env)
        assert result.returncode == 0, result.stderr

    assert len(emu.requests_to("/login")) == 1
    assert stat.S_IMODE((config_dir / "token.json").stat().st_mode) == 0o600


def test_a_refused_saved_token_leads_to_one_fresh_login(
    run_puter: RunPuter, emu: PuterEmulator, alice_env: dict[str, str]
) -> None:
    assert run_puter("chat", "One", "--model", MODEL, env=alice_env).returncode == 0
    emu.revoke_tokens("alice")

    result = run_puter("chat", "Two", "--model", MODEL, env=alice_env)

    assert result.returncode == 0, result.stderr
    assert len(emu.requests_to("/login")) == 2
