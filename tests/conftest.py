"""Fixtures of the facade's integration tests.

One emulator serves the whole session; before each test it is reset (users, sessions,
faults, request log) and ``puter.config`` is pointed at it, so that ``PuterAI(...)`` made
in a test talks to it exactly as it would to puter.com.

The global configuration is restored after every test; until a test asks for the
emulator it points at a closed local port, so that no test can reach puter.com by
mistake. ``PUTER_USERNAME`` and ``PUTER_PASSWORD`` are unset unless a test sets them.

``emu`` runs a test against both server generations: ``[v2]`` (current Puter) and
``[legacy]`` (the older generation: provider drivers, HTTP 200 ``success: false``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

import tests.support.hypothesis_profiles  # noqa: F401  (registers and loads the profile)
from puter import config
from puter_client.emulator import PuterEmulator, running_emulator
from tests.support.emulated import closed_port_url, use_emulator
from tests.support.timing import limiter_slots, planned_waits, skipped_sleeps

SERVER_MODES = ("v2", "legacy")

#: Tests that run first, in this order: the longest single tests, and the modules whose one
#: costly module or session fixture (every example run, one mypy run, the generator)
#: serves all their tests. pytest-xdist hands each worker a first run of consecutive
#: tests, so these land on one worker together (their fixture runs once) and start early
#: (no worker is left alone with a long test at the end).
FIRST = (
    "tests/bench/test_bench_smoke.py",
    "tests/examples/",
    "tests/typing/test_mypy_rejects.py",
    "tests/codegen/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the ``FIRST`` tests first (a stable sort: the rest keep their order)."""

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return next((i for i, prefix in enumerate(FIRST) if path.startswith(prefix)), len(FIRST))

    items.sort(key=rank)


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[PuterEmulator]:
    """The emulator shared by every integration test (prefer ``emu`` or ``v2_emu``)."""
    with running_emulator() as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def _isolated_configuration(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts from the global config as it was, and leaves it so."""
    monkeypatch.delenv("PUTER_USERNAME", raising=False)
    monkeypatch.delenv("PUTER_PASSWORD", raising=False)
    saved = config.to_dict()
    # Until a test asks for the emulator, every request is refused locally: no test can
    # reach puter.com by mistake.
    nowhere = closed_port_url()
    config.update(api_base=nowhere, login_url=f"{nowhere}/login")
    yield
    config.update(**saved)  # type: ignore[arg-type]


def _ready(server: PuterEmulator, *, legacy: bool) -> PuterEmulator:
    server.reset(legacy=legacy)
    use_emulator(server)
    return server


@pytest.fixture(params=SERVER_MODES)
def emu(request: pytest.FixtureRequest, emulator_server: PuterEmulator) -> PuterEmulator:
    """The emulator in its initial state, as a V2 and then as a legacy (V1) server."""
    return _ready(emulator_server, legacy=request.param == "legacy")


@pytest.fixture
def v2_emu(emulator_server: PuterEmulator) -> PuterEmulator:
    """The emulator in its initial state, as a current (V2) server."""
    return _ready(emulator_server, legacy=False)


@pytest.fixture
def legacy_emu(emulator_server: PuterEmulator) -> PuterEmulator:
    """The emulator in its initial state, as an older (V1) server."""
    return _ready(emulator_server, legacy=True)


@pytest.fixture(autouse=True)
def _no_emulator_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test during which uvicorn or the emulator logged an error."""
    yield
    errors = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR and r.name.startswith(("uvicorn", "puter_client.emulator"))
    ]
    assert not errors, [r.getMessage() for r in errors]


# Offered to the tests of every folder.
__all__ = ["limiter_slots", "planned_waits", "skipped_sleeps"]
