"""The ``puter-kvstore`` driver: methods, key coercion, limits, TTL quirks, paging, errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter_client.emulator import Drop
from puter_client.emulator.core.clock import ManualClock
from puter_client.emulator.core.ratelimit import RateLimit
from tests.emulator.emulator_support import Api
from tests.support.hypothesis_profiles import examples

KV = "puter-kvstore"
FIXTURE_SETTINGS = settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def kv(api: Api, method: str, user: str = "alice", **args: Any) -> httpx.Response:
    return api.driver(KV, method, args, user=user)


def result(api: Api, method: str, user: str = "alice", **args: Any) -> Any:
    response = kv(api, method, user, **args)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    assert body["error"] == body["message"]
    return response.status_code, body["code"], body["message"]


@pytest.fixture
def clock(api: Api) -> ManualClock:
    manual = ManualClock(1_800_000_000.0)
    api.emulator.state.clock = manual
    return manual


def test_set_answers_true_in_the_driver_envelope(api: Api) -> None:
    response = kv(api, "set", key="greeting", value="hello")
    assert response.json() == {"success": True, "result": True, "service": {"name": KV}}


def test_get_returns_what_set_stored(api: Api) -> None:
    value = {"a": [1, 2.5, None, "x"], "b": {"c": True}}
    result(api, "set", key="doc", value=value)
    assert result(api, "get", key="doc") == value


def test_get_of_a_missing_key_is_null(api: Api) -> None:
    assert result(api, "get", key="nothing-here") is None


def test_null_is_a_storable_value(api: Api) -> None:
    assert result(api, "set", key="n", value=None) is True
    assert result(api, "list") == [{"key": "n", "value": None}]


def test_set_without_value_is_refused(api: Api) -> None:
    assert error(kv(api, "set", key="k")) == (400, "bad_request", "Missing `value`")


@pytest.mark.parametrize("method", ["set", "get", "del", "incr", "expire"])
@pytest.mark.parametrize("key", [None, "", "missing"])
def test_a_null_empty_or_missing_key_is_refused(api: Api, method: str, key: str | None) -> None:
    args: dict[str, Any] = {"value": 1, "pathAndAmountMap": {"": 1}, "ttl": 5}
    if key != "missing":
        args["key"] = key
    assert error(kv(api, method, **args)) == (400, "bad_request", "Missing `key`")


def js_string(value: Any) -> str:
    """An independent statement of JavaScript's String() for the key types under test."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "[object Object]"
    if isinstance(value, list):
        return ",".join(js_string(item) for item in value)
    return str(value)


non_string_keys = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.booleans(),
    st.dictionaries(st.text(max_size=3), st.integers(), min_size=1, max_size=2),
    st.lists(st.text(alphabet="abc", min_size=1, max_size=3), min_size=2, max_size=3),
)


@FIXTURE_SETTINGS
@given(key=non_string_keys)
def test_non_string_keys_are_stored_under_their_javascript_string(api: Api, key: Any) -> None:
    result(api, "set", key=key, value="v")
    assert result(api, "get", key=js_string(key)) == "v"


def test_integral_floats_are_keyed_like_javascript_numbers(api: Api) -> None:
    result(api, "set", key=42.0, value="forty-two")
    result(api, "set", key=1.5, value="one and a half")
    assert result(api, "get", key=["42", "1.5"]) == ["forty-two", "one and a half"]


def test_a_list_key_in_get_is_a_multi_get(api: Api) -> None:
    result(api, "set", key="a", value="hello")
    result(api, "set", key="c", value={"x": 1})
    assert result(api, "get", key=["a", "b", "c"]) == ["hello", None, {"x": 1}]


def test_an_empty_multi_get_is_an_empty_list(api: Api) -> None:
    assert result(api, "get", key=[]) == []


@pytest.mark.parametrize("method", ["set", "get"])
def test_keys_over_1024_utf8_bytes_are_refused(api: Api, method: str) -> None:
    assert kv(api, "set", key="é" * 512, value=1).status_code == 200  # 1024 bytes
    response = kv(api, method, key="é" * 512 + "x", value=1)
    assert error(response) == (400, "bad_request", "kv: key exceeds 1024 byte limit")


