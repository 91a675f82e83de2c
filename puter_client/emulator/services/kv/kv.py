"""The ``puter-kvstore`` interface (driver ``puter-kvstore``), checked as the server does.

Argument checks happen in the server's order: the driver's (key present, ``value``
present, argument types), then credits, then the store's (`kvstore`: key and value
limits, forbidden object keys, paths). Keys are coerced with JavaScript's ``String()``:
``42`` -> ``"42"``, ``true`` -> ``"true"``, an object -> ``"[object Object]"``, an array
-> ``"a,b"`` (except in ``get``, where an array is a multi-get).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import math
from typing import Any

from puter_client.emulator.core.driverapi import DriverCall, Interface, fail, insufficient_funds
from puter_client.emulator.core.jsvalues import ABSENT, is_js_number, js_string, js_to_number
from puter_client.emulator.core.wire import dumps
from puter_client.emulator.services.kv.store import (
    Namespace,
    bad_request,
    check_key,
    check_value,
    parse_path,
)

KV_INTERFACE = "puter-kvstore"
MAX_LIST_OFFSET = 5000
#: Methods allowed without credits (``list`` too, when it lists keys only).
_CREDIT_FREE = frozenset({"del", "remove", "flush", "list"})


def _key(value: Any) -> str:
    """The driver's key coercion: missing, null or empty is 400 ``Missing `key` ``."""
    if value is ABSENT or value is None:
        raise bad_request("Missing `key`")
    key = js_string(value)
    if key == "":
        raise bad_request("Missing `key`")
    return key


def _stored_key(value: Any) -> str:
    key = _key(value)
    check_key(key)
    return key


def _require_credits(dc: DriverCall) -> None:
    if not dc.user.has_credits:
        raise insufficient_funds()


def _begin(dc: DriverCall) -> Namespace:
    """The credit check every method makes once its own arguments are read."""
    if dc.method not in _CREDIT_FREE:
        _require_credits(dc)
    usage = "kv:read" if dc.method in ("get", "list") else "kv:write"
    dc.state.metering.record(dc.user.uuid, usage)
    return dc.state.kv.namespace(dc.user.uuid)


def _check_value(value: Any) -> None:
    check_value(value, len(dumps(value)))


def _expiry(value: Any) -> float | None:
    return float(value) if is_js_number(value) and value else None


async def get(dc: DriverCall) -> Any:
    """``get {key}``: the value or null; a list of keys is a multi-get."""
    key = dc.arg("key")
    if key is ABSENT or key is None:
        raise bad_request("Missing `key`")
    space = _begin(dc)
    now = dc.state.clock()
    if isinstance(key, list):
        keys = [_key(k) for k in key]
        for k in keys:
            check_key(k)
        return [space.get(k, now) for k in keys]
    return space.get(_stored_key(key), now)


async def set_(dc: DriverCall) -> Any:
    """``set {key, value, expireAt?}``: true."""
    key = _key(dc.arg("key"))
    value = dc.arg("value")
    if value is ABSENT:
        raise bad_request("Missing `value`")
    space = _begin(dc)
    check_key(key)
    _check_value(value)
    space.set(key, value, _expiry(dc.arg("expireAt")))
    return True


async def batch_put(dc: DriverCall) -> Any:
    """``batchPut {items: [{key, value, expireAt?}]}``: true."""
    items = dc.arg("items")
    if not isinstance(items, list) or not items:
        raise bad_request("Missing or empty `items`")
    if not all(isinstance(item, dict) for item in items):
        raise fail(500, "internal_error", "Internal Server Error")
    keys = [_key(item.get("key", ABSENT)) for item in items]
    space = _begin(dc)
    for key, item in zip(keys, items, strict=True):
        check_key(key)
        _check_value(item.get("value"))
    for key, item in zip(keys, items, strict=True):
        space.set(key, item.get("value"), _expiry(item.get("expireAt")))
    return True


async def delete(dc: DriverCall) -> Any:
    """``del {key}``: true, whether or not the key existed."""
    key = _key(dc.arg("key"))
    space = _begin(dc)
    check_key(key)
    space.delete(key)
    return True


