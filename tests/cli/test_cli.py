"""The ``puter`` command line, run as the installed command against the emulator.

Every test starts the real console script in a subprocess. Its environment is the test
process's minus every ``PUTER_*`` variable, plus ``PUTER_API_BASE``/``PUTER_LOGIN_URL``
pointing at the emulator and ``PUTER_CONFIG_DIR`` at a temporary directory, so that no
real token file is ever read or written. Each subprocess costs about half a second,
so each test runs the command once or twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import pytest

from puter_client.credentials import CONFIG_DIR_ENV, SavedLogin, save_login
from puter_client.emulator import LoggedRequest, PuterEmulator, expected_reply, pytest_plugin

puter_emulator_session = pytest_plugin.puter_emulator_session
puter_emulator = pytest_plugin.puter_emulator

#: The installed console script, next to this interpreter (else the module, as a fallback).
_SCRIPT = Path(sys.executable).with_name("puter")
PUTER: list[str] = (
    [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "puter_client.cli"]
)

#: Seconds any one command may take before the test fails instead of hanging.
TIMEOUT = 20.0
MODEL = "gpt-4o"
#: A valid 1x1 PNG image.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d9d1f80000000049454e44ae426082"
)


class RunPuter(Protocol):
    """Runs ``puter *args`` to completion and returns what it did."""

    def __call__(
        self, *args: str, stdin: str = "", env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]: ...


# ------------------------------------------------------------------ fixtures


@pytest.fixture
def emu(puter_emulator: PuterEmulator) -> PuterEmulator:
    """A V2 emulator in its initial state."""
    return puter_emulator


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The ``puter`` config directory of this test, for the child and this process alike."""
    directory = tmp_path / "puter-config"
    monkeypatch.setenv(CONFIG_DIR_ENV, str(directory))
    return directory


@pytest.fixture
def cli_env(emu: PuterEmulator, config_dir: Path) -> dict[str, str]:
    """The environment of a ``puter`` child process (see the module docstring)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUTER_")}
    env.update(emu.env())
    env[CONFIG_DIR_ENV] = str(config_dir)
    env["PUTER_RETRY_DELAY"] = "0.01"
    return env


@pytest.fixture
def run_puter(cli_env: dict[str, str]) -> RunPuter:
    """``run_puter("chat", "Hi")``; ``env`` entries are added to ``cli_env``."""

    def run(
        *args: str, stdin: str = "", env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*PUTER, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**cli_env, **(env or {})},
            timeout=TIMEOUT,
            check=False,
        )

    return run


@pytest.fixture
def logged_in(emu: PuterEmulator, config_dir: Path) -> SavedLogin:
    """A token of ``alice`` saved for the emulator, as ``puter login`` saves it."""
    login = SavedLogin(token=emu.token_for("alice"), api_base=emu.api_base, username="alice")
    save_login(login)
    return login


@pytest.fixture
def alice_env() -> dict[str, str]:
    """Credentials in the environment instead of a saved token."""
    return {"PUTER_USERNAME": "alice", "PUTER_PASSWORD": "alice-password"}


@pytest.fixture
def started(cli_env: dict[str, str]) -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts itself; killed at the end if still running."""
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