def test_values_up_to_408576_json_bytes_are_accepted(api: Api) -> None:
    assert kv(api, "set", key="big", value="x" * 408_574).status_code == 200
    response = kv(api, "set", key="big", value="x" * 408_575)
    assert error(response) == (400, "bad_request", "kv: value exceeds 408576 byte limit")


@pytest.mark.parametrize("name", ["__proto__", "constructor", "prototype"])
def test_forbidden_object_keys_are_refused_at_any_depth(api: Api, name: str) -> None:
    value = {"ok": [1, {"deeper": {name: 1}}]}
    response = kv(api, "set", key="k", value=value)
    assert error(response) == (400, "bad_request", f"kv: value key `{name}` is not allowed")


def test_each_user_has_a_namespace_of_their_own(api: Api) -> None:
    api.emulator.add_user("bob", "bob-password")
    result(api, "set", key="shared-name", value="alice's")
    assert result(api, "get", "bob", key="shared-name") is None
    assert result(api, "list", "bob") == []


def test_del_is_true_whether_or_not_the_key_existed(api: Api) -> None:
    result(api, "set", key="k", value=1)
    assert result(api, "del", key="k") is True
    assert result(api, "del", key="k") is True
    assert result(api, "get", key="k") is None


def test_batch_put_stores_every_item(api: Api) -> None:
    items = [{"key": "x", "value": 1}, {"key": 7, "value": [2]}]
    assert result(api, "batchPut", items=items) is True
    assert result(api, "get", key=["x", "7"]) == [1, [2]]


@pytest.mark.parametrize("items", [[], None, "x"])
def test_batch_put_needs_items(api: Api, items: Any) -> None:
    response = kv(api, "batchPut", items=items)
    assert error(response) == (400, "bad_request", "Missing or empty `items`")


def test_incr_starts_a_missing_counter_at_zero(api: Api) -> None:
    assert result(api, "incr", key="c", pathAndAmountMap={"": 1}) == 1
    assert result(api, "incr", key="c", pathAndAmountMap={"": 5}) == 6
    assert result(api, "decr", key="c", pathAndAmountMap={"": 2}) == 4


def test_incr_accepts_floats(api: Api) -> None:
    assert result(api, "incr", key="f", pathAndAmountMap={"": 1.5}) == 1.5


def test_incr_of_nested_paths_returns_the_whole_object(api: Api) -> None:
    value = result(api, "incr", key="stats", pathAndAmountMap={"views": 1, "a.b": 2})
    assert value == {"a": {"b": 2}, "views": 1}
    again = result(api, "incr", key="stats", pathAndAmountMap={"a.b": 3})
    assert again == {"a": {"b": 5}, "views": 1}


@pytest.mark.parametrize("amounts", [None, 3, "x"])
def test_incr_needs_a_path_and_amount_map(api: Api, amounts: Any) -> None:
    response = kv(api, "incr", key="c", pathAndAmountMap=amounts)
    assert error(response) == (400, "bad_request", "Missing or invalid `pathAndAmountMap`")


def test_incr_without_the_map_but_with_amount_is_refused(api: Api) -> None:
    response = kv(api, "incr", key="c", amount=3)
    assert error(response)[2] == "Missing or invalid `pathAndAmountMap`"


def test_incr_amounts_must_be_numbers(api: Api) -> None:
    response = kv(api, "incr", key="c", pathAndAmountMap={"": "1"})
    assert error(response) == (
        400,
        "bad_request",
        "kv: all values in pathAndAmountMap must be numbers",
    )


@pytest.mark.parametrize("value", ["text", {"a": 1}])
def test_incr_of_a_non_number_is_the_stores_400(api: Api, value: Any) -> None:
    result(api, "set", key="s", value=value)
    response = kv(api, "incr", key="s", pathAndAmountMap={"": 1})
    assert response.status_code == 400
    assert response.json() == {
        "error": "An operand in the update expression has an incorrect data type",
        "message": "An operand in the update expression has an incorrect data type",
        "code": "upstream_bad_request",
        "upstreamStatus": 400,
    }


def test_expire_has_no_result_key(api: Api, clock: ManualClock) -> None:
    result(api, "set", key="k", value=1)
    assert kv(api, "expire", key="k", ttl=10).json() == {"success": True, "service": {"name": KV}}


def test_expire_at_has_no_result_key(api: Api, clock: ManualClock) -> None:
    response = kv(api, "expireAt", key="k", timestamp=clock() + 10)
    assert response.json() == {"success": True, "service": {"name": KV}}


