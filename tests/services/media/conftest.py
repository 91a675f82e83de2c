"""Fixtures of the media tests: each test runs blocking and async, against a V2
emulator serving local sample media."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from puter import PuterAI
from puter_client.emulator import PuterEmulator
from tests.support.emulated import alice

Run = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Run:
    """Call ``client.<name>(...)``, or ``client.async_<name>(...)`` on a fresh event loop."""

    def call(owner: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        if request.param == "sync":
            return getattr(owner, name)(*args, **kwargs)
        return asyncio.run(getattr(owner, f"async_{name}")(*args, **kwargs))

    return call


@pytest.fixture
def client(v2_emu: PuterEmulator) -> Iterator[PuterAI]:
    """Alice's client, with the emulator's media served locally and no pacing in the way."""
    v2_emu.state.options.local_media = True
    with alice(rate_limit_requests=1000) as made:
        yield made
