"""Fixtures of the fsspec integration's tests: a ``PuterFileSystem`` on the emulator.

Its ``storage_options`` name the emulator explicitly (not through ``puter.config``), as a
Dask worker in another process needs them to reach it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fsspec.asyn import sync

from puter.fsspec import PuterFileSystem
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, ALICE_PASSWORD

#: Client-side pacing out of the way: the tests make many calls in a short time.
NO_PACING = {
    group: (100_000, 1.0)
    for group in ("fs.stat", "fs.read", "fs.write", "fs.readdir", "fs.mutate", "fs.df")
}


def storage_options(emu: PuterEmulator, **more: Any) -> dict[str, Any]:
    """What ``storage_options=`` takes to reach ``emu`` as alice."""
    return {
        "username": ALICE,
        "password": ALICE_PASSWORD,
        "api_base": emu.api_base,
        "login_url": emu.login_url,
        "retry_delay": 0.01,
        "rate_limits": NO_PACING,
        **more,
    }


def unlimited(emu: PuterEmulator) -> PuterEmulator:
    """``emu`` without its per-user limits: the client's pacing is out of the way too
    (``NO_PACING``), and these tests are of fsspec's semantics, not of the limits."""
    emu.state.options.rate_limits.clear()
    return emu


@pytest.fixture
def options(emu: PuterEmulator) -> dict[str, Any]:
    """``storage_options`` for the emulator, reset, as a current and as an older server."""
    return storage_options(unlimited(emu))


def closed(fs: PuterFileSystem) -> None:
    """Close the connections of ``fs``'s client (the async ones on fsspec's loop)."""
    fs.client.close()
    sync(fs.loop, fs.client.aclose)


@pytest.fixture
def puter_fs(options: dict[str, Any]) -> Iterator[PuterFileSystem]:
    """A fresh file system (not fsspec's cached instance) of alice on the emulator."""
    fs = PuterFileSystem(**options, skip_instance_cache=True)
    yield fs
    closed(fs)


@pytest.fixture
def v2_options(v2_emu: PuterEmulator) -> dict[str, Any]:
    """``storage_options`` for the emulator, reset, as a current server only."""
    return storage_options(unlimited(v2_emu))


@pytest.fixture
def v2_fs(v2_options: dict[str, Any]) -> Iterator[PuterFileSystem]:
    """``puter_fs`` on a current server only (fsspec's suite, the data frame tests)."""
    fs = PuterFileSystem(**v2_options, skip_instance_cache=True)
    yield fs
    closed(fs)