def test_expire_needs_a_numeric_ttl(api: Api) -> None:
    response = kv(api, "expire", key="k", ttl="10")
    assert error(response) == (400, "bad_request", "`ttl` must be a number (seconds)")


def test_expire_at_needs_a_numeric_timestamp(api: Api) -> None:
    response = kv(api, "expireAt", key="k", timestamp=None)
    assert error(response) == (400, "bad_request", "`timestamp` must be a number")


def test_an_expired_key_reads_as_null_and_is_not_listed(api: Api, clock: ManualClock) -> None:
    result(api, "set", key="k", value="v")
    kv(api, "expire", key="k", ttl=1)
    assert result(api, "get", key="k") == "v"
    clock.advance(2)
    assert result(api, "get", key="k") is None
    assert result(api, "list") == []


def test_expire_at_hides_the_key_from_that_second(api: Api, clock: ManualClock) -> None:
    result(api, "set", key="k", value="v")
    kv(api, "expireAt", key="k", timestamp=clock() + 5)
    clock.advance(4.5)
    assert result(api, "get", key="k") == "v"
    clock.advance(0.5)
    assert result(api, "get", key="k") is None


def test_set_with_expire_at(api: Api, clock: ManualClock) -> None:
    result(api, "set", key="k", value="v", expireAt=clock() + 3)
    clock.advance(3)
    assert result(api, "get", key="k") is None


def test_expire_on_a_missing_key_creates_a_null_entry(api: Api, clock: ManualClock) -> None:
    kv(api, "expire", key="ghost", ttl=100)
    assert result(api, "list") == [{"key": "ghost", "value": None}]


def test_incr_continues_from_an_expired_value_and_keeps_its_ttl(
    api: Api, clock: ManualClock
) -> None:
    result(api, "set", key="c", value=10)
    kv(api, "expire", key="c", ttl=1)
    clock.advance(2)
    assert result(api, "get", key="c") is None
    assert result(api, "incr", key="c", pathAndAmountMap={"": 1}) == 11
    assert result(api, "get", key="c") is None


def test_set_resets_an_expired_key(api: Api, clock: ManualClock) -> None:
    result(api, "set", key="c", value=10)
    kv(api, "expire", key="c", ttl=1)
    clock.advance(2)
    result(api, "set", key="c", value=1)
    assert result(api, "get", key="c") == 1


def fill(api: Api, *keys: str) -> None:
    result(api, "batchPut", items=[{"key": k, "value": k.upper()} for k in keys])


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (None, [{"key": "apple", "value": "APPLE"}, {"key": "greeting", "value": "GREETING"}]),
        ("entries", [{"key": "apple", "value": "APPLE"}, {"key": "greeting", "value": "GREETING"}]),
        ("keys", ["apple", "greeting"]),
        ("values", ["APPLE", "GREETING"]),
    ],
)
def test_list_sorted_by_key_as_keys_values_or_entries(
    api: Api, kind: str | None, expected: list[Any]
) -> None:
    fill(api, "greeting", "apple")
    args = {} if kind is None else {"as": kind}
    assert result(api, "list", **args) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("gr*", ["greeting", "group"]),
        ("gr", ["greeting", "group"]),
        ("*", ["apple", "greeting", "group"]),
        ("", ["apple", "greeting", "group"]),
        ("*ting", []),
    ],
)
def test_list_pattern_is_a_prefix(api: Api, pattern: str, expected: list[str]) -> None:
    fill(api, "greeting", "group", "apple")
    assert result(api, "list", pattern=pattern, **{"as": "keys"}) == expected


def test_list_pages_with_an_opaque_cursor(api: Api) -> None:
    fill(api, "a", "b", "c", "d", "e")
    first = result(api, "list", limit=2, **{"as": "keys"})
    assert first["items"] == ["a", "b"] and isinstance(first["cursor"], str)
    second = result(api, "list", limit=2, cursor=first["cursor"], **{"as": "keys"})
    assert second["items"] == ["c", "d"]
    last = result(api, "list", limit=2, cursor=second["cursor"], **{"as": "keys"})
    assert last == {"items": ["e"]}


