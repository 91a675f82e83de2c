"""``core.paging``: pages fetched only as iteration reaches them, by cursor."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from typing import Any

import pytest

from puter_client.core.exceptions import PuterResponseError
from puter_client.core.flow import Flow
from puter_client.core.paging import (
    Page,
    async_iterate_items,
    async_iterate_pages,
    iterate_items,
    iterate_pages,
)

PAGES = {None: Page([1, 2], "b"), "b": Page([3, 4], "c"), "c": Page([5], None)}


class Server:
    """Page flows over ``PAGES`` whose runs are counted (a flow here sends nothing)."""

    def __init__(self, pages: dict[str | None, Page[int]] = PAGES) -> None:
        self.pages = pages
        self.asked: list[str | None] = []

    def page(self, cursor: str | None) -> Flow[Page[int]]:
        def flow() -> Generator[Any, Any, Page[int]]:
            self.asked.append(cursor)
            return self.pages[cursor]
            yield  # a generator, like every flow

        return flow()

    def run(self, flow: Flow[Page[int]]) -> Page[int]:
        try:
            next(flow)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        raise AssertionError("the flow sent a request")

    async def async_run(self, flow: Flow[Page[int]]) -> Page[int]:
        return self.run(flow)


def test_items_of_every_page_come_in_order() -> None:
    server = Server()
    assert list(iterate_items(server.run, server.page)) == [1, 2, 3, 4, 5]
    assert server.asked == [None, "b", "c"]


def test_nothing_is_fetched_until_the_first_item_is_asked_for() -> None:
    server = Server()
    items = iterate_items(server.run, server.page)
    assert server.asked == []
    assert next(items) == 1
    assert server.asked == [None]


def test_a_limit_that_fits_the_first_page_fetches_one_page() -> None:
    server = Server()
    assert list(iterate_items(server.run, server.page, limit=2)) == [1, 2]
    assert server.asked == [None]


def test_a_limit_of_zero_fetches_nothing() -> None:
    server = Server()
    assert list(iterate_items(server.run, server.page, limit=0)) == []
    assert server.asked == []


def test_pages_start_at_the_given_cursor_and_keep_the_total() -> None:
    server = Server({**PAGES, "b": Page([3, 4], "c", total=5)})
    pages = list(iterate_pages(server.run, server.page, cursor="b"))
    assert [p.items for p in pages] == [[3, 4], [5]]
    assert pages[0].total == 5


def test_a_cursor_answered_twice_stops_with_a_response_error() -> None:
    server = Server({None: Page([1], "x"), "x": Page([2], "x")})
    with pytest.raises(PuterResponseError, match="same cursor twice"):
        list(iterate_items(server.run, server.page))


def test_async_walks_fetch_the_same_pages_lazily() -> None:
    async def main() -> tuple[list[int], list[list[int]], list[str | None]]:
        server = Server()
        items = [i async for i in async_iterate_items(server.async_run, server.page, limit=3)]
        asked = list(server.asked)
        pages = [p.items async for p in async_iterate_pages(server.async_run, server.page)]
        return items, pages, asked

    items, pages, asked = asyncio.run(main())
    assert items == [1, 2, 3]
    assert asked == [None, "b"]
    assert pages == [[1, 2], [3, 4], [5]]