def _object_arg(dc: DriverCall, name: str) -> dict[str, Any]:
    """An object argument (JavaScript arrays pass as objects keyed by index)."""
    given = dc.arg(name)
    if not isinstance(given, dict | list):  # JavaScript: falsy or not an object
        raise bad_request(f"Missing or invalid `{name}`")
    pairs = enumerate(given) if isinstance(given, list) else given.items()
    return {str(key): value for key, value in pairs}


def _numbers(amounts: dict[str, Any], *, negate: bool) -> dict[str, float]:
    if not amounts:
        raise bad_request("kv: incr requires pathAndAmountMap")
    if negate:  # decr negates with JavaScript's unary minus before incr checks the types
        amounts = {path: -js_to_number(amount) for path, amount in amounts.items()}
    if not all(is_js_number(a) and not math.isnan(a) for a in amounts.values()):
        raise bad_request("kv: all values in pathAndAmountMap must be numbers")
    for path in amounts:
        parse_path(path)
    return amounts


async def _increment(dc: DriverCall, *, negate: bool) -> Any:
    key = _key(dc.arg("key"))
    amounts = _object_arg(dc, "pathAndAmountMap")
    space = _begin(dc)
    check_key(key)
    return space.increment(key, _numbers(amounts, negate=negate))


async def incr(dc: DriverCall) -> Any:
    """``incr {key, pathAndAmountMap}``: the new number (or the whole new object)."""
    return await _increment(dc, negate=False)


async def decr(dc: DriverCall) -> Any:
    """``decr {key, pathAndAmountMap}``: ``incr`` with the amounts negated."""
    return await _increment(dc, negate=True)


async def expire(dc: DriverCall) -> Any:
    """``expire {key, ttl}``: no ``result`` key; a missing key becomes a null entry."""
    key = _key(dc.arg("key"))
    ttl = dc.arg("ttl")
    if not is_js_number(ttl):
        raise bad_request("`ttl` must be a number (seconds)")
    space = _begin(dc)
    check_key(key)
    space.expire_at(key, math.floor(dc.state.clock()) + ttl)
    return ABSENT


async def expire_at(dc: DriverCall) -> Any:
    """``expireAt {key, timestamp}``: no ``result`` key."""
    key = _key(dc.arg("key"))
    timestamp = dc.arg("timestamp")
    if not is_js_number(timestamp):
        raise bad_request("`timestamp` must be a number")
    space = _begin(dc)
    check_key(key)
    space.expire_at(key, float(timestamp))
    return ABSENT


def _positive(value: Any, label: str) -> int | None:
    if value is ABSENT or value is None:
        return None
    number = js_to_number(value)
    if not math.isfinite(number) or number <= 0:
        raise bad_request(f"{label} must be a positive number")
    return math.floor(number)


def _offset(value: Any) -> int | None:
    if value is ABSENT or value is None:
        return None
    number = js_to_number(value)
    if not math.isfinite(number) or number < 0:
        raise bad_request("kv: offset must be a non-negative number")
    if math.floor(number) > MAX_LIST_OFFSET:
        raise bad_request(f"kv: offset may not exceed {MAX_LIST_OFFSET}")
    return math.floor(number)


def encode_cursor(position: dict[str, Any]) -> str:
    """An opaque page cursor: base64 of JSON, like the server's."""
    return base64.b64encode(json.dumps(position, separators=(",", ":")).encode()).decode()


def _decode_cursor(value: Any) -> dict[str, Any] | None:
    if value is ABSENT or value is None:
        return None
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise bad_request("invalid kv: cursor")
    text = value.strip()
    if not text:
        return None
    decoded: Any = None
    try:
        decoded = json.loads(base64.b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error):
        with contextlib.suppress(ValueError):
            decoded = json.loads(text)
    if not isinstance(decoded, dict) or not isinstance(decoded.get("key"), str):
        raise bad_request("invalid kv: cursor")
    return decoded


def _pattern(value: Any) -> str | None:
    if value is ABSENT or value is None:
        return None
    if not isinstance(value, str):
        raise bad_request("kv: pattern must be a string")
    prefix = value.strip()
    if prefix.endswith("*"):
        prefix = prefix[:-1]
    return prefix or None


