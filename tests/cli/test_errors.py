"""Every way the ``puter`` command can fail ends in one line on stderr, never a traceback.

The line is ``puter: error: ...``; the status is 1, 2 for a usage error, 130 for Ctrl-C.
Ctrl-C is sent only once the command shows it has reached the point under test (a
prompt, a delta, a connection), never after a fixed sleep.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from puter_client.cli import main as cli
from puter_client.cli.main import EXIT_BROKEN_PIPE
from puter_client.core.credentials import SavedLogin, save_login
from puter_client.emulator import Drop, HtmlPage, PuterEmulator, expected_reply

from .support import (
    DEFAULT_MODEL,
    INTERRUPTED,
    MODEL,
    TIMEOUT,
    Processes,
    RunPuter,
    assert_interrupted_cleanly,
    assert_one_line_error,
    read_to_end,
    read_until,
    run_into_closed_pipe,
    start_on_terminal,
    start_puter,
)

not_as_root = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file"
)

# ------------------------------------------------------------------ usage (status 2)


def test_an_unknown_option_is_one_line_with_status_2(run_puter: RunPuter) -> None:
    result = run_puter("chat", "Hello", "--bogus")

    assert_one_line_error(result, "unrecognized arguments: --bogus", "'puter --help'", status=2)


def test_a_missing_command_is_one_line_with_status_2(run_puter: RunPuter) -> None:
    result = run_puter()

    assert_one_line_error(result, "required: COMMAND", status=2)


def test_an_option_without_its_value_points_at_the_commands_help(run_puter: RunPuter) -> None:
    result = run_puter("chat", "Hello", "--model")

    assert_one_line_error(result, "expected one argument", "'puter chat --help'", status=2)


# ------------------------------------------------------------------ standard streams


def test_login_without_a_password_or_a_terminal_says_how_to_give_one(
    run_puter: RunPuter, emu: PuterEmulator
) -> None:
    result = run_puter("login", stdin=None, env={"PUTER_USERNAME": "alice"})

    assert_one_line_error(result, "no password", "--password-stdin", "PUTER_PASSWORD")
    assert emu.requests == []


def test_login_without_a_username_or_a_terminal_says_how_to_give_one(
    run_puter: RunPuter, emu: PuterEmulator
) -> None:
    result = run_puter("login", stdin=None)

    assert_one_line_error(result, "--username", "PUTER_USERNAME")
    assert emu.requests == []


def test_an_empty_password_on_stdin_is_refused_before_any_request(
    run_puter: RunPuter, emu: PuterEmulator
) -> None:
    result = run_puter("login", "-u", "alice", "--password-stdin", stdin="")

    assert_one_line_error(result, "no password given")
    assert emu.requests == []


def test_a_password_from_a_closed_stdin_is_one_line(
    run_puter: RunPuter, emu: PuterEmulator
) -> None:
    result = run_puter("login", "-u", "alice", "--password-stdin", closing="<&-")

    assert_one_line_error(result, "standard input is closed")
    assert emu.requests == []


def test_a_session_on_a_closed_stdin_is_one_line(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", closing="<&-")

    assert_one_line_error(result, "standard input is closed")


def test_a_closed_stdout_is_one_line(run_puter: RunPuter, emu: PuterEmulator) -> None:
    result = run_puter("models", closing=">&-")

    assert_one_line_error(result, "standard output is closed")
    assert emu.requests == []


def assert_quietly_cut_off(result: subprocess.CompletedProcess[str]) -> None:
    """A reader that left early (``| head -1``) is no error: nothing on stderr, and the
    status a shell gives a command ended by SIGPIPE."""
    assert (result.returncode, result.stderr) == (EXIT_BROKEN_PIPE, "")


def test_models_into_a_closed_pipe_is_quiet(cli_env: dict[str, str]) -> None:
    result = run_into_closed_pipe(["models"], cli_env)  # as in: puter models | head -1

    assert_quietly_cut_off(result)


def test_a_streamed_reply_into_a_closed_pipe_is_quiet(
    cli_env: dict[str, str], logged_in: SavedLogin
) -> None:
    result = run_into_closed_pipe(["chat", "Hello", "-m", MODEL], cli_env)

    assert_quietly_cut_off(result)


def test_help_into_a_closed_pipe_is_quiet(cli_env: dict[str, str]) -> None:
    result = run_into_closed_pipe(["--help"], cli_env)

    assert_quietly_cut_off(result)


def test_whoami_into_head_is_quiet(cli_env: dict[str, str], logged_in: SavedLogin) -> None:
    result = run_into_closed_pipe(["whoami"], cli_env)  # as in: puter whoami | head -1

    assert_quietly_cut_off(result)


# ------------------------------------------------------------------ images


def test_an_image_that_does_not_exist_is_one_line(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.png"

    result = run_puter("chat", "What is this?", "--image", str(missing))

    assert_one_line_error(result, str(missing))
    assert emu.requests == []


def test_an_image_that_is_a_directory_is_one_line(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter("chat", "What is this?", "--image", str(tmp_path))

    assert_one_line_error(result, str(tmp_path), "directory")


def test_an_image_that_is_a_pipe_is_refused_without_reading_it(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    fifo = tmp_path / "image.png"
    os.mkfifo(fifo)  # reading it would block forever

    result = run_puter("chat", "What is this?", "--image", str(fifo))

    assert_one_line_error(result, str(fifo), "not a regular file")


@not_as_root
def test_an_image_that_cannot_be_read_is_one_line(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    image = tmp_path / "secret.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    image.chmod(0)

    result = run_puter("chat", "What is this?", "--image", str(image))

    assert_one_line_error(result, str(image))


# ------------------------------------------------------------------ token file and config


def test_a_token_file_that_others_can_read_is_refused(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, config_dir: Path
) -> None:
    token_file = config_dir / "token.json"
    token_file.chmod(0o644)

    result = run_puter("chat", "Hello", "-m", MODEL)

    assert_one_line_error(result, str(token_file), "readable by others", "chmod 600")
    assert emu.requests == []


def test_a_corrupt_token_file_is_one_line_that_says_to_log_out(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, config_dir: Path
) -> None:
    (config_dir / "token.json").write_bytes(b'{"token": "abc", "api_')

    result = run_puter("chat", "Hello")

    assert_one_line_error(result, "not a token file", "puter logout")
    assert emu.requests == []


def test_a_token_file_that_is_a_directory_is_one_line(
    run_puter: RunPuter, config_dir: Path
) -> None:
    (config_dir / "token.json").mkdir(parents=True)

    result = run_puter("chat", "Hello")

    assert_one_line_error(result, "token.json is not a file")


@not_as_root
def test_a_token_file_that_cannot_be_read_is_one_line(
    run_puter: RunPuter, logged_in: SavedLogin, config_dir: Path
) -> None:
    (config_dir / "token.json").chmod(0)

    result = run_puter("chat", "Hello")

    assert_one_line_error(result, "cannot read the saved login", "Permission denied")


def test_a_config_dir_that_cannot_be_created_is_one_line_and_saves_nothing(
    run_puter: RunPuter, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    config_dir = blocker / "puter"

    result = run_puter(
        "login",
        "-u",
        "alice",
        "--password-stdin",
        stdin="alice-password\n",
        env={"PUTER_CONFIG_DIR": str(config_dir)},
    )

    assert_one_line_error(result, "cannot save the login", str(config_dir), "Not a directory")
    assert blocker.read_text() == ""


def test_a_config_dir_that_cannot_be_read_is_one_line(run_puter: RunPuter, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")

    result = run_puter("chat", "Hello", env={"PUTER_CONFIG_DIR": str(blocker / "puter")})

    assert_one_line_error(result, "cannot read the saved login", "Not a directory")


def test_a_token_file_that_cannot_be_removed_is_one_line(
    run_puter: RunPuter, config_dir: Path
) -> None:
    (config_dir / "token.json").mkdir(parents=True)

    result = run_puter("logout")

    assert_one_line_error(result, "cannot remove the saved login")


# ------------------------------------------------------------------ environment and server


def test_a_bad_setting_in_the_environment_is_one_line(run_puter: RunPuter) -> None:
    result = run_puter("models", env={"PUTER_TIMEOUT": "soon"})

    assert_one_line_error(result, "PUTER_TIMEOUT", "soon")


def test_without_a_token_or_credentials_chat_says_how_to_log_in(
    run_puter: RunPuter, emu: PuterEmulator
) -> None:
    result = run_puter("chat", "Hello")

    assert_one_line_error(result, "not logged in", "puter login")
    assert emu.requests == []


def test_a_wrong_password_is_one_line_and_saves_nothing(
    run_puter: RunPuter, config_dir: Path
) -> None:
    result = run_puter("login", "-u", "alice", "--password-stdin", stdin="not-her-password\n")

    assert_one_line_error(result, "login failed", "Incorrect password")
    assert not (config_dir / "token.json").exists()


def test_a_two_factor_account_without_a_code_is_told_to_give_otp(run_puter: RunPuter) -> None:
    result = run_puter("login", "-u", "otp_user", "--password-stdin", stdin="otp_user-password\n")

    assert_one_line_error(result, "two-factor", "--otp CODE")


def test_a_server_error_is_one_line(
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


def test_an_unreachable_server_is_one_line(
    run_puter: RunPuter, emu: PuterEmulator, config_dir: Path
) -> None:
    unreachable = "http://127.0.0.1:9"
    save_login(SavedLogin(token=emu.token_for("alice"), api_base=unreachable))

    result = run_puter("--api-base", unreachable, "chat", "Hello", env={"PUTER_MAX_RETRIES": "0"})

    assert_one_line_error(result, "could not reach the server")


def test_a_garbage_answer_is_one_line(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    emu.inject("/drivers/call", HtmlPage(status=200))

    result = run_puter("chat", "Hello", "--no-stream")

    assert_one_line_error(result, "not valid JSON")


def test_a_reply_broken_off_mid_stream_ends_its_line_and_is_one_line(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    emu.inject("/drivers/call", Drop(after_bytes=120))

    result = run_puter("chat", "Hello there")

    assert_one_line_error(result, "could not reach the server")
    shown, newline = result.stdout[:-1], result.stdout[-1:]
    assert shown and expected_reply("Hello there", DEFAULT_MODEL).startswith(shown)
    assert newline == "\n"


def test_a_model_catalog_that_cannot_be_fetched_is_one_warning_line(
    run_puter: RunPuter, emu: PuterEmulator
) -> None:
    emu.inject("/puterai/chat/models/details", HtmlPage(status=200))

    result = run_puter("models")

    assert result.returncode == 0
    [line] = result.stderr.splitlines()
    assert line.startswith("puter: warning: could not fetch the model catalog")
    assert MODEL in result.stdout.split()  # the bundled list


# ------------------------------------------------------------------ interactive sessions


def test_a_failed_turn_is_one_line_the_session_goes_on_and_exits_1(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    emu.inject("/drivers/call", status=403, body={"message": "Permission denied"})

    result = run_puter("chat", stdin="Hello\nAgain\n")

    assert_one_line_error(result, "Permission denied")
    assert result.stdout == expected_reply("Again", DEFAULT_MODEL) + "\n"


def test_an_unknown_session_command_is_one_line_and_exits_1(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", "-m", MODEL, stdin="/frobnicate\n")

    assert_one_line_error(result, "unknown command '/frobnicate'")


# ------------------------------------------------------------------ Ctrl-C (status 130)


def test_ctrl_c_during_a_slow_stream_exits_130_and_ends_the_line(
    cli_env: dict[str, str], emu: PuterEmulator, logged_in: SavedLogin, started: Processes
) -> None:
    emu.state.options.stream_line_delay = 0.5
    reply = expected_reply("Hello there", MODEL)
    args = ["chat", "Hello there", "-m", MODEL]
    process = start_puter(started, args, cli_env, stdin=subprocess.DEVNULL)  # nothing piped
    assert process.stdout is not None
    first_delta = process.stdout.read(12)  # the CLI flushes every delta

    rest = assert_interrupted_cleanly(process)

    assert first_delta == reply[:12]
    shown = first_delta + rest
    assert shown.endswith("\n") and shown != reply + "\n"  # interrupted mid-stream
    assert emu.wait_for_connections(0)


def test_ctrl_c_while_waiting_for_the_server_exits_130(
    cli_env: dict[str, str], config_dir: Path, started: Processes
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        api_base = f"http://127.0.0.1:{silent.getsockname()[1]}"
        save_login(SavedLogin(token="a-token", api_base=api_base))
        args = ["--api-base", api_base, "chat", "Hello"]
        process = start_puter(started, args, cli_env, stdin=subprocess.DEVNULL)  # nothing piped
        silent.settimeout(TIMEOUT)
        connection, _ = silent.accept()  # the command now waits for an answer
        with connection:
            assert_interrupted_cleanly(process)


def test_ctrl_c_in_an_interactive_session_waiting_for_input_exits_130(
    cli_env: dict[str, str], logged_in: SavedLogin, started: Processes
) -> None:
    process = start_puter(started, ["chat", "--model", MODEL], cli_env)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("Hello\n")
    process.stdin.flush()
    assert process.stdout.readline() == expected_reply("Hello", MODEL) + "\n"

    assert_interrupted_cleanly(process)  # it now waits for the next line


def test_ctrl_c_at_the_password_prompt_exits_130(
    cli_env: dict[str, str], emu: PuterEmulator, started: Processes
) -> None:
    process, terminal = start_on_terminal(started, ["login", "--username", "alice"], cli_env)
    try:
        read_until(terminal, b"Password:")
        process.send_signal(signal.SIGINT)
        shown = read_to_end(terminal)
    finally:
        os.close(terminal)

    assert process.wait(TIMEOUT) == 130
    assert b"Traceback" not in shown
    assert shown.splitlines()[-1].decode() + "\n" == INTERRUPTED
    assert emu.requests == []


def test_end_of_input_at_the_password_prompt_is_one_line(
    cli_env: dict[str, str], emu: PuterEmulator, started: Processes
) -> None:
    process, terminal = start_on_terminal(started, ["login", "--username", "alice"], cli_env)
    try:
        read_until(terminal, b"Password:")
        os.write(terminal, b"\x04")  # Ctrl-D
        shown = read_to_end(terminal)
    finally:
        os.close(terminal)

    assert process.wait(TIMEOUT) == 1
    assert b"Traceback" not in shown
    assert shown.splitlines()[-1] == b"puter: error: no password given"
    assert emu.requests == []


# ------------------------------------------------------------------ anything else


def test_an_unexpected_error_is_one_line_that_asks_for_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], config_dir: Path
) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(cli, "_logout", broken)

    status = cli.main(["logout"])

    assert status == 1
    assert capsys.readouterr().err == (
        "puter: error: unexpected RuntimeError: something broke "
        "(a bug in puter; please report it)\n"
    )
