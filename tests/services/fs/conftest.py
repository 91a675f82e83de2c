"""Fixtures of the file-system tests: a fresh ``alice`` client whose ``fs`` methods run
blocking or async (each test runs twice, since both run the same flows)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from puter import PuterAI
from puter_client.emulator import PuterEmulator
from tests.support.emulated import alice

FsCall = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def fs_call(request: pytest.FixtureRequest) -> Callable[[PuterAI], FsCall]:
    """``fs_call(client)(name, *args, **kwargs)``: ``client.fs.<name>``, or its async twin
    run to completion."""

    def bind(client: PuterAI) -> FsCall:
        def call(name: str, *args: Any, **kwargs: Any) -> Any:
            if request.param == "sync":
                return getattr(client.fs, name)(*args, **kwargs)
            return asyncio.run(getattr(client.fs, f"async_{name}")(*args, **kwargs))

        return call

    return bind


@pytest.fixture
def fs(v2_emu: PuterEmulator, fs_call: Callable[[PuterAI], FsCall]) -> FsCall:
    """The file system of a fresh ``alice`` client (quick retries)."""
    return fs_call(alice())