@pytest.mark.parametrize(
    "paging",
    [{"includeTotal": True}, {"offset": 0}, {"limit": 10}, {"limit": 9, "fetchUntilFull": True}],
)
def test_any_paging_option_switches_to_the_envelope(api: Api, paging: dict[str, Any]) -> None:
    fill(api, "a", "b")
    body = result(api, "list", **paging, **{"as": "keys"})
    assert body["items"] == ["a", "b"] and "cursor" not in body


def test_list_total_counts_every_match(api: Api) -> None:
    fill(api, "a", "b", "c")
    assert result(api, "list", limit=1, includeTotal=True, **{"as": "keys"})["total"] == 3


def test_list_offset_skips_items(api: Api) -> None:
    fill(api, "a", "b", "c")
    assert result(api, "list", offset=1, **{"as": "keys"}) == {"items": ["b", "c"]}


def test_a_null_cursor_alone_lists_everything_unpaged(api: Api) -> None:
    fill(api, "a")
    assert result(api, "list", cursor=None, **{"as": "keys"}) == ["a"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"as": "rows"}, 'kv: list "as" must be keys, values, or entries'),
        ({"pattern": 5}, "kv: pattern must be a string"),
        ({"limit": 0}, "kv: limit must be a positive number"),
        ({"limit": -3}, "kv: limit must be a positive number"),
        ({"offset": 5001}, "kv: offset may not exceed 5000"),
        ({"cursor": "eyJrZXkiOiJhIn0=", "offset": 1}, "kv: cursor and offset cannot be combined"),
        ({"fetchUntilFull": True}, "kv: fetchUntilFull requires limit"),
        ({"cursor": "not a cursor"}, "invalid kv: cursor"),
    ],
)
def test_list_errors(api: Api, args: dict[str, Any], message: str) -> None:
    assert error(kv(api, "list", **args)) == (400, "bad_request", message)


def test_flush_empties_only_the_callers_namespace(api: Api) -> None:
    api.emulator.add_user("bob", "bob-password")
    fill(api, "a", "b")
    result(api, "set", "bob", key="mine", value=1)
    assert result(api, "flush") is True
    assert result(api, "list") == []
    assert result(api, "get", "bob", key="mine") == 1


def test_update_sets_paths_and_returns_the_whole_value(api: Api) -> None:
    result(api, "set", key="doc", value={"x": 1})
    new = result(api, "update", key="doc", pathAndValueMap={"x": 2, "y.z": 3})
    assert new == {"x": 2, "y": {"z": 3}}


def test_update_with_ttl_expires_the_key(api: Api, clock: ManualClock) -> None:
    result(api, "update", key="doc", pathAndValueMap={"x": 1}, ttl=5)
    clock.advance(5)
    assert result(api, "get", key="doc") is None


def test_add_appends_to_lists(api: Api) -> None:
    result(api, "set", key="doc", value={"list": [1]})
    assert result(api, "add", key="doc", pathAndValueMap={"list": 2}) == {"list": [1, 2]}
    assert result(api, "add", key="doc", pathAndValueMap={"list": [3, 4]}) == {"list": [1, 2, 3, 4]}


def test_remove_deletes_paths(api: Api) -> None:
    result(api, "set", key="doc", value={"x": 2, "y": {"z": 3, "w": 4}, "list": [1, 2]})
    assert result(api, "remove", key="doc", paths=["y.z", "list[0]"]) == {
        "x": 2,
        "y": {"w": 4},
        "list": [2],
    }


@pytest.mark.parametrize(
    ("method", "args", "message"),
    [
        ("update", {"pathAndValueMap": None}, "Missing or invalid `pathAndValueMap`"),
        ("update", {"pathAndValueMap": {}}, "kv: update requires pathAndValueMap"),
        ("incr", {"pathAndAmountMap": {}}, "kv: incr requires pathAndAmountMap"),
        ("add", {"pathAndValueMap": {"constructor.x": 1}},
         "kv: path segment `constructor` is not allowed"),
        ("remove", {"paths": []}, "Missing or invalid `paths`"),
        ("remove", {"paths": [3]}, "kv: path must be a string"),
        ("update", {"pathAndValueMap": {"a": 1}, "ttl": "soon"}, "kv: ttl must be a number"),
    ],
)  # fmt: skip
def test_update_add_remove_errors(
    api: Api, method: str, args: dict[str, Any], message: str
) -> None:
    assert error(kv(api, method, key="doc", **args)) == (400, "bad_request", message)


