"""Running the installed ``puter`` command, and what its output must look like.

Every failure of the command must be one ``puter: error: ...`` line on stderr with a
non-zero status (2 for a usage error, 130 for Ctrl-C), never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from puter_client.emulator import LoggedRequest, PuterEmulator

#: The installed console script, next to this interpreter (else the module, as a fallback).
_SCRIPT = Path(sys.executable).with_name("puter")
PUTER: list[str] = (
    [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "puter_client.cli.main"]
)

#: Seconds any one command may take before the test fails instead of hanging. Generous:
#: a loaded 2-core machine can take seconds just to start Python.
TIMEOUT = 60.0
MODEL = "gpt-4o"
#: The model of ``puter chat`` without ``--model`` (see ``puter chat --help``).
DEFAULT_MODEL = "claude-opus-4"
#: A valid 1x1 PNG image.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d9d1f80000000049454e44ae426082"
)
INTERRUPTED = "puter: error: interrupted\n"

#: The processes a test started (see the ``started`` fixture).
Processes = list[subprocess.Popen[Any]]


class RunPuter(Protocol):
    """Runs ``puter *args`` to completion and returns what it did."""

    def __call__(
        self,
        *args: str,
        stdin: str | None = "",
        env: Mapping[str, str] | None = None,
        closing: str = "",
    ) -> subprocess.CompletedProcess[str]:
        """``stdin=None``: the null device; ``closing="<&-"`` (or ``">&-"``): that
        stream is closed in the child."""
        ...


def command(args: Sequence[str], closing: str = "") -> list[str]:
    """``puter *args``, run through ``sh`` when a stream must be closed (``<&-``)."""
    if not closing:
        return [*PUTER, *args]
    return ["sh", "-c", f'exec "$@" {closing}', "sh", *PUTER, *args]


def run_into_closed_pipe(
    args: Sequence[str], env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run ``puter *args`` with stdout a pipe nobody reads any more (as ``| head -1``
    after its line): the first write fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            command(args),
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(env),
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(write_end)


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
    processes: Processes,
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    stdin: int = subprocess.PIPE,
) -> subprocess.Popen[str]:
    """Start ``puter *args`` with piped stdin (or ``stdin``), stdout and stderr, ready for
    Ctrl-C."""
    with ctrl_c_reaches_children():
        process = subprocess.Popen(
            command(args),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(env),
        )
    processes.append(process)
    return process


def start_on_terminal(
    processes: Processes, args: Sequence[str], env: Mapping[str, str]
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``puter *args`` on a new pseudo-terminal; the process and the terminal's
    controlling side (the caller closes it)."""
    controller, terminal = os.openpty()
    with ctrl_c_reaches_children():
        process = subprocess.Popen(
            command(args),
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=dict(env),
            start_new_session=True,  # no other controlling terminal to prompt on
        )
    os.close(terminal)
    processes.append(process)
    return process, controller


def chat_calls(emu: PuterEmulator) -> list[LoggedRequest]:
    """The chat (``complete``) driver calls the emulator received."""
    return [
        r
        for r in emu.requests_to("/drivers/call")
        if isinstance(r.json, dict) and r.json.get("method") == "complete"
    ]


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], *fragments: str, status: int = 1
) -> str:
    """The command failed with ``status`` and a single ``puter: error: ...`` line naming
    ``fragments``; returns that line."""
    assert "Traceback" not in result.stderr + (result.stdout or "")
    [line] = result.stderr.splitlines()
    assert line.startswith("puter: error: ")
    for fragment in fragments:
        assert fragment in line
    assert result.returncode == status
    return line


def assert_interrupted_cleanly(process: subprocess.Popen[str]) -> str:
    """Send Ctrl-C; the command says it was interrupted, in one line, with status 130.

    Returns its standard output.
    """
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=TIMEOUT)
    assert "Traceback" not in err
    assert err == INTERRUPTED
    assert process.returncode == 130
    return out


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


def read_to_end(fd: int, timeout: float = TIMEOUT) -> bytes:
    """Everything a pseudo-terminal shows until the child closes it."""
    return read_until(fd, b"\0never shown\0", timeout)
