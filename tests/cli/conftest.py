"""Fixtures of the command-line tests.

Every test starts the real console script in a subprocess. Its environment is the test
process's minus every ``PUTER_*`` variable, plus ``PUTER_API_BASE``/``PUTER_LOGIN_URL``
pointing at the emulator and ``PUTER_CONFIG_DIR`` at a temporary directory, so that no
real token file is ever read or written. Each subprocess costs about half a second,
so each test runs the command once or twice.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from puter_client.core.credentials import CONFIG_DIR_ENV, SavedLogin, save_login
from puter_client.emulator import PuterEmulator, pytest_plugin

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
        return subprocess.run(
            command(args, closing),
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
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
def started() -> Iterator[Processes]:
    """Processes a test starts itself; killed at the end if still running."""
    processes: Processes = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
