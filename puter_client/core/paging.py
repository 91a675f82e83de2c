"""``Page[T]`` and the lazy walks over pages that every listing shares (kv, fs, apps,
hosting, workers).

A listing service gives a *page flow maker*: ``page(cursor) -> Flow[Page[T]]`` (``None``
for the first page). The walks here run it blocking or async only as iteration reaches a
page, so nothing is sent until the first item is asked for, and an iteration stopped
early sends nothing more.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

import attrs

from puter_client.core.exceptions import PuterInputError, PuterInputTypeError, PuterResponseError
from puter_client.core.flow import Flow

if TYPE_CHECKING:
    from puter_client.core.session import Session

__all__ = [
    "FetchPage",
    "Listing",
    "Page",
    "PageArgs",
    "PageFlows",
    "async_iterate_items",
    "async_iterate_pages",
    "checked_count",
    "checked_cursor",
    "checked_flag",
    "cursor_pages",
    "item_pages",
    "iterate_items",
    "iterate_pages",
    "single_page",
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
    """The items of every page, at most ``limit`` of them (``None``: all).

    Without a limit the items pass through ``itertools.chain`` (C): Python runs once a
    page, not once an item (a listing of 10,000 keys is a ``kv-keys`` bench row)."""
    pages = iterate_pages(run, page)
    if limit is None:
        return itertools.chain.from_iterable(fetched.items for fetched in pages)
    return _first_items(pages, limit)


def _first_items(pages: Iterator[Page[T]], limit: int) -> Iterator[T]:
    """The items of ``pages``, at most ``limit`` of them; no page is fetched past them."""
    if limit <= 0:
        return
    count = 0
    for fetched in pages:
        for item in fetched.items:
            yield item
            count += 1
            if count >= limit:
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


def checked_count(name: str, value: object, *, minimum: int = 1) -> int:
    """``value`` if it is an ``int`` >= ``minimum`` (a page size, a limit, an offset);
    else ``PuterInputTypeError``/``PuterInputError`` (``invalid_request``), before any
    request."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PuterInputTypeError(
            f"{name} must be an int, not {type(value).__name__}", code="invalid_request"
        )
    if value < minimum:
        raise PuterInputError(f"{name} must be >= {minimum}, got {value}", code="invalid_request")
    return value


def checked_cursor(value: object) -> str | None:
    """``value`` if it is a cursor a listing answered (a non-empty ``str``) or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PuterInputTypeError(
            f"cursor must be a str, not {type(value).__name__}", code="invalid_request"
        )
    if not value:
        raise PuterInputError("cursor must not be empty", code="invalid_request")
    return value


# ------------------------------------------------------------ the three listing forms


@attrs.frozen
class PageArgs:
    """What one request of a paged listing asks for (the wire's ``limit``, ``cursor``,
    ``offset`` and ``includeTotal``). ``cursor`` is always sent (null for the first
    page) unless ``offset`` is, so that the server answers its page envelope."""

    limit: int | None = None
    cursor: str | None = None
    offset: int | None = None
    include_total: bool = False


FetchPage = Callable[[PageArgs], Flow[Page[T]]]
"""The flow of one page of a listing, for the arguments of one request."""


def item_pages(fetch: FetchPage[T], limit: int | None, page_size: int) -> PageFlows[T]:
    """The page flows of ``list(limit=...)``: pages of ``page_size`` items, or of
    ``limit`` when it fits one page (then one request is all it takes). Checks ``limit``
    now."""
    if limit is not None:
        checked_count("limit", limit, minimum=0)
    size = page_size if limit is None or limit == 0 else min(limit, page_size)
    return lambda cursor: fetch(PageArgs(limit=size, cursor=cursor))


def cursor_pages(
    fetch: FetchPage[T], page_size: int | None, cursor: str | None, include_total: bool
) -> PageFlows[T]:
    """The page flows of ``pages(...)``: from ``cursor`` on, ``page_size`` items each
    (None: the server's default), the total asked for on the first request only. Checks
    the arguments now."""
    if page_size is not None:
        checked_count("page_size", page_size)
    start = checked_cursor(cursor)
    total = checked_flag("include_total", include_total)
    return lambda at: fetch(
        PageArgs(limit=page_size, cursor=at, include_total=total and at == start)
    )


def single_page(
    fetch: FetchPage[T],
    limit: int | None,
    cursor: str | None,
    offset: int | None,
    include_total: bool,
) -> Flow[Page[T]]:
    """The flow of ``page(...)``: one request. ``cursor`` with ``offset`` is refused here
    (``invalid_request``), as the server would refuse it."""
    if limit is not None:
        checked_count("limit", limit)
    start = checked_cursor(cursor)
    if offset is not None:
        checked_count("offset", offset, minimum=0)
        if start is not None:
            raise PuterInputError(
                "cursor and offset cannot be combined; pass one of them",
                code="invalid_request",
            )
    total = checked_flag("include_total", include_total)
    return fetch(PageArgs(limit=limit, cursor=start, offset=offset, include_total=total))


def checked_flag(name: str, value: object) -> bool:
    """``value`` if it is a ``bool``, else ``PuterInputTypeError``."""
    if not isinstance(value, bool):
        raise PuterInputTypeError(
            f"{name} must be a bool, not {type(value).__name__}", code="invalid_request"
        )
    return value


class Listing(Generic[T]):
    """The three listing forms of a service whose listing has no filters of its own.

    ``list`` (every item, lazily), ``pages`` (page by page from a cursor) and ``page`` (one
    request), each with its ``async_`` twin. A subclass sets ``_session``, the class's
    ``_page_size`` and ``_fetch_page`` (the flow of one request for its ``PageArgs``).
    """

    _session: Session
    _page_size: ClassVar[int]

    def _fetch_page(self) -> FetchPage[T]:
        raise NotImplementedError

    def list(self, *, limit: int | None = None) -> Iterator[T]:
        """Every item, fetched page by page as you iterate (nothing is sent before); at
        most ``limit`` of them (one request when they fit one page)."""
        pages = item_pages(self._fetch_page(), limit, self._page_size)
        return iterate_items(self._session.run, pages, limit)

    def async_list(self, *, limit: int | None = None) -> AsyncIterator[T]:
        """Async ``list``: ``async for item in service.async_list()``."""
        pages = item_pages(self._fetch_page(), limit, self._page_size)
        return async_iterate_items(self._session.async_run, pages, limit)

    def pages(
        self,
        *,
        page_size: int | None = None,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> Iterator[Page[T]]:
        """Page by page from ``cursor`` (``None``: the first), ``page_size`` items each
        (``None``: the server's default); ``include_total`` asks the first request for
        the whole listing's count."""
        pages = cursor_pages(self._fetch_page(), page_size, cursor, include_total)
        return iterate_pages(self._session.run, pages, cursor)

    def async_pages(
        self,
        *,
        page_size: int | None = None,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> AsyncIterator[Page[T]]:
        """Async ``pages``."""
        pages = cursor_pages(self._fetch_page(), page_size, cursor, include_total)
        return async_iterate_pages(self._session.async_run, pages, cursor)

    def page(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        offset: int | None = None,
        include_total: bool = False,
    ) -> Page[T]:
        """One page, in one request: from ``cursor`` or ``offset`` (not both)."""
        flow = single_page(self._fetch_page(), limit, cursor, offset, include_total)
        return self._session.run(flow)

    async def async_page(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        offset: int | None = None,
        include_total: bool = False,
    ) -> Page[T]:
        """Async ``page``."""
        flow = single_page(self._fetch_page(), limit, cursor, offset, include_total)
        return await self._session.async_run(flow)
