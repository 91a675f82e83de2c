"""A service's two faces, driven alike: ``Face(service, "sync")`` calls ``service.get``,
``Face(service, "async")`` runs ``service.async_get`` in an event loop, so that one test
proves a behaviour for both twins. Listings (iterators) come back as lists."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

__all__ = ["FACES", "Face", "collect"]

FACES = ("sync", "async")


class Face:
    """A service through its blocking or its async methods; iterators as lists."""

    def __init__(self, service: Any, face: str) -> None:
        self.service = service
        self.face = face

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.service, name if self.face == "sync" else f"async_{name}")

        def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if inspect.iscoroutine(result):
                return asyncio.run(result)
            if hasattr(result, "__aiter__"):
                return asyncio.run(collect(result))
            if hasattr(result, "__next__"):
                return list(result)
            return result

        return call


async def collect(items: AsyncIterator[Any]) -> list[Any]:
    """Every item of an async iterator."""
    return [item async for item in items]
