"""Properties of the key-value input checks: what passes is what the server stores, what
fails fails before any request, typed and naming the limit.

``kv_input`` measures a value as JavaScript's ``JSON.stringify`` writes it, which the
server limits; a second, recursive implementation here (strings by ``json.dumps``,
numbers by ECMAScript's rules) is the reference it must agree with.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter_client.services.kv.input import (
    FORBIDDEN_OBJECT_KEYS,
    MAX_KEY_BYTES,
    checked_key,
    checked_value,
    js_number,
)
from tests.support.hypothesis_profiles import examples

SAFE_INTEGER = 2**53 - 1
text = st.text(st.characters(codec="utf-8"), max_size=20)
object_keys = text.filter(lambda key: key not in FORBIDDEN_OBJECT_KEYS)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-SAFE_INTEGER, SAFE_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(object_keys, children, max_size=4)
    ),
    max_leaves=20,
)


def js_stringify(value: Any) -> str:
    """``JSON.stringify(value)``, written independently of ``kv_input`` (recursively)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return reference_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(js_stringify(item) for item in value) + "]"
    pairs = (f"{js_stringify(key)}:{js_stringify(item)}" for key, item in value.items())
    return "{" + ",".join(pairs) + "}"


def reference_number(number: float) -> str:
    """ECMAScript's Number::toString, from the exact decimal digits Python's repr gives."""
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    digits, exponent = _shortest_digits(abs(number))
    k, n = len(digits), exponent + len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    tail = "." + digits[1:] if k > 1 else ""
    return f"{sign}{digits[0]}{tail}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"


def _shortest_digits(number: float) -> tuple[str, int]:
    """(digits without leading or trailing zeros, power of ten of the last digit)."""
    from decimal import Decimal

    _, digit_tuple, exponent = Decimal(repr(number)).normalize().as_tuple()
    assert isinstance(exponent, int)
    return "".join(map(str, digit_tuple)), exponent


# ------------------------------------------------------------------- values


@given(json_values)
def test_a_json_value_is_measured_as_javascript_writes_it(value: Any) -> None:
    assert checked_value(value) == len(js_stringify(value).encode("utf-8"))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_is_written_as_javascript_writes_it_and_reads_back_the_same(x: float) -> None:
    written = js_number(x)

    assert written == reference_number(x)
    assert float(written) == x


@given(json_values, st.sampled_from(sorted(FORBIDDEN_OBJECT_KEYS)), st.data())
def test_a_forbidden_object_key_anywhere_is_refused_by_name(
    value: Any, forbidden: str, data: st.DataObject
) -> None:
    depth = data.draw(st.integers(0, 3))
    nested: Any = {forbidden: value}
    for _ in range(depth):
        nested = data.draw(st.sampled_from([lambda v: [v], lambda v: {"x": v}]))(nested)

    with pytest.raises(ValueError, match=forbidden):
        checked_value(nested)


@given(st.sampled_from([math.nan, math.inf, -math.inf]), st.integers(0, 2))
def test_nan_and_infinity_are_refused(number: float, depth: int) -> None:
    value: Any = number
    for _ in range(depth):
        value = {"n": [value]}

    with pytest.raises(ValueError, match="JSON cannot carry"):
        checked_value(value)


@given(st.sampled_from([b"bytes", {1, 2}, object(), 1j, bytearray(b"x")]))
def test_a_value_that_is_not_json_is_a_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="not JSON"):
        checked_value({"inner": [value]})


@given(st.one_of(st.integers(), st.booleans(), st.none(), st.tuples(st.integers())))
def test_an_object_key_that_is_not_a_str_is_a_type_error(key: Any) -> None:
    with pytest.raises(TypeError, match="object keys must be str"):
        checked_value({key: 1})


@given(st.integers(408_575, 500_000))
def test_a_value_over_the_limit_is_refused_naming_it(length: int) -> None:
    with pytest.raises(ValueError, match="408,576 bytes"):
        checked_value("x" * length)


@given(st.integers(0, 408_574))
def test_a_value_up_to_the_limit_is_accepted(length: int) -> None:
    assert checked_value("x" * length) == length + 2


# --------------------------------------------------------------------- keys


@given(text.filter(bool))
def test_a_non_empty_key_within_the_limit_is_accepted(key: str) -> None:
    assert checked_key(key) == key