def _shaped(items: list[tuple[str, Any]], kind: str) -> list[Any]:
    if kind == "keys":
        return [key for key, _ in items]
    if kind == "values":
        return [value for _, value in items]
    return [{"key": key, "value": value} for key, value in items]


async def list_(dc: DriverCall) -> Any:
    """``list``: keys, values or entries by key; the paging envelope when asked for."""
    kind = dc.arg("as")
    space = _begin(dc)
    if kind != "keys":
        _require_credits(dc)
    limit = _positive(dc.arg("limit"), "kv: limit")
    offset = _offset(dc.arg("offset"))
    cursor = _decode_cursor(dc.arg("cursor"))
    prefix = _pattern(dc.arg("pattern"))
    if cursor is not None and offset is not None:
        raise bad_request("kv: cursor and offset cannot be combined")
    fetch_until_full = dc.arg("fetchUntilFull")
    if fetch_until_full not in (ABSENT, None, False, 0, "") and limit is None:
        raise bad_request("kv: fetchUntilFull requires limit")
    kind = "entries" if kind is ABSENT or kind is None else kind
    if kind not in ("keys", "values", "entries"):
        raise bad_request('kv: list "as" must be keys, values, or entries')
    include_total = dc.arg("includeTotal") is True
    paged = (
        limit is not None
        or cursor is not None
        or offset is not None
        or include_total
        or fetch_until_full is True
    )
    matching = space.live_items(prefix, dc.state.clock())
    items = matching
    if cursor is not None:
        items = [item for item in items if item[0] > cursor["key"]]
    items = items[offset or 0 :]
    page = items if limit is None else items[:limit]
    if not paged:
        return _shaped(page, kind)
    envelope: dict[str, Any] = {"items": _shaped(page, kind)}
    if len(page) < len(items):
        envelope["cursor"] = encode_cursor(
            {"key": page[-1][0], "namespace": f"v1:{dc.user.uuid}:os-global"}
        )
    if include_total:
        envelope["total"] = len(matching)
    return envelope


async def flush(dc: DriverCall) -> Any:
    """``flush {}``: forget every key of the caller; true."""
    _begin(dc).flush()
    return True


def _checked_values(values: dict[str, Any], method: str) -> dict[str, Any]:
    if not values:
        raise bad_request(f"kv: {method} requires pathAndValueMap")
    for value in values.values():
        _check_value(value)
    for path in values:
        parse_path(path)
    return values


async def update(dc: DriverCall) -> Any:
    """``update {key, pathAndValueMap, ttl?}``: the whole new value."""
    key = _key(dc.arg("key"))
    values = _object_arg(dc, "pathAndValueMap")
    space = _begin(dc)
    check_key(key)
    _checked_values(values, "update")
    ttl = dc.arg("ttl")
    expires_at: float | None = None
    if ttl is not ABSENT:
        seconds = js_to_number(ttl)
        if math.isnan(seconds):
            raise bad_request("kv: ttl must be a number")
        expires_at = math.floor(dc.state.clock()) + seconds
    return space.update(key, values, expires_at)


async def add(dc: DriverCall) -> Any:
    """``add {key, pathAndValueMap}``: append to the lists at the paths; the new value."""
    key = _key(dc.arg("key"))
    values = _object_arg(dc, "pathAndValueMap")
    space = _begin(dc)
    check_key(key)
    return space.append(key, _checked_values(values, "add"))


async def remove(dc: DriverCall) -> Any:
    """``remove {key, paths}``: the new value."""
    key = _key(dc.arg("key"))
    paths = dc.arg("paths")
    if not isinstance(paths, list) or not paths:
        raise bad_request("Missing or invalid `paths`")
    space = _begin(dc)
    check_key(key)
    return space.remove(key, paths, dc.state.clock())


KV = Interface(
    name=KV_INTERFACE,
    driver=KV_INTERFACE,
    methods={
        "get": get,
        "set": set_,
        "batchPut": batch_put,
        "del": delete,
        "incr": incr,
        "decr": decr,
        "expire": expire,
        "expireAt": expire_at,
        "list": list_,
        "flush": flush,
        "update": update,
        "add": add,
        "remove": remove,
    },
)
