"""Listings that scale, blocking and async: ``listdir``'s options, one page, lazy pages,
``iterdir``, ``walk`` and ``glob`` against the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter.exceptions import PuterBadRequestError, PuterInputError
from puter.types import FSEntry, Page
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall
from tests.support.emulated import alice

Lazy = Callable[..., list[Any]]


@pytest.fixture(params=["sync", "async"])
def lazy(request: pytest.FixtureRequest, v2_emu: PuterEmulator) -> Iterator[Lazy]:
    """``lazy(name, *args, stop=None)``: the items of ``client.fs.<name>`` (an iterator) or
    of its async twin, the iteration stopped after ``stop`` items."""
    client = alice()

    def run(name: str, *args: Any, stop: int | None = None, **kwargs: Any) -> list[Any]:
        if request.param == "sync":
            items: list[Any] = []
            for item in getattr(client.fs, name)(*args, **kwargs):
                items.append(item)
                if stop is not None and len(items) >= stop:
                    break
            return items

        async def collect() -> list[Any]:
            stream: AsyncIterator[Any] = getattr(client.fs, f"async_{name}")(*args, **kwargs)
            items: list[Any] = []
            async for item in stream:
                items.append(item)
                if stop is not None and len(items) >= stop:
                    break
            return items

        return asyncio.run(collect())

    yield run


def names(entries: list[FSEntry]) -> list[str]:
    return [e.name for e in entries]


@pytest.fixture
def folder(fs: FsCall) -> str:
    """``~/d``: files of sizes 3, 1, 2 written in that order, and a folder ``sub``."""
    for name, size in (("b.txt", 3), ("a.txt", 1), ("c.txt", 2)):
        fs("write", f"d/{name}", "x" * size, create_parents=True)
    fs("mkdir", "d/sub")
    fs("write", "d/sub/deep.txt", "y")
    return "d"


def test_listdir_sorts_by_name_modified_type_and_size(fs: FsCall, folder: str) -> None:
    assert names(fs("listdir", folder)) == ["a.txt", "b.txt", "c.txt", "sub"]
    assert names(fs("listdir", folder, sort_by="size")) == ["sub", "a.txt", "c.txt", "b.txt"]
    assert names(fs("listdir", folder, sort_by="type")) == ["b.txt", "a.txt", "c.txt", "sub"]
    assert names(fs("listdir", folder, sort_order="desc")) == ["sub", "c.txt", "b.txt", "a.txt"]


def test_listdir_limit_and_offset(fs: FsCall, folder: str, v2_emu: PuterEmulator) -> None:
    assert names(fs("listdir", folder, limit=2)) == ["a.txt", "b.txt"]
    assert names(fs("listdir", folder, offset=1, limit=2)) == ["b.txt", "c.txt"]
    assert names(fs("listdir", folder, offset=3)) == ["sub"]
    offset_requests = [r for r in v2_emu.requests_to("/fs/readdir") if r.method == "GET"]
    assert len(offset_requests) == 2  # the server's unpaged form understands offset


def test_listdir_recursive_lists_everything_below_by_path(fs: FsCall, folder: str) -> None:
    entries = fs("listdir", folder, recursive=True)

    assert [e.path for e in entries] == [
        "/alice/d/a.txt", "/alice/d/b.txt", "/alice/d/c.txt", "/alice/d/sub",
        "/alice/d/sub/deep.txt",
    ]  # fmt: skip


def test_one_page_carries_its_cursor_and_the_total(fs: FsCall, folder: str) -> None:
    first = fs("listdir_page", folder, limit=3, include_total=True, sort_by="size")

    assert isinstance(first, Page)
    assert (names(first.items), first.total) == (["sub", "a.txt", "c.txt"], 4)
    last = fs("listdir_page", folder, cursor=first.cursor, limit=3)
    assert (names(last.items), last.cursor) == (["b.txt"], None)  # the cursor kept the sort
    assert names(fs("listdir", folder, cursor=first.cursor)) == ["b.txt"]


def test_a_cursor_used_with_another_sort_is_refused_by_the_server(fs: FsCall, folder: str) -> None:
    first = fs("listdir_page", folder, limit=1, sort_by="size")

    with pytest.raises(PuterBadRequestError, match="cursor does not match requested sort"):
        fs("listdir_page", folder, cursor=first.cursor, sort_by="name")


def test_five_thousand_entries_are_paged_lazily(lazy: Lazy, v2_emu: PuterEmulator) -> None:
    fs = v2_emu.state.fs  # the files are put in place directly: this is about the listing
    fs.home("alice")
    many = fs.mkdirs("/alice/many", "alice")
    for i in range(5000):
        empty = fs.blobs.writer().finish()
        fs.put_file(many, f"f{i:04}", empty, "alice", content_type=None, metadata=None)
    before = len(v2_emu.requests_to("/fs/readdir"))

    first_two = lazy("listdir_pages", "many", limit=1000, stop=2)
    after_two = len(v2_emu.requests_to("/fs/readdir"))
    every = lazy("listdir_pages", "many", limit=1000, include_total=True)

    assert [len(p.items) for p in first_two] == [1000, 1000]
    assert after_two - before == 2  # nothing more was asked for
    assert sum(len(p.items) for p in every) == every[0].total == 5000
    assert every[-1].items[-1].name == "f4999"


def test_iterdir_yields_names_lazily(fs: FsCall, lazy: Lazy, folder: str) -> None:
    assert lazy("iterdir", folder) == ["a.txt", "b.txt", "c.txt", "sub"]
    assert lazy("iterdir", folder, sort_by="size", stop=1) == ["sub"]


def test_walk_is_os_walk_over_the_cloud(lazy: Lazy, folder: str) -> None:
    assert lazy("walk", folder) == [
        ("/alice/d", ["sub"], ["a.txt", "b.txt", "c.txt"]),
        ("/alice/d/sub", [], ["deep.txt"]),
    ]
    assert [top for top, _, _ in lazy("walk", folder, topdown=False)] == [
        "/alice/d/sub", "/alice/d",
    ]  # fmt: skip


def test_walk_top_down_skips_the_folders_removed_from_dirnames(fs: FsCall, folder: str) -> None:
    client = alice()
    seen = []
    for top, dirs, _ in client.fs.walk(folder):
        seen.append(top)
        dirs.clear()

    assert seen == ["/alice/d"]


def test_walk_of_a_missing_folder_is_file_not_found(lazy: Lazy) -> None:
    with pytest.raises(FileNotFoundError):
        lazy("walk", "nope")


def test_glob_matches_names_and_any_depth(lazy: Lazy, folder: str) -> None:
    assert lazy("glob", "d/*.txt") == ["/alice/d/a.txt", "/alice/d/b.txt", "/alice/d/c.txt"]
    assert lazy("glob", "d/[ab].txt") == ["/alice/d/a.txt", "/alice/d/b.txt"]
    assert lazy("glob", "d/**/deep.*") == ["/alice/d/sub/deep.txt"]
    assert lazy("glob", "**/sub") == ["/alice/d/sub"]


def test_a_pattern_without_a_wildcard_is_refused_before_any_request(
    v2_emu: PuterEmulator,
) -> None:
    with pytest.raises(PuterInputError) as caught:
        alice().fs.glob("d/a.txt")

    assert caught.value.code == "field_invalid"
    assert v2_emu.requests_to("/fs/readdir") == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sort_by": "date"}, {"sort_order": "up"}, {"limit": 0}, {"offset": -1},
        {"offset": 1, "cursor": "abc"}, {"offset": 1, "recursive": True},
    ],
)  # fmt: skip
def test_bad_listing_options_are_refused_with_field_invalid(
    kwargs: dict[str, Any], v2_emu: PuterEmulator
) -> None:
    client: PuterAI = alice()

    with pytest.raises(ValueError) as caught:
        client.fs.listdir("~", **kwargs)

    assert isinstance(caught.value, PuterInputError) and caught.value.code == "field_invalid"
    assert v2_emu.requests_to("/fs/readdir") == []


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(limit=st.one_of(st.integers(max_value=0), st.integers(min_value=10_001)))
def test_a_page_size_outside_1_to_10000_is_refused(limit: int) -> None:
    with pytest.raises(PuterInputError) as caught:
        alice().fs.listdir_page("~", limit=limit)

    assert caught.value.code == "field_invalid"
