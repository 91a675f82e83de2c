"""``client.kv`` against the emulator: every method, blocking and async, on a current and
an older server; what goes on the wire, the server's quirks as they surface, and the
storage limiter, which never waits for the AI calls' one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterInputError
from puter_client.emulator import PuterEmulator
from puter_client.emulator.core.clock import ManualClock
from tests.support.emulated import connect
from tests.support.kv import FACES, Kv, kv_calls
from tests.support.timing import SlotLog, most_in_a_window

NOW = 1_800_000_000.0


@pytest.fixture(params=FACES)
def kv(request: pytest.FixtureRequest, emu: PuterEmulator) -> Iterator[Kv]:
    """``alice``'s store on the emulator (both server generations), each face in turn."""
    with connect(emu) as client:
        yield Kv(client, request.param)


@pytest.fixture
def clock(emu: PuterEmulator) -> ManualClock:
    """The emulator's clock, moved by hand."""
    manual = ManualClock(NOW)
    emu.state.clock = manual
    return manual


# ----------------------------------------------------------------- set and get

JSON_VALUES = [
    "hello",
    "",
    0,
    -7,
    2.5,
    True,
    False,
    None,
    [],
    {},
    [1, "two", None, {"three": [3.0]}],
    {"nested": {"deeper": {"list": [True, None]}}, "emoji": "\u00e9\u6f22\U0001f600"},
]


@pytest.mark.parametrize("value", JSON_VALUES, ids=repr)
def test_get_returns_the_json_value_set_stored(kv: Kv, value: Any) -> None:
    assert kv.set("doc", value) is True

    assert kv.get("doc") == value


def test_get_of_a_missing_key_is_none(kv: Kv) -> None:
    assert kv.get("never-set") is None


def test_none_is_stored_as_a_value_and_listed(kv: Kv) -> None:
    kv.set("nothing", None)

    assert kv.items() == [("nothing", None)]


def test_set_replaces_the_previous_value(kv: Kv) -> None:
    kv.set("k", {"a": 1})
    kv.set("k", [2])

    assert kv.get("k") == [2]