@given(st.text(st.characters(codec="utf-8"), min_size=257))
def test_a_key_over_1024_utf8_bytes_is_refused_naming_the_limit(key: str) -> None:
    size = len(key.encode("utf-8"))
    if size <= MAX_KEY_BYTES:
        assert checked_key(key) == key
    else:
        with pytest.raises(ValueError, match=f"{size} UTF-8 bytes; the limit is 1024"):
            checked_key(key)


@given(st.one_of(st.integers(), st.floats(), st.booleans(), st.lists(st.text())))
def test_a_key_that_is_not_a_str_is_a_type_error(key: Any) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        checked_key(key)


# -------------------------------------------------------- before any request


def refusing_client() -> PuterAI:
    """A client whose every request fails the test."""

    def no_request(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a request was sent: {request.method} {request.url}")

    return PuterAI(
        token="t",
        http_client=httpx.Client(transport=httpx.MockTransport(no_request)),
        async_http_client=httpx.AsyncClient(transport=httpx.MockTransport(no_request)),
    )


BAD_CALLS: list[tuple[str, Callable[[Any], Any], type[Exception]]] = [
    ("set with a non-str key", lambda kv: kv.set({"a": 1}, 1), TypeError),
    ("set with an empty key", lambda kv: kv.set("", 1), ValueError),
    ("set with a NaN", lambda kv: kv.set("k", math.nan), ValueError),
    ("set with a forbidden key", lambda kv: kv.set("k", {"__proto__": 1}), ValueError),
    ("set with a naive datetime", lambda kv: kv.set("k", 1, expire_at=_naive()), ValueError),
    ("get with a long key", lambda kv: kv.get("é" * 513), ValueError),
    ("get_many with a str", lambda kv: kv.get_many("abc"), TypeError),
    ("get_many with an int key", lambda kv: kv.get_many(["a", 2]), TypeError),
    ("set_many with a big value", lambda kv: kv.set_many({"a": "x" * 500_000}), ValueError),
    ("set_many with a list", lambda kv: kv.set_many([("a", 1)]), TypeError),
    ("delete with None", lambda kv: kv.delete(None), TypeError),
    ("incr with a str amount", lambda kv: kv.incr("k", "1"), TypeError),
    ("incr with a bool amount", lambda kv: kv.incr("k", True), TypeError),
    ("decr with infinity", lambda kv: kv.decr("k", math.inf), ValueError),
    ("expire with a str", lambda kv: kv.expire("k", "10"), TypeError),
    ("expire_at with None", lambda kv: kv.expire_at("k", None), TypeError),
]


def _naive() -> Any:
    from datetime import datetime

    return datetime(2030, 1, 1)


@pytest.mark.parametrize(("what", "call", "error"), BAD_CALLS, ids=[w for w, _, _ in BAD_CALLS])
def test_bad_input_fails_before_any_request_blocking(
    what: str, call: Callable[[Any], Any], error: type[Exception]
) -> None:
    with refusing_client() as client, pytest.raises(error):
        call(client.kv)


@pytest.mark.parametrize(("what", "call", "error"), BAD_CALLS, ids=[w for w, _, _ in BAD_CALLS])
def test_bad_input_fails_before_any_request_async(
    what: str, call: Callable[[Any], Any], error: type[Exception]
) -> None:
    class AsyncFace:
        def __init__(self, store: Any) -> None:
            self.store = store

        def __getattr__(self, name: str) -> Any:
            return getattr(self.store, f"async_{name}")

    async def run() -> None:
        async with refusing_client() as client:
            await call(AsyncFace(client.kv))

    with pytest.raises(error):
        asyncio.run(run())


@pytest.mark.parametrize("listing", ["keys", "items", "async_keys", "async_items"])
def test_a_listing_with_a_bad_prefix_fails_when_called_before_iterating(listing: str) -> None:
    with refusing_client() as client, pytest.raises(TypeError, match="prefix must be a str"):
        getattr(client.kv, listing)(7)


@settings(max_examples=examples(50))
@given(st.lists(st.one_of(st.integers(), st.none(), st.binary()), min_size=1))
def test_get_many_names_the_first_bad_key_by_position(keys: list[Any]) -> None:
    with refusing_client() as client, pytest.raises(TypeError, match=r"keys\[0\]"):
        client.kv.get_many(keys)
