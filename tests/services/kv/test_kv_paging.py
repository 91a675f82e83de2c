"""Listings that scale: ``keys``/``items`` with ``pattern`` (as puter.js reads it) and
``limit``; one page with its cursor and total (``list_keys``/``list_items``); the lazy
walk over pages (``key_pages``/``item_pages``); ``clear``. Against the emulator (both
server generations), blocking and async: what each sends and what it answers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter.exceptions import PuterInputError
from puter_client.core.paging import Page
from puter_client.emulator import PuterEmulator
from puter_client.services.kv.kv import list_pattern
from tests.support.emulated import connect
from tests.support.kv import FACES, Kv, kv_calls

KEYS = [f"user:{n:02}" for n in range(12)] + ["other", "us"]


@pytest.fixture(params=FACES)
def kv(request: pytest.FixtureRequest, emu: PuterEmulator) -> Iterator[Kv]:
    with connect(emu) as client:
        alice = emu.state.find_user(username="alice")
        assert alice is not None
        space = emu.state.kv.namespace(alice.uuid)
        for key in KEYS:
            space.set(key, key.upper(), None)
        yield Kv(client, request.param)


def call(kv: Kv, name: str, *args: Any, **kwargs: Any) -> Any:
    """``client.kv.<name>`` blocking, or its async twin run to completion."""
    if kv.face == "sync":
        result = getattr(kv.store, name)(*args, **kwargs)
        return result if name.startswith("list") or name == "clear" else list(result)
    twin = getattr(kv.store, f"async_{name}")(*args, **kwargs)
    if name.startswith("list") or name == "clear":
        return asyncio.run(twin)

    async def collect() -> list[Any]:
        return [item async for item in twin]

    return asyncio.run(collect())


def list_args(emu: PuterEmulator) -> list[dict[str, Any]]:
    return [r.json["args"] for r in kv_calls(emu, "list")]


def test_a_pattern_with_a_trailing_star_lists_the_keys_it_starts(kv: Kv) -> None:
    assert call(kv, "keys", pattern="user:1*") == ["user:10", "user:11"]


@pytest.mark.parametrize("everything", ["*", "", "  ", " * "])
def test_a_bare_star_or_a_blank_pattern_lists_every_key_and_sends_no_pattern(
    kv: Kv, emu: PuterEmulator, everything: str
) -> None:
    assert call(kv, "keys", pattern=everything) == sorted(KEYS)
    assert "pattern" not in list_args(emu)[0]


def test_keys_with_a_limit_stops_there_and_asks_no_more_than_it_needs(
    kv: Kv, emu: PuterEmulator
) -> None:
    assert call(kv, "keys", limit=3) == sorted(KEYS)[:3]
    (args,) = list_args(emu)
    assert args["limit"] == 3


def test_items_take_a_pattern_and_a_limit(kv: Kv) -> None:
    assert call(kv, "items", pattern="user:0*", limit=2) == [
        ("user:00", "USER:00"),
        ("user:01", "USER:01"),
    ]


def test_list_keys_is_one_page_with_the_cursor_of_the_next_and_the_total(
    kv: Kv, emu: PuterEmulator
) -> None:
    page = call(kv, "list_keys", "user:*", limit=5, include_total=True)

    assert isinstance(page, Page)
    assert page.items == ["user:00", "user:01", "user:02", "user:03", "user:04"]
    assert page.total == 12
    assert page.cursor is not None
    (args,) = list_args(emu)
    assert args == {"as": "keys", "pattern": "user:", "limit": 5, "fetchUntilFull": True,
                    "includeTotal": True}  # fmt: skip


def test_the_cursor_of_a_page_gives_the_next_page_and_the_last_has_none(kv: Kv) -> None:
    first = call(kv, "list_keys", "user:*", limit=8)
    last = call(kv, "list_keys", "user:*", limit=8, cursor=first.cursor)

    assert last.items == [f"user:{n:02}" for n in range(8, 12)]
    assert last.cursor is None
    assert last.total is None


def test_list_items_pages_the_pairs(kv: Kv) -> None:
    page = call(kv, "list_items", "o*", limit=1)

    assert page.items == [("other", "OTHER")]
    assert page.cursor is None


def test_key_pages_walk_every_page_and_ask_the_total_once(kv: Kv, emu: PuterEmulator) -> None:
    pages = call(kv, "key_pages", "user:", limit=5, include_total=True)

    assert [len(p.items) for p in pages] == [5, 5, 2]
    assert [p.total for p in pages] == [12, None, None]
    assert [a.get("includeTotal") for a in list_args(emu)] == [True, None, None]


def test_item_pages_start_at_a_given_cursor(kv: Kv) -> None:
    first = call(kv, "list_keys", limit=13)

    pages = call(kv, "item_pages", limit=5, cursor=first.cursor)

    assert [p.items for p in pages] == [[("user:11", "USER:11")]]


def test_clear_forgets_every_key_as_flush_does(kv: Kv, emu: PuterEmulator) -> None:
    assert call(kv, "clear") is True

    assert call(kv, "keys") == []
    assert len(kv_calls(emu, "flush")) == 1


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("list_keys", {"limit": 0}),
        ("list_keys", {"limit": "5"}),
        ("list_keys", {"cursor": ""}),
        ("list_keys", {"cursor": 5}),
        ("list_keys", {"include_total": "yes"}),
        ("list_items", {"pattern": 7}),
        ("keys", {"limit": -1}),
        ("keys", {"prefix": "a", "pattern": "b*"}),
    ],
)
def test_bad_paging_arguments_are_refused_before_any_request(
    kv: Kv, emu: PuterEmulator, name: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(PuterInputError) as caught:
        call(kv, name, **kwargs)

    assert caught.value.code == "invalid_arguments"
    assert kv_calls(emu) == []


@given(st.text(max_size=12))
def test_the_pattern_sent_is_puter_js_normalisation(pattern: str) -> None:
    trimmed = pattern.strip()
    expected = trimmed[:-1] if trimmed.endswith("*") else trimmed

    assert list_pattern(pattern) == (expected or None)