def test_set_sends_the_driver_call_of_the_protocol_notes(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("greeting", "hello", expire_at=NOW + 60)

    (call,) = kv_calls(emu)
    assert call.json == {
        "interface": "puter-kvstore",
        "method": "set",
        "args": {"key": "greeting", "value": "hello", "expireAt": NOW + 60},
        "driver": "puter-kvstore",
    }


def test_set_of_none_sends_an_explicit_null(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("k", None)

    assert kv_calls(emu)[0].args == {"key": "k", "value": None}


def test_a_key_expires_at_the_time_set_gave(kv: Kv, clock: ManualClock) -> None:
    kv.set("session", "abc", expire_at=NOW + 10)

    clock.advance(9)
    assert kv.get("session") == "abc"
    clock.advance(2)
    assert kv.get("session") is None


def test_expire_at_takes_an_aware_datetime(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("k", 1, expire_at=datetime.fromtimestamp(NOW, tz=timezone.utc))

    assert kv_calls(emu)[0].args["expireAt"] == NOW


# ---------------------------------------------------------------- many at once


def test_get_many_answers_the_values_in_the_order_of_the_keys(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("a", "first")
    kv.set("c", {"third": 3})

    assert kv.get_many(["c", "b", "a"]) == [{"third": 3}, None, "first"]
    assert kv_calls(emu, "get")[0].args == {"key": ["c", "b", "a"]}


def test_get_many_of_no_keys_sends_nothing(kv: Kv, emu: PuterEmulator) -> None:
    assert kv.get_many([]) == []

    assert kv_calls(emu) == []


def test_set_many_stores_every_pair_in_one_batch_put(kv: Kv, emu: PuterEmulator) -> None:
    assert kv.set_many({"x": 1, "y": [2], "z": None}) is True

    assert kv.items() == [("x", 1), ("y", [2]), ("z", None)]
    (batch,) = kv_calls(emu, "batchPut")
    assert batch.args == {
        "items": [{"key": "x", "value": 1}, {"key": "y", "value": [2]}, {"key": "z", "value": None}]
    }


def test_set_many_of_nothing_is_refused_as_puter_js_refuses_an_empty_batch(
    kv: Kv, emu: PuterEmulator
) -> None:
    with pytest.raises(PuterInputError) as caught:
        kv.set_many({})

    assert caught.value.code == "items_required"
    assert kv_calls(emu) == []


def test_set_many_gives_every_item_the_same_expiry(kv: Kv, clock: ManualClock) -> None:
    kv.set_many({"a": 1, "b": 2}, expire_at=NOW + 5)

    clock.advance(6)
    assert kv.get_many(["a", "b"]) == [None, None]


# ------------------------------------------------------------------- delete


def test_delete_forgets_the_key(kv: Kv) -> None:
    kv.set("k", "v")

    assert kv.delete("k") is True
    assert kv.get("k") is None


def test_delete_of_a_missing_key_is_true(kv: Kv) -> None:
    assert kv.delete("never-set") is True


# --------------------------------------------------------------- counters


def test_incr_starts_a_missing_key_at_zero(kv: Kv) -> None:
    assert kv.incr("visits") == 1
    assert kv.get("visits") == 1


def test_incr_adds_the_amount_and_answers_the_new_number(kv: Kv) -> None:
    kv.set("n", 10)

    assert kv.incr("n", 5) == 15


def test_decr_subtracts_the_amount(kv: Kv) -> None:
    kv.set("n", 10)

    assert kv.decr("n") == 9
    assert kv.decr("n", 4) == 5


def test_incr_keeps_integers_integers_and_takes_floats(kv: Kv) -> None:
    assert isinstance(kv.incr("i"), int)
    assert kv.incr("f", 1.5) == 1.5


def test_incr_sends_the_plain_counter_path_as_puter_js_does(kv: Kv, emu: PuterEmulator) -> None:
    kv.incr("n", 3)
    kv.decr("n", 2)

    assert [c.args for c in kv_calls(emu)] == [
        {"key": "n", "pathAndAmountMap": {"": 3}},
        {"key": "n", "pathAndAmountMap": {"": 2}},
    ]


# --------------------------------------------------------------------- expiry


def test_expire_hides_the_key_after_the_seconds(kv: Kv, clock: ManualClock) -> None:
    kv.set("k", "v")

    assert kv.expire("k", 30) is None
    clock.advance(29)
    assert kv.get("k") == "v"
    clock.advance(2)
    assert kv.get("k") is None


def test_expire_at_hides_the_key_after_the_timestamp(kv: Kv, clock: ManualClock) -> None:
    kv.set("k", "v")

    assert kv.expire_at("k", NOW + 100) is None
    clock.advance(101)
    assert kv.get("k") is None


def test_expire_of_a_missing_key_creates_a_null_entry_as_the_server_does(
    kv: Kv, clock: ManualClock
) -> None:
    kv.expire("ghost", 60)

    assert kv.items() == [("ghost", None)]


def test_incr_of_an_expired_key_continues_from_its_stale_value_as_the_server_does(
    kv: Kv, clock: ManualClock
) -> None:
    kv.set("c", 10)
    kv.expire("c", 1)
    clock.advance(2)

    assert kv.get("c") is None
    assert kv.incr("c") == 11
    assert kv.get("c") is None


# ------------------------------------------------------------------- listings


def test_keys_are_listed_sorted(kv: Kv) -> None:
    kv.set_many({"b": 1, "a": 2, "c": 3})

    assert kv.keys() == ["a", "b", "c"]


def test_items_pair_each_key_with_its_value(kv: Kv) -> None:
    kv.set_many({"b": [1], "a": {"x": None}})

    assert kv.items() == [("a", {"x": None}), ("b", [1])]


def test_keys_with_a_prefix_list_only_the_keys_that_start_with_it(kv: Kv) -> None:
    kv.set_many({"user:1": 1, "user:2": 2, "users": 3, "other": 4})

    assert kv.keys("user:") == ["user:1", "user:2"]
    assert [key for key, _ in kv.items("user:")] == ["user:1", "user:2"]


def test_a_prefix_ending_in_a_star_is_matched_literally(kv: Kv) -> None:
    kv.set_many({"a*b": 1, "ab": 2, " a": 3})

    assert kv.keys("a*") == ["a*b"]
    assert kv.keys(" a") == [" a"]


def test_listings_follow_the_cursor_over_pages_of_a_thousand(kv: Kv, emu: PuterEmulator) -> None:
    keys = [f"k{i:04}" for i in range(2500)]
    kv.set_many(dict.fromkeys(keys, 0))

    assert kv.keys() == keys
    pages = [c.args for c in kv_calls(emu, "list")]
    assert [p.get("cursor") is not None for p in pages] == [False, True, True]
    assert all(
        p["limit"] == 1000 and p["fetchUntilFull"] is True and p["as"] == "keys" for p in pages
    )


def test_a_listing_fetches_the_next_page_only_when_reached(kv: Kv, emu: PuterEmulator) -> None:
    kv.set_many({f"k{i:04}": 0 for i in range(1500)})

    assert kv.first_keys(1000) == [f"k{i:04}" for i in range(1000)]
    assert len(kv_calls(emu, "list")) == 1


def test_a_listing_asks_the_server_for_the_prefix(kv: Kv, emu: PuterEmulator) -> None:
    kv.keys("user:")
    kv.items("a*b")

    assert [c.args.get("pattern") for c in kv_calls(emu, "list")] == ["user:", "a"]
    assert kv_calls(emu, "list")[1].args["as"] == "entries"


def test_flush_forgets_every_key(kv: Kv) -> None:
    kv.set_many({"a": 1, "b": 2})

    assert kv.flush() is True
    assert kv.keys() == []


# ------------------------------------------------------------------ namespaces


def test_each_user_has_a_namespace_of_their_own(kv: Kv, emu: PuterEmulator) -> None:
    emu.add_user("bob", "bob-password")
    kv.set("shared-name", "alice's")
    with PuterAI(token=emu.token_for("bob"), api_base=emu.api_base) as bob:
        assert bob.kv.get("shared-name") is None
        bob.kv.set("shared-name", "bob's")

    assert kv.get("shared-name") == "alice's"


def test_a_client_logs_in_on_demand_for_its_first_kv_call(emu: PuterEmulator) -> None:
    with PuterAI(username="alice", password="alice-password") as client:
        client.kv.set("k", 1)

        assert client.is_authenticated
        assert client.kv.get("k") == 1


# ---------------------------------------------------------------- rate limits


def test_storage_is_never_paced_by_the_ai_limiter(
    emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    with PuterAI(
        token=emu.token_for("alice"), rate_limit_requests=1, rate_limit_period=3600
    ) as client:
        for i in range(30):
            client.kv.set(f"k{i}", i)
        assert list(client.kv.keys()) == sorted(f"k{i}" for i in range(30))

    assert not any(r.waited for r in limiter_slots.reservations)


def test_the_storage_limits_default_to_the_servers_published_ones(emu: PuterEmulator) -> None:
    with connect(emu) as client:
        kv, listing = client._session.limiter("kv"), client._session.limiter("kv-list")

    assert (kv.requests, kv.period) == (400, 10.0)
    assert (listing.requests, listing.period) == (240, 60.0)


def test_rate_limits_override_the_storage_limit_per_client(
    emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    with PuterAI(token=emu.token_for("alice"), rate_limits={"kv": (2, 0.3)}) as client:
        for i in range(5):
            client.kv.get(f"k{i}")

    assert most_in_a_window(limiter_slots.slots, 0.3) == 2
