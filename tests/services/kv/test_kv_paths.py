"""Updates inside a value: ``update``, ``add``, ``remove`` and ``incr``/``decr`` with a
``{path: amount}`` map, against the emulator (both server generations), blocking and
async; the exact driver call each sends, the whole new value each answers, and
puter.js's refusals (with its codes) before any request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter.exceptions import PuterBadRequestError, PuterInputError
from puter_client.emulator import PuterEmulator
from puter_client.emulator.core.clock import ManualClock
from puter_client.services.kv.input import FORBIDDEN_OBJECT_KEYS, checked_path
from tests.support.emulated import connect
from tests.support.kv import FACES, Kv, kv_calls

NOW = 1_800_000_000.0


@pytest.fixture(params=FACES)
def kv(request: pytest.FixtureRequest, emu: PuterEmulator) -> Iterator[Kv]:
    with connect(emu) as client:
        yield Kv(client, request.param)


# ------------------------------------------------------------------- update


def test_update_sets_paths_inside_the_value_and_answers_the_whole_value(
    kv: Kv, emu: PuterEmulator
) -> None:
    kv.set("doc", {"name": "a", "stats": {"views": 1}})

    new = kv.update("doc", {"name": "b", "stats.likes": 2})

    assert new == {"name": "b", "stats": {"views": 1, "likes": 2}}
    assert kv.get("doc") == new
    (call,) = kv_calls(emu, "update")
    assert call.json["args"] == {"key": "doc", "pathAndValueMap": {"name": "b", "stats.likes": 2}}


def test_update_of_a_missing_key_creates_the_objects_on_the_way(kv: Kv) -> None:
    assert kv.update("fresh", {"a.b": [1]}) == {"a": {"b": [1]}}


def test_update_with_a_ttl_sends_it_and_the_key_expires(kv: Kv, emu: PuterEmulator) -> None:
    clock = ManualClock(NOW)
    emu.state.clock = clock
    kv.update("doc", {"x": 1}, ttl=10)

    (call,) = kv_calls(emu, "update")
    assert call.json["args"]["ttl"] == 10
    clock.advance(11)
    assert kv.get("doc") is None


# ---------------------------------------------------------------------- add


def test_add_appends_a_value_to_the_list_that_is_the_value(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("list", [1])

    assert kv.add("list", 2) == [1, 2]
    (call,) = kv_calls(emu, "add")
    assert call.json["args"] == {"key": "list", "pathAndValueMap": {"": 2}}


def test_add_without_a_value_appends_1_as_puter_js_does(kv: Kv) -> None:
    assert kv.add("list") == [1]


def test_add_with_a_path_map_appends_at_each_path(kv: Kv) -> None:
    kv.set("doc", {"tags": ["a"]})

    assert kv.add("doc", {"tags": "b", "more.items": [1, 2]}) == {
        "tags": ["a", "b"],
        "more": {"items": [1, 2]},
    }


def test_add_to_a_value_that_is_not_a_list_is_the_server_error(kv: Kv) -> None:
    kv.set("n", 5)

    with pytest.raises(PuterBadRequestError) as caught:
        kv.add("n", 1)

    assert caught.value.code == "upstream_bad_request"


# ------------------------------------------------------------------- remove


def test_remove_takes_the_paths_out_and_answers_the_whole_value(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("doc", {"a": 1, "b": {"c": 2, "d": 3}})

    assert kv.remove("doc", "a", "b.c") == {"b": {"d": 3}}
    (call,) = kv_calls(emu, "remove")
    assert call.json["args"] == {"key": "doc", "paths": ["a", "b.c"]}


def test_remove_from_a_missing_key_answers_none(kv: Kv) -> None:
    assert kv.remove("nothing", "a") is None


# ------------------------------------------------------------ incr and decr


def test_incr_with_a_path_map_increments_each_path_and_answers_the_value(
    kv: Kv, emu: PuterEmulator
) -> None:
    assert kv.incr("stats", {"views": 1, "a.b": 2}) == {"views": 1, "a": {"b": 2}}
    assert kv.incr("stats", {"views": 5}) == {"views": 6, "a": {"b": 2}}
    calls = kv_calls(emu, "incr")
    assert calls[0].json["args"] == {"key": "stats", "pathAndAmountMap": {"views": 1, "a.b": 2}}


def test_decr_with_a_path_map_subtracts_at_each_path(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("stats", {"left": 10})

    assert kv.decr("stats", {"left": 3}) == {"left": 7}
    (call,) = kv_calls(emu, "decr")
    assert call.json["args"] == {"key": "stats", "pathAndAmountMap": {"left": 3}}


def test_a_plain_incr_still_sends_the_empty_path_and_answers_the_number(
    kv: Kv, emu: PuterEmulator
) -> None:
    assert kv.incr("n", 2) == 2
    (call,) = kv_calls(emu, "incr")
    assert call.json["args"] == {"key": "n", "pathAndAmountMap": {"": 2}}


# ------------------------------------------------------- refusals, nothing sent

Call = Callable[[Kv], Any]

REFUSALS: list[tuple[str, Call, type[Exception], str]] = [
    ("update empty map", lambda kv: kv.update("k", {}), ValueError, "path_map_invalid"),
    ("update not a map", lambda kv: kv.update("k", [("a", 1)]), TypeError, "path_map_invalid"),
    ("update proto path", lambda kv: kv.update("k", {"a.__proto__.b": 1}), ValueError,
     "bad_request"),
    ("update constructor index path", lambda kv: kv.update("k", {"constructor[0]": 1}),
     ValueError, "bad_request"),
    ("update ttl not a number", lambda kv: kv.update("k", {"a": 1}, ttl="soon"), TypeError,
     "ttl_invalid"),
    ("update ttl NaN", lambda kv: kv.update("k", {"a": 1}, ttl=float("nan")), ValueError,
     "ttl_invalid"),
    ("update value too large", lambda kv: kv.update("k", {"a": "x" * 408_575}), ValueError,
     "value_too_large"),
    ("update key missing", lambda kv: kv.update("", {"a": 1}), ValueError, "key_undefined"),
    ("update key too large", lambda kv: kv.update("k" * 1025, {"a": 1}), ValueError,
     "key_too_large"),
    ("add empty map", lambda kv: kv.add("k", {}), ValueError, "path_map_invalid"),
    ("add prototype path", lambda kv: kv.add("k", {"prototype": 1}), ValueError, "bad_request"),
    ("add key None", lambda kv: kv.add(None, 1), TypeError, "key_undefined"),
    ("remove no path", lambda kv: kv.remove("k"), ValueError, "arguments_required"),
    ("remove a list of paths", lambda kv: kv.remove("k", ["a", "b"]), TypeError,
     "paths_invalid"),
    ("remove a path not a str", lambda kv: kv.remove("k", "a", 3), TypeError, "paths_invalid"),
    ("remove a proto path", lambda kv: kv.remove("k", "__proto__"), ValueError, "bad_request"),
    ("incr empty map", lambda kv: kv.incr("k", {}), ValueError, "path_map_invalid"),
    ("incr amount not a number", lambda kv: kv.incr("k", {"a": "1"}), TypeError,
     "invalid_arguments"),
    ("decr proto path", lambda kv: kv.decr("k", {"__proto__.x": 1}), ValueError, "bad_request"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "kind", "code"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_a_path_refusal_before_sending_carries_puter_js_code(
    kv: Kv, emu: PuterEmulator, call: Call, kind: type[Exception], code: str
) -> None:
    with pytest.raises(PuterInputError) as caught:
        call(kv)

    assert caught.value.code == code
    assert isinstance(caught.value, kind)
    assert kv_calls(emu) == []


SEGMENT = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=6)


@given(
    st.lists(SEGMENT, min_size=0, max_size=3),
    st.sampled_from(sorted(FORBIDDEN_OBJECT_KEYS)),
    st.lists(SEGMENT, min_size=0, max_size=3),
    st.sampled_from(["", "[0]", "[]"]),
)
def test_any_path_walking_through_a_prototype_name_is_refused(
    before: list[str], forbidden: str, after: list[str], index: str
) -> None:
    path = ".".join([*before, forbidden + index, *after])

    with pytest.raises(PuterInputError) as caught:
        checked_path(path)

    assert caught.value.code == "bad_request"


@given(st.lists(SEGMENT.filter(lambda s: s not in FORBIDDEN_OBJECT_KEYS), max_size=4))
def test_a_path_of_plain_names_is_taken_as_given(segments: list[str]) -> None:
    path = ".".join(segments)

    assert checked_path(path) == path