def test_rate_limit_answers_429_until_the_window_passes(api: Api, clock: ManualClock) -> None:
    api.emulator.state.options.rate_limits[KV] = RateLimit(3, 10.0)
    assert [kv(api, "get", key="k").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert error(kv(api, "get", key="k")) == (429, "too_many_requests", "Too many requests.")
    clock.advance(10)
    assert kv(api, "get", key="k").status_code == 200


def test_list_has_a_rate_limit_of_its_own(api: Api, clock: ManualClock) -> None:
    limits = api.emulator.state.options.rate_limits
    limits[KV], limits[f"{KV}.list"] = RateLimit(5, 10.0), RateLimit(1, 60.0)
    assert [kv(api, "list").status_code for _ in range(2)] == [200, 429]
    assert kv(api, "get", key="k").status_code == 200


def test_temporary_accounts_get_the_temp_allowance(api: Api, clock: ManualClock) -> None:
    api.emulator.add_user("guest", "guest-password", is_temp=True)
    api.emulator.state.options.rate_limits[KV] = RateLimit(5, 10.0, temp_calls=1)
    assert [kv(api, "get", "guest", key="k").status_code for _ in range(2)] == [200, 429]


def test_rate_limits_can_be_lifted(api: Api) -> None:
    api.emulator.state.options.rate_limits[KV] = RateLimit(1, 10.0)
    kv(api, "get", key="k")
    api.emulator.state.options.rate_limits.clear()
    assert all(kv(api, "get", key="k").status_code == 200 for _ in range(5))


def test_default_rate_limits_are_the_servers(api: Api) -> None:
    limits = api.emulator.state.options.rate_limits
    assert (limits[KV].calls, limits[KV].per) == (400, 10.0)
    assert (limits[f"{KV}.list"].calls, limits[f"{KV}.list"].per) == (240, 60.0)


def test_accounts_without_credits_may_only_delete_and_list_keys(api: Api) -> None:
    refused = kv(api, "set", "broke_user", key="k", value=1)
    assert refused.status_code == 402 and refused.headers["x-needs-upgrade"] == "true"
    assert kv(api, "del", "broke_user", key="k").status_code == 200
    assert kv(api, "flush", "broke_user").status_code == 200
    assert kv(api, "list", "broke_user", **{"as": "keys"}).status_code == 200
    assert kv(api, "list", "broke_user").status_code == 402


def test_unknown_method_and_driver(api: Api) -> None:
    assert error(kv(api, "explode")) == (
        404,
        "not_found",
        "Method 'explode' not found on driver 'puter-kvstore'",
    )
    response = api.driver(KV, "get", {"key": "k"}, driver="redis")
    assert error(response) == (404, "not_found", "Driver not found: puter-kvstore:redis")
    assert api.driver(KV, "get", {"key": "k"}, driver=KV).status_code == 200


def test_list_interfaces_names_the_kv_driver(api: Api) -> None:
    body = api.get("/drivers/list-interfaces", user="alice").json()
    assert body[KV] == {"drivers": [KV], "default": KV}


def test_faults_and_the_request_log_cover_kv_calls(api: Api) -> None:
    api.emulator.inject("/drivers/call", status=503, times=1)
    assert kv(api, "get", key="k").status_code == 503
    assert kv(api, "get", key="k").status_code == 200
    logged = api.emulator.requests_to("/drivers/call")
    assert [(r.interface, r.method_name, r.status, r.fault) for r in logged] == [
        (KV, "get", 503, "Respond"),
        (KV, "get", 200, None),
    ]


def test_a_dropped_kv_call_reaches_the_client_as_a_broken_connection(api: Api) -> None:
    api.emulator.inject("/drivers/call", Drop())
    with pytest.raises(httpx.TransportError):
        kv(api, "set", key="k", value=1)


def test_legacy_mode_writes_kv_errors_as_v1_envelopes(legacy_api: Api) -> None:
    response = legacy_api.driver(KV, "set", {"key": "k"})
    assert response.status_code == 200
    assert response.json()["error"]["message"] == "Missing `value`"


def test_values_round_trip_through_json_unchanged(api: Api) -> None:
    value = {"unicode": "héllo ✓", "nested": [[], {}], "n": -0.25}
    result(api, "set", key="j", value=value)
    assert json.dumps(result(api, "get", key="j"), sort_keys=True) == json.dumps(
        value, sort_keys=True
    )
