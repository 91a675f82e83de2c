"""Running ``puter`` inside the test process, as the console script would run it.

A command run this way sees what a child process would: exactly the environment it is
given (``os.environ`` is replaced for the duration, and the SDK's ``config`` is read from
it again, as a fresh interpreter reads it at import), its own standard input (a pipe with
the given text, or the null device) and standard output and error that are not
terminals. The console script's ``sys.exit(main())`` becomes the returned status.

It saves a Python start-up and the SDK's imports per command (about a third of a second
each, hundreds of times in the suite). What only a real process shows (closed standard
streams, signals, terminals, an environment the SDK refuses at import) is tested with the
subprocess helpers of ``support.py``; `run_in_process` hands an environment with invalid
``PUTER_*`` values to such a subprocess itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import TextIO

from puter_client.cli.main import main
from puter_client.core.configuration import PuterConfig, config

__all__ = ["run_in_process"]


def run_in_process(
    args: Sequence[str], *, stdin: str | None, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str] | None:
    """``puter *args`` run here; None when ``env`` is one the SDK refuses at import (the
    caller then runs a real process, which reports it as the user would see it)."""
    try:
        fresh = PuterConfig(environ=env)
    except (ValueError, TypeError):
        return None
    stdout, stderr = _Output(), _Output(errors="backslashreplace")
    with (
        _environment(env),
        _configuration(fresh),
        _streams(_input(stdin), stdout, stderr),
    ):
        try:
            status = main(list(args))
        except SystemExit as exit_:  # argparse's --help, --version and usage errors
            status = _exit_status(exit_.code)
    return subprocess.CompletedProcess(["puter", *args], status, stdout.text(), stderr.text())


class _Output(io.TextIOWrapper):
    """A standard output or error that is a pipe (not a terminal), read back as text."""

    def __init__(self, errors: str = "strict") -> None:
        self._bytes = io.BytesIO()
        super().__init__(self._bytes, encoding="utf-8", errors=errors, write_through=True)

    def text(self) -> str:
        self.flush()
        return self._bytes.getvalue().decode("utf-8", errors="replace")

    def close(self) -> None:  # a command closing its output must not lose what it wrote
        self.flush()


def _input(text: str | None) -> io.TextIOWrapper:
    """Standard input: a pipe holding ``text``, or the null device for None."""
    data = b"" if text is None else text.encode("utf-8")
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")  # sys.exit("text") prints the text, status 1
    return 1


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _configuration(fresh: PuterConfig) -> Iterator[None]:
    """The SDK's global ``config`` as a new interpreter would build it from the environment."""
    saved = config.to_dict()
    config.update(**fresh.to_dict())  # type: ignore[arg-type]
    try:
        yield
    finally:
        config.update(**saved)  # type: ignore[arg-type]


@contextlib.contextmanager
def _streams(stdin: TextIO, stdout: TextIO, stderr: TextIO) -> Iterator[None]:
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
