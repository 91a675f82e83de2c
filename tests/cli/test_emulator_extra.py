"""Without the ``emulator`` extra (starlette, uvicorn), the emulator says what to install.

The extra's absence is simulated, never made real: each child Python gets a
``sitecustomize`` whose meta path finder refuses to import ``starlette`` and ``uvicorn``,
exactly as Python refuses a module that is not installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from .support import TIMEOUT

INSTALL = "pip install 'puter-client[emulator]'"

NO_EXTRA_SITECUSTOMIZE = '''
import sys


class NoEmulatorExtra:
    """Finds starlette and uvicorn nowhere, as if they were not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"starlette", "uvicorn"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NoEmulatorExtra())
'''

PLUGIN_USER_TESTS = """
def test_without_the_emulator():
    pass


def test_with_the_shared_emulator(puter_emulator):
    pass


def test_with_a_fresh_emulator(fresh_puter_emulator):
    pass
"""


@pytest.fixture
def no_extra_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a child Python that cannot import starlette or uvicorn."""
    site = tmp_path / "no-extra"
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_EXTRA_SITECUSTOMIZE)
    paths = [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def run_python(
    args: Sequence[str], env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=TIMEOUT,
        check=False,
    )


def test_python_m_emulator_says_in_one_line_what_to_install(
    no_extra_env: dict[str, str],
) -> None:
    result = run_python(["-m", "puter_client.emulator", "--port", "0"], no_extra_env)

    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("python -m puter_client.emulator: error: ")
    assert INSTALL in line
    assert result.returncode == 1
    assert result.stdout == ""


def test_importing_the_server_raises_an_import_error_that_says_what_to_install(
    no_extra_env: dict[str, str],
) -> None:
    code = (
        "try:\n"
        "    from puter_client.emulator import running_emulator\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )

    result = run_python(["-c", code], no_extra_env)

    assert (result.returncode, result.stderr) == (0, "")
    [message] = result.stdout.splitlines()
    assert INSTALL in message


def test_the_helpers_that_need_no_server_import_without_the_extra(
    no_extra_env: dict[str, str],
) -> None:
    code = "from puter_client.emulator import expected_reply\nprint(expected_reply('Hi', 'fake'))"

    result = run_python(["-c", code], no_extra_env)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("You said: Hi")


def test_pytest_with_the_plugin_starts_and_fails_only_the_tests_using_its_fixtures(
    no_extra_env: dict[str, str], tmp_path: Path
) -> None:
    project = tmp_path / "user-project"
    project.mkdir()
    (project / "conftest.py").write_text(
        'pytest_plugins = ["puter_client.emulator.pytest_plugin"]\n'
    )
    (project / "test_user.py").write_text(PLUGIN_USER_TESTS)

    result = run_python(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-rE", str(project)],
        no_extra_env,
        cwd=project,
    )

    assert "1 passed, 2 errors" in result.stdout
    errors = [line for line in result.stdout.splitlines() if line.startswith("ERROR ")]
    assert [e.split(" - ")[0] for e in errors] == [
        "ERROR test_user.py::test_with_the_shared_emulator",
        "ERROR test_user.py::test_with_a_fresh_emulator",
    ]
    assert result.stdout.count(INSTALL) >= 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "ModuleNotFoundError" not in result.stdout + result.stderr
