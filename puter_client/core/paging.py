"""``Page[T]`` and the lazy walks over pages that every listing shares (kv, fs, apps,
hosting, workers).

A listing service gives a *page flow maker*: ``page(cursor) -> Flow[Page[T]]`` (``None``
for the first page). The walks here run it blocking or async only as iteration reaches a
page, so nothing is sent until the first item is asked for, and an iteration stopped
early sends nothing more.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

import attrs

from puter_client.core.exceptions import PuterResponseError
from puter_client.core.flow import Flow

__all__ = [
    "Page",
    "PageFlows",
    "async_iterate_items",
    "async_iterate_pages",
    "iterate_items",
    "iterate_pages",
]

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page of a listing.

    Attributes:
        items: the page's items, in the server's order.
        cursor: where the next page starts; ``None`` on the last page.
        total: how many items the whole listing has, when asked for (``include_total``)
            and the server told; else ``None``.
    """

    items: list[T]
    cursor: str | None = None
    total: int | None = None


PageFlows = Callable[[str | None], Flow[Page[T]]]
"""``page(cursor)``: the flow of the page starting at ``cursor`` (``None``: the first)."""


def iterate_pages(
    run: Callable[[Flow[Page[T]]], Page[T]], page: PageFlows[T], cursor: str | None = None
) -> Iterator[Page[T]]:
    """Every page from ``cursor`` on, each fetched (blocking) when the iteration reaches it."""
    while True:
        fetched = run(page(cursor))
        yield fetched
        cursor = _next_cursor(cursor, fetched)
        if cursor is None:
            return


async def async_iterate_pages(
    async_run: Callable[[Flow[Page[T]]], Awaitable[Page[T]]],
    page: PageFlows[T],
    cursor: str | None = None,
) -> AsyncIterator[Page[T]]:
    """Every page from ``cursor`` on, each fetched (async) when the iteration reaches it."""
    while True:
        fetched = await async_run(page(cursor))
        yield fetched
        cursor = _next_cursor(cursor, fetched)
        if cursor is None:
            return


def iterate_items(
    run: Callable[[Flow[Page[T]]], Page[T]], page: PageFlows[T], limit: int | None = None
) -> Iterator[T]:
    """The items of every page, at most ``limit`` of them (``None``: all)."""
    if limit is not None and limit <= 0:
        return
    count = 0
    for fetched in iterate_pages(run, page):
        if limit is None:
            yield from fetched.items  # no per-item bookkeeping when nothing is counted
            continue
        for item in fetched.items:
            yield item
            count += 1
            if limit is not None and count >= limit:
                return


async def async_iterate_items(
    async_run: Callable[[Flow[Page[T]]], Awaitable[Page[T]]],
    page: PageFlows[T],
    limit: int | None = None,
) -> AsyncIterator[T]:
    """Async ``iterate_items``."""
    if limit is not None and limit <= 0:
        return
    count = 0
    async for fetched in async_iterate_pages(async_run, page):
        for item in fetched.items:
            yield item
            count += 1
            if limit is not None and count >= limit:
                return


def _next_cursor(previous: str | None, page: Page[T]) -> str | None:
    if page.cursor is not None and page.cursor == previous:
        # A server that hands back the cursor it was given would page forever.
        raise PuterResponseError(
            "the listing answered the same cursor twice; stopping", status_code=200
        )
    return page.cursor