@contextlib.contextmanager
def ctrl_c_reaches_children() -> Iterator[None]:
    """Let children handle Ctrl-C even when this process ignores it.

    A test run in the background of a shell ignores SIGINT, and children inherit an
    ignored signal (Python then never raises ``KeyboardInterrupt``); a handled signal
    is reset to its default in the child instead.
    """
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def start_puter(
    processes: list[subprocess.Popen[str]], args: Sequence[str], env: Mapping[str, str]
) -> subprocess.Popen[str]:
    """Start ``puter *args`` with piped stdin, stdout and stderr, ready for Ctrl-C."""
    with ctrl_c_reaches_children():
        process = subprocess.Popen(
            [*PUTER, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(env),
        )
    processes.append(process)
    return process


# ------------------------------------------------------------------ helpers


def chat_calls(emu: PuterEmulator) -> list[LoggedRequest]:
    """The chat (``complete``) driver calls the emulator received."""
    return [
        r
        for r in emu.requests_to("/drivers/call")
        if isinstance(r.json, dict) and r.json.get("method") == "complete"
    ]


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """The command failed with a single ``puter: error: ...`` line naming ``fragments``."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("puter: error: ")
    for fragment in fragments:
        assert fragment in line


def assert_interrupted_cleanly(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Send Ctrl-C; the command exits with 130 and no traceback. Returns its output."""
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert "KeyboardInterrupt" not in err
    return out, err


def read_until(fd: int, marker: bytes, timeout: float = TIMEOUT) -> bytes:
    """Read a pseudo-terminal until ``marker`` shows up (or it closes); all bytes read."""
    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError(f"no {marker!r} in {data!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        data += chunk
    return data


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


def test_ctrl_c_during_a_slow_stream_exits_130_without_a_traceback(
    cli_env: dict[str, str],
    emu: PuterEmulator,
    logged_in: SavedLogin,
    started: list[subprocess.Popen[str]],
) -> None:
    emu.state.options.stream_line_delay = 0.5
    reply = expected_reply("Hello there", MODEL)
    process = start_puter(started, ["chat", "Hello there", "-m", MODEL], cli_env)
    assert process.stdout is not None
    first_delta = process.stdout.read(12)  # the CLI flushes every delta

    rest, _ = assert_interrupted_cleanly(process)

    assert first_delta == reply[:12]
    assert first_delta + rest != reply + "\n"  # interrupted mid-stream
    assert emu.wait_for_connections(0)


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


def test_ctrl_c_in_an_interactive_session_waiting_for_input_exits_130(
    cli_env: dict[str, str],
    logged_in: SavedLogin,
    started: list[subprocess.Popen[str]],
) -> None:
    process = start_puter(started, ["chat", "--model", MODEL], cli_env)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("Hello\n")
    process.stdin.flush()
    assert process.stdout.readline() == expected_reply("Hello", MODEL) + "\n"

    assert_interrupted_cleanly(process)  # it now waits for the next line


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
    saved = json.loads(token_file.read_text())
    assert (saved["username"], saved["api_base"]) == ("alice", emu.api_base)
    [login] = emu.requests_to("/login")
    assert login.json == {"username": "alice", "password": "alice-password"}


def test_logout_removes_the_saved_token(
    run_puter: RunPuter, logged_in: SavedLogin, config_dir: Path
) -> None:
    result = run_puter("logout")

    assert result.returncode == 0
    assert "Logged out" in result.stdout
    assert not (config_dir / "token.json").exists()


def test_a_token_file_that_others_can_read_is_refused(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, config_dir: Path
) -> None:
    token_file = config_dir / "token.json"
    token_file.chmod(0o644)

    result = run_puter("chat", "Hello", "-m", MODEL)

    assert_one_line_error(result, str(token_file), "readable by others", "chmod 600")
    assert emu.requests == []


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
    saved = json.loads((config_dir / "token.json").read_text())
    assert saved["api_base"] == emu.api_base


# ------------------------------------------------------------------ errors


def test_without_a_token_or_credentials_chat_says_how_to_log_in(
    run_puter: RunPuter, emu: PuterEmulator
) -> None:
    result = run_puter("chat", "Hello")

    assert_one_line_error(result, "not logged in", "puter login")
    assert emu.requests == []


def test_a_wrong_password_is_one_line_on_stderr_and_saves_nothing(
    run_puter: RunPuter, config_dir: Path
) -> None:
    result = run_puter("login", "-u", "alice", "--password-stdin", stdin="not-her-password\n")

    assert_one_line_error(result, "login failed", "Incorrect password")
    assert not (config_dir / "token.json").exists()


def test_a_server_error_is_one_line_on_stderr(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    emu.inject(
        "/drivers/call",
        status=403,
        body={"error": "Permission denied", "message": "Permission denied", "code": "forbidden"},
    )

    result = run_puter("chat", "Hello")

    assert_one_line_error(result, "Permission denied")
    assert result.stdout == ""


def test_an_unreachable_server_is_one_line_on_stderr(
    run_puter: RunPuter, emu: PuterEmulator, config_dir: Path
) -> None:
    unreachable = "http://127.0.0.1:9"
    save_login(SavedLogin(token=emu.token_for("alice"), api_base=unreachable))

    result = run_puter("--api-base", unreachable, "chat", "Hello", env={"PUTER_MAX_RETRIES": "0"})

    assert_one_line_error(result, "could not reach the server")


def test_a_test_model_can_be_chosen_with_credentials_from_the_environment(
    run_puter: RunPuter, alice_env: dict[str, str]
) -> None:
    # The free test models are hidden from the public model list but callable; with a
    # saved token this works, and it must not depend on how the user authenticates.
    result = run_puter("chat", "Hello", "--model", "fake", env=alice_env)

    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_reply("Hello", "fake") + "\n"
