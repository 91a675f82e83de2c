"""The interactive ``puter chat`` on a terminal: Ctrl-C cancels the reply in progress and
returns to the prompt, a second Ctrl-C at an empty prompt leaves, /help lists the
commands, /exit leaves with status 0."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from puter_client.cli import main as cli_main
from puter_client.core.credentials import SavedLogin
from puter_client.emulator import PuterEmulator, expected_reply

from .support import (
    MODEL,
    Processes,
    RunPuter,
    chat_calls,
    command,
    read_to_end,
    read_until,
    start_on_terminal,
)


def read_past(fd: int, first: bytes, then: bytes) -> bytes:
    """Read until ``then`` shows up after ``first``; everything read."""
    data = read_until(fd, first)
    while then not in data.split(first, 1)[1]:
        data += read_until(fd, then)
    return data


def test_ctrl_c_cancels_the_reply_and_returns_to_the_prompt(
    cli_env: dict[str, str], emu: PuterEmulator, logged_in: SavedLogin, started: Processes
) -> None:
    emu.state.options.stream_line_delay = 0.3
    process, terminal = start_on_terminal(started, ["chat", "-m", MODEL], cli_env)
    try:
        read_until(terminal, b"you> ")
        os.write(terminal, b"Hello there\n")
        read_until(terminal, b"You said")  # the reply has started
        process.send_signal(signal.SIGINT)
        read_past(terminal, b"(reply cancelled)", b"you> ")
        emu.state.options.stream_line_delay = 0
        os.write(terminal, b"Again\n")
        shown = read_until(terminal, b"you> ")
        os.write(terminal, b"/exit\n")
        read_to_end(terminal)
    finally:
        os.close(terminal)

    assert process.wait(timeout=30) == 0
    # the cancelled turn was not recorded: the next one is the first
    assert expected_reply("Again", MODEL, turns=1).encode() in shown.replace(b"\r\n", b"\n")


def test_a_second_ctrl_c_at_the_prompt_leaves(
    cli_env: dict[str, str], logged_in: SavedLogin, started: Processes
) -> None:
    process, terminal = start_on_terminal(started, ["chat", "-m", MODEL], cli_env)
    try:
        read_until(terminal, b"you> ")
        process.send_signal(signal.SIGINT)
        read_past(terminal, b"Ctrl-C again", b"you> ")
        process.send_signal(signal.SIGINT)
        shown = read_to_end(terminal)
    finally:
        os.close(terminal)

    assert process.wait(timeout=30) == 130
    assert b"Traceback" not in shown


def test_help_lists_the_commands_and_exit_leaves_with_0(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", "-m", MODEL, stdin="/help\n/exit\n")

    assert (result.returncode, result.stderr) == (0, "")
    for name in ("/help", "/clear", "/model NAME", "/exit"):
        assert name in result.stdout


def test_an_unknown_command_points_at_help(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    result = run_puter("chat", "-m", MODEL, stdin="/frobnicate\n")

    assert "(type /help)" in result.stderr


def test_a_two_factor_account_is_asked_for_its_code_on_a_terminal(
    cli_env: dict[str, str], emu: PuterEmulator, started: Processes
) -> None:
    process, terminal = start_on_terminal(started, ["login", "-u", "otp_user"], cli_env)
    try:
        read_until(terminal, b"Password:")
        os.write(terminal, b"otp_user-password\n")
        read_until(terminal, b"Two-factor code:")
        os.write(terminal, b"123456\n")
        shown = read_to_end(terminal)
    finally:
        os.close(terminal)

    assert process.wait(timeout=30) == 0
    assert b"Logged in as otp_user" in shown


def test_piped_text_follows_the_prompt_as_context(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", "Summarise this", "-m", MODEL, stdin="line one\nline two\n")

    assert result.returncode == 0, result.stderr
    [call] = chat_calls(emu)
    assert call.args["messages"][-1]["content"] == "Summarise this\n\nline one\nline two"


def test_nothing_piped_sends_the_prompt_alone(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", "Hello", "-m", MODEL, stdin="")

    assert result.stdout == expected_reply("Hello", MODEL) + "\n"


def test_binary_piped_input_is_refused_before_any_request(
    cli_env: dict[str, str], emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = subprocess.run(
        command(["chat", "Describe", "-m", MODEL]),
        input=b"\xff\xfe\x00binary",
        capture_output=True,
        env=cli_env,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert b"not UTF-8 text" in result.stderr
    assert chat_calls(emu) == []


@pytest.mark.skipif(os.name != "posix", reason="the prompt is watched with select on POSIX")
def test_a_ctrl_c_python_dropped_is_raised_at_the_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    # A KeyboardInterrupt raised inside a finalizer is lost, but the Ctrl-C was seen:
    # the prompt raises it rather than wait for a line that may never come.
    read_end, write_end = os.pipe()
    with os.fdopen(read_end) as stdin:
        monkeypatch.setattr(cli_main, "_ctrl_c_pressed", True)
        with pytest.raises(KeyboardInterrupt):
            cli_main._typed_line(stdin)
    os.close(write_end)


@pytest.mark.skipif(os.name != "posix", reason="the prompt is watched with select on POSIX")
def test_the_prompt_returns_the_line_typed() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"Hello\n")
    with os.fdopen(read_end) as stdin:
        assert cli_main._typed_line(stdin) == "Hello\n"
    os.close(write_end)
