"""Pytest fixtures for the emulator.

Enable with ``pytest_plugins = ["puter_client.emulator.pytest_plugin"]`` in the
top-level ``conftest.py``. Fixtures:

- ``puter_emulator``: a V2 emulator, reset before the test (state, faults, log);
- ``puter_emulator_legacy``: the same for the V1 (legacy) generation;
- ``fresh_puter_emulator``: a dedicated emulator started for this test only (use it to
  test ports, shutdown or anything a shared server cannot give);
- ``puter_ai``: a ready ``PuterAI`` client of ``puter_emulator``, logged in as ``alice``
  (a session token, so no login request), with no client-side rate limit and fast
  retries, closed after the test; ``async_puter_ai`` is the same for async tests (with
  pytest-asyncio installed). ``puter_ai_options(emulator)`` gives the same keywords for
  a client of your own.

The first two share one session-scoped server each, so they cost nothing per test.
Without the ``emulator`` extra the plugin still loads; the tests using these fixtures
fail, saying what to install.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from puter_client.ai import PuterAI
from puter_client.core.ratelimit import AI_LIMIT, SERVER_LIMITS
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


#: Calls per second a test client may make before its own limiter holds one: none will.
UNLIMITED = (1_000_000_000, 1.0)


def puter_ai_options(emulator: PuterEmulator, username: str = "alice") -> dict[str, Any]:
    """Keywords of a ``PuterAI`` for tests against ``emulator``: logged in as ``username``
    by a session token (no login request), no client-side rate limit on any group, and
    retries after 10 ms instead of a second."""
    return {
        "token": emulator.token_for(username),
        "api_base": emulator.api_base,
        "login_url": emulator.login_url,
        "rate_limit_requests": UNLIMITED[0],
        "rate_limit_period": UNLIMITED[1],
        "rate_limits": {group: UNLIMITED for group in (AI_LIMIT, *SERVER_LIMITS)},
        "retry_delay": 0.01,
        "backoff_factor": 1.0,
    }


@pytest.fixture
def puter_ai(puter_emulator: PuterEmulator) -> Iterator[PuterAI]:
    """A ``PuterAI`` of ``puter_emulator``, ready as ``alice``: no client-side rate limit,
    fast retries; closed after the test."""
    with PuterAI(**puter_ai_options(puter_emulator)) as client:
        yield client


try:
    import pytest_asyncio
except ModuleNotFoundError:  # pragma: no cover - async tests need pytest-asyncio anyway
    pass
else:

    @pytest_asyncio.fixture
    async def async_puter_ai(puter_emulator: PuterEmulator) -> AsyncIterator[PuterAI]:
        """``puter_ai`` for async tests: its connections are closed on the test's loop."""
        async with PuterAI(**puter_ai_options(puter_emulator)) as client:
            yield client
