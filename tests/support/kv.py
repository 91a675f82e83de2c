"""The key-value store's two faces, driven alike: ``Kv("sync")`` calls ``client.kv.get``,
``Kv("async")`` runs ``client.kv.async_get`` in an event loop, so that one test proves a
behaviour for both twins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from puter import PuterAI
from puter_client.emulator import LoggedRequest, PuterEmulator
from puter_client.services.kv.kv import KeyValueStore

__all__ = ["FACES", "Kv", "kv_calls"]

FACES = ("sync", "async")


class Kv:
    """``client.kv`` through its blocking or its async methods; listings as lists."""

    def __init__(self, client: PuterAI, face: str) -> None:
        self.client = client
        self.store: KeyValueStore = client.kv
        self.face = face

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if self.face == "sync":
            method: Callable[..., Any] = getattr(self.store, name)
            return method
        twin = getattr(self.store, f"async_{name}")
        return lambda *args, **kwargs: asyncio.run(twin(*args, **kwargs))

    def keys(self, prefix: str = "") -> list[str]:
        """Every key starting with ``prefix`` (all pages)."""
        if self.face == "sync":
            return list(self.store.keys(prefix))
        return asyncio.run(_collect(self.store.async_keys(prefix)))

    def items(self, prefix: str = "") -> list[tuple[str, Any]]:
        """Every ``(key, value)`` pair whose key starts with ``prefix`` (all pages)."""
        if self.face == "sync":
            return list(self.store.items(prefix))
        return asyncio.run(_collect(self.store.async_items(prefix)))

    def first_keys(self, count: int, prefix: str = "") -> list[str]:
        """The first ``count`` keys, leaving the listing unfinished."""
        if self.face == "sync":
            keys: Iterator[str] = self.store.keys(prefix)
            return [next(keys) for _ in range(count)]

        async def first() -> list[str]:
            listing = self.store.async_keys(prefix)
            taken = [await anext(listing) for _ in range(count)]
            await listing.aclose()  # type: ignore[attr-defined]
            return taken

        return asyncio.run(first())


async def _collect(items: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in items]


def kv_calls(emu: PuterEmulator, method: str | None = None) -> list[LoggedRequest]:
    """The ``puter-kvstore`` driver calls the emulator received (of ``method`` if given)."""
    return [
        r
        for r in emu.requests_to("/drivers/call")
        if isinstance(r.json, dict)
        and r.json.get("interface") == "puter-kvstore"
        and (method is None or r.json.get("method") == method)
    ]
