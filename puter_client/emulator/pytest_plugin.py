"""Pytest fixtures for the emulator.

Enable with ``pytest_plugins = ["puter_client.emulator.pytest_plugin"]`` in the
top-level ``conftest.py``. Fixtures:

- ``puter_emulator``: a V2 emulator, reset before the test (state, faults, log);
- ``puter_emulator_legacy``: the same for the V1 (legacy) generation;
- ``fresh_puter_emulator``: a dedicated emulator started for this test only (use it to
  test ports, shutdown or anything a shared server cannot give).

The first two share one session-scoped server each, so they cost nothing per test.
Without the ``emulator`` extra the plugin still loads; the tests using these fixtures
fail, saying what to install.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from puter_client.emulator._extra import missing_extra

try:
    from puter_client.emulator.server import PuterEmulator, running_emulator
except ModuleNotFoundError as missing:  # no 'emulator' extra: pytest still starts
    _INSTALL_HINT = str(missing_extra(missing))

    if not TYPE_CHECKING:  # the fixtures then fail the tests using them, in one line

        def running_emulator(**_options: Any) -> NoReturn:
            pytest.fail(_INSTALL_HINT, pytrace=False)


@pytest.fixture(scope="session")
def puter_emulator_session() -> Iterator[PuterEmulator]:
    """The V2 emulator shared by the whole session (prefer ``puter_emulator``)."""
    with running_emulator() as emulator:
        yield emulator


@pytest.fixture(scope="session")
def puter_emulator_legacy_session() -> Iterator[PuterEmulator]:
    """The V1 emulator shared by the whole session (prefer ``puter_emulator_legacy``)."""
    with running_emulator(legacy=True) as emulator:
        yield emulator


@pytest.fixture
def puter_emulator(puter_emulator_session: PuterEmulator) -> PuterEmulator:
    """A V2 emulator in its initial state."""
    puter_emulator_session.reset(legacy=False)
    return puter_emulator_session


@pytest.fixture
def puter_emulator_legacy(puter_emulator_legacy_session: PuterEmulator) -> PuterEmulator:
    """A V1 (legacy) emulator in its initial state."""
    puter_emulator_legacy_session.reset(legacy=True)
    return puter_emulator_legacy_session


@pytest.fixture
def fresh_puter_emulator() -> Iterator[PuterEmulator]:
    """An emulator of this test's own, stopped afterwards."""
    with running_emulator() as emulator:
        yield emulator
