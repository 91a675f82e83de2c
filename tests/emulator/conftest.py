"""Fixtures of the emulator tests: the plugin's emulators plus plain httpx clients."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator

import httpx
import pytest

from puter_client.emulator import PuterEmulator, pytest_plugin
from tests.emulator.emulator_support import Api

# The plugin's fixtures, for these tests (only a root conftest may use ``pytest_plugins``).
puter_emulator_session = pytest_plugin.puter_emulator_session
puter_emulator_legacy_session = pytest_plugin.puter_emulator_legacy_session
puter_emulator = pytest_plugin.puter_emulator
puter_emulator_legacy = pytest_plugin.puter_emulator_legacy
fresh_puter_emulator = pytest_plugin.fresh_puter_emulator

# Building httpx's default SSL context costs ~80 ms per client; plain HTTP never uses it.
_SSL_CONTEXT = ssl.create_default_context()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """A plain httpx client, closed after the test."""
    with httpx.Client(timeout=5.0, verify=_SSL_CONTEXT) as c:
        yield c


@pytest.fixture
def api(puter_emulator: PuterEmulator, client: httpx.Client) -> Api:
    """Requests to a fresh V2 emulator."""
    return Api(puter_emulator, client)


@pytest.fixture
def legacy_api(puter_emulator_legacy: PuterEmulator, client: httpx.Client) -> Api:
    """Requests to a fresh V1 (legacy) emulator."""
    return Api(puter_emulator_legacy, client)


@pytest.fixture(autouse=True)
def _no_server_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test during which uvicorn or the emulator logged an error."""
    yield
    errors = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR and r.name.startswith(("uvicorn", "puter_client"))
    ]
    assert not errors, [r.getMessage() for r in errors]
