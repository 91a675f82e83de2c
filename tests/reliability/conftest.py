"""Fixtures of the reliability and security suite (issue #7).

One emulator serves the whole suite (the plugin's shared server); before each test it is
reset, so faults, sessions and the request log start empty. Every client of the suite
names the emulator's hosts explicitly, and the global ``puter.config`` points at a
closed local port meanwhile: no request can reach puter.com by mistake.

Parameters, so that each behaviour is proved for every way of meeting it:

- ``emu``: a current server (``[v2]``) and an older one (``[legacy]``: provider drivers,
  failures as HTTP 200 ``success: false``);
- ``face``: the blocking API (``[sync]``: ``chat``, ``chat_stream``, run in a worker
  thread) and the async one (``[async]``: ``async_chat``, ``async_chat_stream``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from puter import config
from puter_client.emulator import PuterEmulator, pytest_plugin
from tests.support.timing import limiter_slots, planned_waits

from .support import FACES, Face, closed_port_url

# The shared emulators of the emulator's own pytest plugin.
puter_emulator_session = pytest_plugin.puter_emulator_session


@pytest.fixture(autouse=True)
def _nowhere_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The global config points at a closed port during each test, then is restored."""
    for name in ("PUTER_USERNAME", "PUTER_PASSWORD", "PUTER_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    saved = config.to_dict()
    nowhere = closed_port_url()
    config.update(api_base=nowhere, login_url=f"{nowhere}/login")
    yield
    config.update(**saved)  # type: ignore[arg-type]


@pytest.fixture(params=["v2", "legacy"])
def emu(request: pytest.FixtureRequest, puter_emulator_session: PuterEmulator) -> PuterEmulator:
    """The emulator in its initial state, as a V2 and then as a legacy (V1) server."""
    return _fresh(puter_emulator_session, legacy=request.param == "legacy")


@pytest.fixture
def v2_emu(puter_emulator_session: PuterEmulator) -> PuterEmulator:
    """The emulator in its initial state, as a current (V2) server."""
    return _fresh(puter_emulator_session, legacy=False)


def _fresh(server: PuterEmulator, *, legacy: bool) -> PuterEmulator:
    server.reset(legacy=legacy)
    # Connections of earlier tests are gone, so each test can count its own.
    assert server.wait_for_connections(0), "a connection of an earlier test is still open"
    return server


@pytest.fixture(params=sorted(FACES))
def face(request: pytest.FixtureRequest) -> Face:
    """The blocking and the async face of ``PuterAI``."""
    return FACES[request.param]


@pytest.fixture(autouse=True)
def _no_emulator_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test during which uvicorn or the emulator logged an error of its own."""
    yield
    errors = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR and r.name.startswith(("uvicorn", "puter_client.emulator"))
    ]
    assert not errors, [r.getMessage() for r in errors]


__all__ = ["limiter_slots", "planned_waits"]  # offered to the tests of this folder
