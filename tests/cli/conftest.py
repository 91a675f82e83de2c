"""Fixtures of the command-line tests.

``run_puter`` runs the command as the console script runs it, inside the test process
(see ``inprocess.py``: a fresh environment, configuration and standard streams per
command), or as a real subprocess when a standard stream must be closed. Its environment
is the test process's minus every ``PUTER_*`` variable, plus
``PUTER_API_BASE``/``PUTER_LOGIN_URL`` pointing at the emulator and ``PUTER_CONFIG_DIR``
at a temporary directory, so that no real token file is ever read or written. Tests of
what only a real process shows (signals, terminals, closed pipes) start one with the
helpers of ``support.py``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from puter_client.core.credentials import CONFIG_DIR_ENV, SavedLogin, save_login
from puter_client.emulator import PuterEmulator, pytest_plugin

from .inprocess import run_in_process
from .support import TIMEOUT, Processes, RunPuter, command

puter_emulator_session = pytest_plugin.puter_emulator_session
puter_emulator = pytest_plugin.puter_emulator


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
        *args: str,
        stdin: str | None = "",
        env: Mapping[str, str] | None = None,
        closing: str = "",
    ) -> subprocess.CompletedProcess[str]:
        environment = {**cli_env, **(env or {})}
        if not closing:
            done = run_in_process(args, stdin=stdin, env=environment)
            if done is not None:
                return done
        return subprocess.run(
            command(args, closing),
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            text=True,
            env=environment,
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
def started() -> Iterator[Processes]:
    """Processes a test starts itself; killed at the end if still running."""
    processes: Processes = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
